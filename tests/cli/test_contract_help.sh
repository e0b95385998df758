#!/usr/bin/env bash
# Help, README and parser tell one story (issue 13): the --level errors and
# `help sign` name every level for every format, `help timestamp` and the
# README say what `timestamp` takes, the README's exit codes are the
# contract's, and every long option of every command's getopt table is in
# `vbsig help CMD` (English and Vietnamese; serve too), in the README's options table
# (and nothing more), is accepted by the binary, and README examples use
# only options their command accepts. Then the wording: enveloping XAdES
# says what it covers, a broken PAdES signature's level is "not
# determined", --format xades on a PDF points at --xml-mode detached.
source "$SRC/tests/cli/lib.sh"
readme="$SRC/README.md"
contract_codes="0 1 2 64 65 66 69 74 77"

# --- 1. Levels: every one, for every format --------------------------------
run "$VBSIG" sign "$PKI/documents/cong-van.txt" -o "$WORK/x.p7s" --key "$PKI/signers/rsa2048.p12" --level B-X
expect_rc 64 "sign --level B-X"
for l in B-B B-T B-LT B-LTA; do expect_in "$l" "$err" "the --level error lists $l"; done
run "$VBSIG" extend "$WORK/none.p7s" -o "$WORK/x.p7s" --level B-T --trust "$PKI/root/root.pem"
expect_rc 64 "extend --level B-T"
for l in B-B B-T B-LT B-LTA; do expect_in "$l" "$err" "the extend --level error names $l"; done
for lang in en vi; do
  run "$VBSIG" help sign --lang "$lang"
  expect_rc 0 "help sign ($lang)"
  # The options before the per-format sections apply to every format.
  general=${out%%XML (--format*}
  [ "$general" != "$out" ] && pass || fail "help sign ($lang) has an XML section"
  level_text=$(printf '%s\n' "$general" | sed -n '/--level/,/--allow-lower-level/p')
  for l in B-B B-T B-LT B-LTA; do expect_in "$l" "$level_text" "help sign ($lang): --level names $l for every format"; done
  pdf_part=${out#*%PDF-}
  case "$pdf_part" in *B-LT*) fail "help sign ($lang): B-LT is still listed under PDF only" ;; *) pass ;; esac
  run "$VBSIG" help timestamp --lang "$lang"
  expect_rc 0 "help timestamp ($lang)"
  for w in CMS PDF ETSI.RFC3161 XML "--level B-LTA" "--tsa"; do expect_in "$w" "$out" "help timestamp ($lang) names $w"; done
done
# What help timestamp says about XML is what the command does.
run "$VBSIG" timestamp "$PKI/documents/edxml-chithi-05-phuyen.xml" -o "$WORK/t.xml" --tsa http://127.0.0.1:9/tsa
expect_rc 65 "timestamp on XML"
expect_in "--level B-LTA" "$err" "the refusal points at extend --level B-LTA"
expect_in "--tsa" "$err" "the refusal points at sign --tsa"
expect_no_file "$WORK/t.xml" "nothing written for XML"
run "$VBSIG" help timestamp
expect_in "exit status 65" "$out" "help timestamp gives the XML refusal's exit code"

# README: timestamp and XML, and its exit-code table is the contract's.
expect_in 'XML signatures cannot
be timestamped with `timestamp`' "$(cat "$readme")" "README says XML cannot be timestamped with timestamp"
table=$(sed -n '/^### Exit codes/,/^###/p' "$readme")
codes=$(printf '%s\n' "$table" | sed -n 's/^| \([0-9][0-9]*\) |.*/\1/p' | tr '\n' ' ' | sed 's/ $//')
[ "$codes" = "$contract_codes" ] && pass || fail "README exit codes '$codes' are not the contract's '$contract_codes'"
row64=$(printf '%s\n' "$table" | grep '^| 64 |')
expect_in "certification" "$row64" "README: 64 for a refusal by a PDF's certification"
expect_in '`--data` on a PDF' "$row64" "README: 64 for --data on a PDF"
expect_in "same file" "$row64" "README: 64 for OUT = IN"
row69=$(printf '%s\n' "$table" | grep '^| 69 |')
expect_in "--allow-lower-level" "$row69" "README: 69 for an unreachable level, and --allow-lower-level"
# The behaviour the 64 row documents.
run "$VBSIG" verify "$PKI/documents/lo-directive-vinhlong.pdf" --data "$PKI/documents/cong-van.txt"
expect_rc 64 "verify --data on a PDF"

