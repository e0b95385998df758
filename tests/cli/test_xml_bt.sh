#!/usr/bin/env bash
# XAdES B-T: `vbsig sign --tsa` adds a SignatureTimeStamp from our own
# vbsig-tsa on 127.0.0.1 over the canonical ds:SignatureValue; verify checks
# the token, reports it and validates the signer at its time. Oracles:
# `openssl ts -verify` on the embedded token over the exclusive canonical
# SignatureValue (built here by hand, not by vbsig), and xmlsec1, which
# ignores the unsigned properties and must still accept the signature.
# The expired-signer case runs the signing side (vbsig and an OpenSSL TSA)
# under libfaketime in the past; vbsig verifies on the real clock.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
trap 'tsa_cleanup; stop_shims' EXIT
doc="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
xmlsec_trust=(--trusted-pem "$root" --untrusted-pem "$PKI/chain.pem" --id-attr:Id SignedProperties)

tsa_start xbt --allow-unsynced-clock || { fail "vbsig-tsa did not start"; finish; }
url="$TSA_URL/"

# parts FILE PREFIX: PREFIX.sv = exclusive C14N of ds:SignatureValue as the
# XAdES rules define it, PREFIX.der = the EncapsulatedTimeStamp token.
parts() {
  python3 - "$1" "$2" <<'PY'
import base64, re, sys
t = open(sys.argv[1], encoding="utf-8").read()
sv = re.search(r"<ds:SignatureValue>([^<]*)</ds:SignatureValue>", t).group(1)
tok = re.search(r"<xades:EncapsulatedTimeStamp>([^<]*)</xades:EncapsulatedTimeStamp>", t).group(1)
open(sys.argv[2] + ".sv", "w").write('<ds:SignatureValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#">%s</ds:SignatureValue>' % sv)
open(sys.argv[2] + ".der", "wb").write(base64.b64decode(tok))
PY
}

# check_bt FILE LABEL [verify args]: a passing B-T signature, proven time = token time
check_bt() {
  local f=$1 label=$2; shift 2
  run "$VBSIG" verify "$f" --trust "$root" --json "$@"
  expect_rc 0 "$label: verify"
  local s="d['signatures'][0]"
  [ "$(json_get "$out" "$s['status'], $s['level'], $s['timestamp']['status']")" = "TOTAL-PASSED B-T TOTAL-PASSED" ] &&
    pass || fail "$label: not a passing B-T signature: $out"
  expect_in "CN=vbsig Test TSA" "$(json_get "$out" "$s['timestamp']['tsa']")" "$label: TSA named"
  [ "$(json_get "$out" "$s['signing_time'] == $s['timestamp']['time'] == $s['validation_time'] != None")" = "True" ] &&
    pass || fail "$label: signing/validation time is not the timestamp's: $out"
}

# 1. Enveloped B-T with --level B-T, checked three ways.
run "$VBSIG" sign "$doc" -o "$WORK/bt.xml" "${p12[@]}" --level B-T --tsa "$url" --trust "$root"
expect_rc 0 "sign --level B-T"
expect_in "<xades:SignatureTimeStamp>" "$(cat "$WORK/bt.xml")" "SignatureTimeStamp written"
expect_in "<xades:UnsignedSignatureProperties>" "$(cat "$WORK/bt.xml")" "in UnsignedSignatureProperties"
check_bt "$WORK/bt.xml" "enveloped B-T"
parts "$WORK/bt.xml" "$WORK/bt"
# The token is one vbsig-tsa journaled.
serial=$(openssl ts -reply -in "$WORK/bt.der" -token_in -text 2>/dev/null | sed -n 's/^Serial number: 0x//p')
run "$TSA_BIN" journal show --journal "$WORK/xbt.db" --serial "$serial"
expect_rc 0 "vbsig-tsa journaled the token (serial '$serial')"
run openssl ts -verify -in "$WORK/bt.der" -token_in -data "$WORK/bt.sv" -CAfile "$root" -untrusted "$PKI/chain.pem"
expect_in "Verification: OK" "$out" "openssl ts: the token covers the canonical SignatureValue"
run xmlsec1 --verify "${xmlsec_trust[@]}" "$WORK/bt.xml"
expect_rc 0 "xmlsec1 still accepts the B-T signature"
run "$VBSIG" verify "$WORK/bt.xml" --trust "$root" --lang en
expect_in "Timestamp authority:" "$out" "text report names the TSA"

