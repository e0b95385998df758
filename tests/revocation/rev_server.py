#!/usr/bin/env python3
"""Revocation servers for the tests, on 127.0.0.1 only, on a port the kernel
picks (written to --port-file): GET serves files from --crl-dir (CRLs);
POST hands the body to a real OpenSSL OCSP responder
(`openssl ocsp -reqin … -respout …` with the arguments after `--`) and
sends its answer back. `openssl ocsp -port` would listen on every
interface, so it is not used. Every request is logged to --log."""
import argparse
import os
import subprocess
import sys
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_REQUEST = 64 * 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--crl-dir")
    ap.add_argument("ocsp_args", nargs="*", help="openssl ocsp responder arguments")
    a = ap.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def note(self, what):
            with open(a.log, "a") as f:
                f.write(what + "\n")

        def answer(self, code, body=b"", ctype="application/octet-stream"):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.note("GET " + self.path)
            name = os.path.basename(self.path)
            path = os.path.join(a.crl_dir or "/nonexistent", name)
            if a.crl_dir is None or not name or not os.path.isfile(path):
                return self.answer(404)
            with open(path, "rb") as f:
                self.answer(200, f.read(), "application/pkix-crl")

        def do_POST(self):
            self.note("POST " + self.path)
            n = int(self.headers.get("Content-Length", "0"))
            if not a.ocsp_args or n <= 0 or n > MAX_REQUEST:
                return self.answer(400)
            body = self.rfile.read(n)
            with tempfile.TemporaryDirectory() as d:
                req, resp = os.path.join(d, "req.der"), os.path.join(d, "resp.der")
                with open(req, "wb") as f:
                    f.write(body)
                r = subprocess.run(["openssl", "ocsp", *a.ocsp_args, "-reqin", req, "-respout", resp],
                                   capture_output=True)
                if r.returncode != 0 or not os.path.exists(resp):
                    sys.stderr.write(r.stderr.decode(errors="replace"))
                    return self.answer(500)
                with open(resp, "rb") as f:
                    self.answer(200, f.read(), "application/ocsp-response")

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
