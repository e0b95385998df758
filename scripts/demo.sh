#!/usr/bin/env bash
# The main job on embedded defaults: install, build, make a demo PKI, put the
# leader's key on a SoftHSM2 token, start vbsig's own timestamp server on
# loopback, sign a real official document with the token (PAdES B-T: one PIN,
# a timestamp from our TSA), verify the signature, print the report, and let
# poppler's pdfsig check it independently.
# DEMO_LANG=vi gives messages and the report in Vietnamese.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" >/dev/null

demo=$PWD/build/demo
rm -rf "$demo" && mkdir -p "$demo"
pki=$demo/pki
bash test-vectors/gen-pki.sh "$pki" >/dev/null
bash test-vectors/make-softhsm.sh "$demo/token" "$pki" >/dev/null
export SOFTHSM2_CONF=$demo/token/softhsm2.conf
module=$(cat "$demo/token/module.txt")
lang_args=()
[ -n "${DEMO_LANG:-}" ] && lang_args=(--lang "$DEMO_LANG")

# The timestamp server, on a free loopback port. This demo machine runs no
# NTP client, so the kernel calls its clock unsynchronised: the lab flag lets
# the TSA issue anyway, and it says so loudly in its log.
tsa_log=$demo/tsa.log
tsa_pid=""
cleanup() { [ -n "$tsa_pid" ] && kill "$tsa_pid" 2>/dev/null && wait "$tsa_pid" 2>/dev/null; true; }
trap cleanup EXIT
for try in 1 2 3 4 5; do
  port=$(( 20000 + RANDOM % 40000 ))
  build/bin/vbsig-tsa --listen "127.0.0.1:$port" --key "$pki/signers/tsa.key" --cert "$pki/signers/tsa.pem" \
    --chain "$pki/chain.pem" --policy 1.3.6.1.4.1.99999.1.1 --journal "$demo/tsa-journal.db" \
    --allow-unsynced-clock >>"$tsa_log" 2>&1 &
  tsa_pid=$!
  for i in $(seq 1 100); do
    grep -q "event=started" "$tsa_log" 2>/dev/null && break 2
    kill -0 "$tsa_pid" 2>/dev/null || break
    sleep 0.05
  done
  tsa_pid=""
done
[ -n "$tsa_pid" ] || { cat "$tsa_log" >&2; echo "demo: the timestamp server did not start" >&2; exit 1; }

doc=test-vectors/corpus/pdf/lo-directive-vinhlong.pdf
out=$demo/lo-directive-vinhlong-signed.pdf
echo "Signing $doc"
echo "  as Nguyễn Văn An, key on the SoftHSM2 token 'vbsig-test' (PIN from the demo's token set-up),"
echo "  PAdES B-T (an incremental update; the original bytes stay as they are) with a timestamp"
echo "  from vbsig-tsa on 127.0.0.1:$port ..."
printf '1234\n' >"$demo/pin.txt"
build/bin/vbsig sign "$doc" -o "$out" --level B-T \
  --reason "Ký ban hành văn bản" --location "Vĩnh Long" \
  --key "pkcs11:token=vbsig-test;object=rsa2048;type=private" --module "$module" --pin "file:$demo/pin.txt" \
  --chain "$pki/chain.pem" \
  --tsa "http://127.0.0.1:$port/" --trust "$pki/root/root.pem" "${lang_args[@]}"
rm -f "$demo/pin.txt"
echo "Wrote $out"
echo
build/bin/vbsig verify "$out" --trust "$pki/root/root.pem" "${lang_args[@]}"
echo
echo "Independent check with poppler's pdfsig (NSS database of the demo PKI):"
pdfsig -nssdir "$pki/nssdb" "$out" | sed -n '/Signature #1/,$p'
