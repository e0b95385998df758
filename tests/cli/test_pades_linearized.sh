#!/usr/bin/env bash
# Linearized PDFs (ISO 32000 Annex F) signed and verified: every corpus
# document passed through qpdf --linearize (cross-reference tables), qpdf
# --linearize --object-streams=generate (first-page and main cross-reference
# streams; the first-page stream has no startxref of its own) and mutool
# clean. Each is signed twice by vbsig; the first update's /Prev names the
# section the input's startxref names (the first-page section); qpdf
# --check, poppler's pdfsig and vbsig verify agree that every signature is
# valid.
source "$(dirname "$0")/lib.sh"
corpus="$SRC/test-vectors/corpus/pdf"
rsa=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
ec=(--key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test)

last_startxref() { tail -c 64 "$1" | tr '\r' '\n' | grep -a -A1 startxref | tail -1 | tr -d ' '; }
# the /Prev of the newest section (a table's trailer or an xref stream's dictionary)
last_prev() { tail -c 2048 "$1" | grep -a -o '/Prev [0-9]*' | tail -1 | cut -d' ' -f2; }

made=0
for src in "$corpus"/*.pdf; do
  name=$(basename "$src" .pdf)
  case $name in *encrypted*) continue ;; esac
  for mode in lin linos mutool; do
    in="$WORK/$name.$mode.pdf"
    case $mode in
    lin) qpdf --linearize "$src" "$in" ;;
    linos) qpdf --linearize --object-streams=generate "$src" "$in" ;;
    mutool) mutool clean -gg "$src" "$in" >/dev/null 2>&1 ;;
    esac
    [ -s "$in" ] || { fail "$name $mode: the input was not made"; continue; }
    made=$((made + 1))
    what="$name ($mode)"
    run "$VBSIG" sign "$in" -o "$WORK/$name.$mode.1.pdf" "${rsa[@]}"
    expect_rc 0 "$what: first signature"
    [ "$rc" -eq 0 ] || continue
    cmp -s -n "$(stat -c %s "$in")" "$in" "$WORK/$name.$mode.1.pdf" && pass || fail "$what: the input is not a prefix"
    want=$(last_startxref "$in")
    got=$(last_prev "$WORK/$name.$mode.1.pdf")
    [ "$got" = "$want" ] && pass || fail "$what: the update's /Prev is $got, the input's startxref $want"
    run "$VBSIG" sign "$WORK/$name.$mode.1.pdf" -o "$WORK/$name.$mode.2.pdf" "${ec[@]}"
    expect_rc 0 "$what: second signature"
    f="$WORK/$name.$mode.2.pdf"
    qpdf --check "$f" >"$WORK/.qpdf" 2>&1
    q=$?
    [ $q -eq 0 ] || [ $q -eq 3 ] && pass || fail "$what: qpdf --check exit $q: $(tail -3 "$WORK/.qpdf")"
    grep -q "No syntax or stream encoding errors" "$WORK/.qpdf" && pass || fail "$what: qpdf finds errors: $(tail -3 "$WORK/.qpdf")"
    before=$(pdfsig -nssdir "$PKI/nssdb" "$in" 2>/dev/null | grep -c "Signature Validation:")
    pdfsig -nssdir "$PKI/nssdb" "$f" >"$WORK/.pdfsig" 2>&1
    valid=$(grep -c "Signature Validation: Signature is Valid." "$WORK/.pdfsig")
    [ "$valid" = $((before + 2)) ] && pass || fail "$what: pdfsig finds $valid of $((before + 2)) valid: $(cat "$WORK/.pdfsig")"
    run "$VBSIG" verify "$f" --trust "$PKI/root/root.pem" --json --revocation off
    expect_rc 0 "$what: vbsig verify"
    [ "$(json_get "$out" "[s['status'] for s in d['signatures']]")" = "['TOTAL-PASSED', 'TOTAL-PASSED']" ] && pass ||
      fail "$what: vbsig statuses: $out"
  done
done
[ "$made" -ge 60 ] && pass || fail "only $made linearized/cleaned inputs"

# The corpus file made by qpdf --linearize --object-streams=generate: its
# first-page cross-reference stream is what the startxref names, and it is
# followed by no startxref (the case that used to fail).
lf="$corpus/qpdf-linearized-objstm-vinhlong.pdf"
[ "$(grep -a -c startxref "$lf")" = 1 ] && pass || fail "the corpus file should hold one startxref"
head -c 1024 "$lf" | grep -aq "/Type /XRef" && pass || fail "the first-page section is a stream"
finish
