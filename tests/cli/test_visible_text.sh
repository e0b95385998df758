#!/usr/bin/env bash
# Text stamps of Decree 30/2020 (attachment: number + time; electronic
# copy: copy form + organisation + time) on A4 portrait, A4 landscape, a
# /Rotate 90 page and a page whose CropBox is off the origin. Judged by
# outside tools: pdftotext -bbox-layout finds the lines (Vietnamese
# diacritics intact) in the top-right region of the displayed page, 10 pt
# (+-0.5) and right-aligned; the time is the signature's /M in +07:00;
# pdffonts says embedded, subset (ABCDEF+), Unicode map; pdfsig finds the
# signature valid; qpdf --check is clean; vbsig verify says TOTAL-PASSED
# and reports where the stamp is.
source "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
check="$SRC/tests/cli/text_stamp_check.py"
ttf=/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
key=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
$py "$SRC/tests/cli/make_page_shapes.py" "$WORK/in"

# shape: displayed width, height; where pdftotext puts the displayed top-left
declare -A geom=(
  [portrait]="595.276 841.89 0 0"
  [landscape]="841.89 595.276 0 0"
  [rotate90]="841.89 595.276 0 0"
  [cropbox]="595.276 841.89 50 48.11"
)
iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+07:00'

stamp_ok() { # stamp_ok OUT SHAPE WHAT LINE...
  local f=$1 shape=$2 what=$3
  shift 3
  read -r dw dh x0 y0 <<<"${geom[$shape]}"
  pdftotext -f 1 -l 1 -bbox-layout "$f" "$WORK/bbox.xhtml"
  run $py "$check" "$WORK/bbox.xhtml" "$dw" "$dh" "$x0" "$y0" "$ttf" "$@" "$iso"
  expect_rc 0 "$what: stamp text, place and size"
  local shown=$out
  pdffonts "$f" >"$WORK/fonts" 2>&1
  if grep -Eq '^[A-Z]{6}\+LiberationSerif +CID TrueType +Identity-H +yes +yes +yes' "$WORK/fonts"; then pass
  else fail "$what: pdffonts: $(cat "$WORK/fonts")"; fi
  pdfsig -nssdir "$PKI/nssdb" "$f" >"$WORK/pdfsig" 2>&1
  if grep -q "Signature Validation: Signature is Valid." "$WORK/pdfsig"; then pass
  else fail "$what: pdfsig: $(cat "$WORK/pdfsig")"; fi
  run qpdf --check "$f"
  expect_rc 0 "$what: qpdf --check"
  run "$VBSIG" verify "$f" --trust "$PKI/root/root.pem" --json
  expect_rc 0 "$what: vbsig verify"
  echo "$out" >"$WORK/report.json"
  # The stamp's time is the signature's /M, in Vietnam time; the reported
  # rectangle is 15 mm from the right and 6 mm from the top of the
  # displayed page.
  run $py - "$WORK/report.json" "$shown" "$dw" <<'EOF'
import datetime, json, sys
d = json.load(open(sys.argv[1]))
s = d["signatures"][0]
assert d["status"] == "TOTAL-PASSED", d["status"]
claimed = datetime.datetime.fromisoformat(s["claimed_signing_time"].replace("Z", "+00:00"))
shown = datetime.datetime.fromisoformat(sys.argv[2])
assert shown == claimed, (shown, claimed)
ap = s["appearance"]
assert ap["visible"] is True and ap["page"] == 1, ap
x, y, w, h = ap["rect_mm"]
dw_mm = float(sys.argv[3]) * 25.4 / 72
assert abs(x + w - (dw_mm - 15)) < 0.1, (x, w, dw_mm)
assert abs(y - 6) < 0.1 and 8 < h < 16 and 20 < w < 80, ap
EOF
  expect_rc 0 "$what: report (time, appearance): $err"
}

