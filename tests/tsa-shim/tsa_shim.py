#!/usr/bin/env python3
"""A real RFC 3161 timestamp authority for tests, on 127.0.0.1 only.

Every POSTed query is answered by OpenSSL's own TSA (`openssl ts -reply`)
with the test PKI's TSA key. Modes make it misbehave the way real TSAs do:

  ok             answer properly
  slow           sleep --delay seconds, then answer
  garbage        answer 200 application/timestamp-reply with random bytes
  wrong-nonce    answer a query whose nonce differs from the one asked
  wrong-imprint  answer a query whose message imprint differs
  html           answer 200 text/html (a captive portal, a web server)

--fail-first N answers the first N requests with HTTP 503 (for retries);
--user/--password demand HTTP basic authentication; --faketime=SPEC runs
openssl under libfaketime (FAKETIME=SPEC preloaded, e.g. -60d: a TSA whose clock
says another time).
--tls-cert/--tls-key serve HTTPS instead of HTTP (the cert file may carry
the chain after the server certificate).
--once QUERY OUT answers one query file without serving (for unit tests).

The listening port is written to --port-file once the socket is bound;
every request appends a line to --log.
"""
import argparse
import base64
import glob
import http.server
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time

POLICY = "1.3.6.1.4.1.99999.1.1"
OTHER_POLICY = "1.3.6.1.4.1.99999.1.2"
MAX_QUERY = 64 * 1024


def write_config(work):
    serial = os.path.join(work, "tsa-serial")
    if not os.path.exists(serial):
        with open(serial, "w") as f:
            f.write("%032x\n" % int.from_bytes(os.urandom(15), "big"))
    cnf = os.path.join(work, "tsa.cnf")
    with open(cnf, "w") as f:
        f.write(f"""[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = {POLICY}
other_policies = {OTHER_POLICY}
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")
    return cnf


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
        out.append((tag, c, e))
        start = e
    return out


def alter_query(query, what):
    """Flips the last byte of the nonce or of the hashed message."""
    q = bytearray(query)
    _, c, e = tlv(q, 0)
    parts = children(q, c, e)
    if what == "nonce":
        for tag, pc, pe in parts[2:]:
            if tag == 0x02:
                q[pe - 1] ^= 0x01
                return bytes(q)
        raise ValueError("query without a nonce")
    _, ic, ie = parts[1]
    _, hc, he = children(q, ic, ie)[1]
    q[he - 1] ^= 0x01
    return bytes(q)


def openssl_reply(args, query):
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        qf = os.path.join(tmp, "q.tsq")
        rf = os.path.join(tmp, "r.tsr")
        with open(qf, "wb") as f:
            f.write(query)
        cmd = ["openssl", "ts", "-reply", "-config", args.config, "-queryfile", qf,
               "-signer", args.signer, "-inkey", args.inkey, "-chain", args.chain, "-out", rf]
        env = None
        if args.faketime:
            # libfaketime preloaded directly: the `faketime` wrapper's named
            # semaphore collides with one left by an earlier process of the
            # same PID ("sem_open: File exists") when tests run in parallel.
            libs = glob.glob("/usr/lib/*/faketime/libfaketime.so.1")
            if not libs:
                sys.stderr.write("libfaketime is not installed\n")
                return None
            env = dict(os.environ, LD_PRELOAD=libs[0], FAKETIME=args.faketime)
        res = subprocess.run(cmd, capture_output=True, env=env)
        if res.returncode != 0 or not os.path.exists(rf):
            sys.stderr.write(res.stderr.decode(errors="replace"))
            return None
        with open(rf, "rb") as f:
            return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        srv = self.server
        with srv.lock:
            srv.count += 1
            count = srv.count
        length = int(self.headers.get("Content-Length", "0"))
        if length <= 0 or length > MAX_QUERY:
            return self.send(413, "text/plain", b"bad length\n")
        query = self.rfile.read(length)
        args = srv.args
        with open(args.log, "a") as f:
            f.write(f"{count} {self.headers.get('Content-Type')} {self.headers.get('Authorization', '-')}\n")
        if args.user is not None:
            want = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
            if self.headers.get("Authorization") != want:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="tsa"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if count <= args.fail_first:
            return self.send(503, "text/plain", b"try later\n")
        if self.headers.get("Content-Type") != "application/timestamp-query":
            return self.send(415, "text/plain", b"wrong content type\n")
        if args.mode == "slow":
            time.sleep(args.delay)
        if args.mode == "garbage":
            return self.send(200, "application/timestamp-reply", os.urandom(200))
        if args.mode == "html":
            return self.send(200, "text/html", b"<html>login first</html>\n")
        if args.mode == "wrong-nonce":
            query = alter_query(query, "nonce")
        elif args.mode == "wrong-imprint":
            query = alter_query(query, "imprint")
        with srv.lock:  # the serial file is shared by every reply
            reply = openssl_reply(args, query)
        if reply is None:
            return self.send(500, "text/plain", b"openssl ts failed\n")
        self.send(200, "application/timestamp-reply", reply)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pki", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--mode", default="ok",
                   choices=["ok", "slow", "garbage", "wrong-nonce", "wrong-imprint", "html"])
    p.add_argument("--delay", type=float, default=5.0)
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--user")
    p.add_argument("--password", default="")
    p.add_argument("--faketime")
    p.add_argument("--signer")
    p.add_argument("--inkey")
    p.add_argument("--chain")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--once", nargs=2, metavar=("QUERY", "OUT"))
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    args.signer = args.signer or os.path.join(args.pki, "signers", "tsa.pem")
    args.inkey = args.inkey or os.path.join(args.pki, "signers", "tsa.key")
    args.chain = args.chain or os.path.join(args.pki, "chain.pem")
    args.config = write_config(args.work)
    if args.once:
        with open(args.once[0], "rb") as f:
            reply = openssl_reply(args, f.read())
        if reply is None:
            return 1
        with open(args.once[1], "wb") as f:
            f.write(reply)
        return 0
    args.log = args.log or os.path.join(args.work, "requests.log")
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = tls.wrap_socket(srv.socket, server_side=True)
    srv.args = args
    srv.count = 0
    srv.lock = threading.Lock()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
