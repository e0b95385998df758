#!/usr/bin/env bash
# bench_renew.sh BUILD_DIR [N]
#
# Archive renewal (issue 19, item 5): an e-archive of N (default 100) B-LTA
# files — a third each ~100 KB PDFs, XAdES documents and attached CAdES
# signatures — signed by the test PKI's `withrev` (OCSP on a loopback
# responder, tests/revocation/rev_server.py) with archive timestamps from
# vbsig-tsa on loopback. Times, in the same run:
#   - the peer: a per-file loop of `vbsig extend F -o OUT --level B-LTA`,
#     what an office scripts today (every file renewed);
#   - `vbsig extend FILE… --renew-within 36500 --jobs 1` and `--jobs 2`:
#     every file due (the TSA certificate ends within a century), so the
#     same work in one process;
#   - `--renew-within 90 --jobs 2`: nothing due (the TSA certificate has
#     about two years left): the cost of deciding alone, every file verified.
# Each renewed file must verify TOTAL-PASSED; each run's per-file decisions
# must be the same for --jobs 1 and --jobs 2. Build BUILD_DIR as Release.
set -euo pipefail

die() { printf 'bench_renew.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_renew.sh BUILD_DIR [N]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
n=${2:-100}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
tsa_bin=$build/bin/vbsig-tsa
[ -x "$vbsig" ] && [ -x "$tsa_bin" ] || die "vbsig or vbsig-tsa not found: build the project in $build first"
for t in /usr/bin/time python3 openssl; do command -v "$t" >/dev/null || die "$t not found"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-renew.XXXXXX")
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
wait_port "$tmp/rev.port"
rev=$(cat "$tmp/rev.port")
port=$((20000 + RANDOM % 40000))
"$tsa_bin" --listen "127.0.0.1:$port" --key "$pki/signers/tsa.key" --cert "$pki/signers/tsa.pem" \
  --chain "$pki/chain.pem" --policy 1.3.6.1.4.1.99999.1.1 --journal "$tmp/tsa.db" --allow-unsynced-clock \
  >"$tmp/tsa.log" 2>&1 &
pids+=($!)
for i in $(seq 100); do grep -q 'event=started' "$tmp/tsa.log" && break; sleep 0.05; done
grep -q 'event=started' "$tmp/tsa.log" || { cat "$tmp/tsa.log" >&2; die "vbsig-tsa did not start"; }
tsa="http://127.0.0.1:$port/"
rw=(--url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$rev" --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$rev")
eopts=(--level B-LTA --tsa "$tsa" --trust "$root" "${rw[@]}" --no-config)

echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "vbsig:     $("$vbsig" --version)"

# The archive: B-T files signed in three batches, then brought to B-LTA by
# the renewal itself (a file without an archive timestamp is due).
python3 "$src/bench/make_pdf.py" 100000 "$tmp/doc.pdf"
key=(--key "$pki/signers/withrev.p12" --pass pass:vbsig-test --level B-T --tsa "$tsa")
mkdir -p "$tmp/src" "$tmp/bt" "$tmp/archive"
third=$((n / 3))
for i in $(seq -w 1 "$n"); do
  if [ $((10#$i)) -le "$third" ]; then cp "$tmp/doc.pdf" "$tmp/src/d$i.pdf"
  elif [ $((10#$i)) -le $((2 * third)) ]; then cp "$src/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml" "$tmp/src/d$i.xml"
  else printf 'Hồ sơ lưu trữ số %s\n' "$i" >"$tmp/src/d$i.txt"; fi
done
sign_batch() { # sign_batch GLOB… -- OPTIONS…
  local files=()
  while [ "$1" != "--" ]; do files+=("$1"); shift; done
  shift
  [ "${#files[@]}" -gt 0 ] || return 0
  "$vbsig" sign "${files[@]}" --out-dir "$tmp/bt" "${key[@]}" "$@" >/dev/null 2>"$tmp/sign.err" ||
    { cat "$tmp/sign.err" >&2; die "signing failed"; }
}
shopt -s nullglob
sign_batch "$tmp/src/"*.pdf --
sign_batch "$tmp/src/"*.xml --
sign_batch "$tmp/src/"*.txt -- --format cades
for f in "$tmp/bt/"*.txt.p7s; do mv "$f" "${f%.txt.p7s}.p7s"; done
"$vbsig" extend "$tmp/bt/"* --renew-within 0 --out-dir "$tmp/archive" "${eopts[@]}" >/dev/null 2>"$tmp/lta.err" ||
  { cat "$tmp/lta.err" >&2; die "making the B-LTA archive failed"; }
mapfile -t archive < <(ls "$tmp/archive/"*)
[ "${#archive[@]}" = "$n" ] || die "the archive holds ${#archive[@]} files, not $n"
cat "${archive[@]}" >/dev/null
echo "archive:   $n B-LTA files ($third PDF of $(stat -c %s "${archive[0]}") bytes, $third XAdES, $((n - 2 * third)) CAdES)"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
now() { date +%s.%N; }
rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.1f", n / s }'; }

# The peer: one process per file.
mkdir -p "$tmp/loop"
t0=$(now)
for f in "${archive[@]}"; do
  "$vbsig" extend "$f" -o "$tmp/loop/$(basename "$f")" "${eopts[@]}" >/dev/null 2>>"$tmp/loop.err" ||
    die "per-file extend of $f failed: $(tail -n1 "$tmp/loop.err")"
done
t_loop=$(seconds "$t0" "$(now)")

renew() { # renew JOBS DAYS → wall seconds; decisions in $tmp/dec.JOBS.DAYS, peak RSS in $tmp/rss.JOBS.DAYS
  local out=$tmp/out.$1.$2 t
  rm -rf "$out" && mkdir -p "$out"
  t0=$(now)
  /usr/bin/time -f '%M' -o "$tmp/rss.$1.$2" "$vbsig" extend "${archive[@]}" --renew-within "$2" --jobs "$1" \
    --out-dir "$out" "${eopts[@]}" --json >"$tmp/renew.$1.$2.jsonl" 2>"$tmp/renew.err" ||
    { cat "$tmp/renew.err" >&2; die "renewal --jobs $1 --renew-within $2 failed"; }
  t=$(seconds "$t0" "$(now)")
  python3 - "$tmp/renew.$1.$2.jsonl" >"$tmp/dec.$1.$2" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    assert d["action"] != "error", d
    assert d["report"]["status"] == "TOTAL-PASSED", d["file"]
    print(d["file"], d["action"], d["reason"])
PY
  echo "$t"
}
t_j1=$(renew 1 36500)
t_j2=$(renew 2 36500)
cmp -s "$tmp/dec.1.36500" "$tmp/dec.2.36500" || die "--jobs 1 and --jobs 2 decided differently"
[ "$(grep -c ' renewed ' "$tmp/dec.2.36500")" = "$n" ] || die "not every file was renewed within a century"
t_none=$(renew 2 90)
[ "$(grep -c ' unchanged not-due' "$tmp/dec.2.90")" = "$n" ] || die "files were renewed with 90 days"

echo
printf '%-44s %8s %10s %10s\n' "run ($n files)" "seconds" "files/s" "peak RSS"
printf '%-44s %8s %10s %10s\n' "vbsig extend per-file loop (peer)" "$t_loop" "$(rate "$t_loop")" "-"
printf '%-44s %8s %10s %8s K\n' "extend --renew-within 36500 --jobs 1" "$t_j1" "$(rate "$t_j1")" "$(tail -n1 "$tmp/rss.1.36500")"
printf '%-44s %8s %10s %8s K\n' "extend --renew-within 36500 --jobs 2" "$t_j2" "$(rate "$t_j2")" "$(tail -n1 "$tmp/rss.2.36500")"
printf '%-44s %8s %10s %8s K\n' "extend --renew-within 90 --jobs 2 (none due)" "$t_none" "$(rate "$t_none")" "$(tail -n1 "$tmp/rss.2.90")"
echo
awk -v l="$t_loop" -v a="$t_j1" -v b="$t_j2" 'BEGIN {
  printf "--jobs 1 vs per-file loop:    %.2fx\n", l / a
  printf "--jobs 2 vs per-file loop:    %.2fx\n", l / b
  printf "--jobs 2 vs --jobs 1:         %.2fx\n", a / b }'
echo "decisions: identical for --jobs 1 and 2; every renewed file TOTAL-PASSED"
echo "OCSP/CRL requests: $(wc -l <"$tmp/rev.log") in all runs"
