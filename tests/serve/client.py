#!/usr/bin/python3
"""HTTP client of the vbsig serve tests: one request, the answer printed as
a JSON line {"status": N, "headers": {...}, "body": ...}.
usage: client.py PORT METHOD PATH [--origin O] [--host H] [--token T]
       [--ctype C] [--lang L] [--body JSON | --body-file F] [--fake-length N]
       [--header K:V]..."""
import http.client, json, sys

args = sys.argv[1:]
port, method, path = int(args[0]), args[1], args[2]
opts, extra, i = {}, [], 3
while i < len(args):
    k = args[i][2:]
    if k == "header":
        extra.append(args[i + 1].split(":", 1))
    else:
        opts[k] = args[i + 1]
    i += 2
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
c.putheader("Host", opts.get("host", "127.0.0.1:%d" % port))
if "origin" in opts: c.putheader("Origin", opts["origin"])
if "token" in opts: c.putheader("Authorization", "Bearer " + opts["token"])
if "ctype" in opts: c.putheader("Content-Type", opts["ctype"])
if "lang" in opts: c.putheader("Accept-Language", opts["lang"])
for k, v in extra: c.putheader(k, v)
body = None
if "body" in opts: body = opts["body"].encode()
if "body-file" in opts: body = open(opts["body-file"], "rb").read()
if "fake-length" in opts:
    # Announce a huge body and send none: the server must answer at once.
    c.putheader("Content-Length", opts["fake-length"])
    c.endheaders()
elif body is not None:
    c.putheader("Content-Length", str(len(body)))
    c.endheaders()
    c.send(body)
else:
    c.endheaders()
r = c.getresponse()
data = r.read()
try:
    b = json.loads(data) if data else None
except ValueError:
    b = data.decode(errors="replace")
print(json.dumps({"status": r.status, "headers": {k.lower(): v for k, v in r.getheaders()}, "body": b}))
