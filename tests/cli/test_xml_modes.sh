#!/usr/bin/env bash
# --xml-mode enveloping and detached: vbsig signs and verifies them, xmlsec1
# accepts both (detached: xmlsec1 resolves the relative URI from its working
# directory, or through --url-map), tampering is caught, and a detached
# Reference is honoured only when it names the file given with --data —
# any other external URI is refused and never opened.
source "$(dirname "$0")/lib.sh"
corpus="$SRC/test-vectors/corpus/xml"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
xmlsec_trust=(--trusted-pem "$root" --untrusted-pem "$PKI/chain.pem")
s="d['signatures'][0]"

# 1. Enveloping: the Signature is the root, the document in its ds:Object.
for f in einvoice-tt78-vinhlong edxml-chithi-05-phuyen namespaces-nfc-nfd-longan; do
  run "$VBSIG" sign "$corpus/$f.xml" -o "$WORK/env-$f.xml" "${p12[@]}" --xml-mode enveloping
  expect_rc 0 "$f: sign enveloping"
  [ "$(python3 -c 'import sys,xml.dom.minidom as m; r=m.parse(sys.argv[1]).documentElement; print(r.namespaceURI, r.localName)' "$WORK/env-$f.xml")" = \
    "http://www.w3.org/2000/09/xmldsig# Signature" ] && pass || fail "$f: the root is not ds:Signature"
  expect_in 'URI="#vbsig-' "$(grep -o 'URI="#vbsig-[0-9a-f]*-object"' "$WORK/env-$f.xml")" "$f: reference to the Object"
  run "$VBSIG" verify "$WORK/env-$f.xml" --trust "$root" --json
  expect_rc 0 "$f: verify enveloping"
  run xmlsec1 --verify "${xmlsec_trust[@]}" --id-attr:Id SignedProperties "$WORK/env-$f.xml"
  expect_rc 0 "$f: xmlsec1 --verify enveloping"
done
run "$VBSIG" sign "$corpus/einvoice-tt78-vinhlong.xml" -o "$WORK/env-dsig.xml" --key "$PKI/signers/ecp384.p12" \
  --pass pass:vbsig-test --xml-mode enveloping --format xmldsig
expect_rc 0 "enveloping XMLDSig, ECDSA"
run xmlsec1 --verify "${xmlsec_trust[@]}" "$WORK/env-dsig.xml"
expect_rc 0 "xmlsec1 --verify enveloping XMLDSig"
# Inclusive C14N: the Object's canonical form takes in the Signature's
# namespace context, on both sides.
run "$VBSIG" sign "$corpus/edxml-chithi-05-phuyen.xml" -o "$WORK/env-c14n.xml" "${p12[@]}" --xml-mode enveloping --xml-c14n c14n
expect_rc 0 "enveloping, inclusive C14N"
run "$VBSIG" verify "$WORK/env-c14n.xml" --trust "$root"
expect_rc 0 "verify enveloping, inclusive C14N"
run xmlsec1 --verify "${xmlsec_trust[@]}" --id-attr:Id SignedProperties "$WORK/env-c14n.xml"
expect_rc 0 "xmlsec1 --verify enveloping, inclusive C14N"
# The root element's bytes are kept as they were.
python3 - "$corpus/einvoice-tt78-vinhlong.xml" "$WORK/env-einvoice-tt78-vinhlong.xml" <<'PY' && pass || fail "the document's bytes were not kept"
import sys
doc, env = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
start, end = doc.index(b"<HDon"), doc.rindex(b"</HDon>") + 7
sys.exit(0 if doc[start:end] in env else 1)
PY
sed 's/Vĩnh Long/Vinh Long/' "$WORK/env-einvoice-tt78-vinhlong.xml" >"$WORK/env-tampered.xml"
run "$VBSIG" verify "$WORK/env-tampered.xml" --trust "$root" --json
expect_rc 1 "enveloping: tampered content"
[ "$(json_get "$out" "$s['subindication']")" = "HASH_FAILURE" ] && pass || fail "enveloping tampered: $out"
run xmlsec1 --verify "${xmlsec_trust[@]}" --id-attr:Id SignedProperties "$WORK/env-tampered.xml"
[ "$rc" -ne 0 ] && pass || fail "xmlsec1 accepted the tampered enveloping signature"

