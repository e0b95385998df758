#!/usr/bin/env bash
# `vbsig verify SIG --data FILE` on an attached CMS signature (issue 12): the
# signature carries its content, so FILE must be those very bytes. The same
# bytes verify as without --data; other bytes are TOTAL-FAILED /
# HASH_FAILURE, saying the file is not the signed content. Signatures made
# by openssl (gen-pki.sh) and by vbsig. Oracle: `openssl cms -verify`.
source "$(dirname "$0")/lib.sh"
root="$PKI/root/root.pem"
doc="$PKI/documents/cong-van.txt"
other="$PKI/samples/cong-van-tampered.txt"
run "$VBSIG" sign "$doc" -o "$WORK/vb.p7m" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --format cades
expect_rc 0 "vbsig: sign attached CAdES"
for sig in "$PKI/samples/openssl-cades-attached.p7m" "$WORK/vb.p7m"; do
  b=$(basename "$sig")
  run openssl cms -verify -binary -inform DER -in "$sig" -CAfile "$root" -out "$WORK/content"
  expect_rc 0 "$b: openssl cms -verify"
  cmp -s "$WORK/content" "$doc" && pass || fail "$b: the content is the letter"
  run "$VBSIG" verify "$sig" --trust "$root" --json
  expect_rc 0 "$b: verify without --data"
  run "$VBSIG" verify "$sig" --trust "$root" --json --data "$doc"
  expect_rc 0 "$b: verify --data with the signed bytes"
  [ "$(json_get "$out" "d['status']")" = TOTAL-PASSED ] && pass || fail "$b: same bytes: $out"
  run "$VBSIG" verify "$sig" --trust "$root" --json --data "$other"
  expect_rc 1 "$b: verify --data with other bytes"
  [ "$(json_get "$out" "d['status'] + ' ' + d['signatures'][0]['subindication']")" = "TOTAL-FAILED HASH_FAILURE" ] &&
    pass || fail "$b: other bytes: $out"
  expect_in "the given file is not the signed content" "$out" "$b: other bytes: the report says why"
  run "$VBSIG" verify "$sig" --trust "$root" --lang vi --data "$other"
  expect_rc 1 "$b: other bytes (vi)"
  expect_in "không phải nội dung đã ký" "$out$err" "$b: other bytes: the reason in Vietnamese"
done
finish
