#!/usr/bin/env bash
# The libraries loaded on first use (libcurl and libxml2 in libvbsig, libp11
# and pcsc-lite in the PKCS#11 bridge): each binary records them in an ELF
# .note.dlopen section (systemd's convention) with the soname of the library
# found at build time; a library that is missing, too old or incomplete is a
# clear error naming it (exit 69), never an abort; jansson and zlib are
# linked normally.
source "$(dirname "$0")/lib.sh"
lib="$BUILD/lib"
xml="$PKI/documents/edxml-chithi-05-phuyen.xml"
doc="$PKI/documents/cong-van.txt"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)

# dlopen_notes BINARY: one line "feature priority soname" per entry of its
# .note.dlopen notes, after checking each note's layout (owner FDO, type
# 0x407c0c0a, a descriptor that is a JSON array of objects).
dlopen_notes() {
  objcopy -O binary --only-section=.note.dlopen "$1" "$WORK/notes.bin" 2>"$WORK/.objcopy" || return 1
  python3 - "$WORK/notes.bin" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
if not data:
    sys.exit("no .note.dlopen section")
pos = 0
while pos < len(data):
    namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
    pos += 12
    name = data[pos:pos + namesz]
    pos += (namesz + 3) & ~3
    desc = data[pos:pos + descsz]
    pos += (descsz + 3) & ~3
    if name != b"FDO\0" or ntype != 0x407c0c0a:
        sys.exit("a note of owner %r type %#x" % (name, ntype))
    for entry in json.loads(desc.rstrip(b"\0").decode("utf-8")):
        print(entry["feature"], entry["priority"], " ".join(entry["soname"]), "|", entry["description"])
PY
}
# system_soname PKG BASENAME: the SONAME of the library pkg-config names
system_soname() {
  local dir; dir=$(pkg-config --variable=libdir "$1")
  objdump -p "$dir/lib$2.so" | awk '$1 == "SONAME" { print $2 }'
}
curl_so=$(system_soname libcurl curl)
xml_so=$(system_soname libxml-2.0 xml2)
p11_so=$(system_soname libp11 p11)
pcsc_so=$(system_soname libpcsclite pcsclite)
hb_so=$(system_soname harfbuzz harfbuzz)
hb_subset_so=$(system_soname harfbuzz-subset harfbuzz-subset)
png_so=$(system_soname libpng png16)
[ -n "$curl_so" ] && [ -n "$xml_so" ] && [ -n "$p11_so" ] && [ -n "$pcsc_so" ] && [ -n "$hb_so" ] &&
  [ -n "$hb_subset_so" ] && [ -n "$png_so" ] && pass ||
  fail "the system libraries' sonames could not be read: '$curl_so' '$xml_so' '$p11_so' '$pcsc_so' '$hb_so' '$hb_subset_so' '$png_so'"

notes=$(dlopen_notes "$lib/libvbsig.so") || fail "libvbsig.so: $notes $(cat "$WORK/.objcopy")"
expect_in "network recommended $curl_so |" "$notes" "libvbsig.so records libcurl by the system's soname"
expect_in "xml recommended $xml_so |" "$notes" "libvbsig.so records libxml2 by the system's soname"
expect_in "text-stamps recommended $hb_so |" "$notes" "libvbsig.so records HarfBuzz"
expect_in "text-stamps recommended $hb_subset_so |" "$notes" "libvbsig.so records HarfBuzz's subsetter"
expect_in "images recommended $png_so |" "$notes" "libvbsig.so records libpng"
[ "$(wc -l <<<"$notes")" -eq 5 ] && pass || fail "libvbsig.so should record exactly five libraries: $notes"
notes=$(dlopen_notes "$lib/libvbsig_pkcs11.so") || fail "libvbsig_pkcs11.so: $notes"
expect_in "pkcs11-list recommended $p11_so |" "$notes" "the bridge records libp11"
expect_in "smartcard-readers recommended $pcsc_so |" "$notes" "the bridge records pcsc-lite"
# The CLI carries both libraries statically, and so all four notes.
notes=$(dlopen_notes "$VBSIG") || fail "vbsig: $notes"
for so in "$curl_so" "$xml_so" "$p11_so" "$pcsc_so"; do
  expect_in " $so |" "$notes" "the vbsig command records $so"
