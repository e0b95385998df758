#!/usr/bin/env bash
# bench_verify_bulk.sh BUILD_DIR [N]
#
# An inbox of N (default 1000) signed ~100 KB PDFs, mixed as a clerk's
# system receives them: RSA-2048 and ECDSA P-256 signers, B-B and B-T, one
# in ten with two signatures; the RSA signer's certificate is checked by
# OCSP against a loopback responder (tests/revocation/rev_server.py over
# `openssl ocsp`, answers valid for a day). Times, in the same run:
# a `pdfsig` per-file loop, a `vbsig verify` per-file loop, and one
# `vbsig verify DIR --jobs 1` / `--jobs 2` (files per second, GNU time's
# peak RSS). The bulk runs must give every file the verdict the per-file
# loop gave. Build BUILD_DIR as Release.
set -euo pipefail

die() { printf 'bench_verify_bulk.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_verify_bulk.sh BUILD_DIR [N]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
n=${2:-1000}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
for t in /usr/bin/time pdfsig pk12util python3 openssl; do command -v "$t" >/dev/null || die "$t not found"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-bulk.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
pki=$tmp/pki
bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen-pki.out" 2>&1 || { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
root=$pki/root/root.pem

wait_port() { local i; for i in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done; die "server did not start ($1)"; }
python3 "$src/tests/revocation/rev_server.py" --port-file "$tmp/rev.port" --log "$tmp/rev.log" --crl-dir "$pki/crl" -- \
  -index "$pki/ca/index.txt" -CA "$pki/ca/intermediate.pem" -rsigner "$pki/signers/ocsp.pem" \
  -rkey "$pki/signers/ocsp.key" -ndays 1 2>"$tmp/rev.err" &
pids+=($!)
python3 "$src/tests/tsa-shim/tsa_shim.py" --pki "$pki" --work "$tmp/tsa" --port-file "$tmp/tsa.port" 2>"$tmp/tsa.err" &
pids+=($!)
wait_port "$tmp/rev.port"
wait_port "$tmp/tsa.port"
rev=$(cat "$tmp/rev.port")
tsa="http://127.0.0.1:$(cat "$tmp/tsa.port")/tsa"
rw=(--url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$rev" --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$rev")
vopts=(--trust "$root" "${rw[@]}" --revocation hard --no-config)

echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "vbsig:     $("$vbsig" --version)"
echo "pdfsig:    $(pdfsig -v 2>&1 | head -n 1)"

# The inbox: N copies of one 100 KB document, signed in four groups.
python3 "$src/bench/make_pdf.py" 100000 "$tmp/doc.pdf"
mkdir -p "$tmp/in" "$tmp/inbox" "$tmp/two"
for i in $(seq -w 1 "$n"); do cp "$tmp/doc.pdf" "$tmp/in/d$i.pdf"; done
mapfile -t all < <(ls "$tmp/in"/*.pdf)
q=$((n / 10))
rsa=(--key "$pki/signers/withrev.p12" --pass pass:vbsig-test)
ec=(--key "$pki/signers/ecp256.p12" --pass pass:vbsig-test)
sign_group() { # sign_group FIRST COUNT OUTDIR OPTIONS…
  local first=$1 count=$2 out=$3
  shift 3
  [ "$count" -gt 0 ] || return 0
  "$vbsig" sign "${all[@]:first:count}" --out-dir "$out" "$@" >/dev/null 2>"$tmp/sign.err" ||
    { cat "$tmp/sign.err" >&2; die "signing failed"; }
}
sign_group 0 $((4 * q)) "$tmp/inbox" "${rsa[@]}"
sign_group $((4 * q)) $((3 * q)) "$tmp/inbox" "${ec[@]}"
sign_group $((7 * q)) $((2 * q)) "$tmp/inbox" "${rsa[@]}" --level B-T --tsa "$tsa"
sign_group $((9 * q)) $((n - 9 * q)) "$tmp/two" "${rsa[@]}"
mapfile -t twos < <(ls "$tmp/two"/*.pdf)
[ "${#twos[@]}" -gt 0 ] && { "$vbsig" sign "${twos[@]}" --out-dir "$tmp/inbox" "${ec[@]}" >/dev/null 2>"$tmp/sign.err" ||
  { cat "$tmp/sign.err" >&2; die "second signatures failed"; }; }
mapfile -t inbox < <(ls "$tmp/inbox"/*.pdf)
[ "${#inbox[@]}" = "$n" ] || die "the inbox holds ${#inbox[@]} files, not $n"
pk12util -i "$pki/signers/withrev.p12" -d "sql:$pki/nssdb" -W vbsig-test -K '' >/dev/null 2>&1 || true
cat "${inbox[@]}" >/dev/null
echo "inbox:     $n PDFs of $(stat -c %s "${inbox[0]}") bytes (40% RSA B-B, 30% ECDSA B-B, 20% RSA B-T, 10% two signatures)"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
now() { date +%s.%N; }
rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.1f", n / s }'; }

t0=$(now)
for f in "${inbox[@]}"; do pdfsig -nssdir "sql:$pki/nssdb" "$f" >/dev/null 2>&1 || true; done
t_pdfsig=$(seconds "$t0" "$(now)")

# The per-file loop, each report kept for the comparison below.
mkdir -p "$tmp/one"
t0=$(now)
i=0
for f in "${inbox[@]}"; do
  i=$((i + 1))
  "$vbsig" verify "$f" "${vopts[@]}" --json >"$tmp/one/$i.json" 2>/dev/null || true
done
t_loop=$(seconds "$t0" "$(now)")
python3 - "$tmp/one" "${inbox[@]}" >"$tmp/single.txt" <<'PY'
import json, sys
for i, f in enumerate(sys.argv[2:], 1):
    try:
        print(f, json.load(open("%s/%d.json" % (sys.argv[1], i)))["status"])
    except Exception:
        print(f, "ERROR")
PY

bulk() { # bulk JOBS → wall seconds; peak RSS in $tmp/rss.JOBS
  local t
  t0=$(now)
  /usr/bin/time -f '%M' -o "$tmp/rss.$1" "$vbsig" verify "$tmp/inbox" --jobs "$1" "${vopts[@]}" --json \
    >"$tmp/bulk.$1.jsonl" 2>/dev/null || true
  t=$(seconds "$t0" "$(now)")
  python3 -c "
import json,sys
for l in open(sys.argv[1]): d=json.loads(l); print(d['file'], d.get('status','ERROR'))" "$tmp/bulk.$1.jsonl" >"$tmp/bulk.$1.txt"
  cmp -s "$tmp/single.txt" "$tmp/bulk.$1.txt" || die "--jobs $1 verdicts differ from the per-file loop"
  echo "$t"
}
t_j1=$(bulk 1)
t_j2=$(bulk 2)
echo
printf '%-34s %8s %10s %10s\n' "run ($n files)" "seconds" "files/s" "peak RSS"
printf '%-34s %8s %10s %10s\n' "pdfsig per-file loop" "$t_pdfsig" "$(rate "$t_pdfsig")" "-"
printf '%-34s %8s %10s %10s\n' "vbsig verify per-file loop" "$t_loop" "$(rate "$t_loop")" "-"
printf '%-34s %8s %10s %8s K\n' "vbsig verify DIR --jobs 1" "$t_j1" "$(rate "$t_j1")" "$(tail -n1 "$tmp/rss.1")"
printf '%-34s %8s %10s %8s K\n' "vbsig verify DIR --jobs 2" "$t_j2" "$(rate "$t_j2")" "$(tail -n1 "$tmp/rss.2")"
echo
awk -v p="$t_pdfsig" -v l="$t_loop" -v a="$t_j1" -v b="$t_j2" 'BEGIN {
  printf "--jobs 2 vs pdfsig loop:      %.1fx (target >= 20x)\n", p / b
  printf "--jobs 2 vs vbsig loop:       %.1fx (target >= 5x)\n", l / b
  printf "--jobs 2 vs --jobs 1:         %.2fx (target >= 1.8x)\n", a / b }'
echo "verdicts:  $(cut -d' ' -f2 "$tmp/single.txt" | sort | uniq -c | tr '\n' ' ')(identical in every run)"
echo "OCSP/CRL requests: $(wc -l <"$tmp/rev.log") in all runs"
