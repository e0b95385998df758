#!/usr/bin/env bash
# HarfBuzz (text stamps) and libpng (signature and seal images) are not
# linked but loaded when first needed (libvbsig/src/appearance/hb_dl.h,
# png_dl.h): linked, they and what HarfBuzz brings (GLib, FreeType,
# Graphite, Brotli, PCRE2) cost 1.1 million instructions at every start of
# every program that links libvbsig. Invisible signing and verification
# never load them; a text stamp loads HarfBuzz, an image libpng, and both
# work as before (tested in depth by test_visible_text.sh and the
# appearance unit tests).
source "$(dirname "$0")/lib.sh"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
loads() { grep -E "file=lib$1[.-]" <<<"$err" >/dev/null; } # from LD_DEBUG=files on stderr

libvbsig="$(dirname "$VBSIG")/../lib/libvbsig.so"
expect_file "$libvbsig" "the build's libvbsig.so"
run readelf -d "$libvbsig"
expect_in "NEEDED" "$out" "libvbsig.so lists its needed libraries"
case "$out" in *harfbuzz* | *libpng*) fail "libvbsig.so still needs HarfBuzz or libpng" ;; *) pass ;; esac
for bin in "$libvbsig" "$VBSIG"; do
  run nm -D --undefined-only "$bin"
  expect_in "EVP_" "$out" "$(basename "$bin"): the undefined symbols are listed"
  if grep -E '[[:space:]](hb_|png_)' <<<"$out" >/dev/null; then
    fail "$(basename "$bin") calls HarfBuzz or libpng directly: $(grep -E '[[:space:]](hb_|png_)' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
  else pass; fi
done
run ldd "$VBSIG"
case "$out" in *harfbuzz* | *libpng* | *libglib* | *freetype*) fail "the CLI still loads HarfBuzz or libpng at start" ;; *) pass ;; esac
# Packaging tools find them in the ELF dlopen notes instead.
run readelf -n "$libvbsig"
expect_in "0x407c0c0a" "$out" "readelf shows the dlopen notes"
notes=$(objcopy -O binary --only-section=.note.dlopen "$libvbsig" /dev/stdout | tr -d '\0' | strings)
expect_in '"feature":"text-stamps"' "$notes" "a note for the text stamps"
expect_in 'libharfbuzz.so.0' "$notes" "it names HarfBuzz's soname"
expect_in 'libharfbuzz-subset.so.0' "$notes" "and HarfBuzz subset's"
expect_in '"feature":"images"' "$notes" "a note for the images"
expect_in 'libpng16.so.16' "$notes" "it names libpng's soname"

# An invisible signature and its verification load neither.
run env LD_DEBUG=files "$VBSIG" sign "$pdf" -o "$WORK/plain.pdf" "${p12[@]}"
expect_rc 0 "invisible PAdES signing"
if loads harfbuzz || loads png16; then fail "invisible signing loaded HarfBuzz or libpng"; else pass; fi
run env LD_DEBUG=files "$VBSIG" verify "$WORK/plain.pdf" --trust "$root"
expect_rc 0 "verification"
if loads harfbuzz || loads png16; then fail "verification loaded HarfBuzz or libpng"; else pass; fi

# A text stamp loads HarfBuzz (which brings libpng through FreeType), and
# its text is on the page.
run env LD_DEBUG=files "$VBSIG" sign "$pdf" -o "$WORK/stamp.pdf" "${p12[@]}" \
  --appearance attachment --doc-number "15/QĐ-UBND"
expect_rc 0 "text stamp"
if loads harfbuzz; then pass; else fail "the text stamp did not load HarfBuzz"; fi
run pdftotext -f 1 -l 1 "$WORK/stamp.pdf" -
expect_in "15/QĐ-UBND" "$out" "the stamp's text is on the first page"
run "$VBSIG" verify "$WORK/stamp.pdf" --trust "$root"
expect_in "TOTAL-PASSED" "$out" "the stamped document verifies"

# The leader's signature image loads libpng, and the image is on the page.
img="$SRC/test-vectors/corpus/images/chu-ky-lanh-dao-xanh.png"
run env LD_DEBUG=files "$VBSIG" sign "$pdf" -o "$WORK/leader.pdf" "${p12[@]}" \
  --appearance leader --image "$img"
expect_rc 0 "leader's signature image: $err"
if loads png16; then pass; else fail "the image did not load libpng"; fi
before=$(pdfimages -list "$WORK/plain.pdf" | grep -c ' image ' || true)
after=$(pdfimages -list "$WORK/leader.pdf" | grep -c ' image ' || true)
[ "$after" -gt "$before" ] && pass || fail "pdfimages finds no new image ($before before, $after after)"
run "$VBSIG" verify "$WORK/leader.pdf" --trust "$root"
expect_in "TOTAL-PASSED" "$out" "the signed document verifies"
finish
