#!/usr/bin/env bash
# Cross-producer XML matrix: signatures made by vbsig, by xmlsec1, by the
# JDK's javax.xml.crypto (tests/cli/java/XmlSigTool.java, compiled here) and
# by xml-crypto from npm (tests/cli/js/xml_crypto_tool.js; the package is
# installed by scripts/install-deps.sh into $VBSIG_NPM_DIR) —
# enveloped over the whole document, by #Id in the e-invoice's DSCKS/NBan
# slot, and (vbsig) an e-invoice with a second signature in DSCKS/NMua —
# each verified by all three. Every cell must be valid; the same files with
# one signed character changed must be invalid for every verifier. The
# verdicts are asserted against test-vectors/xml-cross/expected.txt.
source "$(dirname "$0")/lib.sh"
expected="$SRC/test-vectors/xml-cross/expected.txt"
corpus="$SRC/test-vectors/corpus/xml"
inv="$corpus/einvoice-tt78-vinhlong.xml"
doc="$corpus/edxml-chithi-05-phuyen.xml"
id=DLHDon-C24TVL-00000127
p12="$PKI/signers/rsa2048.p12"

mkdir -p "$WORK/classes" "$WORK/x"
javac -d "$WORK/classes" "$SRC/tests/cli/java/XmlSigTool.java" 2>"$WORK/javac.err" && pass ||
  fail "javac XmlSigTool: $(cat "$WORK/javac.err")"
jtool() { java -cp "$WORK/classes" XmlSigTool "$@"; }
npm_dir=${VBSIG_NPM_DIR:-/var/cache/vbsig/npm}
[ -d "$npm_dir/node_modules/xml-crypto" ] && pass || fail "xml-crypto is not installed in $npm_dir (scripts/install-deps.sh)"
xctool() { NODE_PATH="$npm_dir/node_modules" node "$SRC/tests/cli/js/xml_crypto_tool.js" "$@"; }

# xmlsec1 templates: the same shapes.
sig_tmpl() { # URI
  printf '%s' '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="'"$1"'"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>'
}
xmlsec_sign() { # IN OUT MODE
  local t
  t=$(sig_tmpl "$([ "$3" = idref ] && echo "#$id")")
  python3 - "$1" "$WORK/x/tmpl.xml" "$3" "$t" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[3] == "idref":
    s = s.replace("<NBan/>", "<NBan>" + sys.argv[4] + "</NBan>", 1)
else:
    root_end = s.rstrip().rfind("</")
    s = s[:root_end] + sys.argv[4] + s[root_end:]
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
  xmlsec1 --sign --pkcs12 "$p12" --pwd vbsig-test --id-attr:Id DLHDon --output "$2" "$WORK/x/tmpl.xml" 2>"$WORK/x/sign.err"
}

produce() { # PRODUCER MODE OUT
  case "$1.$2" in
  vbsig.whole) "$VBSIG" sign "$doc" -o "$3" --key "$p12" --pass pass:vbsig-test --format xmldsig 2>"$WORK/x/sign.err" ;;
  vbsig.idref) "$VBSIG" sign "$inv" -o "$3" --key "$p12" --pass pass:vbsig-test --xml-ref "#$id" \
    --xml-parent /HDon/DSCKS/NBan 2>"$WORK/x/sign.err" ;;
  vbsig.xades-idref) "$VBSIG" sign "$inv" -o "$3" --key "$p12" --pass pass:vbsig-test --format xades \
    --xml-ref "#$id" --xml-parent /HDon/DSCKS/NBan 2>"$WORK/x/sign.err" ;;
  vbsig.einvoice-two)
    "$VBSIG" sign "$inv" -o "$WORK/x/one.xml" --key "$p12" --pass pass:vbsig-test --xml-ref "#$id" \
      --xml-parent /HDon/DSCKS/NBan 2>"$WORK/x/sign.err" &&
      "$VBSIG" sign "$WORK/x/one.xml" -o "$3" --key "$PKI/signers/rsa3072.p12" --pass pass:vbsig-test \
        --xml-ref "#$id" --xml-parent /HDon/DSCKS/NMua 2>"$WORK/x/sign.err" ;;
  # (RSA for the second signer too: xml-crypto 6 has no ECDSA; vbsig's
  # ECDSA XML signatures are checked against xmlsec1 in test_xml_interop.sh)
  xmlsec1.whole) xmlsec_sign "$doc" "$3" whole ;;
  xmlsec1.idref) xmlsec_sign "$inv" "$3" idref ;;
  java.whole) jtool sign "$doc" "$3" "$p12" vbsig-test >"$WORK/x/sign.err" 2>&1 ;;
  java.idref) jtool sign "$inv" "$3" "$p12" vbsig-test "$id" NBan >"$WORK/x/sign.err" 2>&1 ;;
  xml-crypto.whole) xctool sign "$doc" "$3" "$PKI/signers/rsa2048.key" "$PKI/signers/rsa2048.pem" >"$WORK/x/sign.err" 2>&1 ;;
  xml-crypto.idref) xctool sign "$inv" "$3" "$PKI/signers/rsa2048.key" "$PKI/signers/rsa2048.pem" DLHDon NBan \
    >"$WORK/x/sign.err" 2>&1 ;;
  esac
}

verdicts() { # FILE: "vbsig=… xmlsec1=… java=… xml-crypto=…"
  local v x j n
  "$VBSIG" verify "$1" --trust "$PKI/root/root.pem" --chain "$PKI/chain.pem" >/dev/null 2>&1
  case $? in 0) v=valid ;; 1) v=invalid ;; 2) v=indeterminate ;; *) v=error ;; esac
  xmlsec1 --verify --trusted-pem "$PKI/root/root.pem" --untrusted-pem "$PKI/chain.pem" \
    --id-attr:Id DLHDon --id-attr:Id SignedProperties "$1" >/dev/null 2>&1 && x=valid || x=invalid
  jtool verify "$1" >"$WORK/x/java.out" 2>&1 && j=valid || j=invalid
  xctool verify "$1" >"$WORK/x/node.out" 2>&1 && n=valid || n=invalid
  echo "vbsig=$v xmlsec1=$x java=$j xml-crypto=$n"
}

: >"$WORK/matrix.txt"
while read -r producer mode want; do
  case $producer in '#'* | '') continue ;; esac
  f="$WORK/x/$producer.$mode.xml"
  if ! produce "$producer" "$mode" "$f" || [ ! -s "$f" ]; then
    fail "$producer $mode: signing failed: $(tail -2 "$WORK/x/sign.err")"
    continue
  fi
  got=$(verdicts "$f")
  echo "$producer $mode $got" >>"$WORK/matrix.txt"
  [ "$got" = "$want" ] && pass || fail "$producer × $mode: got '$got', expected '$want' (java: $(cat "$WORK/x/java.out"); xml-crypto: $(cat "$WORK/x/node.out"))"
  # One signed character changed (the invoice number, or the directive's
  # number): every verifier must refuse it.
  sed -e 's|<SHDon>127</SHDon>|<SHDon>128</SHDon>|' -e 's|05/CT-UBND|06/CT-UBND|' "$f" >"$WORK/x/t.xml"
  cmp -s "$f" "$WORK/x/t.xml" && { fail "$producer $mode: the tampering changed nothing"; continue; }
  got=$(verdicts "$WORK/x/t.xml")
  [ "$got" = "vbsig=invalid xmlsec1=invalid java=invalid xml-crypto=invalid" ] && pass ||
    fail "$producer × $mode tampered: got '$got', expected every verifier to refuse"
done <"$expected"
cat "$WORK/matrix.txt"
finish
