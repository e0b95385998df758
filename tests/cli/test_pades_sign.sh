#!/usr/bin/env bash
# vbsig sign on PDFs (PAdES): every corpus PDF signed twice (RSA, then
# ECDSA) and judged by outside oracles: the input is a byte prefix of the
# output, qpdf --check accepts the structure, poppler's pdfsig finds every
# signature valid and trusted (NSS database of the test PKI), and
# openssl cms -verify accepts each /Contents over its byte ranges. Then the
# document's own rules (certification, encryption, repair), batch mode,
# B-T with a real RFC 3161 TSA on loopback, and a SoftHSM2 token.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
trap 'tsa_cleanup; stop_shims' EXIT
corpus="$SRC/test-vectors/corpus/pdf"
parts="$SRC/tests/cli/pdf_sig_parts.py"
rsa=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
ec=(--key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test)
cat "$PKI/root/root.pem" "$PKI/chain.pem" >"$WORK/ca.pem"

# sigs_ok FILE N DESCRIPTION: N signatures, all valid and trusted for pdfsig
# and openssl; the newest covers the whole file.
sigs_ok() {
  local f=$1 n=$2 what=$3 i
  pdfsig -nssdir "$PKI/nssdb" "$f" >"$WORK/.pdfsig" 2>&1
  local valid trusted
  valid=$(grep -c "Signature Validation: Signature is Valid." "$WORK/.pdfsig")
  trusted=$(grep -c "Certificate Validation: Certificate is Trusted." "$WORK/.pdfsig")
  [ "$valid" = "$n" ] && pass || fail "$what: pdfsig finds $valid of $n signatures valid: $(cat "$WORK/.pdfsig")"
  [ "$trusted" = "$n" ] && pass || fail "$what: pdfsig trusts $trusted of $n certificates: $(cat "$WORK/.pdfsig")"
  for ((i = 0; i < n; i++)); do
    python3 "$parts" "$f" "$i" "$WORK/.cms" "$WORK/.content" >"$WORK/.range" 2>&1 || { fail "$what: signature $i: $(cat "$WORK/.range")"; return; }
    openssl cms -verify -binary -inform DER -in "$WORK/.cms" -content "$WORK/.content" -CAfile "$WORK/ca.pem" \
      -purpose any -out /dev/null 2>"$WORK/.ossl" && pass || fail "$what: openssl rejects signature $i: $(cat "$WORK/.ossl")"
  done
  # the newest signature ends at the end of the file
  read -r _ _ b c len <"$WORK/.range"
  [ $((b + c)) = "$len" ] && pass || fail "$what: the last /ByteRange does not reach the end ($b + $c != $len)"
}

structure_ok() { # structure_ok IN OUT DESCRIPTION
  cmp -s -n "$(stat -c %s "$1")" "$1" "$2" && pass || fail "$3: the input is not a prefix of the output"
  qpdf --check "$2" >"$WORK/.qpdf" 2>&1
  local q=$?
  [ $q -eq 0 ] || [ $q -eq 3 ] && pass || fail "$3: qpdf --check exit $q: $(tail -5 "$WORK/.qpdf")"
}

# vbsig verify (PDF): both signatures pass, the first covers revision N-1 of N.
verify_ok() { # verify_ok FILE DESCRIPTION
  run "$VBSIG" verify "$1" --trust "$PKI/root/root.pem" --json --revocation off
  expect_rc 0 "$2: vbsig verify"
  [ "$(json_get "$out" "[s['status'] for s in d['signatures']]")" = "['TOTAL-PASSED', 'TOTAL-PASSED']" ] && pass ||
    fail "$2: vbsig verify statuses: $out"
  [ "$(json_get "$out" "(d['signatures'][0]['coverage']['whole_document'], d['signatures'][1]['coverage']['whole_document'], d['signatures'][0]['coverage']['revisions_after'])")" = "(False, True, 1)" ] && pass ||
    fail "$2: vbsig verify coverage: $out"
}

