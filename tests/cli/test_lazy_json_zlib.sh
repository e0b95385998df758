#!/usr/bin/env bash
# jansson and zlib are not linked but loaded when first used
# (libvbsig/src/report/jansson_dl.c, libvbsig/src/pdf/zlib_dl.c): a text
# report never loads jansson, a PDF whose structure needs no inflating never
# loads zlib, and what does need them loads them and works.
source "$(dirname "$0")/lib.sh"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
corpus="$SRC/test-vectors/corpus/pdf"
loads() { grep -E "file=lib$1\.so" <<<"$err" >/dev/null; } # from LD_DEBUG=files on stderr

# Neither the libraries nor the command name them.
for lib in libvbsig.so libvbsig_pkcs11.so; do
  run readelf -d "$(dirname "$VBSIG")/../lib/$lib"
  expect_rc 0 "readelf reads $lib"
  case "$out" in *libjansson* | *libz.so*) fail "$lib still needs jansson or zlib" ;; *) pass ;; esac
done
run ldd "$VBSIG"
case "$out" in *libjansson* | *libz.so*) fail "the CLI still loads jansson or zlib at start" ;; *) pass ;; esac
run nm -D --undefined-only "$VBSIG"
if grep -E '[[:space:]](json_|inflate)' <<<"$out" >/dev/null; then
  fail "the CLI calls jansson or zlib directly: $(grep -E '[[:space:]](json_|inflate)' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
else pass; fi

# A PDF with a classic cross-reference table and no compressed object
# (written here), signed and verified with a text report: neither is loaded.
python3 - "$WORK/plain.pdf" <<'PY'
import sys
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        None]
content = b"BT /F1 12 Tf 72 720 Td (Cong van) Tj ET"
objs[3] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
out = bytearray(b"%PDF-1.7\n")
offs = []
for i, body in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY
run "$VBSIG" sign "$WORK/plain.pdf" -o "$WORK/plain-signed.pdf" "${p12[@]}"
expect_rc 0 "signing the uncompressed PDF"
run env LD_DEBUG=files "$VBSIG" verify "$WORK/plain-signed.pdf" --trust "$root"
expect_rc 0 "verifying it, text report"
expect_in "TOTAL-PASSED" "$out" "the signature verifies"
if loads jansson; then fail "a text report loaded jansson"; else pass; fi
if loads z; then fail "a PDF without compressed structure loaded zlib"; else pass; fi

# The JSON report loads jansson, and is the same report.
run env LD_DEBUG=files "$VBSIG" verify "$WORK/plain-signed.pdf" --trust "$root" --json
expect_rc 0 "verifying it, JSON report"
expect_in "file=libjansson.so.4" "$err" "jansson is loaded for --json"
expect_in '"status": "TOTAL-PASSED"' "$out" "the JSON report says TOTAL-PASSED"
[ "$(json_get "$out" 'd["signatures"][0]["status"]')" = TOTAL-PASSED ] && pass || fail "JSON signature status"

# A PDF whose cross-reference and objects live in compressed streams loads
# zlib, and signing and verifying it works as before.
run "$VBSIG" sign "$corpus/qpdf-objstm-longan.pdf" -o "$WORK/objstm-signed.pdf" "${p12[@]}"
expect_rc 0 "signing a PDF with object streams"
run env LD_DEBUG=files "$VBSIG" verify "$WORK/objstm-signed.pdf" --trust "$root"
expect_rc 0 "verifying it"
expect_in "TOTAL-PASSED" "$out" "the signature verifies"
expect_in "file=libz.so.1" "$err" "zlib is loaded to inflate the cross-reference stream"
finish
