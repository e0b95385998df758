#!/usr/bin/env python3
"""Extracts one signature of a signed PDF for outside checkers:
pdf_sig_parts.py FILE INDEX CMS_OUT CONTENT_OUT
writes the DER CMS from /Contents (without the zero padding) and the bytes
its /ByteRange covers, so `openssl cms -verify` can judge them; prints the
four ByteRange numbers. INDEX counts /ByteRange entries in file order.
"""
import re
import sys


def der_length(b):
    if len(b) < 2 or b[0] != 0x30:
        raise SystemExit("the /Contents is not a DER SEQUENCE")
    n = b[1]
    if n < 0x80:
        return 2 + n
    k = n & 0x7F
    return 2 + k + int.from_bytes(b[2:2 + k], "big")


def main():
    path, index, cms_out, content_out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    data = open(path, "rb").read()
    ranges = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    a0, a, b, c = (int(x) for x in ranges[index])
    if a0 != 0 or data[a:a + 1] != b"<" or data[b - 1:b] != b">":
        raise SystemExit("the /ByteRange gap is not a hex string")
    raw = bytes.fromhex(data[a + 1:b - 1].decode("ascii"))
    open(cms_out, "wb").write(raw[:der_length(raw)])
    open(content_out, "wb").write(data[:a] + data[b:b + c])
    print(a0, a, b, c, len(data))


main()
