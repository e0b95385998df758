#!/usr/bin/env bash
# XML signatures against an independent implementation: xmlsec1 --verify
# accepts what vbsig signs (RSA, ECDSA, XAdES with its SignedProperties ID,
# plain XMLDSig), and vbsig accepts what xmlsec1 --sign makes (default
# namespace Signature, inclusive and exclusive C14N, RSA and ECDSA).
source "$(dirname "$0")/lib.sh"
corpus="$SRC/test-vectors/corpus/xml"
trust=(--trusted-pem "$PKI/root/root.pem" --untrusted-pem "$PKI/chain.pem")

ours_then_xmlsec() { # label input key extra-args...
  local label=$1 in=$2 key=$3; shift 3
  run "$VBSIG" sign "$in" -o "$WORK/$label.xml" --key "$PKI/signers/$key.p12" --pass pass:vbsig-test "$@"
  expect_rc 0 "$label: vbsig sign"
  run "$VBSIG" verify "$WORK/$label.xml" --trust "$PKI/root/root.pem" --json
  expect_rc 0 "$label: vbsig verify"
  run xmlsec1 --verify "${trust[@]}" --id-attr:Id SignedProperties --id-attr:Id DLHDon "$WORK/$label.xml"
  expect_rc 0 "$label: xmlsec1 --verify"
  expect_in "SignedInfo References (ok/all)" "$err" "$label: xmlsec1 checked references"
}

ours_then_xmlsec inv-rsa "$corpus/einvoice-tt78-vinhlong.xml" rsa2048
ours_then_xmlsec inv-rsa-ref "$corpus/einvoice-tt78-vinhlong.xml" rsa3072 --xml-ref '#DLHDon-C24TVL-00000127' --xml-parent /HDon/DSCKS/NBan --digest sha512
ours_then_xmlsec edxml-ecp384 "$corpus/edxml-chithi-05-phuyen.xml" ecp384 --format xmldsig --digest sha384
ours_then_xmlsec ns-ecp256 "$corpus/namespaces-nfc-nfd-longan.xml" ecp256 --format xades
ours_then_xmlsec ns-c14n10 "$corpus/namespaces-nfc-nfd-longan.xml" rsa2048 --xml-c14n c14n
ours_then_xmlsec inv-c14n11-ref "$corpus/einvoice-tt78-vinhlong.xml" ecp384 --xml-c14n c14n11 --xml-ref '#DLHDon-C24TVL-00000127' --xml-parent /HDon/DSCKS/NBan
run "$VBSIG" sign "$corpus/namespaces-nfc-nfd-longan.xml" -o "$WORK/bad-c14n.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --xml-c14n c15n
expect_rc 64 "unknown --xml-c14n"
# xmlsec1 1.2.37 has no RSA-PSS: that one is checked by vbsig alone.
run "$VBSIG" sign "$corpus/namespaces-nfc-nfd-longan.xml" -o "$WORK/pss.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --rsa-padding pss
expect_rc 0 "pss: sign"
expect_in 'sha256-rsa-MGF1' "$(cat "$WORK/pss.xml")" "pss: algorithm URI"
run "$VBSIG" verify "$WORK/pss.xml" --trust "$PKI/root/root.pem"
expect_rc 0 "pss: verify"

template() { # c14n-uri sigalg-uri: an enveloped template in a default-namespace document
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<ChiThi xmlns="urn:vn:gov:phuyen:chithi" xmlns:p="urn:vn:p"><So>05/CT-UBND</So>
  <Doan p:loai="a">Về việc tăng cường sử dụng hệ thống thư điện tử</Doan>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="$1"/><SignatureMethod Algorithm="$2"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></ChiThi>
XML
}

xmlsec_then_ours() { # label key c14n-uri sigalg-uri
  template "$3" "$4" > "$WORK/$1.tmpl.xml"
  run xmlsec1 --sign --pkcs12 "$PKI/signers/$2.p12" --pwd vbsig-test --output "$WORK/$1.xml" "$WORK/$1.tmpl.xml"
  expect_rc 0 "$1: xmlsec1 --sign"
  run "$VBSIG" verify "$WORK/$1.xml" --trust "$PKI/root/root.pem" --json
  expect_rc 0 "$1: vbsig verify of xmlsec1's signature"
  expect_in '"format": "xmldsig"' "$out" "$1: format"
  expect_in '"whole_document": true' "$out" "$1: coverage"
  sed 's/thư điện tử/thư giấy/' "$WORK/$1.xml" > "$WORK/$1.tampered.xml"
  run "$VBSIG" verify "$WORK/$1.tampered.xml" --trust "$PKI/root/root.pem" --json
  expect_rc 1 "$1: tampered"
  expect_in '"HASH_FAILURE"' "$out" "$1: tampered subindication"
}
xmlsec_then_ours xs-rsa-c14n rsa2048 http://www.w3.org/TR/2001/REC-xml-c14n-20010315 http://www.w3.org/2001/04/xmldsig-more#rsa-sha256
xmlsec_then_ours xs-rsa-exc rsa3072 http://www.w3.org/2001/10/xml-exc-c14n# http://www.w3.org/2001/04/xmldsig-more#rsa-sha512
xmlsec_then_ours xs-ec-c14n11 ecp256 http://www.w3.org/2006/12/xml-c14n11 http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256

# Exclusive C14N with an InclusiveNamespaces PrefixList (often ignored by
# verifiers), and an old SHA-1 signature: accepted, reported as weak.
cat > "$WORK/prefix.tmpl.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<p:VanBan xmlns:p="urn:vn:p" xmlns:q="urn:vn:q"><p:Noi q:ma="x">Phú Yên</p:Noi><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="p q"/></CanonicalizationMethod><SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="#default q"/></Transform></Transforms><DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></p:VanBan>
XML
run xmlsec1 --sign --pkcs12 "$PKI/signers/rsa2048.p12" --pwd vbsig-test --output "$WORK/prefix.xml" "$WORK/prefix.tmpl.xml"
expect_rc 0 "prefix/sha1: xmlsec1 --sign"
run "$VBSIG" verify "$WORK/prefix.xml" --trust "$PKI/root/root.pem" --json
expect_rc 0 "prefix/sha1: vbsig verify"
expect_in '"weak_algorithm": true' "$out" "prefix/sha1: SHA-1 reported as weak"
expect_in 'SHA-1' "$out" "prefix/sha1: the weak algorithm is named"
sed 's/Phú Yên/Phú Thọ/' "$WORK/prefix.xml" > "$WORK/prefix.tampered.xml"
run "$VBSIG" verify "$WORK/prefix.tampered.xml" --trust "$PKI/root/root.pem" --json
expect_rc 1 "prefix/sha1: tampered"
run "$VBSIG" sign "$WORK/prefix.tmpl.xml" -o "$WORK/sha1.xml" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --digest sha1
expect_rc 64 "SHA-1 is never used to sign"
finish
