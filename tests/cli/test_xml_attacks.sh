#!/usr/bin/env bash
# The XML verification attack checklist, on real signed documents altered
# the way attackers do: hostile parsing input (refused with exit 65 when
# signing and verifying, nothing fetched), signature wrapping with
# duplicate IDs, a second SignedInfo, zero references, HMAC, KeyValue
# instead of a certificate, XSLT and external references, a re-targeted
# XAdES QualifyingProperties, a forged SignatureValue.
source "$(dirname "$0")/lib.sh"
corpus="$SRC/test-vectors/corpus/xml"
key=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)

# ---- hostile parsing input ----
for f in "$corpus"/malformed/*.xml; do
  name=$(basename "$f" .xml)
  start=$(date +%s%N)
  run "$VBSIG" verify "$f" --trust "$PKI/root/root.pem"
  expect_rc 65 "$name: verify refused"
  run "$VBSIG" sign "$f" -o "$WORK/$name.signed.xml" "${key[@]}" --format xades
  expect_rc 65 "$name: sign refused"
  expect_no_file "$WORK/$name.signed.xml" "$name: no output"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 5000 ] && pass || fail "$name: refusal took $ms ms"
done
run "$VBSIG" verify "$corpus/malformed/xxe-etc-passwd-phuyen.xml"
expect_in "DOCTYPE" "$err" "xxe: the reason is named"

# An external DTD on a port we listen on: no connection may arrive.
port_file="$WORK/port" hits="$WORK/hits"
python3 - "$port_file" "$hits" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(8)
n = 0
try:
    while True:
        c, _ = s.accept(); n += 1; c.close()
        open(sys.argv[2], "w").write(str(n))
except socket.timeout:
    pass
PY
listener=$!
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")
sed "s#127.0.0.1:9#127.0.0.1:$port#" "$corpus/malformed/external-dtd-loopback-longan.xml" > "$WORK/ext.xml"
grep -q "127.0.0.1:$port" "$WORK/ext.xml" && pass || fail "external DTD rewritten to our port"
run "$VBSIG" verify "$WORK/ext.xml"
expect_rc 65 "external DTD: verify refused"
run "$VBSIG" sign "$WORK/ext.xml" -o "$WORK/ext.signed.xml" "${key[@]}"
expect_rc 65 "external DTD: sign refused"
python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1]))).close()" "$port"
sleep 0.3
[ "$(cat "$hits" 2>/dev/null)" = 1 ] && pass || fail "the listener saw $(cat "$hits" 2>/dev/null) connections; only our probe may arrive"
kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null

# ---- altered signatures ----
run "$VBSIG" sign "$corpus/einvoice-tt78-vinhlong.xml" -o "$WORK/signed.xml" "${key[@]}" \
    --xml-ref '#DLHDon-C24TVL-00000127' --xml-parent /HDon/DSCKS/NBan
expect_rc 0 "sign the e-invoice"
run "$VBSIG" verify "$WORK/signed.xml" --trust "$PKI/root/root.pem"
expect_rc 0 "the untouched e-invoice verifies"

mutate() { # name python-expression-on-s (the document text)
  python3 - "$WORK/signed.xml" "$WORK/$1.xml" "$2" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
t = eval(sys.argv[3])
assert t != s, "the mutation changed nothing"
open(sys.argv[2], "w", encoding="utf-8").write(t)
PY
}
expect_verdict() { # name exit subindication message-part
  run "$VBSIG" verify "$WORK/$1.xml" --trust "$PKI/root/root.pem" --json
  expect_rc "$2" "$1: exit"
  expect_in "\"$3\"" "$out" "$1: subindication"
  [ -n "${4:-}" ] && expect_in "$4" "$out" "$1: message"
}

# XSW: the signed DLHDon moved aside, a forged copy with the same Id in its place.
mutate wrapping 're.sub(r"(<DLHDon Id=\"[^\"]+\">)(.*?)(</DLHDon>)", lambda m: m.group(1) + m.group(2).replace("127", "999") + m.group(3) + "<Giau>" + m.group(0) + "</Giau>", s, count=1, flags=re.S)'
expect_verdict wrapping 1 FORMAT_FAILURE "twice"
mutate two-signedinfo 're.sub(r"(<ds:SignedInfo>.*?</ds:SignedInfo>)", lambda m: m.group(1) + re.sub(r" Id=\"[^\"]+\"", "", m.group(1)), s, count=1, flags=re.S)'
expect_verdict two-signedinfo 1 FORMAT_FAILURE "no SignatureValue after SignedInfo"
mutate zero-refs 're.sub(r"<ds:Reference .*?</ds:Reference>", "", s, flags=re.S)'
expect_verdict zero-refs 1 FORMAT_FAILURE "no Reference"
mutate hmac 's.replace("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256")'
expect_verdict hmac 1 FORMAT_FAILURE "HMAC"
mutate keyvalue 're.sub(r"<ds:X509Data>.*?</ds:X509Data>", "<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus><ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>", s, flags=re.S)'
expect_verdict keyvalue 2 NO_SIGNING_CERTIFICATE_FOUND "KeyValue"
mutate xslt 's.replace("<ds:Transforms>", "<ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>", 1)'
expect_verdict xslt 1 FORMAT_FAILURE "not allowed"
mutate external 's.replace("URI=\"#DLHDon-C24TVL-00000127\"", "URI=\"file:///etc/passwd\"")'
expect_verdict external 1 FORMAT_FAILURE "same-document"
mutate xpointer 's.replace("URI=\"#DLHDon-C24TVL-00000127\"", "URI=\"#xpointer(/)\"")'
expect_verdict xpointer 1 FORMAT_FAILURE "not allowed"
mutate target 're.sub(r"Target=\"#[^\"]+\"", "Target=\"#someone-else\"", s)'
expect_verdict target 1 FORMAT_FAILURE "Target"
mutate forged-value 're.sub(r"<ds:SignatureValue>(.)", lambda m: "<ds:SignatureValue>" + ("B" if m.group(1) != "B" else "C"), s)'
expect_verdict forged-value 1 SIG_CRYPTO_FAILURE
mutate content 's.replace("<SHDon>127</SHDon>", "<SHDon>128</SHDon>")'
expect_verdict content 1 HASH_FAILURE
# Content outside what was signed may change: the report says what is covered.
mutate outside 's.replace("<NMua/>", "<NMua>thêm</NMua>")'
run "$VBSIG" verify "$WORK/outside.xml" --trust "$PKI/root/root.pem" --json
expect_rc 0 "outside: content not covered"
expect_in '"whole_document": false' "$out" "outside: not the whole document"
expect_in 'element DLHDon (Id DLHDon-C24TVL-00000127)' "$out" "outside: what is covered"
finish
