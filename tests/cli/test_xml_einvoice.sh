#!/usr/bin/env bash
# Vietnamese e-invoice workflow: the seller signs DLHDon into DSCKS/NBan,
# a second party signs into DSCKS/NMua, both signatures stay valid, the
# document's bytes are kept, and a signature that would break an earlier
# one is refused. A large batch document is generated and signed too.
source "$(dirname "$0")/lib.sh"
inv="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
ref='#DLHDon-C24TVL-00000127'

run "$VBSIG" sign "$inv" -o "$WORK/seller.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test \
    --xml-ref "$ref" --xml-parent /HDon/DSCKS/NBan
expect_rc 0 "seller signs"
run "$VBSIG" sign "$WORK/seller.xml" -o "$WORK/both.xml" --key "$PKI/signers/ecp256.key" \
    --cert "$PKI/signers/ecp256.pem" --chain "$PKI/chain.pem" --xml-ref "$ref" --xml-parent /HDon/DSCKS/NMua
expect_rc 0 "second party signs"
run "$VBSIG" verify "$WORK/both.xml" --trust "$PKI/root/root.pem" --json
expect_rc 0 "both signatures verify"
[ "$(json_get "$out" 'len(d["signatures"])')" = 2 ] && pass || fail "two signatures reported"
[ "$(json_get "$out" '[s["status"] for s in d["signatures"]]')" = "['TOTAL-PASSED', 'TOTAL-PASSED']" ] && pass || fail "both pass: $out"
[ "$(json_get "$out" '[s["level"] for s in d["signatures"]]')" = "['B-B', 'B-B']" ] && pass || fail "both B-B"
[ "$(json_get "$out" 'd["format"]')" = xades ] && pass || fail "format xades"
expect_in 'Trần Thị Bích Ngọc' "$out" "the second signer is named"

# The bytes: removing the two Signature elements (and refolding the filled
# empty slots) gives back the original file exactly.
python3 - "$inv" "$WORK/both.xml" <<'PY' && pass || fail "the document bytes were not kept"
import re, sys
orig = open(sys.argv[1], "rb").read()
signed = open(sys.argv[2], "rb").read()
stripped = re.sub(rb"<ds:Signature .*?</ds:Signature>", b"", signed, flags=re.S)
stripped = stripped.replace(b"<NBan></NBan>", b"<NBan/>").replace(b"<NMua></NMua>", b"<NMua/>")
sys.exit(0 if stripped == orig else 1)
PY
run xmlsec1 --verify --trusted-pem "$PKI/root/root.pem" --untrusted-pem "$PKI/chain.pem" \
    --id-attr:Id DLHDon --id-attr:Id SignedProperties "$WORK/both.xml"
expect_rc 0 "xmlsec1 verifies the seller's signature in the two-signature invoice"

# A whole-document signature would cover where the next one goes.
run "$VBSIG" sign "$inv" -o "$WORK/whole.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test
expect_rc 0 "whole-document signature"
run "$VBSIG" sign "$WORK/whole.xml" -o "$WORK/broken.xml" --key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test
expect_rc 65 "a signature that breaks another is refused"
expect_in "would invalidate signature" "$err" "refusal names the reason"
expect_no_file "$WORK/broken.xml" "no output after refusal"

# Option errors.
run "$VBSIG" sign "$inv" -o "$WORK/x.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --xml-ref '#nope'
expect_rc 64 "unknown --xml-ref"
run "$VBSIG" sign "$inv" -o "$WORK/x.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --xml-parent '//TTin'
expect_rc 64 "--xml-parent selecting several elements"
run "$VBSIG" sign "$inv" -o "$WORK/x.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --xml-parent '/HDon/['
expect_rc 64 "--xml-parent with an XPath syntax error"
expect_in "does not select exactly one element" "$err" "XPath error message"
case "$err" in *"XPath error"*) fail "libxml2 printed on stderr: $err" ;; *) pass ;; esac
run "$VBSIG" sign "$PKI/documents/cong-van.txt" -o "$WORK/x.p7m" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --xml-ref "$ref"
expect_rc 64 "--xml-ref on a non-XML input"
run "$VBSIG" sign "$inv" -o "$WORK/x.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --detached
expect_rc 64 "--detached XML (XML uses --xml-mode detached)"
# --data with an enveloped document: no Reference names that file.
run "$VBSIG" verify "$WORK/both.xml" --data "$inv" --json
expect_rc 2 "verify --data on an enveloped XML"
expect_in "SIGNED_DATA_NOT_FOUND" "$out" "verify --data on an enveloped XML: data not found"
expect_no_file "$WORK/x.xml" "no output after option errors"

# Batch: XML outputs keep their names.
mkdir -p "$WORK/out"
run "$VBSIG" sign "$inv" "$SRC/test-vectors/corpus/xml/edxml-chithi-05-phuyen.xml" --out-dir "$WORK/out" \
    --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --format xmldsig
expect_rc 0 "batch XML signing"
for f in einvoice-tt78-vinhlong.xml edxml-chithi-05-phuyen.xml; do
  run "$VBSIG" verify "$WORK/out/$f" --trust "$PKI/root/root.pem" --json
  expect_rc 0 "batch output $f verifies"
  expect_in '"format": "xmldsig"' "$out" "batch $f is plain XMLDSig"
done

# A ~10 MB batch of invoices, generated here.
python3 - "$inv" "$WORK/batch.xml" <<'PY'
import re, sys
one = open(sys.argv[1], encoding="utf-8").read()
body = one[one.index("<HDon>"):]
parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<DSHDon>\n']
size, i = 0, 0
while size < 10 * 1024 * 1024:
    h = body.replace("DLHDon-C24TVL-00000127", "DLHDon-C24TVL-%08d" % i).replace("<SHDon>127<", "<SHDon>%d<" % i)
    parts.append(h); size += len(h.encode()); i += 1
parts.append("\n</DSHDon>\n")
open(sys.argv[2], "w", encoding="utf-8").write("".join(parts))
PY
expect_file "$WORK/batch.xml" "batch document"
run "$VBSIG" sign "$WORK/batch.xml" -o "$WORK/batch.signed.xml" --key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test
expect_rc 0 "10 MB batch signs"
run "$VBSIG" verify "$WORK/batch.signed.xml" --trust "$PKI/root/root.pem" --json
expect_rc 0 "10 MB batch verifies"
expect_in '"whole_document": true' "$out" "batch: whole document covered"
sed 's/<SHDon>1500</<SHDon>1501</' "$WORK/batch.signed.xml" > "$WORK/batch.tampered.xml"
cmp -s "$WORK/batch.signed.xml" "$WORK/batch.tampered.xml" && fail "the tampering changed nothing" || pass
run "$VBSIG" verify "$WORK/batch.tampered.xml" --trust "$PKI/root/root.pem" --json
expect_rc 1 "10 MB batch: one changed digit deep inside is found"
finish
