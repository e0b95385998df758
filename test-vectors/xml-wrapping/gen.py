#!/usr/bin/env python3
"""gen.py SIGNED.xml PREFIX OUTDIR: XML signature wrapping (XSW) attack files
made from one validly signed e-invoice whose signature (in /HDon/DSCKS/NBan)
references the invoice data by Id (#DLHDon-…). Every file keeps the
signature's bytes intact and rearranges the document around it so that an
application reading "the DLHDon" would see forged data. Written as
OUTDIR/PREFIX-<case>.xml; the cases and the verdict each must get are in
expected.txt next to this script.

Classes (issue 12): 1 the signed element moved inside the ds:Signature
(ds:Object) with a forged one in its place; 2 a same-name twin that no
signature covers, before / after / around / inside an unsigned branch /
with the signed one moved to an archive branch; 3 the reference target
outside the element the signature is enveloped in, next to an unsigned twin.
Text handling only (no XML library), so the signed bytes stay exactly as
the signer wrote them."""
import re
import sys

signed, prefix, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(signed, encoding="utf-8").read()

m = re.search(r'<DLHDon Id="([^"]+)">.*?</DLHDon>', s, flags=re.S)
assert m, "no DLHDon with an Id"
dl = m.group(0)            # the signed element, bytes as signed
ident = m.group(1)
forged = re.sub(r'<DLHDon Id="[^"]+">', '<DLHDon Id="%s-X">' % ident, dl, count=1)
forged = forged.replace("<SHDon>127</SHDon>", "<SHDon>999</SHDon>")
forged_noid = re.sub(r'<DLHDon Id="[^"]+">', "<DLHDon>", forged, count=1)
assert forged != dl and "<SHDon>999</SHDon>" in forged
sig = re.search(r"<ds:Signature[ >].*?</ds:Signature>", s, flags=re.S)
assert sig, "no ds:Signature"


def write(case, text):
    assert text != s, case + ": changed nothing"
    open("%s/%s-%s.xml" % (outdir, prefix, case), "w", encoding="utf-8").write(text)


# 1. Signed element moved into the signature's own ds:Object, forged in place.
moved = s.replace(dl, forged, 1)
write("c1-object", moved.replace("</ds:Signature>", "<ds:Object>" + dl + "</ds:Object></ds:Signature>", 1))
# 1b. The same with the forged copy carrying no Id at all.
moved = s.replace(dl, forged_noid, 1)
write("c1-object-noid", moved.replace("</ds:Signature>", "<ds:Object>" + dl + "</ds:Object></ds:Signature>", 1))
# 2. Twins of the signed element.
write("c2-before", s.replace(dl, forged_noid + dl, 1))
write("c2-after", s.replace(dl, dl + forged_noid, 1))
write("c2-around", s.replace(dl, forged_noid.replace("</DLHDon>", dl + "</DLHDon>"), 1))
write("c2-in-unsigned-branch", s.replace("<DSCKS>", "<DSCKS>" + forged_noid, 1))
write("c2-archive", s.replace(dl, forged_noid, 1).replace("</HDon>", "<Extensions><LuuTru>" + dl + "</LuuTru></Extensions></HDon>", 1))
write("c2-nested-in-forged", s.replace(dl, forged_noid.replace("</TTChung>", "</TTChung><Cu>" + dl + "</Cu>", 1), 1))
# 3. The signed invoice (signature included) moved into an archive branch
# of a new root, an unsigned twin invoice where readers look.
body = s.split("?>", 1)[1] if s.startswith("<?xml") else s
head = s[: len(s) - len(body)]
hdon_forged = re.sub(r"<DLHDon Id=\"[^\"]+\">.*?</DLHDon>", lambda _: forged_noid, body.replace(sig.group(0), ""), count=1, flags=re.S)
write("c3-outside-envelope", head + "<HSo>" + hdon_forged + "<LuuTru>" + body + "</LuuTru></HSo>")
