#!/usr/bin/python3
"""Writes small one-page PDFs of given page shapes for the visible-signature
tests: A4 portrait, A4 landscape, A4 with /Rotate 90 and a page whose
CropBox is not at the origin. Each page carries a line of body text, so a
stamp over it would show in pdftotext's layout.

usage: make_page_shapes.py OUTDIR
"""
import os
import sys

A4 = (595.276, 841.89)

# name: (MediaBox, CropBox or None, Rotate)
SHAPES = {
    "portrait": ((0, 0, A4[0], A4[1]), None, 0),
    "landscape": ((0, 0, A4[1], A4[0]), None, 0),
    "rotate90": ((0, 0, A4[0], A4[1]), None, 90),
    "cropbox": ((0, 0, 700, 950), (50, 60, 50 + A4[0], 60 + A4[1]), 0),
}


def fmt(box):
    return "[" + " ".join("%g" % v for v in box) + "]"


def pdf(media, crop, rotate):
    # Body text 40 mm below the displayed top, in the page's own user space.
    x0, y0, x1, y1 = crop or media
    if rotate == 90:
        # Displayed top is user-space x0 side; text runs downward in user space.
        content = "BT /F1 12 Tf 0 1 -1 0 %g %g Tm (Body text of the document) Tj ET" % (x0 + 113, y0 + 60)
    else:
        content = "BT /F1 12 Tf %g %g Td (Body text of the document) Tj ET" % (x0 + 72, y1 - 113)
    content = content.encode()
    page = "<< /Type /Page /Parent 2 0 R /MediaBox %s" % fmt(media)
    if crop:
        page += " /CropBox %s" % fmt(crop)
    if rotate:
        page += " /Rotate %d" % rotate
    page += " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page.encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, (media, crop, rot) in SHAPES.items():
        with open(os.path.join(outdir, name + ".pdf"), "wb") as f:
            f.write(pdf(media, crop, rot))


if __name__ == "__main__":
    main()
