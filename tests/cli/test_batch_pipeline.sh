#!/usr/bin/env bash
# Batch signing of many CAdES files runs as a pipeline (cli/src/sign_batch.c):
# inputs read ahead and opened once, one signature at a time, outputs
# encoded and written behind. Every output must verify, failures anywhere in
# the pipeline must name their file, and nothing temporary may stay behind.
source "$(dirname "$0")/lib.sh"
KEY=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
cat "$PKI/root/root.pem" "$PKI/chain.pem" >"$WORK/ca.pem"
cms_ok() { # cms_ok SIG DATA : openssl accepts a detached signature over DATA
  openssl cms -verify -binary -inform DER -in "$1" -content "$2" -CAfile "$WORK/ca.pem" -purpose any -out /dev/null 2>/dev/null
}
no_temporaries() { # no_temporaries DIR description
  local n
  n=$(find "$1" -name '*.tmp-*' | wc -l)
  [ "$n" -eq 0 ] && pass || fail "$2: $n temporary files left"
}

mkdir -p "$WORK/in" "$WORK/out" "$WORK/att" "$WORK/mixed" "$WORK/forced"
for i in $(seq 1 24); do printf 'Công văn số %d/UBND-VP — nội dung %s\n' "$i" "$(head -c $((i * 37)) /dev/zero | tr '\0' x)" >"$WORK/in/cv$i.txt"; done

# 24 detached signatures, each verified by OpenSSL against its own input.
run "$VBSIG" sign "$WORK"/in/cv*.txt --out-dir "$WORK/out" --detached "${KEY[@]}"
expect_rc 0 "batch of 24"
bad=0
for i in $(seq 1 24); do cms_ok "$WORK/out/cv$i.txt.p7s" "$WORK/in/cv$i.txt" || bad=$((bad + 1)); done
[ "$bad" -eq 0 ] && pass || fail "$bad of 24 batch signatures do not verify"
# A signature does not verify over another file of the batch (no mix-up in the pipeline).
cms_ok "$WORK/out/cv7.txt.p7s" "$WORK/in/cv8.txt" && fail "cv7's signature verifies over cv8" || pass
no_temporaries "$WORK/out" "batch of 24"

# Attached (.p7m) and without re-verification: still correct.
run "$VBSIG" sign "$WORK"/in/cv1*.txt --out-dir "$WORK/att" --no-verify "${KEY[@]}"
expect_rc 0 "attached batch without re-verification"
for i in 1 10 15 19; do
  openssl cms -verify -binary -inform DER -in "$WORK/att/cv$i.txt.p7m" -CAfile "$WORK/ca.pem" -purpose any \
    -out "$WORK/att/cv$i.back" 2>/dev/null && cmp -s "$WORK/att/cv$i.back" "$WORK/in/cv$i.txt" && pass ||
    fail "attached signature of cv$i does not verify or does not carry the document"
done

# Mixed inputs: a missing file, a directory and an XML document among text
# files. The text files are signed, the XML as XML, the others named.
mkdir -p "$WORK/in/adir"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<HoSo><SoHieu>12/QĐ</SoHieu></HoSo>\n' >"$WORK/in/hoso.xml"
run "$VBSIG" sign "$WORK/in/cv1.txt" "$WORK/in/missing.txt" "$WORK/in/cv2.txt" "$WORK/in/adir" "$WORK/in/hoso.xml" \
  "$WORK/in/cv3.txt" --out-dir "$WORK/mixed" --detached "${KEY[@]}"
expect_rc 66 "mixed batch"
expect_in "cannot sign $WORK/in/missing.txt" "$err" "missing input named"
expect_in "cannot sign $WORK/in/adir" "$err" "directory input named"
expect_in "cannot sign $WORK/in/hoso.xml" "$err" "XML with --detached refused and named"
expect_in "3 of 6 files were not signed" "$err" "mixed batch summary"
for i in 1 2 3; do cms_ok "$WORK/mixed/cv$i.txt.p7s" "$WORK/in/cv$i.txt" && pass || fail "mixed batch: cv$i"; done
no_temporaries "$WORK/mixed" "mixed batch"

