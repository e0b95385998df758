#!/usr/bin/env python3
"""Reads a PDF's /DSS through qpdf's JSON (an outside reader, not ours):
pdf_dss.py FILE OUTDIR
writes every /Certs, /OCSPs and /CRLs stream of the newest catalog's /DSS to
OUTDIR/{cert,ocsp,crl}-N.der and prints one JSON object:
  {"certs": n, "ocsps": n, "crls": n,
   "vri": {KEY: {"Cert": n, "OCSP": n, "CRL": n}},
   "sig_keys": [upper-case hex SHA-1 of each signature's /Contents, file order],
   "doc_timestamps": n, "signatures": n}
"""
import base64
import hashlib
import json
import os
import subprocess
import sys


def main():
    path, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    raw = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", path],
                         check=False, capture_output=True).stdout
    objs = json.loads(raw)["qpdf"][1]

    def get(ref):
        o = objs.get("obj:" + ref)
        if o is None:
            raise SystemExit("missing object " + ref)
        return o

    def value(ref_or_value):
        if isinstance(ref_or_value, str) and ref_or_value.endswith(" R"):
            o = get(ref_or_value)
            return o.get("value", o.get("stream", {}).get("dict"))
        return ref_or_value

    root = value(objs["trailer"]["value"]["/Root"])
    summary = {"certs": 0, "ocsps": 0, "crls": 0, "vri": {}, "sig_keys": [], "doc_timestamps": 0, "signatures": 0}
    dss = value(root.get("/DSS")) if "/DSS" in root else None
    if dss is not None:
        for key, kind, name in (("/Certs", "certs", "cert"), ("/OCSPs", "ocsps", "ocsp"), ("/CRLs", "crls", "crl")):
            for i, ref in enumerate(value(dss.get(key, [])) or []):
                data = base64.b64decode(get(ref)["stream"]["data"])
                open(os.path.join(outdir, "%s-%d.der" % (name, i)), "wb").write(data)
                summary[kind] += 1
        for key, entry in (value(dss.get("/VRI", {})) or {}).items():
            entry = value(entry)
            summary["vri"][key[1:]] = {k[1:]: len(value(v)) for k, v in entry.items() if k in ("/Cert", "/OCSP", "/CRL")}
    # Signature dictionaries in object-number order (= the order they were added).
    def num(k):
        return int(k.split(":")[1].split()[0])
    for k in sorted((k for k in objs if k.startswith("obj:")), key=num):
        v = objs[k].get("value")
        if isinstance(v, dict) and "/ByteRange" in v and "/Contents" in v:
            contents = v["/Contents"]
            data = bytes.fromhex(contents[2:]) if contents.startswith("b:") else contents[2:].encode("utf-8")
            summary["sig_keys"].append(hashlib.sha1(data).hexdigest().upper())
            if v.get("/Type") == "/DocTimeStamp":
                summary["doc_timestamps"] += 1
            else:
                summary["signatures"] += 1
    print(json.dumps(summary))


main()