done
run readelf -n "$lib/libvbsig.so"
expect_in "0x407c0c0a" "$out" "readelf shows the dlopen notes"

# jansson and zlib are ordinary dependencies; libcurl, libxml2, HarfBuzz
# and libpng are not.
run readelf -d "$lib/libvbsig.so"
expect_in "[libjansson.so" "$out" "libvbsig.so links jansson"
expect_in "[libz.so" "$out" "libvbsig.so links zlib"
case "$out" in *libcurl* | *libxml2* | *harfbuzz* | *libpng*) fail "libvbsig.so links a library it loads on first use: $out" ;; *) pass ;; esac

# Stand-ins for the real libraries, found first through LD_LIBRARY_PATH: one
# too old, one without the functions vbsig calls.
fake() { # fake DIR SONAME C-SOURCE
  mkdir -p "$1"
  printf '%s\n' "$3" >"$1/fake.c"
  cc -shared -fPIC -o "$1/$2" -Wl,-soname,"$2" "$1/fake.c" 2>"$WORK/.cc" || fail "building a stand-in $2: $(cat "$WORK/.cc")"
}
fake "$WORK/old-xml" "$xml_so" 'const char *const xmlParserVersion = "20800";'
fake "$WORK/bare-xml" "$xml_so" 'const char *const xmlParserVersion = "29999";'
run env LD_LIBRARY_PATH="$WORK/old-xml" "$VBSIG" verify "$xml" --trust "$PKI/root/root.pem"
expect_rc 69 "verifying XML with a too old libxml2"
expect_in "$xml_so" "$err" "the error names the XML library"
expect_in "version 2.8.0" "$err" "the error gives the version found"
case "$err" in *Abort* | *abort* | *AddressSanitizer*) fail "an old libxml2 aborted: $err" ;; *) pass ;; esac
run env LD_LIBRARY_PATH="$WORK/bare-xml" "$VBSIG" sign "$xml" -o "$WORK/x.xml" "${p12[@]}"
expect_rc 69 "signing XML with an incomplete libxml2"
expect_in "has no symbol" "$err" "the error names the missing function"
expect_no_file "$WORK/x.xml" "nothing is written when the XML library cannot be used"
# A PDF or CMS job does not care.
run env LD_LIBRARY_PATH="$WORK/old-xml" "$VBSIG" sign "$doc" -o "$WORK/d.p7s" "${p12[@]}"
expect_rc 0 "CAdES signing does not need libxml2"
run env LD_LIBRARY_PATH="$WORK/old-xml" "$VBSIG" verify "$WORK/d.p7s" --trust "$PKI/root/root.pem" --json
expect_rc 0 "a JSON report needs no libxml2 (jansson is linked)"
# The ETSI XML report does.
run env LD_LIBRARY_PATH="$WORK/old-xml" "$VBSIG" verify "$WORK/d.p7s" --trust "$PKI/root/root.pem" --report-etsi "$WORK/r.xml"
expect_in "$xml_so" "$err" "the ETSI report names the XML library it could not use"
expect_no_file "$WORK/r.xml" "no ETSI report is written without libxml2"

fake "$WORK/old-curl" "$curl_so" '
struct info { int age; const char *version; unsigned int version_num; };
static struct info i = { 10, "7.1.0", 0x070100 };
struct info *curl_version_info(int stamp) { (void)stamp; return &i; }'
run env LD_LIBRARY_PATH="$WORK/old-curl" "$VBSIG" sign "$doc" -o "$WORK/t.p7s" "${p12[@]}" --tsa http://127.0.0.1:9/tsa
expect_rc 69 "a timestamp request with a too old libcurl"
expect_in "$curl_so" "$err" "the error names the network library"
expect_in "version 7.1.0" "$err" "the error gives libcurl's version"
expect_no_file "$WORK/t.p7s" "nothing is written when the network library cannot be used"

fake "$WORK/bare-p11" "$p11_so" 'int vbsig_test_nothing_here;'
run env LD_LIBRARY_PATH="$WORK/bare-p11" "$VBSIG" token list --module /nonexistent-module.so
expect_rc 69 "token listing with an incomplete libp11"
expect_in "$p11_so" "$err" "the error names libp11"
expect_in "PKCS11_CTX_new" "$err" "the error names the missing function"
finish
