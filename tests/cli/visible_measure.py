#!/usr/bin/python3
"""Measures a visible signature on a rendered page, with no person and no
image library: pdftoppm renders (PPM, trivial to read), pdftotext
-bbox-layout gives the text lines, the PNG specimens are read with zlib.

  visible_measure.py png FILE                      ink box of a PNG (fractions)
  visible_measure.py leader SIGNED UNSIGNED PAGE ANCHOR
  visible_measure.py rect SIGNED UNSIGNED PAGE X,Y,W,H       (mm, displayed page)
  visible_measure.py seal SEALED LEADER PAGE SIZE_MM SEAL.png LEADER.png

Each prints one JSON line of figures and exits 1 with the failed checks on
stderr when one fails."""
import json
import re
import struct
import subprocess
import sys
import tempfile
import zlib
from html import unescape
from pathlib import Path

DPI = 150
MM = DPI / 25.4  # pixels per mm


def render(pdf, page):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-cropbox", "-r", str(DPI), "-f", str(page), "-l", str(page), pdf, d + "/p"],
                       check=True)
        f = next(Path(d).glob("p*.ppm")).read_bytes()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", f)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, f[m.end():]


def is_blue(r, g, b):
    return b > 110 and b - r > 50 and b - g > 30


def is_red(r, g, b):
    return r > 140 and r - g > 70 and r - b > 60


def bbox(img, pred):
    w, h, px = img
    x0 = y0 = 10 ** 9
    x1 = y1 = -1
    n = 0
    for y in range(h):
        row = px[y * w * 3:(y + 1) * w * 3]
        for x in range(w):
            i = x * 3
            if pred(row[i], row[i + 1], row[i + 2]):
                n += 1
                x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
    return None if n == 0 else (x0, y0, x1 + 1, y1 + 1, n)


def crop_offset(pdf, page):
    """pdftotext places text from the MediaBox's top-left corner; the
    rendering (-cropbox) starts at the CropBox's."""
    info = subprocess.run(["pdfinfo", "-box", "-f", str(page), "-l", str(page), pdf], check=True,
                          capture_output=True, text=True).stdout
    box = {}
    for m in re.finditer(r"Page\s+\d+\s+(MediaBox|CropBox):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", info):
        box[m.group(1)] = [float(m.group(i)) for i in range(2, 6)]
    media, crop = box["MediaBox"], box.get("CropBox", box["MediaBox"])
    return crop[0] - media[0], media[3] - crop[3]


def lines(pdf, page):
    """Text lines of a page: (text, xMin, yMin, xMax, yMax) in points from
    the top-left corner of the CropBox."""
    dx, dy = crop_offset(pdf, page)
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), pdf, "-"],
                         check=True, capture_output=True, text=True).stdout
    res = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                         out, re.S):
        words = re.findall(r">([^<]*)</word>", m.group(5))
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        res.append((unescape(" ".join(words)), x0 - dx, y0 - dy, x1 - dx, y1 - dy))
    return res


