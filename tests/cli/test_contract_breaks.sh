#!/usr/bin/env bash
# The smaller promises of the command's contract (issue 13): a verdict line
# on stderr for every non-zero verify, one-line usage errors, --out-dir
# made up front, unknown help topics and languages refused, the documented
# exit codes, empty and non-signature inputs named as such, vbsig-tsa
# --version and GET / → 405 with Allow: POST.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
doc="$PKI/documents/cong-van.txt"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
one_line() { [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [ -n "$err" ] && pass || fail "$1: not one stderr line: '$err'"; }

# verify ending in 1 or 2: "vbsig: <file>: <verdict>: <first reason>".
run "$VBSIG" sign "$doc" -o "$WORK/s.p7s" --detached "${p12[@]}"
expect_rc 0 "sign a detached CAdES signature"
printf 'changed\n' >"$WORK/other.txt"
run "$VBSIG" verify "$WORK/s.p7s" --data "$WORK/other.txt" --trust "$root"
expect_rc 1 "verify against other data"
one_line "verify TOTAL-FAILED"
expect_in "vbsig: $WORK/s.p7s: TOTAL-FAILED" "$err" "the verdict line names the file and the verdict"
expect_in "HASH_FAILURE" "$err" "the first reason is given"
run "$VBSIG" verify "$WORK/s.p7s" --data "$doc"
expect_rc 2 "verify without trust anchors"
one_line "verify INDETERMINATE"
expect_in "vbsig: $WORK/s.p7s: INDETERMINATE" "$err" "the INDETERMINATE line"
expect_in "NO_CERTIFICATE_CHAIN_FOUND" "$err" "its reason"
run "$VBSIG" verify "$pdf" --json
expect_rc 1 "a PDF without signatures"
expect_in "no signature" "$err" "the line says there is no signature"
run "$VBSIG" verify "$WORK/s.p7s" --data "$doc" --trust "$root"
expect_rc 0 "a passing verification"
[ -z "$err" ] && pass || fail "a passing verification prints nothing on stderr: $err"

# Usage errors: one line, for bad options and for bad UTF-8 arguments alike.
run "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --bogus "${p12[@]}"
expect_rc 64 "unknown option"
one_line "unknown option"
run "$VBSIG" verify
expect_rc 64 "verify without a file"
one_line "verify without a file"
run "$VBSIG" sign "$doc" -o "$WORK/x.xml" --format xades --xml-parent $'\xff\xfe' "${p12[@]}"
[ "$rc" -ne 0 ] && pass || fail "a non-UTF-8 --xml-parent is refused"
one_line "a non-UTF-8 --xml-parent"

# --out-dir that does not exist: made (its last component), or one error.
cp "$doc" "$WORK/a.txt"
cp "$doc" "$WORK/b.txt"
run "$VBSIG" sign "$WORK/a.txt" "$WORK/b.txt" --format cades --out-dir "$WORK/new" "${p12[@]}"
expect_rc 0 "batch into a missing directory"
expect_file "$WORK/new/a.txt.p7m" "first file in the new directory"
expect_file "$WORK/new/b.txt.p7m" "second file in the new directory"
run "$VBSIG" sign "$WORK/a.txt" "$WORK/b.txt" --format cades --out-dir "$WORK/no/such/dir" "${p12[@]}"
expect_rc 74 "batch into a directory whose parent is missing"
one_line "missing parent of --out-dir"
expect_no_file "$WORK/no" "nothing made for a failed --out-dir"

# help of an unknown command, an unsupported language.
run "$VBSIG" help foo
expect_rc 64 "vbsig help foo"
expect_in "foo" "$err" "the unknown topic is named"
run "$VBSIG" help sign
expect_rc 0 "vbsig help sign"
run "$VBSIG" --lang fr verify "$WORK/s.p7s"
expect_rc 64 "--lang fr"
expect_in "fr" "$err" "the language is named"
run "$VBSIG" verify "$WORK/s.p7s" --data "$doc" --trust "$root" --lang=de
expect_rc 64 "--lang=de after the command"

# Exit codes: refusals are usage (64), not malformed data (65).
run "$VBSIG" sign "$pdf" -o "$WORK/p1.pdf" "${p12[@]}" --certify 1
expect_rc 0 "certify P=1"
run "$VBSIG" sign "$WORK/p1.pdf" -o "$WORK/p1-again.pdf" "${p12[@]}"
expect_rc 64 "re-signing a P=1 certified PDF"
expect_in "DocMDP P=1" "$err" "the refusal names the certification"
expect_no_file "$WORK/p1-again.pdf" "nothing written for the refusal"
run "$VBSIG" verify "$WORK/p1.pdf" --data "$doc"
expect_rc 64 "--data on a PDF"
one_line "--data on a PDF"
run "$VBSIG" verify "$doc"
expect_rc 65 "verify a text file"
expect_in "not a PDF, XML or CMS signature" "$err" "the text file is named for what it is not"
case "$err" in *offset*|*DER*) fail "a DER offset for a text file: $err" ;; *) pass ;; esac
run "$VBSIG" timestamp "$doc" -o "$WORK/t.p7s" --tsa http://127.0.0.1:9/
expect_rc 65 "timestamp a text file"
expect_in "not a PDF, XML or CMS signature" "$err" "timestamp names it too"

