#!/usr/bin/env bash
# A level that cannot be reached (issue 13): the signer's certificate names
# no CRL or OCSP source, so no revocation data can be embedded and B-LT /
# B-LTA cannot be had. For every format, `sign --level B-LT|B-LTA` and
# `extend` exit 69 naming the certificate and write nothing; with
# --allow-lower-level they write the signature, print one warning line and
# verify reports the level reached (B-T) alike for every format.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
root="$PKI/root/root.pem"
key=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
trap 'tsa_cleanup' EXIT
tsa_start short --allow-unsynced-clock || { fail "vbsig-tsa did not start"; finish; }
TSA="$TSA_URL/"
export VBSIG_CONFIG=""
printf 'Công văn số 14/UBND\n' >"$WORK/data.txt"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
xml="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
for kind in cades xades pades; do
  case $kind in
    cades) in="$WORK/data.txt" ext=p7s extra=(--format cades) ;;
    xades) in="$xml" ext=xml extra=() ;;
    pades) in="$pdf" ext=pdf extra=() ;;
  esac
  for lvl in B-LT B-LTA; do
    o="$WORK/$kind-$lvl.$ext"
    run "$VBSIG" sign "$in" -o "$o" "${key[@]}" "${extra[@]}" --level "$lvl" --tsa "$TSA" --trust "$root"
    expect_rc 69 "$kind: sign --level $lvl without revocation sources"
    expect_in "Nguyễn Văn An" "$err" "$kind $lvl: the message names the certificate"
    expect_in "no revocation data" "$err" "$kind $lvl: the message says what is missing"
    expect_no_file "$o" "$kind $lvl: nothing written"
    ls "$o".bt-* >/dev/null 2>&1 && fail "$kind $lvl: a temporary file was left" || pass
    run "$VBSIG" sign "$in" -o "$o" "${key[@]}" "${extra[@]}" --level "$lvl" --tsa "$TSA" --trust "$root" --allow-lower-level
    expect_rc 0 "$kind: sign --level $lvl --allow-lower-level"
    [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] && pass || fail "$kind $lvl: one warning line expected: $err"
    expect_in "level B-T reached" "$err" "$kind $lvl: the warning names the level reached"
    run "$VBSIG" verify "$o" --trust "$root" --json --offline --revocation soft
    [ "$(json_get "$out" "d['signatures'][0]['level']")" = B-T ] && pass || fail "$kind $lvl --allow-lower-level: verify level: $out"
  done
  # extend of a B-T signature: the same rule
  run "$VBSIG" sign "$in" -o "$WORK/$kind-bt.$ext" "${key[@]}" "${extra[@]}" --level B-T --tsa "$TSA"
  expect_rc 0 "$kind: sign B-T"
  run "$VBSIG" extend "$WORK/$kind-bt.$ext" -o "$WORK/$kind-x.$ext" --level B-LT --trust "$root"
  expect_rc 69 "$kind: extend B-LT without revocation sources"
  expect_no_file "$WORK/$kind-x.$ext" "$kind: extend: nothing written"
  run "$VBSIG" extend "$WORK/$kind-bt.$ext" -o "$WORK/$kind-x.$ext" --level B-LT --trust "$root" --allow-lower-level
  expect_rc 0 "$kind: extend B-LT --allow-lower-level"
  expect_in "level B-T reached" "$err" "$kind: extend --allow-lower-level warns"
done
run "$VBSIG" sign "$in" -o "$WORK/vi.pdf" "${key[@]}" --level B-LT --tsa "$TSA" --trust "$root" --lang vi
expect_rc 69 "vi: sign B-LT"
expect_in "không có dữ liệu thu hồi" "$err" "vi: the reason in Vietnamese"
finish