# 1. The corpus, twice each.
for src in "$corpus"/*.pdf; do
  name=$(basename "$src" .pdf)
  case $name in *encrypted*) continue ;; esac
  run "$VBSIG" sign "$src" -o "$WORK/$name.1.pdf" "${rsa[@]}" --reason "Phê duyệt văn bản" --location "Thành phố Vĩnh Long" \
    --contact "vanthu@vinhlong.gov.vn"
  expect_rc 0 "$name: first signature"
  structure_ok "$src" "$WORK/$name.1.pdf" "$name (1)"
  run "$VBSIG" sign "$WORK/$name.1.pdf" -o "$WORK/$name.2.pdf" "${ec[@]}" --digest sha384
  expect_rc 0 "$name: second signature"
  structure_ok "$WORK/$name.1.pdf" "$WORK/$name.2.pdf" "$name (2)"
  before=$(pdfsig -nssdir "$PKI/nssdb" "$src" 2>/dev/null | grep -c "Signature Validation:")
  sigs_ok "$WORK/$name.2.pdf" $((before + 2)) "$name"
  [ "$before" = 0 ] && verify_ok "$WORK/$name.2.pdf" "$name"
done

# The CMS has no signing-time (the time is in /M) and a signing-certificate-v2.
python3 "$parts" "$WORK/lo-txt-phuyen.1.pdf" 0 "$WORK/one.cms" "$WORK/one.content" >/dev/null
openssl cms -cmsout -print -inform DER -in "$WORK/one.cms" >"$WORK/one.txt"
grep -q "signingTime" "$WORK/one.txt" && fail "a PAdES CMS must not carry signing-time" || pass
grep -q "id-smime-aa-signingCertificateV2" "$WORK/one.txt" && pass || fail "no signing-certificate-v2 attribute"
grep -aq "/M (D:20[0-9]\{12\}+07'00')" "$WORK/lo-txt-phuyen.1.pdf" && pass || fail "no /M in Vietnam time"
grep -aq "/SubFilter /ETSI.CAdES.detached" "$WORK/lo-txt-phuyen.1.pdf" && pass || fail "SubFilter"

# 2. Certification: P=1 forbids a second signature (exit 65, no output);
#    P=2 allows it; certification of a signed document is refused.
doc="$corpus/lo-directive-vinhlong.pdf"
run "$VBSIG" sign "$doc" -o "$WORK/p1.pdf" "${rsa[@]}" --certify 1
expect_rc 0 "certify 1"
grep -aq "/TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2" "$WORK/p1.pdf" && pass || fail "DocMDP P=1 reference"
grep -aq "/Perms << /DocMDP" "$WORK/p1.pdf" && pass || fail "catalog /Perms /DocMDP"
sigs_ok "$WORK/p1.pdf" 1 "certified P=1"
run "$VBSIG" sign "$WORK/p1.pdf" -o "$WORK/p1-again.pdf" "${ec[@]}"
expect_rc 64 "signing a P=1 certified document (a refusal: usage)"
expect_in "DocMDP P=1" "$err" "the refusal names the certification"
expect_no_file "$WORK/p1-again.pdf" "no output after the refusal"
run "$VBSIG" sign "$doc" -o "$WORK/p2.pdf" "${rsa[@]}" --certify 2
expect_rc 0 "certify 2"
run "$VBSIG" sign "$WORK/p2.pdf" -o "$WORK/p2-again.pdf" "${ec[@]}"
expect_rc 0 "signing a P=2 certified document"
sigs_ok "$WORK/p2-again.pdf" 2 "P=2 then approval"
verify_ok "$WORK/p2-again.pdf" "P=2 then approval"
run "$VBSIG" sign "$WORK/p2-again.pdf" -o "$WORK/p3.pdf" "${rsa[@]}" --certify 3
expect_rc 64 "certifying a signed document (a refusal: usage)"
expect_no_file "$WORK/p3.pdf" "no output after refusing certification"

# 3. Files we must not sign: encrypted, needing repair, not a PDF at all.
run "$VBSIG" sign "$corpus/qpdf-encrypted-aes256-vinhlong.pdf" -o "$WORK/enc.pdf" "${rsa[@]}"
expect_rc 65 "encrypted PDF"
expect_in "encrypted PDFs cannot be signed yet" "$err" "encrypted: the reason"
expect_no_file "$WORK/enc.pdf" "encrypted: no output"
for bad in "$corpus"/malformed/*.pdf; do
  b=$(basename "$bad" .pdf)
  [ "$b" = length-1gb-phuyen ] && continue # only malformed for a verifier's size limits
  run "$VBSIG" sign "$bad" -o "$WORK/bad-$b.pdf" "${rsa[@]}" --format pades
  expect_rc 65 "malformed $b"
  expect_no_file "$WORK/bad-$b.pdf" "malformed $b: no output"
done
run "$VBSIG" sign "$doc" -o "$doc" "${rsa[@]}"
expect_rc 64 "the input as its own output"

# 4. Options.
run "$VBSIG" sign "$doc" -o "$WORK/x.pdf" "${rsa[@]}" --certify 4
expect_rc 64 "--certify 4"
run "$VBSIG" sign "$PKI/documents/cong-van.txt" -o "$WORK/x.p7s" "${rsa[@]}" --reason "x" --detached
expect_rc 64 "--reason on a text file"
run "$VBSIG" sign "$doc" -o "$WORK/x.pdf" "${rsa[@]}" --detached
expect_rc 64 "--detached on a PDF"
run "$VBSIG" sign "$doc" -o "$WORK/field.pdf" "${rsa[@]}" --field "Lãnh đạo ký" --signer-name "Nguyễn Văn An"
expect_rc 0 "--field and --signer-name"
pdfsig -nssdir "$PKI/nssdb" "$WORK/field.pdf" | grep -q "Signature Field Name: Lãnh đạo ký" && pass || fail "the field name as pdfsig reads it"

# 5. Batch: one signer, several PDFs, the names kept in --out-dir.
mkdir -p "$WORK/batch"
run "$VBSIG" sign "$corpus/cairo-longan.pdf" "$corpus/qpdf-objstm-longan.pdf" "$PKI/documents/cong-van.txt" \
  --out-dir "$WORK/batch" "${rsa[@]}"
expect_rc 0 "batch of two PDFs and a text file"
sigs_ok "$WORK/batch/cairo-longan.pdf" 1 "batch cairo"
sigs_ok "$WORK/batch/qpdf-objstm-longan.pdf" 1 "batch qpdf"
expect_file "$WORK/batch/cong-van.txt.p7m" "batch: the text file got a CAdES signature"

# 6. B-T: a signature timestamp from our vbsig-tsa on 127.0.0.1, then from
#    OpenSSL's TSA (behind tests/tsa-shim), which also counts the requests.
if tsa_start pades --allow-unsynced-clock; then
  run "$VBSIG" sign "$doc" -o "$WORK/bt-vbsig-tsa.pdf" "${ec[@]}" --level B-T --tsa "$TSA_URL/" --reason "Ký số có dấu thời gian"
  expect_rc 0 "B-T with vbsig-tsa"
  sigs_ok "$WORK/bt-vbsig-tsa.pdf" 1 "B-T with vbsig-tsa"
  python3 "$parts" "$WORK/bt-vbsig-tsa.pdf" 0 "$WORK/btv.cms" "$WORK/btv.content" >/dev/null
  openssl cms -cmsout -print -inform DER -in "$WORK/btv.cms" | grep -q "id-smime-aa-timeStampToken" && pass ||
    fail "B-T with vbsig-tsa: no signature timestamp in the CMS"
  run "$VBSIG" verify "$WORK/bt-vbsig-tsa.pdf" --trust "$PKI/root/root.pem" --json --revocation off
  expect_rc 0 "B-T with vbsig-tsa: vbsig verify"
  [ "$(json_get "$out" "d['signatures'][0]['level']")" = "B-T" ] && pass || fail "B-T with vbsig-tsa: level reported: $out"
else
  fail "vbsig-tsa did not start"
fi
start_shim main
run "$VBSIG" sign "$doc" -o "$WORK/bt.pdf" "${rsa[@]}" --level B-T --tsa "$SHIM_URL"
expect_rc 0 "B-T"
sigs_ok "$WORK/bt.pdf" 1 "B-T"
python3 "$parts" "$WORK/bt.pdf" 0 "$WORK/bt.cms" "$WORK/bt.content" >/dev/null
openssl cms -cmsout -print -inform DER -in "$WORK/bt.cms" | grep -q "id-smime-aa-timeStampToken" && pass ||
  fail "B-T: no signature timestamp in the CMS"
[ "$(requests "$SHIM_LOG")" = "1" ] && pass || fail "B-T: one TSA request, got $(requests "$SHIM_LOG")"
run "$VBSIG" verify "$WORK/bt.pdf" --trust "$PKI/root/root.pem" --json --revocation off
expect_rc 0 "B-T: vbsig verify"
[ "$(json_get "$out" "d['signatures'][0]['level']")" = "B-T" ] && pass || fail "B-T: level reported: $out"
run "$VBSIG" sign "$doc" -o "$WORK/bt-down.pdf" "${rsa[@]}" --level B-T --tsa "$(closed_url)" --tsa-retries 0
expect_rc 69 "B-T with the TSA down"
expect_no_file "$WORK/bt-down.pdf" "B-T with the TSA down: no output"

# 7. A key on a SoftHSM2 token.
if bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" >"$WORK/hsm.log" 2>&1; then
  export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
  module=$(cat "$WORK/hsm/module.txt")
  export TOKEN_PIN=1234
  for key in rsa2048 ecp256; do
    run "$VBSIG" sign "$doc" -o "$WORK/token-$key.pdf" --key "pkcs11:token=vbsig-test;object=$key;type=private" \
      --module "$module" --pin env:TOKEN_PIN --chain "$PKI/chain.pem" --reason "Ký bằng token"
    expect_rc 0 "token $key"
    sigs_ok "$WORK/token-$key.pdf" 1 "token $key"
  done
else
  fail "make-softhsm.sh: $(tail -3 "$WORK/hsm.log")"
fi

finish