# Empty input files.
: >"$WORK/empty.txt"
for f in cades auto; do
  run "$VBSIG" sign "$WORK/empty.txt" -o "$WORK/empty.p7s" --format "$f" "${p12[@]}"
  expect_rc 65 "sign an empty file (--format $f)"
  expect_in "empty file" "$err" "sign: empty file named ($f)"
  expect_no_file "$WORK/empty.p7s" "no signature of 0 bytes ($f)"
done
run "$VBSIG" verify "$WORK/empty.txt"
expect_rc 65 "verify an empty file"
expect_in "empty file" "$err" "verify: empty file named"
run "$VBSIG" extend "$WORK/empty.txt" -o "$WORK/e.p7s" --level B-LT --trust "$root"
expect_rc 65 "extend an empty file"

# --json with a file name that is not UTF-8: "file" present (U+FFFD), the
# exact bytes in "file_bytes_hex".
bad=$'na\xffme.p7s'
cp "$WORK/s.p7s" "$WORK/$bad"
run "$VBSIG" verify "$WORK/$bad" --data "$doc" --trust "$root" --json
expect_rc 0 "verify a file whose name is not UTF-8"
[ "$(json_get "$out" "d['file'].endswith('na\ufffdme.p7s')")" = True ] && pass || fail "file with U+FFFD: $out"
[ "$(json_get "$out" "d['file_bytes_hex']")" = "$(printf '%s' "$WORK/$bad" | od -An -tx1 | tr -d ' \n')" ] && pass ||
  fail "file_bytes_hex holds the raw bytes: $out"
run "$VBSIG" verify "$WORK/s.p7s" --data "$doc" --trust "$root" --json
[ "$(json_get "$out" "'file_bytes_hex' in d")" = False ] && pass || fail "no file_bytes_hex for a UTF-8 name"

# vbsig-tsa --version, GET / → 405 Allow: POST.
run "$BUILD/bin/vbsig-tsa" --version
expect_rc 0 "vbsig-tsa --version"
expect_in "vbsig-tsa 0." "$out" "the version is printed"
tsa_start http --allow-unsynced-clock || { fail "server did not start"; finish; }
hdr=$(curl -s -D - -o /dev/null "$TSA_URL/")
expect_in "405" "$(printf '%s' "$hdr" | head -1)" "GET / is 405"
expect_in "Allow: POST" "$hdr" "GET / names POST in Allow"
code=$(curl -s -o /dev/null -w '%{http_code}' "$TSA_URL/health")
[ "$code" = 200 ] || [ "$code" = 503 ] && pass || fail "GET /health still answers: $code"
finish
