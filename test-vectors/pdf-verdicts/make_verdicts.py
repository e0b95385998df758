#!/usr/bin/env python3
"""Builds the PDF verdict vectors (issue 12): incremental updates that
other signers make after a signature (catalog /Extensions, /Version, XMP
and /Info refreshed, AcroForm defaults), FieldMDP locks, and bytes after
the last revision.

    make_verdicts.py form OUT.pdf
        a one-page document with an AcroForm of three text fields:
        "hoso.sotien" (a field "hoso" with the kid "sotien"), "hoso.ngay"
        and "ghichu", each with a widget on the page.
    make_verdicts.py vectors SIGNED.pdf CERTIFIED-FORM.pdf FORM.pdf OUTDIR --key K --cert C [--chain CH]
        SIGNED is a document signed once by vbsig, CERTIFIED-FORM the form
        certified (P=2) by vbsig, FORM the unsigned form. Writes
        OUTDIR/<name>.pdf for every vector; expected/<name>.txt next to this
        script holds its verdict.

Python standard library and the openssl command only.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pdf-attacks"))
from make_attacks import (append_update, cms_sign, last_trailer_value, newest_object,  # noqa: E402
                          set_byterange, signature_span, stream)

# ------------------------------------------------- a small object model --
# Only what the dictionaries a signer edits need: dictionaries, arrays,
# names, references; everything else is kept as its source bytes.


class Name(str):
    pass


class Ref(tuple):
    pass


class Raw(bytes):
    pass


TOKEN = re.compile(rb"\s*(<<|>>|\[|\]|/[^\s/<>\[\]()%{}]*|\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<[0-9A-Fa-f\s]*>|"
                   rb"[-+0-9.]+|true|false|null|R)", re.S)


def tokens(data):
    pos = 0
    out = []
    while True:
        m = TOKEN.match(data, pos)
        if not m:
            if data[pos:].strip():
                raise SystemExit("cannot parse: %r" % data[pos:pos + 40])
            return out
        out.append(m.group(1))
        pos = m.end()


def parse(data):
    toks = tokens(data)
    pos = [0]

    def value():
        t = toks[pos[0]]
        pos[0] += 1
        if t == b"<<":
            d = {}
            while toks[pos[0]] != b">>":
                k = toks[pos[0]]
                pos[0] += 1
                d[k[1:].decode()] = value()
            pos[0] += 1
            return d
        if t == b"[":
            a = []
            while toks[pos[0]] != b"]":
                a.append(value())
            pos[0] += 1
            return a
        if t.startswith(b"/"):
            return Name(t[1:].decode())
        if re.fullmatch(rb"\d+", t) and pos[0] + 1 < len(toks) and re.fullmatch(rb"\d+", toks[pos[0]]) and \
                toks[pos[0] + 1] == b"R":
            g = int(toks[pos[0]])
            pos[0] += 2
            return Ref((int(t), g))
        return Raw(t)

    return value()


def ser(v):
    if isinstance(v, dict):
        return b"<< " + b" ".join(b"/" + k.encode() + b" " + ser(x) for k, x in v.items()) + b" >>"
    if isinstance(v, list):
        return b"[" + b" ".join(ser(x) for x in v) + b"]"
    if isinstance(v, Name):
        return b"/" + v.encode()
    if isinstance(v, Ref):
        return b"%d %d R" % v
    if isinstance(v, bytes):
        return bytes(v)
    if isinstance(v, str):  # a text string
        return b"(" + v.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    if isinstance(v, bool):
        return b"true" if v else b"false"
    if isinstance(v, int):
        return b"%d" % v
    raise TypeError(v)


class Doc:
    """The newest state of a classic-xref PDF, edited into one update."""

    def __init__(self, data):
        self.data = data
        self.size = last_trailer_value(data, "Size")
        self.root = last_trailer_value(data, "Root")
        self.objs = {}  # num -> body bytes of the update

    def get(self, num):
        if num in self.objs:
            return parse(self.objs[num])
        return parse(newest_object(self.data, num))

    def put(self, num, value):
        self.objs[num] = value if isinstance(value, bytes) else ser(value)

    def new(self):
        self.size += 1
        return self.size - 1

    def resolve(self, v):
        return self.get(v[0]) if isinstance(v, Ref) else v

    def catalog(self):
        return self.get(self.root)

    def first_page(self):
        pages = self.catalog()["Pages"]
        while True:
            node = self.get(pages[0])
            if node.get("Type") == "Page":
                return pages[0], node
            pages = node["Kids"][0]

    def acroform(self, cat):
        """(holder, form): holder is the object number of the form, or None
        when it sits directly in the catalog."""
        af = cat.get("AcroForm")
        if af is None:
            return None, {"Fields": [], "SigFlags": Raw(b"3")}
        if isinstance(af, Ref):
            return af[0], self.get(af[0])
        return None, af

    def update(self, extra_trailer=b"", info=None):
        objs = sorted(self.objs.items())
        return append_update(self.data, objs, extra_trailer=extra_trailer if info is None else
                             extra_trailer + b"/Info %d 0 R " % info)


def sign_in_update(doc, key, cert, chain, name, lock=None, reference=None, catalog_edit=None, placeholder=16384):
    """Adds a signed approval signature field (invisible widget on page 1)
    to the update being built in doc, applies catalog_edit(doc, catalog,
    form) and signs the result with openssl cms (ETSI.CAdES.detached)."""
    cat = doc.catalog()
    holder, form = doc.acroform(cat)
    field, sig = doc.new(), doc.new()
    form["Fields"] = list(form.get("Fields", [])) + [Ref((field, 0))]
    form["SigFlags"] = Raw(b"3")
    if catalog_edit:
        catalog_edit(doc, cat, form)
    if holder is None:
        cat["AcroForm"] = form
    else:
        doc.put(holder, form)
    doc.put(doc.root, cat)
    pnum, page = doc.first_page()
    annots = page.get("Annots", [])
    if isinstance(annots, Ref):
        arr = doc.get(annots[0])
        doc.put(annots[0], arr + [Ref((field, 0))])
    else:
        page["Annots"] = list(annots) + [Ref((field, 0))]
        doc.put(pnum, page)
    widget = {"Type": Name("Annot"), "Subtype": Name("Widget"), "FT": Name("Sig"), "T": name,
              "Rect": [Raw(b"0"), Raw(b"0"), Raw(b"0"), Raw(b"0")], "F": Raw(b"132"), "P": Ref((pnum, 0)),
              "V": Ref((sig, 0))}
    if lock is not None:
        widget["Lock"] = lock
    doc.put(field, widget)
    when = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime()).encode()
    doc.put(sig, b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (" + when + b") " +
            (b"/Reference " + ser(reference) + b" " if reference else b"") +
            b"/ByteRange [0 0000000000 0000000000 0000000000] /Contents <" + b"0" * placeholder + b"> >>")
    info = getattr(doc, "info", None)
    out = doc.update(info=info)
    br, c = signature_span(out)
    a, b = c.start(1) - 1, c.end(1) + 1
    out = set_byterange(out, br, [0, a, b, len(out) - b])
    der = cms_sign(out[:a] + out[b:], key, cert, chain).hex().encode()
    if len(der) > placeholder:
        raise SystemExit("signature larger than the placeholder")
    return out[:a + 1] + der + b"0" * (placeholder - len(der)) + out[b - 1:]


# --------------------------------------------------------------- the form --

def make_form(out_path):
    text = b"BT /F1 14 Tf 72 780 Td (Ho so de nghi tam ung) Tj ET\n"
    objs = [
        (1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R /Annots [8 0 R 9 0 R 10 0 R] >>"),
        (4, stream(text)),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        (6, b"<< /Fields [7 0 R 10 0 R] /DA (/Helv 0 Tf 0 g) /NeedAppearances true "
            b"/DR << /Font << /Helv 5 0 R >> >> >>"),
        (7, b"<< /T (hoso) /FT /Tx /Kids [8 0 R 9 0 R] >>"),
        (8, b"<< /Type /Annot /Subtype /Widget /Parent 7 0 R /T (sotien) /V (1.000.000) /Rect [72 700 300 720] "
            b"/P 3 0 R /F 4 /DA (/Helv 12 Tf 0 g) /AP << /N 11 0 R >> >>"),
        (9, b"<< /Type /Annot /Subtype /Widget /Parent 7 0 R /T (ngay) /V (01/12/2026) /Rect [72 660 300 680] "
            b"/P 3 0 R /F 4 /DA (/Helv 12 Tf 0 g) /AP << /N 12 0 R >> >>"),
        (10, b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (ghichu) /Rect [72 620 300 640] /P 3 0 R /F 4 "
             b"/DA (/Helv 12 Tf 0 g) >>"),
        (11, appearance(b"1.000.000")),
        (12, appearance(b"01/12/2026")),
        (13, b"<< /Producer (vbsig verdict generator) /Title (Ho so) >>"),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num, body in objs:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for num in range(1, len(objs) + 1):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 13 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref_at)
    with open(out_path, "wb") as f:
        f.write(out)


def appearance(text):
    return stream(b"/Tx BMC BT /Helv 12 Tf 2 5 Td (" + text + b") Tj ET EMC",
                  b"/Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 5 0 R >> >> ")


def fill(doc, widget_num, text):
    """Form filling as a viewer does it: the field's /V and a new look."""
    w = doc.get(widget_num)
    ap = doc.new()
    doc.put(ap, appearance(text.encode("latin-1")))
    w["V"] = text
    w["AP"] = {"N": Ref((ap, 0))}
    doc.put(widget_num, w)