for shape in portrait landscape rotate90 cropbox; do
  run "$VBSIG" sign "$WORK/in/$shape.pdf" -o "$WORK/att-$shape.pdf" "${key[@]}" \
    --appearance attachment --doc-number "15/QĐ-UBND"
  expect_rc 0 "attachment on $shape"
  stamp_ok "$WORK/att-$shape.pdf" "$shape" "attachment on $shape" "15/QĐ-UBND"

  run "$VBSIG" sign "$WORK/in/$shape.pdf" -o "$WORK/copy-$shape.pdf" "${key[@]}" \
    --appearance copy --copy-form "SAO Y" --copy-org "VĂN PHÒNG UBND TỈNH"
  expect_rc 0 "copy on $shape"
  stamp_ok "$WORK/copy-$shape.pdf" "$shape" "copy on $shape" "SAO Y" "VĂN PHÒNG UBND TỈNH"
done

# Decomposed input (NFD) comes out as the precomposed letters.
run "$VBSIG" sign "$WORK/in/portrait.pdf" -o "$WORK/nfd.pdf" "${key[@]}" \
  --appearance copy --copy-form "TRI$(printf '\xcc\x81')CH SAO" --copy-org "SƠ$(printf '\xcc\x89') Y TÊ$(printf '\xcc\x81')"
expect_rc 0 "copy with NFD text"
stamp_ok "$WORK/nfd.pdf" portrait "copy with NFD text" "TRÍCH SAO" "SỞ Y TẾ"

# The invisible signature of the same file reports appearance null.
run "$VBSIG" sign "$WORK/in/portrait.pdf" -o "$WORK/invisible.pdf" "${key[@]}"
expect_rc 0 "invisible signature"
run "$VBSIG" verify "$WORK/invisible.pdf" --trust "$PKI/root/root.pem" --json
[ "$(json_get "$out" 'd["signatures"][0]["appearance"]')" = "None" ] && pass || fail "invisible: appearance not null: $out"

# Fonts: another TrueType file is used; a missing one, one that is not a
# font, and a character the font lacks are refused clearly, nothing written.
sans=/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf
run "$VBSIG" sign "$WORK/in/portrait.pdf" -o "$WORK/sans.pdf" "${key[@]}" \
  --appearance attachment --doc-number "15/QĐ-UBND" --font "$sans"
expect_rc 0 "--font LiberationSans"
pdffonts "$WORK/sans.pdf" | grep -Eq '^[A-Z]{6}\+LiberationSans +CID TrueType +Identity-H +yes +yes +yes' && pass ||
  fail "--font: pdffonts: $(pdffonts "$WORK/sans.pdf")"
run "$VBSIG" sign "$WORK/in/portrait.pdf" -o "$WORK/nofont.pdf" "${key[@]}" \
  --appearance attachment --doc-number "15/QĐ-UBND" --font "$WORK/missing.ttf"
[ "$rc" -ne 0 ] && pass || fail "missing --font accepted"
expect_in "missing.ttf" "$err" "missing --font named"
expect_no_file "$WORK/nofont.pdf" "missing --font"
head -c 5000 /dev/urandom >"$WORK/junk.ttf"
run "$VBSIG" sign "$WORK/in/portrait.pdf" -o "$WORK/junk.pdf" "${key[@]}" \
  --appearance attachment --doc-number "15/QĐ-UBND" --font "$WORK/junk.ttf"
[ "$rc" -ne 0 ] && pass || fail "junk --font accepted"
expect_in "junk.ttf" "$err" "junk --font named"
expect_no_file "$WORK/junk.pdf" "junk --font"
run "$VBSIG" sign "$WORK/in/portrait.pdf" -o "$WORK/cjk.pdf" "${key[@]}" \
  --appearance attachment --doc-number "15/QĐ-UBND 中"
[ "$rc" -ne 0 ] && pass || fail "a character without glyph accepted"
expect_in "U+4E2D" "$err" "missing glyph named"
finish
