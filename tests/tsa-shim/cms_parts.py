#!/usr/bin/env python3
"""Takes apart a DER CMS signature for the timestamp tests.

  cms_parts.py sigvalue IN OUT      the first SignerInfo's signature value
  cms_parts.py token IN OUT         its first signature timestamp token
  cms_parts.py tamper-sig IN OUT    IN with one bit of that signature value flipped
  cms_parts.py tamper-token IN OUT  IN with a digit of the token's genTime changed
  cms_parts.py transplant IN OUT FROM
                                    IN (timestamped) with its token replaced by FROM's
"""
import sys

TS_TOKEN_OID = bytes.fromhex("060b2a864886f70d010910020e")  # id-aa-signatureTimeStampToken


def tlv(buf, pos):
    """(tag, start of contents, end of element) of the DER element at pos."""
    tag = buf[pos]
    n = buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    return tag, pos, pos + n


def children(buf, start, end):
    out = []
    while start < end:
        tag, c, e = tlv(buf, start)
        out.append((tag, start, c, e))
        start = e
    return out


def first_signer_info(der):
    _, c, e = tlv(der, 0)
    explicit = children(der, c, e)[1]           # [0] EXPLICIT SignedData
    _, sd_c, sd_e = tlv(der, explicit[2])
    signer_infos = children(der, sd_c, sd_e)[-1]
    assert signer_infos[0] == 0x31, "signerInfos is not the last SET"
    return children(der, signer_infos[2], signer_infos[3])[0]


def signer_parts(der):
    _, _, c, e = first_signer_info(der)
    parts = children(der, c, e)
    sig = next(p for p in parts if p[0] == 0x04)
    unsigned = next((p for p in parts if p[0] == 0xA1), None)
    return sig, unsigned


def der_length(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def replaced(elem, path, new):
    """elem with its descendant at path (child indices) replaced by new,
    every enclosing length fixed."""
    if not path:
        return new
    tag, c, e = tlv(elem, 0)
    kids = [bytes(elem[s:en]) for _, s, _, en in children(elem, c, e)]
    kids[path[0]] = replaced(kids[path[0]], path[1:], new)
    body = b"".join(kids)
    return bytes([tag]) + der_length(len(body)) + body


def token_path(der):
    """Child indices from the ContentInfo down to the first token."""
    _, c, e = tlv(der, 0)
    explicit = children(der, c, e)[1]
    _, sd_c, sd_e = tlv(der, explicit[2])
    sd_kids = children(der, sd_c, sd_e)
    si = children(der, sd_kids[-1][2], sd_kids[-1][3])[0]
    si_kids = children(der, si[2], si[3])
    ui = next(i for i, p in enumerate(si_kids) if p[0] == 0xA1)
    attrs = children(der, si_kids[ui][2], si_kids[ui][3])
    ai = next(i for i, (_, _, c2, e2) in enumerate(attrs)
              if der[children(der, c2, e2)[0][1]:children(der, c2, e2)[0][3]] == TS_TOKEN_OID)
    return [1, 0, len(sd_kids) - 1, 0, ui, ai, 1, 0]


def token(der):
    _, unsigned = signer_parts(der)
    assert unsigned is not None, "no unsigned attributes"
    for _, _, c, e in children(der, unsigned[2], unsigned[3]):
        oid, values = children(der, c, e)
        if der[oid[1]:oid[3]] == TS_TOKEN_OID:
            first = children(der, values[2], values[3])[0]
            return der[first[1]:first[3]]
    raise SystemExit("no signature timestamp")


def main():
    what, src, dst = sys.argv[1:4]
    der = bytearray(open(src, "rb").read())
    if what == "sigvalue":
        sig, _ = signer_parts(der)
        out = der[sig[2]:sig[3]]
    elif what == "token":
        out = token(der)
    elif what == "tamper-sig":
        sig, _ = signer_parts(der)
        der[sig[3] - 1] ^= 0x01
        out = der
    elif what == "tamper-token":
        at = der.find(b"\x18\x0f20")  # the GeneralizedTime genTime; certificates use UTCTime
        assert at > 0, "no genTime"
        der[at + 15] ^= 0x01           # last digit of the seconds
        out = der
    elif what == "transplant":
        donor = bytearray(open(sys.argv[4], "rb").read())
        out = replaced(bytes(der), token_path(der), token(donor))
    else:
        raise SystemExit(__doc__)
    open(dst, "wb").write(bytes(out))


if __name__ == "__main__":
    main()