# ------------------------------------------------ what other signers do --

XMP = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
       b'<xmp:ModifyDate>2026-12-07T09:00:00+07:00</xmp:ModifyDate><pdf:Producer>pyHanko-like signer</pdf:Producer>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>')


def like_pyhanko(doc, cat, form, version=b"2.0"):
    """The catalog and form changes pyHanko, iText and Acrobat make when they
    add a signature: developer extensions (/ADBE, /ESIC), a higher
    /Version, fresh XMP metadata and /Info, AcroForm defaults, and
    /NeedAppearances taken away."""
    cat["Extensions"] = {"ADBE": {"BaseVersion": Name("1.7"), "ExtensionLevel": Raw(b"8")},
                         "ESIC": {"BaseVersion": Name("1.7"), "ExtensionLevel": Raw(b"2")}}
    if version:
        cat["Version"] = Name(version.decode())
    meta = doc.new()
    doc.put(meta, stream(XMP, b"/Type /Metadata /Subtype /XML "))
    cat["Metadata"] = Ref((meta, 0))
    cat["MarkInfo"] = {"Marked": Raw(b"true")}
    info = doc.new()
    doc.put(info, b"<< /Producer (pyHanko-like signer) /ModDate (D:20261207090000+07'00') >>")
    doc.info = info
    form["DA"] = b"(/Helv 0 Tf 0 g)"
    form["DR"] = {"Font": {"Helv": b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}}
    form.pop("NeedAppearances", None)


