#!/usr/bin/env python3
"""compare_fields.py FIELDS JSON: the report accessors' values (the key=value
lines tests/install/consumer.c wrote) against the CLI's JSON report of the
same file. Prints each disagreement; exit 1 if any."""
import datetime
import json
import os
import sys


def epoch(iso):
    if iso is None:
        return "null"
    return str(int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()))


def text(v):
    if v is None:
        return "null"
    if v is True:
        return "1"
    if v is False:
        return "0"
    return str(v)


def expected(d):
    e = {"format": d["format"], "status": d["status"], "count": str(len(d["signatures"]))}
    for s in d["signatures"]:
        i = s["index"]
        p = lambda k, v: e.__setitem__("%d.%s" % (i, k), text(v))
        for k in ("status", "subindication", "level", "id", "digest_algorithm", "trust_domain", "subfilter",
                  "modifications_after"):
            p(k, s.get(k))
        signer = s.get("signer") or {}
        for k in ("subject", "issuer", "serial", "key", "common_name", "organization", "title", "tax_code",
                  "id_number", "budget_code"):
            p("signer." + k, signer.get(k))
        for k in ("signing_time", "claimed_signing_time", "validation_time"):
            e["%d.%s" % (i, k)] = epoch(s.get(k))
        ts = s.get("timestamp")
        p("timestamp", 1 if ts else 0)
        if ts:
            p("timestamp.status", ts.get("status"))
            p("timestamp.subindication", ts.get("subindication"))
            p("timestamp.tsa", ts.get("tsa"))
            e["%d.timestamp.time" % i] = epoch(ts.get("time"))
        p("weak_algorithm", s.get("weak_algorithm"))
        chain = s.get("chain") or []
        p("chain", len(chain))
        for j, c in enumerate(chain):
            p("chain.%d" % j, c)
        rev = s.get("revocation") or {}
        p("revocation.status", rev.get("status"))
        p("revocation.source", rev.get("source"))
        p("revocation.reason", rev.get("reason"))
        e["%d.revocation.produced_at" % i] = epoch(rev.get("produced_at"))
        e["%d.revocation.revoked_at" % i] = epoch(rev.get("revoked_at"))
        cov = s.get("coverage")
        p("whole_document", -1 if cov is None else (1 if cov["whole_document"] else 0))
        if cov is not None and cov.get("revision") is not None:
            p("revision", cov["revision"])
            p("revisions", cov["revisions"])
        p("document_timestamp", 1 if s.get("type") == "document_timestamp" else 0)
        p("certification", s.get("certification") or 0)
        reasons = s.get("modification_reasons") or []
        p("modification_reasons", len(reasons))
        for j, m in enumerate(reasons):
            p("modification_reasons.%d" % j, m)
        ap = s.get("appearance") or {}
        p("appearance", 1 if ap.get("visible") else 0)
        if ap.get("visible"):
            p("appearance.page", ap["page"])
            p("appearance.rect_mm", ",".join("%.2f" % v for v in ap["rect_mm"]))
        msgs = s.get("messages") or []
        p("messages", len(msgs))
        for j, m in enumerate(msgs):
            p("messages.%d" % j, m)
        refs = s.get("references") or []
        p("references", len(refs))
        for j, r in enumerate(refs):
            p("references.%d" % j, "%s|%s|%s|%s|%s" % (r.get("uri"), r.get("path"), r.get("kind"), r.get("bytes"),
                                                        text(r.get("digest_ok"))))
    return e


def main():
    got = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        k, _, v = line.rstrip("\n").partition("=")
        got[k] = v
    d = json.load(open(sys.argv[2], encoding="utf-8"))
    want = expected(d)
    bad = 0
    for k in sorted(set(want) | set(got)):
        if k == "file":
            continue
        if want.get(k) != got.get(k):
            print("%s: accessor %r, JSON %r" % (k, got.get(k), want.get(k)))
            bad += 1
    # The JSON names the file as given on the command line; the consumer set the base name.
    if got.get("file") != os.path.basename(d.get("file") or ""):
        print("file: accessor %r, JSON %r" % (got.get("file"), d.get("file")))
        bad += 1
    print("%d fields compared, %d differ" % (len(want), bad))
    return 1 if bad else 0


sys.exit(main())
