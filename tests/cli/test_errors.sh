#!/usr/bin/env bash
# Every failure has its contract exit code, one clear line on stderr, and
# leaves no output file behind (an existing one stays untouched).
source "$(dirname "$0")/lib.sh"
doc="$PKI/documents/cong-van.txt"
outfile="$WORK/out.p7s"

run "$VBSIG" sign "$doc" -o "$outfile" --key "$PKI/signers/rsa2048.p12" --pass pass:wrong
expect_rc 77 "wrong PKCS#12 password"
expect_in "wrong password" "$err" "wrong password message"
expect_no_file "$outfile" "wrong password"

openssl pkey -in "$PKI/signers/rsa2048.key" -aes256 -passout pass:right -out "$WORK/enc.key" 2>/dev/null
run "$VBSIG" sign "$doc" -o "$outfile" --key "$WORK/enc.key" --cert "$PKI/signers/rsa2048.pem" --pass pass:wrong
expect_rc 77 "wrong key-file password"
run "$VBSIG" sign "$doc" -o "$outfile" --key "$WORK/enc.key" --cert "$PKI/signers/rsa2048.pem" --pass env:KEYPASS
expect_rc 64 "unset env: password source"
KEYPASS=right run "$VBSIG" sign "$doc" -o "$outfile" --format cades --key "$WORK/enc.key" --cert "$PKI/signers/rsa2048.pem" --pass env:KEYPASS
expect_rc 0 "env: password source"
printf 'right\n' >"$WORK/pass.txt"
run "$VBSIG" sign "$doc" -o "$WORK/out2.p7s" --key "$WORK/enc.key" --cert "$PKI/signers/rsa2048.pem" --pass "file:$WORK/pass.txt"
expect_rc 0 "file: password source"
run "$VBSIG" sign "$doc" -o "$WORK/out3.p7s" --key "$WORK/enc.key" --cert "$PKI/signers/rsa2048.pem" --pass fd:3 3<"$WORK/pass.txt"
expect_rc 0 "fd: password source"

# The signer's certificate must be usable: refuse, exit 77, write nothing.
before=$(sha256sum "$outfile")
for bad in expired notyet wrongku rsa1024; do
  run "$VBSIG" sign "$doc" -o "$outfile" --key "$PKI/signers/$bad.p12" --pass pass:vbsig-test
  expect_rc 77 "signing with the $bad certificate"
done
[ "$(sha256sum "$outfile")" = "$before" ] && pass || fail "an existing output was changed by a refused signing"
run "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --key "$PKI/signers/rsa2048.key" --cert "$PKI/signers/ecp256.pem"
expect_rc 77 "key does not match the certificate"
run "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --key "$PKI/signers/unknownroot.p12" --pass pass:vbsig-test --trust "$PKI/root/root.pem"
expect_rc 77 "--trust refuses a signer outside the trust anchors"
expect_in "NO_CERTIFICATE_CHAIN_FOUND" "$err" "the reason is named"
expect_no_file "$WORK/x.p7s" "refused signer"

# Inputs and outputs.
run "$VBSIG" sign "$WORK/missing.txt" -o "$WORK/x.p7s" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --format cades
expect_rc 66 "missing input"
run "$VBSIG" sign "$doc" -o "$WORK/no/such/dir/x.p7s" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test
expect_rc 74 "unwritable output"
run "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --key "$WORK/missing.key" --cert "$PKI/signers/rsa2048.pem"
expect_rc 66 "missing key file"
run "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --key "$PKI/signers/rsa2048.pem" --cert "$PKI/signers/rsa2048.pem"
expect_rc 65 "a certificate given as the key"
run "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --key "pkcs11:token=demo;object=signer" --pin pass:1234
expect_rc 69 "PKCS#11 URI without the bridge"
ls "$WORK" | grep -q '\.tmp-' && fail "temporary files left behind" || pass

