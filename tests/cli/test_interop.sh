#!/usr/bin/env bash
# openssl accepts what vbsig signs, for every key type, padding, digest and
# both detached and attached forms; and vbsig's report names the signer.
source "$(dirname "$0")/lib.sh"
doc="$PKI/documents/cong-van.txt"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"

sign_and_check() { # label key-args... -- extra-args...
  local label=$1; shift
  local detached=$1; shift
  local sig="$WORK/$label.p7s"
  local args=(sign "$pdf" -o "$sig" --format cades --trust "$PKI/root/root.pem" "$@")
  [ "$detached" = 1 ] && args+=(--detached)
  run "$VBSIG" "${args[@]}"
  expect_rc 0 "$label: vbsig sign"
  expect_file "$sig" "$label"
  if [ "$detached" = 1 ]; then
    run openssl cms -verify -binary -inform DER -in "$sig" -content "$pdf" \
        -CAfile "$PKI/root/root.pem" -purpose any -out /dev/null
  else
    run openssl cms -verify -binary -inform DER -in "$sig" -CAfile "$PKI/root/root.pem" \
        -purpose any -out "$WORK/$label.content"
    cmp -s "$WORK/$label.content" "$pdf" && pass || fail "$label: attached content differs"
  fi
  expect_rc 0 "$label: openssl cms -verify"
  local vargs=(verify "$sig" --trust "$PKI/root/root.pem" --json)
  [ "$detached" = 1 ] && vargs+=(--data "$pdf")
  run "$VBSIG" "${vargs[@]}"
  expect_rc 0 "$label: vbsig verify"
  expect_in '"level": "B-B"' "$out" "$label: level"
}

p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
sign_and_check rsa2048-detached 1 "${p12[@]}"
sign_and_check rsa2048-attached 0 "${p12[@]}"
sign_and_check rsa2048-pss 1 "${p12[@]}" --rsa-padding pss
sign_and_check rsa2048-sha512 1 "${p12[@]}" --digest sha512
sign_and_check rsa2048-sha3 1 "${p12[@]}" --digest sha3-256
sign_and_check rsa3072-keyfile 1 --key "$PKI/signers/rsa3072.key" --cert "$PKI/signers/rsa3072.pem" --chain "$PKI/chain.pem"
sign_and_check ecp256 1 --key "$PKI/signers/ecp256.key" --cert "$PKI/signers/ecp256.pem" --chain "$PKI/chain.pem"
sign_and_check ecp384-sha384 0 --key "$PKI/signers/ecp384.p12" --pass pass:vbsig-test --digest sha384

# The organisation's tax code and the person's ID number come out as fields.
run "$VBSIG" verify "$WORK/rsa3072-keyfile.p7s" --data "$pdf" --trust "$PKI/root/root.pem" --json
expect_in '"tax_code": "4400123456"' "$out" "tax code from UID=MST:"
run "$VBSIG" verify "$WORK/ecp256.p7s" --data "$pdf" --trust "$PKI/root/root.pem" --json
expect_in '"id_number": "080185004321"' "$out" "ID number from UID=CCCD:"
expect_in '"title": "Chánh Văn phòng"' "$out" "title from T="
expect_in '"key": "ECDSA-P256"' "$out" "key description"

# A signature made by vbsig over other data fails exactly on the digest.
run "$VBSIG" verify "$WORK/rsa2048-detached.p7s" --data "$doc" --trust "$PKI/root/root.pem" --json
expect_rc 1 "wrong data"
expect_in '"subindication": "HASH_FAILURE"' "$out" "wrong data is a hash failure"

# A flipped byte in the signature value (the last bytes of the SignerInfo).
cp "$WORK/rsa2048-detached.p7s" "$WORK/flipped.p7s"
# XOR, not overwrite: an overwrite leaves the file unchanged when the byte
# already holds the value written.
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-5] ^= 0x01; open(p, "wb").write(b)' \
  "$WORK/flipped.p7s"
cmp -s "$WORK/flipped.p7s" "$WORK/rsa2048-detached.p7s" && fail "the flip changed nothing" || pass
run "$VBSIG" verify "$WORK/flipped.p7s" --data "$pdf" --trust "$PKI/root/root.pem" --json
expect_rc 1 "flipped signature byte"
expect_in '"subindication": "SIG_CRYPTO_FAILURE"' "$out" "flipped byte is a crypto failure"

# PEM-armoured signatures read as well as DER.
openssl cms -cmsout -inform DER -in "$WORK/rsa2048-detached.p7s" -outform PEM -out "$WORK/armoured.pem"
run "$VBSIG" verify "$WORK/armoured.pem" --data "$pdf" --trust "$PKI/root/root.pem"
expect_rc 0 "PEM signature"
finish
