#!/usr/bin/python3
"""Test documents with a real Decree 30 signature block, made with
MuPDF's HTML layout (mutool convert) and changed with qpdf: no office
suite needed.

  visible_docs.py OUT.pdf KIND
    portrait   A4, "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" … name
    landscape  A4 landscape, "GIÁM ĐỐC" … name
    wide-gap   A4, "CHỦ TỊCH" with a 50 mm gap to the name (room for a seal
               that covers no text)
    rotate90   the portrait document with /Rotate 90
    cropbox    the portrait document with CropBox [40 60 560 800]
  visible_docs.py OUT.png phys IN.png DPI   IN.png with a pHYs chunk"""
import re
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

BODY = """<p>Hàng tháng, Thủ trưởng các sở, ban, ngành tỉnh báo cáo kết quả thực hiện Chỉ thị
này về Văn phòng Ủy ban nhân dân tỉnh để tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân tỉnh.</p>"""

BLOCK = """<div style="float:left;width:45%;font-size:10pt"><b><i>Nơi nhận:</i></b><br/>- Như trên;<br/>- Lưu: VT.</div>
<div style="margin-left:50%;text-align:center"><b>{org}</b><br/><b>{title}</b>
<div style="margin-top:{gap}mm"><b>{name}</b></div></div>"""


def html(org, title, name, gap):
    return ("<html><head><meta charset='utf-8'><style>body{font-family:serif;font-size:13pt}</style></head><body>"
            + BODY + BLOCK.format(org=org, title=title, name=name, gap=gap) + "</body></html>")


def convert(text, out, w, h):
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "doc.html"
        src.write_text(text, encoding="utf-8")
        subprocess.run(["mutool", "convert", "-o", out, "-W", str(w), "-H", str(h), str(src)], check=True,
                       capture_output=True)


def edit_page(src, out, add):
    """The first page dictionary of src gets the entries `add`."""
    with tempfile.TemporaryDirectory() as d:
        qdf = Path(d) / "q.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", src, str(qdf)], check=True)
        data = qdf.read_bytes()
        data, n = re.subn(rb"/Type /Page\n", b"/Type /Page\n  " + add.encode() + b"\n", data, count=1)
        assert n == 1, "no page dictionary"
        fixed = Path(d) / "f.pdf"
        with open(fixed, "wb") as f:
            subprocess.run(["fix-qdf"], input=data, stdout=f, check=True)
        subprocess.run(["qpdf", str(fixed), out], check=True)


def phys(src, out, dpi):
    d = Path(src).read_bytes()
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    ihdr_end = 8 + 8 + 13 + 4
    Path(out).write_bytes(d[:ihdr_end] + chunk + d[ihdr_end:])


def main():
    out, kind = sys.argv[1], sys.argv[2]
    if kind == "phys":
        phys(sys.argv[3], out, float(sys.argv[4]))
        return
    a4 = (595, 842)
    if kind == "portrait":
        convert(html("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An", 26), out, *a4)
    elif kind == "landscape":
        convert(html("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "GIÁM ĐỐC", "Trần Thị Bích Ngọc", 24), out, a4[1], a4[0])
    elif kind == "wide-gap":
        convert(html("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An", 50), out, *a4)
    elif kind in ("rotate90", "cropbox"):
        with tempfile.TemporaryDirectory() as d:
            base = str(Path(d) / "p.pdf")
            convert(html("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An", 26), base, *a4)
            if kind == "rotate90":
                subprocess.run(["qpdf", "--rotate=+90:1", base, out], check=True)
            else:
                edit_page(base, out, "/CropBox [40 60 560 800]")
    else:
        raise SystemExit("unknown kind " + kind)


if __name__ == "__main__":
    main()
