#!/usr/bin/python3
"""text_stamp_check.py BBOX.xhtml DISP_W DISP_H X0 Y0 TTF LINE...

Checks a text stamp in `pdftotext -bbox-layout` output of page 1: each
expected LINE (the last one is a regular expression for the ISO 8601 time)
is found as a line whose words lie in the top-right quarter of the
displayed page (DISP_W x DISP_H points, whose top-left corner pdftotext puts
at X0, Y0), right-aligned with the others within 1 pt, and set in 10 pt
+- 0.5: poppler's word box is (ascent - descent) x size high, and the
ascent and descent are read here from the font file's hhea table. Prints
the time found; exit 1 with a message on any failure."""
import re
import struct
import sys
import xml.etree.ElementTree as ET


def font_em_height(path):
    data = open(path, "rb").read()
    n = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = (off, ln)
    upem = struct.unpack(">H", data[tables[b"head"][0] + 18:tables[b"head"][0] + 20])[0]
    asc, desc = struct.unpack(">hh", data[tables[b"hhea"][0] + 4:tables[b"hhea"][0] + 8])
    return (asc - desc) / upem


def main():
    xml, dw, dh, x0, y0, ttf = sys.argv[1:7]
    expected = sys.argv[7:]
    dw, dh, x0, y0 = float(dw), float(dh), float(x0), float(y0)
    em = font_em_height(ttf)
    text = open(xml, encoding="utf-8").read()
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
    text = re.sub(r'xmlns="[^"]*"', "", text)
    root = ET.fromstring(text)
    page = root.find(".//page")
    lines = []
    for line in page.iter("line"):
        words = line.findall("word")
        s = " ".join(w.text or "" for w in words)
        box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
        hs = [float(w.get("yMax")) - float(w.get("yMin")) for w in words]
        lines.append((s, box, hs))
    errors = []
    found = []
    for i, want in enumerate(expected):
        last = i == len(expected) - 1
        hit = None
        for s, box, hs in lines:
            if (re.fullmatch(want, s) if last else s == want):
                hit = (s, box, hs)
                break
        if hit is None:
            errors.append("line %r not found; lines: %r" % (want, [l[0] for l in lines]))
            continue
        s, box, hs = hit
        found.append(hit)
        bx0, by0, bx1, by1 = box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0
        if not (bx0 > dw / 2 and by1 < dh / 4 and bx1 <= dw and by0 >= 0):
            errors.append("%r at %r is not in the top-right region of a %gx%g page" % (s, (bx0, by0, bx1, by1), dw, dh))
        for h in hs:
            size = h / em
            if abs(size - 10) > 0.5:
                errors.append("%r: font size %.2f pt (box height %.2f)" % (s, size, h))
    if len(found) == len(expected):
        rights = [b[2] for _, b, _ in found]
        if max(rights) - min(rights) > 1:
            errors.append("lines not right-aligned: right edges %r" % rights)
        tops = [b[1] for _, b, _ in found]
        if tops != sorted(tops):
            errors.append("lines out of order: tops %r" % tops)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(found[-1][0])


if __name__ == "__main__":
    main()
