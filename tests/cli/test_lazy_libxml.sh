#!/usr/bin/env bash
# libxml2 is not linked but loaded when XML is first handled
# (libvbsig/src/util/xml_dl.h): with ICU, its 30 MB data library, libstdc++
# and liblzma it cost ~0.75 ms of CPU at every CLI start. Signing and
# verifying PDFs and CMS never load it; XAdES and the ETSI XML report load
# it on demand and work as before (their behaviour is tested in depth by
# test_xml_*.sh and test_etsi_report.sh).
source "$(dirname "$0")/lib.sh"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
xml="$PKI/documents/edxml-chithi-05-phuyen.xml"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
loads_xml() { grep -E "file=libxml2\.so" <<<"$err" >/dev/null; } # from LD_DEBUG=files on stderr

# libvbsig.so neither needs libxml2 nor calls any of its functions directly:
# a libxml2 function used without going through the loaded table would show
# as an undefined xml symbol here (and fail at run time).
# The shared library of the build (the CLI carries its own static copy).
libvbsig="$(dirname "$VBSIG")/../lib/libvbsig.so"
expect_file "$libvbsig" "the build's libvbsig.so"
run readelf -d "$libvbsig"
expect_rc 0 "readelf reads libvbsig.so"
expect_in "NEEDED" "$out" "libvbsig.so lists its needed libraries"
case "$out" in *libxml2*) fail "libvbsig.so still needs libxml2" ;; *) pass ;; esac
run nm -D --undefined-only "$libvbsig"
expect_rc 0 "nm lists libvbsig.so's undefined symbols"
expect_in "EVP_" "$out" "the undefined symbols are listed"
if grep -E '[[:space:]]_*xml[A-Z]' <<<"$out" >/dev/null; then
  fail "libvbsig.so calls libxml2 directly: $(grep -E '[[:space:]]_*xml[A-Z]' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
else pass; fi
# Nor does the CLI, which carries the library statically.
run nm -D --undefined-only "$VBSIG"
expect_rc 0 "nm lists the CLI's undefined symbols"
if grep -E '[[:space:]]_*xml[A-Z]' <<<"$out" >/dev/null; then
  fail "the CLI calls libxml2 directly: $(grep -E '[[:space:]]_*xml[A-Z]' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
else pass; fi
run ldd "$VBSIG"
case "$out" in *libvbsig*) fail "the CLI loads a shared libvbsig: $(grep libvbsig <<<"$out" | tr -s ' ')" ;; *) pass ;; esac
# (libstdc++ is not looked for: the sanitizer runtime of an ASan build needs it.)
case "$out" in *libxml2* | *libicu*) fail "the CLI still loads libxml2 or ICU at start" ;; *) pass ;; esac

# PDF and CMS work never loads it.
run env LD_DEBUG=files "$VBSIG" sign "$pdf" -o "$WORK/s.pdf" "${p12[@]}"
expect_rc 0 "PAdES signing"
if loads_xml; then fail "PAdES signing loaded libxml2"; else pass; fi
run env LD_DEBUG=files "$VBSIG" verify "$WORK/s.pdf" --trust "$root"
expect_rc 0 "PDF verification"
expect_in "TOTAL-PASSED" "$out" "the PDF signature verifies"
if loads_xml; then fail "verifying a PDF loaded libxml2"; else pass; fi
run env LD_DEBUG=files "$VBSIG" sign "$doc" -o "$WORK/a.p7s" "${p12[@]}"
expect_rc 0 "CAdES signing"
run env LD_DEBUG=files "$VBSIG" verify "$WORK/a.p7s" --trust "$root" --json
expect_rc 0 "CAdES verification, JSON report"
if loads_xml; then fail "CAdES verification loaded libxml2"; else pass; fi

# XML loads it, and works.
run env LD_DEBUG=files "$VBSIG" sign "$xml" -o "$WORK/x.xml" "${p12[@]}"
expect_rc 0 "XAdES signing"
if loads_xml; then pass; else fail "XAdES signing did not load libxml2"; fi
expect_in "SignatureValue" "$(cat "$WORK/x.xml")" "the XML carries a signature"
run env LD_DEBUG=files "$VBSIG" verify "$WORK/x.xml" --trust "$root"
expect_rc 0 "XAdES verification"
expect_in "TOTAL-PASSED" "$out" "the XAdES signature verifies"
if loads_xml; then pass; else fail "XAdES verification did not load libxml2"; fi
# A tampered document still fails (the parser and C14N really ran).
sed 's/phuyen/phuyEn/' "$WORK/x.xml" >"$WORK/bad.xml"
cmp -s "$WORK/x.xml" "$WORK/bad.xml" && fail "the tampering changed nothing"
run "$VBSIG" verify "$WORK/bad.xml" --trust "$root"
expect_in "TOTAL-FAILED" "$out" "a tampered XAdES document fails"

# The ETSI XML report of a PDF verification loads it only for the report.
run env LD_DEBUG=files "$VBSIG" verify "$WORK/s.pdf" --trust "$root" --report-etsi "$WORK/r.xml"
expect_rc 0 "PDF verification with --report-etsi"
if loads_xml; then pass; else fail "--report-etsi did not load libxml2"; fi
expect_in "ValidationReport" "$(cat "$WORK/r.xml" 2>/dev/null)" "the ETSI report is written"
finish
