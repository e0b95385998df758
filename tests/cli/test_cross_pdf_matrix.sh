#!/usr/bin/env bash
# Cross-producer PDF matrix: signatures made by PDFBox 2 (our helper
# tests/cli/java/PdfBoxSign.java, compiled here against Debian's jars) and
# by poppler's pdfsig -add-signature, combined with vbsig's in every order:
# other product first then vbsig; vbsig first then the other product;
# vbsig certification (P=2) then the other product's approval. Each on the
# plain input and on qpdf --linearize --object-streams=generate and mutool
# clean versions of it. vbsig verify, pdfsig and qpdf --check must give the
# verdicts listed in test-vectors/cross-pdf/matrix.txt, and agree.
source "$(dirname "$0")/lib.sh"
expected="$SRC/test-vectors/cross-pdf/matrix.txt"
doc="$SRC/test-vectors/corpus/pdf/lo-directive-vinhlong.pdf"
vb_ec=(--key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test)

# PDFBox 2 and Bouncy Castle from Debian (scripts/install-deps.sh).
jars=(pdfbox2 fontbox2 commons-logging bcprov bcpkix bcutil)
cp=""
for j in "${jars[@]}"; do
  [ -f "/usr/share/java/$j.jar" ] || fail "/usr/share/java/$j.jar is missing (scripts/install-deps.sh)"
  cp="$cp${cp:+:}/usr/share/java/$j.jar"
done
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$cp" "$SRC/tests/cli/java/PdfBoxSign.java" 2>"$WORK/javac.err" && pass ||
  fail "javac PdfBoxSign: $(cat "$WORK/javac.err")"

# pdfsig signs with a key in an NSS database: the test PKI's, plus the p12.
rm -rf "$WORK/nss" "$WORK/nssv" "$WORK/trust.txt"
cp -r "$PKI/nssdb" "$WORK/nss"
cp -r "$PKI/nssdb" "$WORK/nssv" # pdfsig's verifying database: this test's own copy
pk12util -i "$PKI/signers/rsa2048.p12" -d "sql:$WORK/nss" -W vbsig-test -K "" >/dev/null 2>&1 && pass || fail "pk12util import"
nick="vbsig test rsa2048"
pdfsig -h 2>&1 | grep -q -- "-add-signature" && pass || fail "this poppler's pdfsig cannot add signatures"

other_sign() { # other_sign PRODUCER IN OUT
  case $1 in
  pdfbox) java -cp "$WORK/classes:$cp" PdfBoxSign "$2" "$3" "$PKI/signers/rsa2048.p12" vbsig-test >"$WORK/.other" 2>&1 ;;
  poppler) pdfsig -nssdir "sql:$WORK/nss" -add-signature -nick "$nick" -reason "Phe duyet (poppler)" "$2" "$3" \
    >"$WORK/.other" 2>&1 ;;
  esac
}

