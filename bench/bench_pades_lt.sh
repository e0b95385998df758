#!/usr/bin/env bash
# bench_pades_lt.sh BUILD_DIR [RUNS]
#
# Long-term PDF signatures on loopback servers (vbsig-tsa, OpenSSL's OCSP
# responder behind tests/revocation/rev_server.py):
#   - `vbsig verify --offline` of a B-LTA PDF (everything from its /DSS),
#   - `vbsig verify` of a B-B PDF with an online OCSP request per run,
#   - `pdfsig` (poppler, NSS) verifying the same two files in the same run
#     (it checks the CMS digests and the chain, no OCSP, no timestamps),
#   - `vbsig timestamp` (document timestamp) and `vbsig extend --level B-LT`.
# Mean wall time per process over RUNS runs (default 20). Everything lives in
# one temporary directory removed on exit. Build BUILD_DIR as Release.
set -euo pipefail

die() { printf 'bench_pades_lt.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_pades_lt.sh BUILD_DIR [RUNS]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
runs=${2:-20}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
tsa_bin=$build/bin/vbsig-tsa
[ -x "$vbsig" ] && [ -x "$tsa_bin" ] || die "vbsig and vbsig-tsa not found: build the project in $build first"
for t in pdfsig pk12util python3 openssl; do command -v "$t" >/dev/null || die "$t not found"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-lt.XXXXXX")
pids=()
cleanup() {
  local p
  # KILL, as tests/tsa/tsa_lib.sh does (the journal is a throwaway here);
  # `|| true`: under set -e a killed child's status would end the loop early
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pki=$tmp/pki
bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen-pki.out" 2>&1 || { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
root=$pki/root/root.pem
pdf=$pki/documents/lo-directive-vinhlong.pdf
key=(--key "$pki/signers/withrev.p12" --pass pass:vbsig-test)

# servers: port 0 lets the kernel choose; each reports its port
python3 "$src/tests/revocation/rev_server.py" --port-file "$tmp/rev.port" --log "$tmp/rev.log" --crl-dir "$pki/crl" \
  -- -index "$pki/ca/index.txt" -CA "$pki/ca/intermediate.pem" -rsigner "$pki/signers/ocsp.pem" \
  -rkey "$pki/signers/ocsp.key" 2>"$tmp/rev.err" &
pids+=($!)
for port in $(shuf -i 20000-32000 -n 8); do
  "$tsa_bin" --listen "127.0.0.1:$port" --key "$pki/signers/tsa.key" --cert "$pki/signers/tsa.pem" \
    --chain "$pki/chain.pem" --policy 1.3.6.1.4.1.99999.1.1 --journal "$tmp/tsa.db" --allow-unsynced-clock \
    >"$tmp/tsa.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q 'event=started' "$tmp/tsa.log" 2>/dev/null && break; sleep 0.05; done
  grep -q 'event=started' "$tmp/tsa.log" && break
done
grep -q 'event=started' "$tmp/tsa.log" || die "vbsig-tsa did not start: $(cat "$tmp/tsa.log")"
tsa="http://127.0.0.1:$port/"
for _ in $(seq 200); do [ -s "$tmp/rev.port" ] && break; sleep 0.05; done
[ -s "$tmp/rev.port" ] || die "the OCSP responder did not start: $(cat "$tmp/rev.err")"
rp=$(cat "$tmp/rev.port")
rw=(--url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$rp" --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$rp")

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "vbsig:     $("$vbsig" --version) (${build_type:-no CMAKE_BUILD_TYPE})"
echo "pdfsig:    $(pdfsig -v 2>&1 | head -n 1)"
echo "document:  $(basename "$pdf"), $(stat -c %s "$pdf") bytes; $runs runs each"

"$vbsig" sign "$pdf" -o "$tmp/bb.pdf" "${key[@]}" || die "sign B-B failed"
"$vbsig" sign "$pdf" -o "$tmp/bt.pdf" "${key[@]}" --level B-T --tsa "$tsa" || die "sign B-T failed"
"$vbsig" extend "$tmp/bt.pdf" -o "$tmp/lta.pdf" --level B-LTA --tsa "$tsa" --trust "$root" "${rw[@]}" ||
  die "extend B-LTA failed"
pk12util -i "$pki/signers/withrev.p12" -d "sql:$pki/nssdb" -W vbsig-test -K '' >/dev/null 2>&1 || true
"$vbsig" verify "$tmp/lta.pdf" --trust "$root" --offline >/dev/null || die "the B-LTA file does not verify offline"
"$vbsig" verify "$tmp/bb.pdf" --trust "$root" "${rw[@]}" >/dev/null || die "the B-B file does not verify online"

mean() { # mean CMD…: mean wall seconds per run (the command must succeed)
  local t0 t1
  t0=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1 || die "failed: $*"; done
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" -v n="$runs" 'BEGIN { printf "%.1f ms", (b - a) / n / 1e6 }'
}
pdfsig_ok() { pdfsig -nssdir "sql:$pki/nssdb" "$1" 2>/dev/null | grep -q "Signature is Valid"; }

printf '%-52s %s\n' "vbsig verify --offline, B-LTA (3 signatures)" "$(mean "$vbsig" verify "$tmp/lta.pdf" --trust "$root" --offline)"
printf '%-52s %s\n' "pdfsig, same B-LTA file" "$(mean pdfsig_ok "$tmp/lta.pdf")"
printf '%-52s %s\n' "vbsig verify, B-B with online OCSP (loopback)" "$(mean "$vbsig" verify "$tmp/bb.pdf" --trust "$root" "${rw[@]}")"
printf '%-52s %s\n' "pdfsig, same B-B file (no OCSP)" "$(mean pdfsig_ok "$tmp/bb.pdf")"
printf '%-52s %s\n' "vbsig timestamp (document timestamp, loopback TSA)" "$(mean "$vbsig" timestamp "$tmp/bb.pdf" -o "$tmp/ts.pdf" --tsa "$tsa")"
printf '%-52s %s\n' "vbsig extend --level B-LT (OCSP fetch, DSS write)" "$(mean "$vbsig" extend "$tmp/bt.pdf" -o "$tmp/lt.pdf" --level B-LT --trust "$root" "${rw[@]}")"
