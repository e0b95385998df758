#!/usr/bin/env python3
"""The "office application" of the browser tests: static files over https
(the allowed origin, and a second name that is not allowed) and over plain
http (a public page that is not a secure context), on loopback ports chosen
by the kernel, written to --ports-file as "https=N http=M"."""
import argparse
import http.server
import os
import ssl
import sys
import threading

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".pdf": "application/pdf", ".png": "image/png", ".json": "application/json"}


def handler_for(root):
    class Static(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            sys.stderr.write("page_server: %s %s\n" % (self.headers.get("Host"), fmt % args))

        def do_GET(self):
            name = os.path.basename(self.path.split("?", 1)[0]) or "office.html"
            path = os.path.join(root, name)
            if not os.path.isfile(path):
                self.send_error(404)
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(os.path.splitext(name)[1], "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
    return Static


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ports-file", required=True)
    a = ap.parse_args()
    handler = handler_for(os.path.abspath(a.dir))
    secure = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(a.cert, a.key)
    secure.socket = tls.wrap_socket(secure.socket, server_side=True)
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    for server in (secure, plain):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = a.ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("https=%d http=%d\n" % (secure.server_address[1], plain.server_address[1]))
    os.rename(tmp, a.ports_file)
    threading.Event().wait()


if __name__ == "__main__":
    main()