# 2. --tsa alone means B-T; ECDSA; enveloping and detached modes.
run "$VBSIG" sign "$doc" -o "$WORK/bt-ec.xml" --key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test --tsa "$url"
expect_rc 0 "sign --tsa (ECDSA)"
check_bt "$WORK/bt-ec.xml" "ECDSA B-T"
run "$VBSIG" sign "$doc" -o "$WORK/bt-env.xml" "${p12[@]}" --tsa "$url" --xml-mode enveloping
expect_rc 0 "enveloping B-T"
check_bt "$WORK/bt-env.xml" "enveloping B-T"
cp "$PKI/documents/cong-van.txt" "$WORK/cv.txt"
run "$VBSIG" sign "$WORK/cv.txt" --format xades -o "$WORK/bt-det.xml" "${p12[@]}" --tsa "$url" --xml-mode detached
expect_rc 0 "detached B-T"
check_bt "$WORK/bt-det.xml" "detached B-T" --data "$WORK/cv.txt"
run "$VBSIG" sign "$doc" -o "$WORK/bt-c14n.xml" "${p12[@]}" --tsa "$url" --xml-c14n c14n11
expect_rc 0 "inclusive C14N 1.1 signature, B-T"
check_bt "$WORK/bt-c14n.xml" "c14n11 B-T"

# 3. Plain XMLDSig has no place for a timestamp.
run "$VBSIG" sign "$doc" -o "$WORK/dsig-bt.xml" "${p12[@]}" --format xmldsig --tsa "$url"
expect_rc 64 "xmldsig with --tsa"
expect_no_file "$WORK/dsig-bt.xml" "nothing written for xmldsig B-T"

# 4. TSA down: exit 69, the URL named, nothing written, nothing on stdout.
down=$(closed_url)
run "$VBSIG" sign "$doc" -o "$WORK/down.xml" "${p12[@]}" --tsa "$down" --tsa-retries 0
expect_rc 69 "TSA down"
expect_no_file "$WORK/down.xml" "no output when the TSA is down"
[ -z "$out" ] && pass || fail "TSA down: stdout not empty: $out"
expect_in "${down#http://}" "$err" "TSA down: the URL is named"
ls "$WORK" | grep -q 'down.xml' && fail "a temporary file was left: $(ls "$WORK")" || pass

# 5. Tampered timestamps fail: a flipped byte in the token, and a valid token
#    moved from another signature (its imprint covers another value).
python3 - "$WORK/bt.xml" "$WORK/tampered-token.xml" <<'PY'
import base64, re, sys
t = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<xades:EncapsulatedTimeStamp>([^<]*)</xades:EncapsulatedTimeStamp>", t)
tok = bytearray(base64.b64decode(m.group(1)))
tok[-20] ^= 0x01  # inside the TSA's signature value, the last field of the token
t = t[:m.start(1)] + base64.b64encode(bytes(tok)).decode() + t[m.end(1):]
open(sys.argv[2], "w", encoding="utf-8").write(t)
PY
run "$VBSIG" verify "$WORK/tampered-token.xml" --trust "$root" --json
[ "$rc" -ne 0 ] && pass || fail "a tampered token must not pass"
s="d['signatures'][0]"
[ "$(json_get "$out" "$s['timestamp']['status'] != 'TOTAL-PASSED' and $s['status'] != 'TOTAL-PASSED'")" = "True" ] &&
  pass || fail "tampered token: $out"
[ "$(json_get "$out" "$s['signing_time']")" = "None" ] && pass || fail "a failed token proves no time: $out"
python3 - "$WORK/bt.xml" "$WORK/bt-ec.xml" "$WORK/moved-token.xml" <<'PY'
import re, sys
pat = r"<xades:EncapsulatedTimeStamp>[^<]*</xades:EncapsulatedTimeStamp>"
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
open(sys.argv[3], "w", encoding="utf-8").write(re.sub(pat, lambda m: re.search(pat, b).group(0), a))
PY
run "$VBSIG" verify "$WORK/moved-token.xml" --trust "$root" --json
expect_rc 2 "a token over another signature value"
[ "$(json_get "$out" "$s['subindication'], $s['timestamp']['status']")" = "SIG_CONSTRAINTS_FAILURE TOTAL-FAILED" ] &&
  pass || fail "moved token: $out"