# 2. Detached, over any bytes, with a Vietnamese file name (percent-encoded).
mkdir -p "$WORK/data" "$WORK/elsewhere"
data="$WORK/data/Công văn số 12.pdf"
head -c 5000 /dev/urandom >"$data"
run "$VBSIG" sign "$data" --format xades --xml-mode detached -o "$WORK/det.xml" "${p12[@]}"
expect_rc 0 "sign detached"
expect_in 'URI="C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%2012.pdf"' "$(cat "$WORK/det.xml")" "percent-encoded bare name"
case "$(cat "$WORK/det.xml")" in *"$WORK"*) fail "the signature leaks the directory" ;; *) pass ;; esac
run "$VBSIG" verify "$WORK/det.xml" --data "$data" --trust "$root" --json
expect_rc 0 "verify detached"
[ "$(json_get "$out" "$s['status'], $s['level'], $s['coverage']['whole_document']")" = "TOTAL-PASSED B-B True" ] &&
  pass || fail "detached report: $out"
# xmlsec1 reads the file named by the URI relative to its working directory
# (libxml2 percent-decodes it first, so --url-map takes the decoded name).
(cd "$WORK/data" && xmlsec1 --verify "${xmlsec_trust[@]}" --id-attr:Id SignedProperties "$WORK/det.xml" >/dev/null 2>&1) &&
  pass || fail "xmlsec1 --verify of the detached signature from the data's directory"
(cd "$WORK/elsewhere" && xmlsec1 --verify "${xmlsec_trust[@]}" --id-attr:Id SignedProperties \
  --url-map:"Công văn số 12.pdf" "$data" "$WORK/det.xml" >/dev/null 2>&1) &&
  pass || fail "xmlsec1 --verify of the detached signature with --url-map"
# Changed data: the digest fails (vbsig and xmlsec1).
cp "$data" "$WORK/elsewhere/Công văn số 12.pdf"
printf 'x' >>"$WORK/elsewhere/Công văn số 12.pdf"
run "$VBSIG" verify "$WORK/det.xml" --data "$WORK/elsewhere/Công văn số 12.pdf" --trust "$root" --json
expect_rc 1 "detached: changed data"
[ "$(json_get "$out" "$s['subindication']")" = "HASH_FAILURE" ] && pass || fail "changed data: $out"
(cd "$WORK/elsewhere" && xmlsec1 --verify "${xmlsec_trust[@]}" --id-attr:Id SignedProperties "$WORK/det.xml" >/dev/null 2>&1) &&
  fail "xmlsec1 accepted changed detached data" || pass
# A detached XML document (digested as bytes) and plain XMLDSig.
cp "$corpus/einvoice-tt78-vinhlong.xml" "$WORK/data/hoadon.xml"
run "$VBSIG" sign "$WORK/data/hoadon.xml" --format xmldsig --xml-mode detached -o "$WORK/det-xml.xml" "${p12[@]}"
expect_rc 0 "sign a detached XML document"
run "$VBSIG" verify "$WORK/det-xml.xml" --data "$WORK/data/hoadon.xml" --trust "$root"
expect_rc 0 "verify the detached XML document"
(cd "$WORK/data" && xmlsec1 --verify "${xmlsec_trust[@]}" "$WORK/det-xml.xml" >/dev/null 2>&1) &&
  pass || fail "xmlsec1 --verify of the detached XMLDSig"