# ---------------------------------------------------------------- vectors --

def vectors(signed, certified_form, form_pdf, key, cert, chain):
    v = {}
    k2 = (key, cert, chain)
    # 1. catalog and form keys a conforming signer may touch
    d = Doc(signed)
    v["countersign-extensions"] = sign_in_update(d, *k2, "pyHanko2", catalog_edit=like_pyhanko)
    d = Doc(v["countersign-extensions"])
    v["countersign-extensions-twice"] = sign_in_update(
        d, *k2, "iText3", catalog_edit=lambda doc, cat, form: cat["Extensions"]["ADBE"].update(
            {"ExtensionLevel": Raw(b"11")}))
    d = Doc(certified_form)
    fill(d, 10, "Da duyet")
    v["certified-fill-extensions"] = sign_in_update(d, *k2, "Approval2", catalog_edit=like_pyhanko)
    d = Doc(v["countersign-extensions"])
    cat = d.catalog()
    cat["Version"] = Name("1.5")
    d.put(d.root, cat)
    v["version-lowered"] = sign_in_update(d, *k2, "Approval3")
    d = Doc(v["countersign-extensions"])
    cat = d.catalog()
    del cat["Version"]
    d.put(d.root, cat)
    v["version-removed"] = d.update()
    d = Doc(signed)
    cat = d.catalog()
    cat["Extensions"] = Raw(b"42")
    d.put(d.root, cat)
    v["extensions-malformed"] = d.update()
    d = Doc(signed)
    v["perms-docmdp-added"] = sign_in_update(
        d, *k2, "Cert2", reference=[{"Type": Name("SigRef"), "TransformMethod": Name("DocMDP"),
                                     "TransformParams": {"Type": Name("TransformParams"), "P": Raw(b"2"),
                                                         "V": Name("1.2")}}],
        catalog_edit=lambda doc, cat, form: cat.update({"Perms": {"DocMDP": Ref((doc.size - 1, 0))}}))
    d = Doc(signed)
    cat = d.catalog()
    cat["AcroForm"]["NeedAppearances"] = Raw(b"true")
    d.put(d.root, cat)
    v["needappearances-set"] = d.update()

    # 2. FieldMDP
    lock_inc = {"Type": Name("SigFieldLock"), "Action": Name("Include"), "Fields": ["hoso.sotien"]}
    lock_exc = {"Type": Name("SigFieldLock"), "Action": Name("Exclude"), "Fields": ["ghichu"]}
    ref_all = [{"Type": Name("SigRef"), "TransformMethod": Name("FieldMDP"),
                "TransformParams": {"Type": Name("TransformParams"), "Action": Name("All"), "V": Name("1.2")}}]
    ref_hoso = [{"Type": Name("SigRef"), "TransformMethod": Name("FieldMDP"),
                 "TransformParams": {"Type": Name("TransformParams"), "Action": Name("Include"),
                                     "Fields": ["hoso"], "V": Name("1.2")}}]
    inc = sign_in_update(Doc(form_pdf), *k2, "Approval1", lock=lock_inc)
    exc = sign_in_update(Doc(form_pdf), *k2, "Approval1", lock=lock_exc)
    rall = sign_in_update(Doc(form_pdf), *k2, "Approval1", reference=ref_all)
    rhoso = sign_in_update(Doc(form_pdf), *k2, "Approval1", reference=ref_hoso)
    for name, base, widget, text in [("fieldmdp-include-locked-changed", inc, 8, "900.000.000"),
                                     ("fieldmdp-include-other-filled", inc, 10, "Da duyet"),
                                     ("fieldmdp-exclude-excluded-filled", exc, 10, "Da duyet"),
                                     ("fieldmdp-exclude-locked-changed", exc, 9, "31/12/2026"),
                                     ("fieldmdp-reference-all-changed", rall, 10, "Da duyet"),
                                     ("fieldmdp-reference-subtree-changed", rhoso, 9, "31/12/2026"),
                                     ("fieldmdp-reference-subtree-other", rhoso, 10, "Da duyet")]:
        d = Doc(base)
        fill(d, widget, text)
        v[name] = d.update()
    # a locked field's look alone replaced (its /V kept)
    d = Doc(inc)
    w = d.get(8)
    ap = d.new()
    d.put(ap, appearance(b"900.000.000"))
    w["AP"] = {"N": Ref((ap, 0))}
    d.put(8, w)
    v["fieldmdp-include-locked-look"] = d.update()
    # filled, then signed again: the second signature passes, the first is disallowed
    d = Doc(v["fieldmdp-include-locked-changed"])
    v["fieldmdp-include-locked-countersigned"] = sign_in_update(d, *k2, "Approval2")

    # 3. bytes after the last %%EOF
    v["trailing-objects"] = signed + (b"4 0 obj\n" + stream(b"BT /F1 20 Tf 72 760 Td (Cong van so 15/UBND: chi tam ung "
                                                            b"900.000.000 dong) Tj ET") + b"\nendobj\n"
                                      b"20 0 obj\n<< /Type /Annot /Subtype /Text /Rect [0 0 1 1] >>\nendobj\n")
    v["trailing-padding"] = signed + b"\r\n\x00\x00\x00\x00  \n%comment\n\x00"
    v["trailing-garbage"] = signed + b"\nMIME-Version: 1.0 -- mail footer\n"
    return v


def main(argv):
    if len(argv) == 3 and argv[1] == "form":
        make_form(argv[2])
    elif len(argv) >= 6 and argv[1] == "vectors":
        opts = dict(zip(argv[6::2], argv[7::2]))
        data = [open(p, "rb").read() for p in argv[2:5]]
        os.makedirs(argv[5], exist_ok=True)
        for name, out in vectors(*data, opts["--key"], opts["--cert"], opts.get("--chain")).items():
            with open(os.path.join(argv[5], name + ".pdf"), "wb") as f:
                f.write(out)
    else:
        sys.stderr.write(__doc__)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