expect_in "imprint" "$(json_get "$out" "' '.join($s['messages'])")" "moved token: the imprint is named"
# The SignatureValue canonicalized inclusively no longer matches the token.
# In the edXML envelope (default and xsi namespaces in scope) the inclusive
# form of SignatureValue differs from the exclusive one the token covers.
run "$VBSIG" sign "$SRC/test-vectors/corpus/xml/edxml-chithi-05-phuyen.xml" -o "$WORK/bt-edxml.xml" "${p12[@]}" --tsa "$url"
expect_rc 0 "edXML B-T"
check_bt "$WORK/bt-edxml.xml" "edXML B-T"
sed 's|<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><xades:Encap|<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><xades:Encap|' \
  "$WORK/bt-edxml.xml" >"$WORK/other-c14n.xml"
cmp -s "$WORK/bt-edxml.xml" "$WORK/other-c14n.xml" && fail "the sed did not change the timestamp's C14N" || pass
run "$VBSIG" verify "$WORK/other-c14n.xml" --trust "$root" --json
expect_rc 2 "timestamp C14N changed (the token covers the exclusive form)"

# 6. Expired signer, timestamp inside its validity. A signer certificate
#    valid from 300 to 100 days ago; vbsig signs 150 days ago with a TSA
#    whose clock also says 150 days ago (OpenSSL under libfaketime).
ca=(-CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" -extfile "$PKI/conf/openssl.cnf")
# libfaketime preloaded directly: the `faketime` wrapper's named semaphore
# collides with one left by an earlier process of the same PID (seen as
# "sem_open: File exists" when tests run in parallel).
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
past() { LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$1" "${@:2}"; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/old.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/tsa-old.key" 2>/dev/null
past -300d openssl req -new -key "$WORK/old.key" -subj "/C=VN/O=So Noi vu (thu nghiem)/CN=Nguoi ky XML cu" -out "$WORK/old.csr"
past -300d openssl x509 -req -in "$WORK/old.csr" "${ca[@]}" -extensions ext_signer -days 200 \
  -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/old.pem" 2>/dev/null
past -200d openssl req -new -key "$WORK/tsa-old.key" -subj "/C=VN/O=TSA (thu nghiem)/CN=vbsig Test TSA 2" -out "$WORK/tsa-old.csr"
past -200d openssl x509 -req -in "$WORK/tsa-old.csr" "${ca[@]}" -extensions ext_tsa -days 600 \
  -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/tsa-old.pem" 2>/dev/null
start_shim past --faketime=-150d --signer "$WORK/tsa-old.pem" --inkey "$WORK/tsa-old.key"
# (libfaketime is preloaded before the sanitizer runtime in an ASan build.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
  run past -150d "$VBSIG" sign "$doc" -o "$WORK/old-bt.xml" --key "$WORK/old.key" --cert "$WORK/old.pem" \
  --chain "$PKI/chain.pem" --tsa "$SHIM_URL"
expect_rc 0 "sign 150 days ago with a then-valid certificate"
run "$VBSIG" sign "$doc" -o "$WORK/old-now.xml" --key "$WORK/old.key" --cert "$WORK/old.pem" --chain "$PKI/chain.pem"
expect_rc 77 "the same certificate cannot sign today (expired)"
run "$VBSIG" verify "$WORK/old-bt.xml" --trust "$root" --json --utc
expect_rc 0 "expired signer, timestamp inside its validity: passes"
[ "$(json_get "$out" "$s['status'], $s['level'], $s['timestamp']['status']")" = "TOTAL-PASSED B-T TOTAL-PASSED" ] &&
  pass || fail "expired signer with an earlier timestamp: $out"
[ "$(json_get "$out" "$s['signing_time'][:10]")" = "$(date -u -d '150 days ago' +%Y-%m-%d)" ] &&
  pass || fail "signing_time is not the timestamp's day: $out"
expect_in "CN=vbsig Test TSA 2" "$(json_get "$out" "$s['timestamp']['tsa']")" "the old TSA is named"
# Pinned to now, the certificate is expired and the timestamp does not help.
run "$VBSIG" verify "$WORK/old-bt.xml" --trust "$root" --json --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
expect_rc 2 "--at now: expired"
[ "$(json_get "$out" "$s['subindication']")" = "OUT_OF_BOUNDS_NO_POE" ] && pass || fail "--at now: $out"
# Without the timestamp (the unsigned properties cut out) nothing proves
# the signature existed while the certificate was valid.
python3 - "$WORK/old-bt.xml" "$WORK/old-bb.xml" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(re.sub(r"<xades:UnsignedProperties>.*?</xades:UnsignedProperties>", "", t))
PY
run "$VBSIG" verify "$WORK/old-bb.xml" --trust "$root" --json
[ "$(json_get "$out" "$s['level'], $s['status'] != 'TOTAL-PASSED'")" = "B-B True" ] &&
  pass || fail "the same signature without its timestamp must not pass: $out"

finish