# --format cades signs what looks like XML as bytes.
run "$VBSIG" sign "$WORK/in/hoso.xml" "$WORK/in/cv4.txt" --out-dir "$WORK/forced" --format cades --detached "${KEY[@]}"
expect_rc 0 "--format cades batch"
cms_ok "$WORK/forced/hoso.xml.p7s" "$WORK/in/hoso.xml" && pass || fail "XML signed as CAdES bytes"

# A file that fails only when written (its name is taken by a directory):
# the failure comes from the writer thread, still names the file, and the
# others are written.
mkdir -p "$WORK/late/cv5.txt.p7s"
run "$VBSIG" sign "$WORK/in/cv4.txt" "$WORK/in/cv5.txt" "$WORK/in/cv6.txt" "$WORK/in/cv7.txt" --out-dir "$WORK/late" \
  --detached "${KEY[@]}"
expect_rc 74 "write failure in the pipeline"
expect_in "cannot sign $WORK/in/cv5.txt" "$err" "write failure names the input"
expect_in "1 of 4 files were not signed" "$err" "write failure counted"
for i in 4 6 7; do cms_ok "$WORK/late/cv$i.txt.p7s" "$WORK/in/cv$i.txt" && pass || fail "late failure batch: cv$i"; done
[ -d "$WORK/late/cv5.txt.p7s" ] && pass || fail "the directory in the way was replaced"
no_temporaries "$WORK/late" "write failure batch"
# PDFs in the pipeline (prepared ahead by the PAdES code, finished and
# written behind), mixed with text files; pdfsig accepts every output and
# the encrypted PDF of the corpus is refused by name.
mkdir -p "$WORK/pdf"
pdfs=()
for f in "$SRC"/test-vectors/corpus/pdf/*.pdf; do pdfs+=("$f"); done
run "$VBSIG" sign "${pdfs[@]}" "$WORK/in/cv9.txt" --out-dir "$WORK/pdf" "${KEY[@]}"
enc=$(ls "$SRC"/test-vectors/corpus/pdf/ | grep -c encrypted)
expect_rc 65 "PDF batch with an encrypted PDF"
expect_in "1 of $(( ${#pdfs[@]} + 1 )) files were not signed" "$err" "PDF batch summary"
expect_in "encrypted-aes256-vinhlong.pdf: encrypted PDFs cannot be signed" "$err" "encrypted PDF named"
signed=0 bad=0
for f in "$WORK"/pdf/*.pdf; do
  signed=$((signed + 1))
  pdfsig "$f" 2>&1 | grep -q "Signature is Valid" || { bad=$((bad + 1)); echo "pdfsig rejects $f" >&2; }
done
[ "$signed" -eq $(( ${#pdfs[@]} - enc )) ] && pass || fail "PDF batch: $signed signed PDFs"
[ "$bad" -eq 0 ] && pass || fail "pdfsig rejects $bad PDFs of the batch"
run "$VBSIG" verify "$WORK/pdf/lo-directive-vinhlong.pdf" --trust "$PKI/root/root.pem" --json
expect_rc 0 "vbsig verifies a PDF of the batch"
# PDF options reach the PDFs prepared ahead; a text file refuses them by name.
mkdir -p "$WORK/pdf2"
run "$VBSIG" sign "$SRC/test-vectors/corpus/pdf/cairo-longan.pdf" "$SRC/test-vectors/corpus/pdf/lo-directive-vinhlong.pdf" \
  "$SRC/test-vectors/corpus/pdf/chromium-phuyen.pdf" "$WORK/in/cv8.txt" --out-dir "$WORK/pdf2" --field "PheDuyet" "${KEY[@]}"
expect_rc 64 "PDF options with a text file in the batch"
expect_in "cannot sign $WORK/in/cv8.txt: --reason" "$err" "text file refuses PDF options"
for f in cairo-longan lo-directive-vinhlong chromium-phuyen; do
  expect_in "Signature Field Name: PheDuyet" "$(pdfsig "$WORK/pdf2/$f.pdf" 2>&1)" "field name in $f"
done
openssl cms -verify -binary -inform DER -in "$WORK/pdf/cv9.txt.p7m" -CAfile "$WORK/ca.pem" -purpose any -out /dev/null \
  2>/dev/null && pass || fail "text file among the PDFs"
no_temporaries "$WORK/pdf" "PDF batch"
finish
