#!/usr/bin/env python3
"""make_pdf.py SIZE_BYTES OUT: a one-page PDF of about SIZE_BYTES, most of it
one image XObject of random (incompressible) RGB samples drawn on the page,
with a classic cross-reference table. Written in slices: memory stays small
whatever the size."""
import os
import sys

size, out = int(sys.argv[1]), sys.argv[2]
width = 1000
height = max(1, (size - 2000) // (3 * width))
length = 3 * width * height
content = b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
offsets = {}
with open(out, "wb") as f:
    def obj(num, body):
        offsets[num] = f.tell()
        f.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")
    f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
           b" /Resources << /XObject << /Im1 5 0 R >> >> >>")
    obj(4, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    offsets[5] = f.tell()
    f.write(b"5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
            b" /BitsPerComponent 8 /Length %d >>\nstream\n" % (width, height, length))
    left = length
    while left > 0:
        n = min(left, 1 << 20)
        f.write(os.urandom(n))
        left -= n
    f.write(b"\nendstream\nendobj\n")
    obj(6, b"<< /Producer (vbsig bench/make_pdf.py) >>")
    xref = f.tell()
    f.write(b"xref\n0 7\n0000000000 65535 f \n")
    for num in range(1, 7):
        f.write(b"%010d 00000 n \n" % offsets[num])
    f.write(b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (os.urandom(16).hex().encode(), os.urandom(16).hex().encode(), xref))
