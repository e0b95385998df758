#!/usr/bin/env bash
# bench_lt_xml_cms.sh BUILD_DIR [RUNS]
#
# Long-term XAdES and CAdES signatures on loopback servers (vbsig-tsa,
# OpenSSL's OCSP responder behind tests/revocation/rev_server.py):
#   - `vbsig verify --offline` of a B-LTA e-invoice (XAdES: path and OCSP
#     from CertificateValues/RevocationValues, signature and archive
#     timestamps checked) next to `xmlsec1 --verify` of the same file in the
#     same run (XMLDSig only: references, value, chain; no timestamps, no
#     revocation),
#   - `vbsig verify --offline` of a detached B-LTA .p7s (CAdES: certificates
#     and id-ri-ocsp-response from SignedData, signature timestamp and
#     archive-time-stamp-v3 checked) next to `openssl cms -verify` of it
#     (value and chain only),
#   - `vbsig extend --level B-LT` and `--level B-LTA` of both (OCSP fetch,
#     one more TSA round trip for B-LTA).
# Mean wall time per process over RUNS runs (default 20). Everything lives in
# one temporary directory removed on exit. Build BUILD_DIR as Release.
set -euo pipefail

die() { printf 'bench_lt_xml_cms.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_lt_xml_cms.sh BUILD_DIR [RUNS]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
runs=${2:-20}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
tsa_bin=$build/bin/vbsig-tsa
[ -x "$vbsig" ] && [ -x "$tsa_bin" ] || die "vbsig and vbsig-tsa not found: build the project in $build first"
for t in xmlsec1 python3 openssl; do command -v "$t" >/dev/null || die "$t not found"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-ltxc.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pki=$tmp/pki
bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen-pki.out" 2>&1 || { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
root=$pki/root/root.pem
doc=$src/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml
key=(--key "$pki/signers/withrev.p12" --pass pass:vbsig-test)

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
echo "xmlsec1:   $(xmlsec1 --version 2>&1 | head -n 1); $(openssl version)"
echo "inputs:    $(basename "$doc") $(stat -c %s "$doc") bytes; a 64 KiB data file; $runs runs each"

head -c 65536 /dev/urandom >"$tmp/data.bin"
"$vbsig" sign "$doc" -o "$tmp/bt.xml" "${key[@]}" --level B-T --tsa "$tsa" || die "XAdES sign B-T failed"
"$vbsig" extend "$tmp/bt.xml" -o "$tmp/lta.xml" --level B-LTA --tsa "$tsa" --trust "$root" "${rw[@]}" ||
  die "XAdES extend B-LTA failed"
"$vbsig" sign "$tmp/data.bin" -o "$tmp/bt.p7s" "${key[@]}" --format cades --detached --level B-T --tsa "$tsa" ||
  die "CAdES sign B-T failed"
"$vbsig" extend "$tmp/bt.p7s" -o "$tmp/lta.p7s" --level B-LTA --tsa "$tsa" --trust "$root" "${rw[@]}" ||
  die "CAdES extend B-LTA failed"
for f in lta.xml lta.p7s; do
  extra=()
  [ "$f" = lta.p7s ] && extra=(--data "$tmp/data.bin")
  level=$("$vbsig" verify "$tmp/$f" "${extra[@]}" --trust "$root" --offline --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["signatures"][0]["level"])') || die "$f does not verify offline"
  [ "$level" = B-LTA ] || die "$f: level $level, not B-LTA"
done

mean() { # mean CMD…: mean wall seconds per run (the command must succeed)
  local t0 t1
  t0=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1 || die "failed: $*"; done
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" -v n="$runs" 'BEGIN { printf "%.1f ms", (b - a) / n / 1e6 }'
}
row() { printf '%-58s %s\n' "$1" "$2"; }

row "vbsig verify --offline, XAdES B-LTA" "$(mean "$vbsig" verify "$tmp/lta.xml" --trust "$root" --offline)"
row "xmlsec1 --verify, same file (XMLDSig only)" \
  "$(mean xmlsec1 --verify --trusted-pem "$root" --untrusted-pem "$pki/chain.pem" --id-attr:Id SignedProperties "$tmp/lta.xml")"
row "vbsig verify --offline, CAdES B-LTA (detached)" \
  "$(mean "$vbsig" verify "$tmp/lta.p7s" --data "$tmp/data.bin" --trust "$root" --offline)"
row "openssl cms -verify, same file (value and chain only)" \
  "$(mean openssl cms -verify -binary -inform DER -in "$tmp/lta.p7s" -content "$tmp/data.bin" -CAfile "$root" -out /dev/null)"
row "vbsig extend --level B-LT, XAdES (OCSP fetch)" \
  "$(mean "$vbsig" extend "$tmp/bt.xml" -o "$tmp/x-lt.xml" --level B-LT --trust "$root" "${rw[@]}")"
row "vbsig extend --level B-LTA, XAdES (+ archive timestamp)" \
  "$(mean "$vbsig" extend "$tmp/bt.xml" -o "$tmp/x-lta.xml" --level B-LTA --tsa "$tsa" --trust "$root" "${rw[@]}")"
row "vbsig extend --level B-LT, CAdES (OCSP fetch)" \
  "$(mean "$vbsig" extend "$tmp/bt.p7s" -o "$tmp/x-lt.p7s" --level B-LT --trust "$root" "${rw[@]}")"
row "vbsig extend --level B-LTA, CAdES (+ archive timestamp)" \
  "$(mean "$vbsig" extend "$tmp/bt.p7s" -o "$tmp/x-lta.p7s" --level B-LTA --tsa "$tsa" --trust "$root" "${rw[@]}")"
