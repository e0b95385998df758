#!/usr/bin/env python3
"""make_big_pdf.py OUT SIZE_BYTES: a one-page PDF of about SIZE_BYTES whose
page draws one uncompressed image of random bytes (streamed from
/dev/urandom in 1 MiB pieces, so memory stays small whatever the size).
Used by bench_pades_verify.sh to make files for pdfsig to sign."""
import sys
out, size = sys.argv[1], int(sys.argv[2])
# one page drawing one image XObject of `size` random bytes (no filter)
w = 1024
h = max(1, size // (3 * w))
n = w * h * 3
with open(out, "wb") as f:
    offs = {}
    f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    def obj(num, body):
        offs[num] = f.tell()
        f.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>")
    c = b"q 500 0 0 700 40 60 cm /Im1 Do Q"
    obj(4, b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
    offs[5] = f.tell()
    f.write(b"5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d >>\nstream\n" % (w, h, n))
    left = n
    with open("/dev/urandom", "rb") as r:
        while left:
            k = min(left, 1 << 20)
            f.write(r.read(k)); left -= k
    f.write(b"\nendstream\nendobj\n")
    x = f.tell()
    f.write(b"xref\n0 6\n0000000000 65535 f \n")
    for i in range(1, 6):
        f.write(b"%010d 00000 n \n" % offs[i])
    f.write(b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % x)
