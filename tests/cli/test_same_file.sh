#!/usr/bin/env bash
# An output that is the input — the same spelling, ./name, a hard link or a
# symbolic link — is refused for every command that writes and every
# format: exit 64, one line on stderr, nothing written, the input untouched.
source "$(dirname "$0")/lib.sh"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
tsa=http://127.0.0.1:9/ # never reached: the refusal comes first

cp "$PKI/documents/cong-van.txt" "$WORK/d.txt"
cp "$PKI/documents/edxml-chithi-05-phuyen.xml" "$WORK/d.xml"
cp "$PKI/documents/lo-directive-vinhlong.pdf" "$WORK/d.pdf"

# refused NAME FILE CMD...: exit 64, one stderr line naming the refusal,
# FILE byte for byte as before, no temporary file left in $WORK.
refused() {
  local name=$1 file=$2
  shift 2
  local before
  before=$(sha256sum <"$file")
  run "$@"
  expect_rc 64 "$name"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass || fail "$name: not one stderr line: $err"
  expect_in "choose another" "$err" "$name: the reason is given"
  [ "$(sha256sum <"$file")" = "$before" ] && pass || fail "$name: the input was changed"
  ls -a "$WORK" | grep -qE '\.(tmp|bt)-' && fail "$name: a temporary file was left: $(ls -a "$WORK")" || pass
}

# sign, every format, the same name.
refused "sign cades" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" --format cades "${p12[@]}"
refused "sign cades --detached" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" --detached "${p12[@]}"
refused "sign auto (a text file: CAdES)" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" "${p12[@]}"
refused "sign xades enveloped" "$WORK/d.xml" "$VBSIG" sign "$WORK/d.xml" -o "$WORK/d.xml" "${p12[@]}"
refused "sign xmldsig" "$WORK/d.xml" "$VBSIG" sign "$WORK/d.xml" -o "$WORK/d.xml" --format xmldsig "${p12[@]}"
refused "sign xades enveloping" "$WORK/d.xml" "$VBSIG" sign "$WORK/d.xml" -o "$WORK/d.xml" --format xades --xml-mode enveloping "${p12[@]}"
refused "sign xades detached" "$WORK/d.xml" "$VBSIG" sign "$WORK/d.xml" -o "$WORK/d.xml" --format xades --xml-mode detached "${p12[@]}"
refused "sign xades of a text file" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" --format xades --xml-mode detached "${p12[@]}"
refused "sign pades" "$WORK/d.pdf" "$VBSIG" sign "$WORK/d.pdf" -o "$WORK/d.pdf" "${p12[@]}"
refused "sign cades of a PDF" "$WORK/d.pdf" "$VBSIG" sign "$WORK/d.pdf" -o "$WORK/d.pdf" --format cades "${p12[@]}"
refused "sign --level B-T" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" --level B-T --tsa "$tsa" "${p12[@]}"
refused "sign --level B-LT" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" --level B-LT --tsa "$tsa" --trust "$root" "${p12[@]}"
refused "sign pades --level B-LTA" "$WORK/d.pdf" "$VBSIG" sign "$WORK/d.pdf" -o "$WORK/d.pdf" --level B-LTA --tsa "$tsa" --trust "$root" "${p12[@]}"

# Other names for the same file.
ln "$WORK/d.txt" "$WORK/hard.txt"
ln -s d.txt "$WORK/sym.txt"
ln -s d.xml "$WORK/sym.xml"
refused "sign -o a hard link" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/hard.txt" "${p12[@]}"
refused "sign -o a symbolic link" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/sym.txt" --detached "${p12[@]}"
refused "sign a symbolic link -o its target" "$WORK/d.xml" "$VBSIG" sign "$WORK/sym.xml" -o "$WORK/d.xml" "${p12[@]}"
(cd "$WORK" && refused "sign d.txt -o ./d.txt" "$WORK/d.txt" "$VBSIG" sign d.txt -o ./d.txt "${p12[@]}"
  [ "$failures" -eq 0 ] ) || fail "sign d.txt -o ./d.txt (see above)"
refused "sign -o ../WORK/d.txt" "$WORK/d.txt" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/../$(basename "$WORK")/d.txt" "${p12[@]}"
refused "sign -o a hard link of a PDF" "$WORK/d.pdf" bash -c 'ln -f "$1" "$2" && shift 2 && exec "$@"' _ "$WORK/d.pdf" "$WORK/hard.pdf" \
  "$VBSIG" sign "$WORK/d.pdf" -o "$WORK/hard.pdf" "${p12[@]}"