def png_ink(path, pred):
    """Box of the opaque, pred-coloured pixels of an 8-bit RGBA PNG, as
    fractions of its width and height."""
    d = Path(path).read_bytes()
    i, idat, w = 8, b"", 0
    while i < len(d):
        n, t = struct.unpack(">I4s", d[i:i + 8])
        if t == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", d[i + 8:i + 18])
            assert depth == 8 and ctype == 6, "the specimens are RGBA"
        elif t == b"IDAT":
            idat += d[i + 8:i + 8 + n]
        i += 12 + n
    raw = zlib.decompress(idat)
    stride = w * 4
    prev = bytearray(stride)
    x0 = y0 = 10 ** 9
    x1 = y1 = -1
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for k in range(stride):
            a = line[k - 4] if k >= 4 else 0
            b = prev[k]
            c = prev[k - 4] if k >= 4 else 0
            if f == 1:
                line[k] = (line[k] + a) & 255
            elif f == 2:
                line[k] = (line[k] + b) & 255
            elif f == 3:
                line[k] = (line[k] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[k] = (line[k] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(w):
            r, g, bl, al = line[x * 4:x * 4 + 4]
            if al > 128 and pred(r, g, bl):
                x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
        prev = line
    return (x0 / w, y0 / h, (x1 + 1) / w, (y1 + 1) / h)


def untouched(signed, unsigned, boxes, pad):
    """Pixels that differ between the renderings outside the stamps' boxes."""
    w, h, a = signed
    _, _, b = unsigned
    diff = 0
    for y in range(h):
        ra, rb = a[y * w * 3:(y + 1) * w * 3], b[y * w * 3:(y + 1) * w * 3]
        if ra == rb:
            continue
        for x in range(w):
            if ra[x * 3:x * 3 + 3] != rb[x * 3:x * 3 + 3] and not any(
                    bx[0] - pad <= x < bx[2] + pad and bx[1] - pad <= y < bx[3] + pad for bx in boxes):
                diff += 1
    return diff


def black_inside(signed, unsigned, box):
    """Pixels in box that are black in the signed rendering and not in the
    unsigned one: a missing soft mask paints the transparent parts black."""
    w, _, a = signed
    _, _, b = unsigned
    n = 0
    for y in range(box[1], box[3]):
        for x in range(box[0], box[2]):
            i = (y * w + x) * 3
            if max(a[i:i + 3]) < 60 and max(b[i:i + 3]) >= 60:
                n += 1
    return n


def white_share(img, box):
    w, _, a = img
    white = tot = 0
    for y in range(box[1], box[3]):
        for x in range(box[0], box[2]):
            i = (y * w + x) * 3
            tot += 1
            white += min(a[i:i + 3]) > 230
    return white / max(tot, 1)


fails = []


def check(ok, what):
    if not ok:
        fails.append(what)


def corners_same(s, u):
    w, h, a = s
    _, _, b = u
    k = int(15 * MM)  # 15 mm squares in the four corners
    for (cx, cy) in ((0, 0), (w - k, 0), (0, h - k), (w - k, h - k)):
        for y in range(cy, cy + k):
            if a[(y * w + cx) * 3:(y * w + cx + k) * 3] != b[(y * w + cx) * 3:(y * w + cx + k) * 3]:
                return False
    return True


def leader(signed, unsigned, page, anchor):
    s, u = render(signed, page), render(unsigned, page)
    blue = bbox(s, is_blue)
    check(blue is not None, "no blue pixels on the page")
    if blue is None:
        return {}
    ls = lines(unsigned, page)
    # the lowest line holding the anchor, and the next line below it in its column
    idx = [i for i, l in enumerate(ls) if anchor in l[0]]
    check(idx, f"pdftotext finds no line with {anchor!r}")
    if not idx:
        return {}
    t = max((ls[i] for i in idx), key=lambda l: l[4])
    below = [l for l in ls if l[2] >= t[4] - 1 and l[1] < t[3] and l[3] > t[1] and l is not t]
    name = min(below, key=lambda l: l[2]) if below else None
    px = DPI / 72
    bx0, by0, bx1, by1 = (v / px for v in blue[:4])  # points
    fig = {"blue_pt": [round(v, 1) for v in (bx0, by0, bx1, by1)], "title": t[0], "title_pt": t[1:],
           "name": name[0] if name else None}
    check(by0 >= t[4] - 1.5, f"blue top {by0:.1f} pt above the title line's bottom {t[4]:.1f}")
    if name:
        check(by1 <= name[2] + 1.5, f"blue bottom {by1:.1f} pt below the name line's top {name[2]:.1f}")
        fig["name_pt"] = name[1:]
    centre = (bx0 + bx1) / 2
    title_c = (t[1] + t[3]) / 2
    fig["centre_off_mm"] = round((centre - title_c) / 72 * 25.4, 2)
    check(abs(centre - title_c) <= 3 * 72 / 25.4, f"blue centre {centre:.1f} pt is not within 3 mm of the title's {title_c:.1f}")
    if name:
        name_c = (name[1] + name[3]) / 2
        fig["name_centre_off_mm"] = round((centre - name_c) / 72 * 25.4, 2)
        check(abs(centre - name_c) <= 4 * 72 / 25.4, f"blue centre {centre:.1f} pt is not within 4 mm of the name's {name_c:.1f}")
    common(s, u, blue, fig)
    return fig


def common(s, u, box, fig, extra=()):
    pad = int(1.5 * MM)
    fig["untouched_diff_px"] = untouched(s, u, [box] + list(extra), pad)
    check(fig["untouched_diff_px"] == 0, f"{fig['untouched_diff_px']} pixels changed outside the stamps")
    check(corners_same(s, u), "the page corners changed")
    fig["black_px"] = black_inside(s, u, box[:4])
    check(fig["black_px"] == 0, f"{fig['black_px']} pixels turned black in the stamp (no soft mask?)")
    fig["white_share"] = round(white_share(s, box[:4]), 3)
    check(fig["white_share"] > 0.4, "the stamp's box is not mostly the page showing through")


def rect(signed, unsigned, page, spec):
    x, y, w, h = (float(v) for v in spec.split(","))
    s, u = render(signed, page), render(unsigned, page)
    blue = bbox(s, is_blue)
    check(blue is not None, "no blue pixels on the page")
    if blue is None:
        return {}
    bx0, by0, bx1, by1 = (v / MM for v in blue[:4])
    fig = {"blue_mm": [round(v, 2) for v in (bx0, by0, bx1, by1)], "page_px": [s[0], s[1]]}
    check(bx0 >= x - 1 and by0 >= y - 1 and bx1 <= x + w + 1 and by1 <= y + h + 1,
          f"blue box {fig['blue_mm']} mm is not inside the rectangle {spec}")
    # upright: the 600x240 signature is wide, not tall
    check(bx1 - bx0 > (by1 - by0) * 1.5, "the signature is not upright (taller than wide)")
    common(s, u, blue, fig)
    return fig


def seal(sealed, leader_pdf, page, size_mm, seal_png, leader_png):
    s, l = render(sealed, page), render(leader_pdf, page)
    red = bbox(s, is_red)
    blue = bbox(l, is_blue)
    check(red is not None and blue is not None, "no red or no blue pixels")
    if red is None or blue is None:
        return {}
    ink = png_ink(seal_png, is_red)
    want_w = size_mm * (ink[2] - ink[0])
    want_h = size_mm * (ink[3] - ink[1])  # the seal's image is square
    rw, rh = (red[2] - red[0]) / MM, (red[3] - red[1]) / MM
    fig = {"red_mm": [round(v / MM, 2) for v in red[:4]], "blue_mm": [round(v / MM, 2) for v in blue[:4]],
           "red_size_mm": [round(rw, 2), round(rh, 2)], "want_mm": [round(want_w, 2), round(want_h, 2)]}
    check(abs(rw - want_w) <= 1 and abs(rh - want_h) <= 1, f"red box {rw:.2f} x {rh:.2f} mm, not {want_w:.2f} x {want_h:.2f} ±1")
    # the leader image's box from its blue ink (the widget is the whole image)
    bink = png_ink(leader_png, is_blue)
    img_w = (blue[2] - blue[0]) / (bink[2] - bink[0])
    img_x0 = blue[0] - bink[0] * img_w
    cover = (red[2] - blue[0]) / (blue[2] - blue[0])
    fig["covers_blue_share"] = round(cover, 3)
    fig["seal_right_in_image_share"] = round((red[2] - img_x0) / img_w, 3)
    check(0.25 <= cover <= 0.42, f"the seal covers {cover:.1%} of the blue box's width, not 25-42 %")
    check(red[0] < blue[0], "the seal does not reach left of the signature")
    rc, bc = (red[1] + red[3]) / 2, (blue[1] + blue[3]) / 2
    fig["vertical_off_mm"] = round((rc - bc) / MM, 2)
    check(abs(rc - bc) <= 3 * MM, "the seal is not vertically centred on the signature")
    common(s, l, red, fig)
    return fig


def main():
    cmd = sys.argv[1]
    if cmd == "png":
        print(json.dumps({"blue": png_ink(sys.argv[2], is_blue), "red": png_ink(sys.argv[2], is_red)}))
        return
    if cmd == "leader":
        fig = leader(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif cmd == "rect":
        fig = rect(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif cmd == "seal":
        fig = seal(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7])
    else:
        raise SystemExit("unknown command " + cmd)
    print(json.dumps(fig, ensure_ascii=False))
    for f in fails:
        print("FAIL: " + f, file=sys.stderr)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