# verdicts FILE NSIGS: "vbsig=… pdfsig=… qpdf=…". pdfsig's
# verdict: every signature valid and on a trusted certificate. vbsig signs
# with the ECDSA key and the other products with the RSA key: when two
# signatures of one file carry the same certificate, pdfsig's NSS check of
# the later one says "Unknown issue with Certificate or corrupted data"
# (NSS already holds that certificate from the first signature's CMS), which
# is a pdfsig artefact, not a property of the file; distinct signers make
# the trust check of every signature meaningful and deterministic.
verdicts() {
  local f=$1 n=$2 v p q
  "$VBSIG" verify "$f" --trust "$PKI/root/root.pem" --json --revocation off >"$WORK/.vb" 2>"$WORK/.vberr"
  v=$(python3 -c "
import json,sys
d=json.load(open(sys.argv[1])); s=d['signatures']
print(d['status'] if len(s)==int(sys.argv[2]) and all(x['status']==d['status'] for x in s) else 'MIXED:'+','.join(x['status'] for x in s))
" "$WORK/.vb" "$n" 2>/dev/null || echo ERROR)
  pdfsig -nssdir "$WORK/nssv" "$f" >"$WORK/.ps" 2>&1
  p=$(python3 - "$WORK/.ps" "$n" "$f" "$WORK/trust.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
n = int(sys.argv[2])
blocks = re.split(r"^Signature #\d+:", text, flags=re.M)[1:]
valid = [("Signature is Valid." in b) for b in blocks]
trusted = [("Certificate is Trusted." in b) for b in blocks]
with open(sys.argv[4], "a") as log:
    log.write("%s trusted=%s\n" % (sys.argv[3].rsplit("/", 1)[1], ",".join(map(str, trusted))))
if len(blocks) == n and all(valid) and all(trusted):
    print("valid")
else:
    print("invalid(valid=%d,trusted=%d/%d)" % (sum(valid), sum(trusted), n))
PY
)
  qpdf --check "$f" >"$WORK/.q" 2>&1
  case $? in
  0) q=ok ;;
  3) grep -qE "No syntax or stream encoding errors|operation succeeded with warnings" "$WORK/.q" && q=warnings || q=errors ;;
  *) q=errors ;;
  esac
  echo "vbsig=$v pdfsig=$p qpdf=$q"
}

mkdir -p "$WORK/m"
cp "$doc" "$WORK/m/plain.pdf"
qpdf --linearize --object-streams=generate "$doc" "$WORK/m/linos.pdf"
mutool clean -gg "$doc" "$WORK/m/mutool.pdf" >/dev/null 2>&1
: >"$WORK/matrix.txt"
for producer in pdfbox poppler; do
  for input in plain linos mutool; do
    in="$WORK/m/$input.pdf"
    [ -s "$in" ] || { fail "$input: input missing"; continue; }
    for order in other-then-vbsig vbsig-then-other certified-p2-then-other; do
      base="$WORK/m/$producer.$input.$order"
      ok=1
      case $order in
      other-then-vbsig)
        other_sign "$producer" "$in" "$base.1.pdf" || ok=0
        [ $ok = 1 ] && { "$VBSIG" sign "$base.1.pdf" -o "$base.2.pdf" "${vb_ec[@]}" 2>"$WORK/.other" || ok=0; } ;;
      vbsig-then-other)
        "$VBSIG" sign "$in" -o "$base.1.pdf" "${vb_ec[@]}" 2>"$WORK/.other" || ok=0
        [ $ok = 1 ] && { other_sign "$producer" "$base.1.pdf" "$base.2.pdf" || ok=0; } ;;
      certified-p2-then-other)
        "$VBSIG" sign "$in" -o "$base.1.pdf" "${vb_ec[@]}" --certify 2 2>"$WORK/.other" || ok=0
        [ $ok = 1 ] && { other_sign "$producer" "$base.1.pdf" "$base.2.pdf" || ok=0; } ;;
      esac
      if [ $ok = 0 ]; then
        line="$producer $input $order signing-failed"
        echo "signing failed: $producer $input $order: $(tail -3 "$WORK/.other")" >&2
      else
        line="$producer $input $order $(verdicts "$base.2.pdf" 2)"
      fi
      echo "$line" >>"$WORK/matrix.txt"
    done
  done
done

# Every line of the expected matrix, as produced.
n=0
while read -r producer input order rest; do
  case $producer in '#'* | '') continue ;; esac
  n=$((n + 1))
  got=$(grep "^$producer $input $order " "$WORK/matrix.txt" | cut -d' ' -f4-)
  [ "$got" = "$rest" ] && pass || fail "$producer × $input × $order: got '$got', expected '$rest'"
done <"$expected"
[ "$n" = "$(wc -l <"$WORK/matrix.txt")" ] && pass || fail "the expected matrix has $n lines, $(wc -l <"$WORK/matrix.txt") were produced"
# Where the readers disagree is recorded in test-vectors/cross-pdf/README.md
# (open work), asserted line by line above.
cat "$WORK/matrix.txt"
echo "pdfsig's certificate check per signature:"
cat "$WORK/trust.txt"
finish
