#!/usr/bin/env bash
# bench_validate.sh BUILD_DIR [RUNS] — time per `vbsig verify` of a CAdES
# signature whose chain must be completed (given with --chain, fetched by AIA
# from a loopback HTTP server, or taken from the intermediate cache), with
# two trust domains from a config file, and with the ETSI XML report, next to
# `openssl cms -verify` on the same signature. See bench/README.md.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench_validate.sh BUILD_DIR [RUNS]" >&2; exit 64; }
BUILD=$(cd "$1" && pwd)
RUNS=${2:-50}
SRC=$(cd "$(dirname "$0")/.." && pwd)
V=$BUILD/bin/vbsig
[ -x "$V" ] || { echo "no $V: build first" >&2; exit 66; }
T=$(mktemp -d)
SRV=
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
export VBSIG_CONFIG=""

bash "$SRC/test-vectors/gen-pki.sh" "$T/pki" >/dev/null
P=$T/pki
doc=$P/documents/cong-van.txt
openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$P/signers/withrev.pem" \
  -inkey "$P/signers/withrev.key" -outform DER -out "$T/lone.p7s"
cat "$P/root/root.pem" "$P/chain.pem" >"$T/bundle.pem"
mkdir -p "$T/srv"
cp "$P/crl/intermediate.der" "$T/srv/"
python3 "$SRC/tests/revocation/rev_server.py" --port-file "$T/port" --log "$T/log" --crl-dir "$T/srv" &
SRV=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port")
printf '[trust.national-root]\nanchors = %s\n[trust.gov-ca]\nanchors = %s\n[policy]\naccept = national-root gov-ca\n' \
  "$P/root/root.pem" "$P/unknownroot/root.pem" >"$T/two.conf"
"$V" verify "$T/lone.p7s" --data "$doc" --trust "$P/root/root.pem" --revocation off \
  --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$PORT" --cache-dir "$T/cache" >/dev/null

# run LABEL CMD…: RUNS runs, three times; best mean per run in ms.
run() {
  local label=$1 best=
  shift
  "$@" >/dev/null 2>&1 || { printf '%-44s FAILED (exit %d)\n' "$label" $?; exit 1; }
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N)
    for _ in $(seq "$RUNS"); do "$@" >/dev/null 2>&1; done
    e=$(date +%s%N)
    local ms=$(( (e - s) / RUNS / 1000 ))
    [ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
  done
  printf '%-44s %6d.%03d ms\n' "$label" $((best / 1000)) $((best % 1000))
}
common=(verify "$T/lone.p7s" --data "$doc" --revocation off)
run "openssl cms -verify (chain in CAfile)" openssl cms -verify -binary -inform DER -in "$T/lone.p7s" -content "$doc" \
  -CAfile "$T/bundle.pem" -out /dev/null
run "vbsig, --chain, offline" "$V" "${common[@]}" --trust "$P/root/root.pem" --chain "$P/chain.pem" --offline
run "vbsig, AIA fetch from 127.0.0.1 each run" "$V" "${common[@]}" --trust "$P/root/root.pem" \
  --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$PORT"
run "vbsig, intermediate from cache, offline" "$V" "${common[@]}" --trust "$P/root/root.pem" --offline --cache-dir "$T/cache"
run "vbsig, two trust domains from --config" "$V" "${common[@]}" --config "$T/two.conf" --chain "$P/chain.pem" --offline
run "vbsig, --chain, offline, --report-etsi" "$V" "${common[@]}" --trust "$P/root/root.pem" --chain "$P/chain.pem" \
  --offline --report-etsi "$T/r.xml"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