# --- 2. One table of options ----------------------------------------------
readme_row() { # the README options table's row for command $1, one option a line
  sed -n '/^### Options of each command/,/^###/p' "$readme" | grep "^| $1 |" |
    sed 's/^| [a-z]* | //; s/ |$//; s/ ([^)]*)//g' | tr ',' '\n' | sed 's/^ *--//; s/ *$//' | grep . | sort -u
}
probe_value() { case "$1" in url-rewrite) echo "a=b" ;; allow-origin) echo "https://office.example.vn" ;; lang) echo en ;; appearance) echo leader ;; rect) echo 10,10,40,20 ;; *) echo 1 ;; esac; }
for cmd in sign verify timestamp extend token serve; do
  parser=$(python3 "$SRC/tests/cli/cli_options.py" "$SRC" "$cmd" | cut -d' ' -f1 | sort -u)
  [ "$(printf '%s\n' "$parser" | wc -l)" -ge 6 ] && pass || fail "$cmd: the option table could not be read"
  documented=$(readme_row "$cmd")
  missing=$(comm -23 <(printf '%s\n' "$parser") <(printf '%s\n' "$documented") | tr '\n' ' ')
  extra=$(comm -13 <(printf '%s\n' "$parser") <(printf '%s\n' "$documented") | tr '\n' ' ')
  [ -z "$missing" ] && pass || fail "$cmd: README's options table lacks: $missing"
  [ -z "$extra" ] && pass || fail "$cmd: README's options table has options $cmd does not accept: $extra"
  help_en=$("$VBSIG" help "$cmd")
  help_vi=$("$VBSIG" help "$cmd" --lang vi)
  sub=(); [ "$cmd" = token ] && sub=(list)
  while read -r opt arg; do
    [ "$opt" = help ] && continue
    grep -qE -- "--$opt([^a-z0-9-]|\$)" <<<"$help_en" && pass || fail "vbsig help $cmd does not explain --$opt"
    grep -qE -- "--$opt([^a-z0-9-]|\$)" <<<"$help_vi" && pass || fail "vbsig help $cmd --lang vi does not explain --$opt"
    # The binary accepts it: the option, then --help, which ends the parse.
    value=(); [ "$arg" = required ] && value=("$(probe_value "$opt")")
    run "$VBSIG" "$cmd" "${sub[@]}" "--$opt" "${value[@]}" --help
    [ "$rc" -eq 0 ] && [ -n "$out" ] && pass || fail "$cmd accepts --$opt (exit $rc: $err)"
  done < <(python3 "$SRC/tests/cli/cli_options.py" "$SRC" "$cmd")
  # The probe tells an unknown option from a known one.
  run "$VBSIG" "$cmd" "${sub[@]}" --no-such-option --help
  expect_rc 64 "$cmd refuses an unknown option"
done
# serve is a command like the others: in the overview, in `help serve`,
# and `serve --help` is its own help, not the overview (vbsig-serve prints it).
for lang in en vi; do
  run "$VBSIG" help --lang "$lang"
  expect_in "  serve " "$out" "the overview ($lang) lists serve"
  run "$VBSIG" help serve --lang "$lang"
  expect_rc 0 "help serve ($lang)"
  expect_in "vbsig serve pairings list" "$out" "help serve ($lang) shows the pairings subcommand"
  help_serve=$out
  run "$VBSIG" serve --help --lang "$lang"
  expect_rc 0 "serve --help ($lang)"
  [ "$out" = "$help_serve" ] && pass || fail "serve --help ($lang) is not 'help serve': $out"