# Usage errors.
run "$VBSIG" sign "$doc"
expect_rc 64 "no --key"
run "$VBSIG" sign "$doc" -o a --out-dir b --key k
expect_rc 64 "both -o and --out-dir"
run "$VBSIG" sign "$doc" -o "$WORK/x" --key k --digest sha1
expect_rc 64 "SHA-1 refused for new signatures"
run "$VBSIG" sign "$doc" -o "$WORK/x" --key k --bogus
expect_rc 64 "unknown option"
expect_in "vbsig: sign:" "$err" "one-line error format"
run "$VBSIG" verify
expect_rc 64 "verify without a file"
run "$VBSIG" verify "$doc" --at yesterday
expect_rc 64 "bad --at"
run "$VBSIG" frobnicate
expect_rc 64 "unknown command"
run "$VBSIG" --version
expect_rc 0 "--version"
expect_in "vbsig 0." "$out" "version text"
for c in sign verify; do
  run "$VBSIG" "$c" --help
  expect_rc 0 "$c --help"
  expect_in "Usage: vbsig $c" "$out" "$c help text"
done

# A PDF with --format auto is signed as a PDF (PAdES), not mis-signed as CMS;
# one whose structure had to be repaired is refused plainly (exit 65).
run "$VBSIG" sign "$PKI/documents/lo-directive-vinhlong.pdf" -o "$WORK/x.pdf" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test
expect_rc 0 "PDF with --format auto"
grep -aq "/SubFilter /ETSI.CAdES.detached" "$WORK/x.pdf" && pass || fail "PDF with --format auto: not a PAdES signature"
run "$VBSIG" sign "$SRC/test-vectors/corpus/pdf/malformed/xref-offsets-shifted-phuyen.pdf" -o "$WORK/y.pdf" \
  --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test
expect_rc 65 "PDF that needs repairing"
expect_no_file "$WORK/y.pdf" "PDF refusal"

# Malformed and hostile signatures: exit 65, never a crash.
head -c 100000 /dev/urandom >"$WORK/random.bin"
printf '\x30\x84\x7f\xff\xff\xff\x02\x01\x00' >"$WORK/huge-length.der"
python3 -c "import sys; sys.stdout.buffer.write(b'\x30\x80'*5000)" >"$WORK/deep.ber"
: >"$WORK/empty.p7s"
for f in random.bin huge-length.der deep.ber empty.p7s; do
  run "$VBSIG" verify "$WORK/$f" --data "$doc"
  expect_rc 65 "malformed signature $f"
done
# A CMS with no SignerInfo at all is a document without signatures: exit 1.
openssl crl2pkcs7 -nocrl -certfile "$PKI/signers/rsa2048.pem" -outform DER -out "$WORK/certs-only.p7b"
run "$VBSIG" verify "$WORK/certs-only.p7b" --trust "$PKI/root/root.pem" --json
expect_rc 1 "no signature"
expect_in '"status": "TOTAL-FAILED"' "$out" "no signature status"

# A detached signature without its data is INDETERMINATE / SIGNED_DATA_NOT_FOUND.
run "$VBSIG" verify "$PKI/samples/openssl-cades-detached.p7s" --trust "$PKI/root/root.pem" --json
expect_rc 2 "detached without --data"
expect_in '"subindication": "SIGNED_DATA_NOT_FOUND"' "$out" "missing data sub-indication"

# OpenSSL's error texts are not loaded at start (cli/src/main.c) but when a
# message first quotes one: a truncated PEM certificate still gets OpenSSL's
# reason, not a bare code.
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$WORK/short-cert.pem"
run "$VBSIG" verify "$PKI/samples/openssl-cades-detached.p7s" --trust "$WORK/short-cert.pem"
expect_rc 65 "a truncated trust anchor"
expect_in "short-cert.pem: not a readable PEM certificate" "$err" "the file is named"
expect_in "header too long" "$err" "OpenSSL's reason is quoted as text"
case "$err" in *"reason("*) fail "OpenSSL's reason came as a bare code: $err" ;; *) pass ;; esac
finish