# A batch into the inputs' own directory: PDFs and XML keep their names.
mkdir -p "$WORK/batch"
cp "$WORK/d.pdf" "$WORK/batch/a.pdf"
cp "$WORK/d.xml" "$WORK/batch/b.xml"
cp "$WORK/d.txt" "$WORK/batch/c.txt"
refused "batch --out-dir the PDFs' directory" "$WORK/batch/a.pdf" "$VBSIG" sign "$WORK/batch/c.txt" "$WORK/batch/a.pdf" --out-dir "$WORK/batch" "${p12[@]}"
expect_no_file "$WORK/batch/c.txt.p7m" "batch refused before anything is signed"
refused "batch --out-dir the XML's directory" "$WORK/batch/b.xml" "$VBSIG" sign "$WORK/batch/c.txt" "$WORK/batch/b.xml" --out-dir "$WORK/batch/." "${p12[@]}"
refused "batch --format pades, --out-dir through a symlink" "$WORK/batch/a.pdf" bash -c 'ln -sfn batch "$1" && shift && exec "$@"' _ "$WORK/batchlink" \
  "$VBSIG" sign "$WORK/batch/a.pdf" "$WORK/d.pdf" --format pades --out-dir "$WORK/batchlink" "${p12[@]}"
ls "$WORK/batch" | grep -qv -e '^a.pdf$' -e '^b.xml$' -e '^c.txt$' && fail "a refused batch wrote: $(ls "$WORK/batch")" || pass
# CAdES outputs take a suffix, so the inputs' directory is fine for them.
run "$VBSIG" sign "$WORK/batch/c.txt" "$WORK/d.txt" --format cades --out-dir "$WORK/batch" "${p12[@]}"
expect_rc 0 "CAdES batch into the inputs' directory (new names)"
expect_file "$WORK/batch/c.txt.p7m" "CAdES batch output"
# ... but not when an input is one of those names.
refused "batch whose output is another input" "$WORK/batch/c.txt.p7m" "$VBSIG" sign "$WORK/batch/c.txt" "$WORK/batch/c.txt.p7m" --format cades --out-dir "$WORK/batch" "${p12[@]}"

# Signed inputs for extend and timestamp.
run "$VBSIG" sign "$WORK/d.txt" -o "$WORK/s.p7s" --detached "${p12[@]}"
expect_rc 0 "sign a CAdES signature to extend"
run "$VBSIG" sign "$WORK/d.xml" -o "$WORK/s.xml" "${p12[@]}"
expect_rc 0 "sign an XAdES signature to extend"
run "$VBSIG" sign "$WORK/d.txt" -o "$WORK/det.xml" --format xades --xml-mode detached "${p12[@]}"
expect_rc 0 "sign a detached XAdES signature"
run "$VBSIG" sign "$WORK/d.pdf" -o "$WORK/s.pdf" "${p12[@]}"
expect_rc 0 "sign a PDF to extend"
ln -s s.p7s "$WORK/sym.p7s"

for f in s.p7s s.xml s.pdf; do
  refused "extend $f -o itself" "$WORK/$f" "$VBSIG" extend "$WORK/$f" -o "$WORK/$f" --level B-LT --trust "$root"
  refused "extend $f B-LTA -o itself" "$WORK/$f" "$VBSIG" extend "$WORK/$f" -o "$WORK/$f" --level B-LTA --tsa "$tsa" --trust "$root"
done
refused "extend -o a symbolic link to the input" "$WORK/s.p7s" "$VBSIG" extend "$WORK/s.p7s" -o "$WORK/sym.p7s" --level B-LT --trust "$root"
refused "extend a detached XAdES -o its --data" "$WORK/d.txt" "$VBSIG" extend "$WORK/det.xml" --data "$WORK/d.txt" -o "$WORK/hard.txt" --level B-LT --trust "$root"

for f in s.p7s s.pdf s.xml; do
  refused "timestamp $f -o itself" "$WORK/$f" "$VBSIG" timestamp "$WORK/$f" -o "$WORK/$f" --tsa "$tsa"
done
refused "timestamp -o a symbolic link to the input" "$WORK/s.p7s" "$VBSIG" timestamp "$WORK/sym.p7s" -o "$WORK/s.p7s" --tsa "$tsa"
(cd "$WORK" && refused "timestamp s.pdf -o ./s.pdf" "$WORK/s.pdf" "$VBSIG" timestamp s.pdf -o ./s.pdf --tsa "$tsa"
  [ "$failures" -eq 0 ] ) || fail "timestamp ./s.pdf (see above)"

# verify writes one file: the ETSI report.
refused "verify --report-etsi the input" "$WORK/s.xml" "$VBSIG" verify "$WORK/s.xml" --report-etsi "$WORK/s.xml" --trust "$root"
refused "verify --report-etsi the --data file" "$WORK/d.txt" "$VBSIG" verify "$WORK/s.p7s" --data "$WORK/d.txt" --report-etsi "$WORK/sym.txt" --trust "$root"

finish