# 3. Without --data the signed data is not found (INDETERMINATE, with a
#    hint) and nothing is opened on the signature's say-so; with --data the
#    file given is the signed data whatever its name: the digest decides.
run "$VBSIG" verify "$WORK/det.xml" --trust "$root" --json
expect_rc 2 "detached without --data"
[ "$(json_get "$out" "$s['subindication']")" = "SIGNED_DATA_NOT_FOUND" ] && pass || fail "without --data: $out"
expect_in "--data FILE" "$(json_get "$out" "' '.join($s['messages'])")" "without --data: the hint"
cp "$data" "$WORK/data/renamed.pdf"
run "$VBSIG" verify "$WORK/det.xml" --data "$WORK/data/renamed.pdf" --trust "$root" --json
expect_rc 0 "a renamed data file: the digest decides"
expect_in "renamed.pdf" "$(json_get "$out" "' '.join($s['messages'])")" "renamed: the name difference is noted"
printf 'x' >> "$WORK/data/renamed.pdf"
run "$VBSIG" verify "$WORK/det.xml" --data "$WORK/data/renamed.pdf" --trust "$root" --json
expect_rc 1 "a renamed, changed data file"
[ "$(json_get "$out" "$s['subindication']")" = "HASH_FAILURE" ] && pass || fail "renamed and changed: $out"
# References that escape: a path, a scheme, a parent directory. Even when
# --data's base name matches, nothing but --data is read (and the changed
# SignedInfo no longer verifies).
for bad in "../data/Công%20văn" "file:///etc/passwd" "/etc/passwd" "http://127.0.0.1:1/x.pdf" "data%2Fx.pdf"; do
  python3 - "$WORK/det.xml" "$WORK/bad.xml" "$bad" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r'URI="C%C3[^"]*"', 'URI="%s"' % sys.argv[3], t, count=1)
open(sys.argv[2], "w", encoding="utf-8").write(t)
PY
  run "$VBSIG" verify "$WORK/bad.xml" --data "$data" --trust "$root" --json
  expect_rc 1 "URI '$bad' refused"
  expect_in "is not allowed" "$(json_get "$out" "' '.join($s['messages'])")" "URI '$bad': named as not allowed"
done

# 4. Usage errors: exit 64, nothing written.
run "$VBSIG" sign "$corpus/einvoice-tt78-vinhlong.xml" -o "$WORK/u1.xml" "${p12[@]}" --xml-mode enveloping --xml-ref '#x'
expect_rc 64 "--xml-ref with enveloping"
run "$VBSIG" sign "$corpus/einvoice-tt78-vinhlong.xml" -o "$WORK/u2.xml" "${p12[@]}" --xml-mode sideways
expect_rc 64 "unknown --xml-mode"
run "$VBSIG" sign "$corpus/einvoice-tt78-vinhlong.xml" -o "$WORK/u3.xml" "${p12[@]}" --detached
expect_rc 64 "--detached with XML"
expect_in "--xml-mode detached" "$err" "the message points to --xml-mode"
run "$VBSIG" sign "$PKI/documents/cong-van.txt" -o "$WORK/u4.p7s" "${p12[@]}" --xml-mode detached
expect_rc 64 "--xml-mode with a CAdES input"
for u in u1 u2 u3 u4; do expect_no_file "$WORK/$u.xml" "$u: nothing written"; done

# 5. Batch: detached signatures go next to each other as NAME.sig.xml.
mkdir -p "$WORK/batch"
run "$VBSIG" sign "$data" "$WORK/data/hoadon.xml" --format xades --xml-mode detached --out-dir "$WORK/batch" "${p12[@]}"
expect_rc 0 "batch detached"
expect_file "$WORK/batch/hoadon.xml.sig.xml" "batch: hoadon.xml.sig.xml"
run "$VBSIG" verify "$WORK/batch/Công văn số 12.pdf.sig.xml" --data "$data" --trust "$root"
expect_rc 0 "batch: verify one"

finish