done
expect_in "nguồn (origin)" "$help_serve" "help serve in Vietnamese"
# Every option a README example gives a command is one that command accepts.
while IFS= read -r line; do
  cmd=$(awk '{print $2}' <<<"$line")
  case "$cmd" in sign | verify | timestamp | extend | token | serve) ;; *) continue ;; esac
  accepted=$(python3 "$SRC/tests/cli/cli_options.py" "$SRC" "$cmd" | cut -d' ' -f1)
  for opt in $(grep -oE -- '(^| )--[a-z][a-z0-9-]*' <<<"$line" | sed 's/^ *--//'); do
    grep -qx -- "$opt" <<<"$accepted" && pass || fail "README example gives $cmd --$opt, which $cmd does not accept: $line"
  done
done < <(python3 "$SRC/tests/cli/readme_examples.py" "$readme" --commands)

# --- 3. Wording of the report and of the --format xades refusal ----------
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
run "$VBSIG" sign "$PKI/documents/edxml-chithi-05-phuyen.xml" -o "$WORK/env.xml" --xml-mode enveloping "${p12[@]}"
expect_rc 0 "sign enveloping XAdES"
run "$VBSIG" verify "$WORK/env.xml" --trust "$PKI/root/root.pem"
expect_rc 0 "verify enveloping XAdES"
covers=$(grep "Covers:" <<<"$out")
expect_in "enveloped in the signature" "$covers" "enveloping XAdES: Covers says what is signed"
case "$covers" in *"part of the document"*) fail "enveloping XAdES still 'part of the document'" ;; *) pass ;; esac
run "$VBSIG" verify "$WORK/env.xml" --trust "$PKI/root/root.pem" --lang vi
expect_in "tài liệu được bao trong chữ ký" "$out" "enveloping XAdES: the Vietnamese Covers line"
# A broken PAdES signature (a signed byte changed): its level is not
# determined, it is no "plain CMS".
run "$VBSIG" sign "$pdf" -o "$WORK/s.pdf" "${p12[@]}"
expect_rc 0 "sign a PDF"
python3 - "$WORK/s.pdf" "$WORK/broken.pdf" "$(stat -c %s "$pdf")" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[int(sys.argv[3]) // 2] ^= 1  # inside the first signed range
open(sys.argv[2], "wb").write(d)
PY
run "$VBSIG" verify "$WORK/broken.pdf" --trust "$PKI/root/root.pem"
expect_rc 1 "a broken PAdES signature fails"
level=$(grep "Level:" <<<"$out")
expect_in "not determined" "$level" "broken PAdES: the level line"
case "$level" in *"plain CMS"*) fail "broken PAdES still 'none (plain CMS)': $level" ;; *) pass ;; esac
run "$VBSIG" verify "$WORK/broken.pdf" --trust "$PKI/root/root.pem" --lang vi
expect_in "không xác định được" "$(grep "Mức chữ ký:" <<<"$out")" "broken PAdES: the Vietnamese level line"
# --format xades on a PDF: point at --xml-mode detached; nothing written.
for lang in en vi; do
  run "$VBSIG" sign "$pdf" --format xades -o "$WORK/x-$lang.xml" "${p12[@]}" --lang "$lang"
  expect_rc 65 "--format xades on a PDF ($lang)"
  expect_in "--xml-mode detached" "$err" "the refusal hints at --xml-mode detached ($lang)"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass || fail "one stderr line ($lang): $err"
  expect_no_file "$WORK/x-$lang.xml" "nothing written ($lang)"
done
expect_in "tách rời" "$err" "the Vietnamese refusal"
run "$VBSIG" sign "$pdf" --format xades --xml-mode detached -o "$WORK/x.sig.xml" "${p12[@]}"
expect_rc 0 "the hinted command signs the PDF"
run "$VBSIG" verify "$WORK/x.sig.xml" --data "$pdf" --trust "$PKI/root/root.pem"
expect_rc 0 "and its signature verifies"

finish
