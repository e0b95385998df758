#!/usr/bin/env bash
# Vietnamese error lines read right: texts of the C library (strerror) are
# proper UTF-8, not transliterated ("Kh?ng c? t?p tin"), and what libxml2
# and libcurl say (English only) comes as our own translated words with the
# library's text kept as a detail in "(libxml2: …)" / "(libcurl: …)".
# Each case runs with --lang vi and with LANG=vi_VN.UTF-8 (a locale this
# machine may well not have installed), and in English for comparison.
source "$(dirname "$0")/lib.sh"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
doc="$PKI/documents/cong-van.txt"
printf '<a><b></a>' >"$WORK/mismatch.xml"
printf '<a>' >"$WORK/open.xml"
python3 -c "print('<a>' * 300 + '</a>' * 300)" >"$WORK/deep.xml"
printf '<a>\xc3\x28</a>' >"$WORK/badutf8.xml"
printf '<a>&nope;</a>' >"$WORK/entity.xml"
printf '<a/><b/>' >"$WORK/extra.xml"
cp "$doc" "$WORK/d.txt"

# check_vi NAME CMD...: one stderr line in Vietnamese under both ways of
# asking for it, different from the English one, no '?' put for a letter,
# and no English sentence outside the library's detail and the file names.
check_vi() {
  local name=$1
  shift
  run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$@" --lang en
  local en=$err
  for how in lang env; do
    if [ "$how" = lang ]; then
      run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$@" --lang vi
    else
      run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=vi_VN.UTF-8 "$@"
    fi
    [ -n "$err" ] && pass || fail "$name ($how): nothing on stderr"
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass || fail "$name ($how): not one line: $err"
    [ "$err" != "$en" ] && pass || fail "$name ($how): the same as in English: $err"
    if python3 - "$err" "$WORK" "$SRC" "$PKI" <<'PY'; then pass; else fail "$name ($how): $err"; fi
import re, sys
line, work, src, pki = sys.argv[1:5]
if '?' in line:
    sys.exit(print("a '?' in the line (transliterated?)") or 1)
if 'Try ' in line:
    sys.exit(print("an English hint") or 1)
line.encode('utf-8')
rest = re.sub(r'\((libxml2|libcurl): [^)]*\)+', ' ', line)
rest = re.sub(r'(https?://|/)\S*', ' ', rest)      # file names and URLs
rest = re.sub(r"'[^']*'", ' ', rest)                # quoted arguments
words = re.findall(r"[A-Za-z\u00C0-\u1EF9-]+|[^\sA-Za-z\u00C0-\u1EF9-]+", rest)
run = 0
for w in words:
    # A plain ASCII lower-case word of 3+ letters that Vietnamese does not use.
    if re.fullmatch(r'[a-z]{3,}', w) and w not in {'vbsig', 'sign', 'verify', 'extend', 'timestamp', 'cho', 'tin', 'con', 'theo', 'hay', 'khi', 'sau', 'trong', 'tra', 'hai', 'nay', 'ngay'}:
        run += 1
        if run >= 2:
            sys.exit(print("English words outside the detail: " + rest) or 1)
    elif re.search(r'[A-Za-z\u00C0-\u1EF9]', w):
        run = 0
PY
  done
}

check_vi "missing input (strerror)" "$VBSIG" verify "$WORK/missing.pdf"
check_vi "missing input of sign" "$VBSIG" sign "$WORK/missing.txt" -o "$WORK/x.p7s" --format cades "${p12[@]}"
check_vi "output directory missing (strerror)" "$VBSIG" sign "$doc" -o "$WORK/no/such/x.p7s" "${p12[@]}"
check_vi "missing key file" "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --key "$WORK/missing.p12" --pass pass:x
check_vi "mismatched XML tags (libxml2)" "$VBSIG" verify "$WORK/mismatch.xml"
check_vi "unclosed XML element (libxml2)" "$VBSIG" verify "$WORK/open.xml"
check_vi "XML nested too deeply (libxml2)" "$VBSIG" verify "$WORK/deep.xml"
check_vi "XML with bad UTF-8 (libxml2)" "$VBSIG" verify "$WORK/badutf8.xml"
check_vi "XML with an undefined entity (libxml2)" "$VBSIG" verify "$WORK/entity.xml"
check_vi "XML with content after the end (libxml2)" "$VBSIG" verify "$WORK/extra.xml"
check_vi "TSA unreachable (libcurl)" "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --level B-T --tsa http://127.0.0.1:9/ "${p12[@]}"
check_vi "TSA URL of another scheme (libcurl)" "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --level B-T --tsa ftp://127.0.0.1:9/ "${p12[@]}"
check_vi "output is the input" "$VBSIG" sign "$WORK/d.txt" -o "$WORK/d.txt" "${p12[@]}"
check_vi "unknown option" "$VBSIG" sign "$doc" -o "$WORK/x.p7s" --bogus "${p12[@]}"

# The strerror text itself, letter for letter (glibc's Vietnamese catalogue).
run env -u LANGUAGE -u LC_ALL LANG=vi_VN.UTF-8 "$VBSIG" verify "$WORK/missing.pdf"
if [ -e /usr/share/locale/vi/LC_MESSAGES/libc.mo ]; then
  expect_in "Không có tập tin" "$err" "glibc's Vietnamese text in UTF-8"
fi
expect_rc 66 "missing input: exit code"
finish
