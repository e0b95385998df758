#!/usr/bin/env bash
# Batch signing with one signer; --at and --revocation change the verdict
# the way the contract says.
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/in" "$WORK/out"
for i in 1 2 3; do printf 'Văn bản số %d/UBND\n' "$i" >"$WORK/in/vb$i.txt"; done
run "$VBSIG" sign "$WORK/in/vb1.txt" "$WORK/in/vb2.txt" "$WORK/in/vb3.txt" --out-dir "$WORK/out" \
    --format cades --detached --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test
expect_rc 0 "batch of three"
for i in 1 2 3; do
  expect_file "$WORK/out/vb$i.txt.p7s" "batch output $i"
  run "$VBSIG" verify "$WORK/out/vb$i.txt.p7s" --data "$WORK/in/vb$i.txt" --trust "$PKI/root/root.pem"
  expect_rc 0 "batch output $i verifies"
done
mkdir -p "$WORK/out2"
run "$VBSIG" sign "$WORK/in/vb1.txt" "$WORK/in/missing.txt" "$WORK/in/vb3.txt" --out-dir "$WORK/out2" \
    --format cades --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test
expect_rc 66 "batch with a missing input"
expect_in "1 of 3 files were not signed" "$err" "batch summary"
expect_file "$WORK/out2/vb1.txt.p7m" "batch keeps going: first"
expect_file "$WORK/out2/vb3.txt.p7m" "batch keeps going: last"
expect_no_file "$WORK/out2/missing.txt.p7m" "nothing for the failed input"

sig="$WORK/out/vb1.txt.p7s"
data="$WORK/in/vb1.txt"
# Validation at a time before the signer certificate existed.
run "$VBSIG" verify "$sig" --data "$data" --trust "$PKI/root/root.pem" --at 2001-01-01T00:00:00Z --json
expect_rc 2 "--at before the certificate"
expect_in '"subindication": "NOT_YET_VALID"' "$out" "--at sub-indication"
expect_in '"validation_time": "2001-01-01T07:00:00+07:00"' "$out" "validation time shown in Vietnam time"
run "$VBSIG" verify "$sig" --data "$data" --trust "$PKI/root/root.pem" --at 2001-01-01T00:00:00Z --json --utc
expect_in '"validation_time": "2001-01-01T00:00:00Z"' "$out" "--utc"

# A certificate that names CRL/OCSP sources: hard → INDETERMINATE, soft → warning, off → says so.
run "$VBSIG" sign "$data" -o "$WORK/withrev.p7s" --format cades --detached --key "$PKI/signers/withrev.p12" --pass pass:vbsig-test
expect_rc 0 "sign with withrev"
run "$VBSIG" verify "$WORK/withrev.p7s" --data "$data" --trust "$PKI/root/root.pem" --json
expect_rc 2 "revocation hard"
expect_in '"status": "unavailable"' "$out" "revocation unavailable"
run "$VBSIG" verify "$WORK/withrev.p7s" --data "$data" --trust "$PKI/root/root.pem" --revocation soft
expect_rc 0 "revocation soft"
run "$VBSIG" verify "$WORK/withrev.p7s" --data "$data" --trust "$PKI/root/root.pem" --revocation off --json
expect_rc 0 "revocation off"
expect_in "revocation was not checked" "$out" "revocation off is reported"
# Trust given as a directory.
run "$VBSIG" verify "$sig" --data "$data" --trust "$PKI/trust"
expect_rc 0 "trust directory"
run "$VBSIG" verify "$sig" --data "$data"
expect_rc 2 "no trust anchors"
expect_in "no trust anchors were given" "$out" "no-anchor note"
finish
