#!/usr/bin/env bash
# Revocation data fetched over https during `vbsig verify`. The verify command
# starts OpenSSL without its legacy cipher-name table (cli/src/main.c), so
# this checks that TLS still negotiates a cipher: against a local TLS server
# (openssl s_server) whose certificate no CA vouches for, the fetch must get
# as far as judging that certificate.
source "$(dirname "$0")/lib.sh"
root="$PKI/root/root.pem"
doc="$WORK/cong-van.txt"
printf 'Công văn: thu hồi qua https\n' >"$doc"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # wait_port PORT: up to 5 s for something to listen
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# The CRLs of the test PKI, served over TLS with a self-made certificate.
mkdir -p "$WORK/www"
cp "$PKI"/crl/*.crl "$WORK/www/"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tls.key" -out "$WORK/tls.pem" -subj /CN=127.0.0.1 \
  -days 2 >/dev/null 2>&1
port=$(free_port)
(cd "$WORK/www" && exec openssl s_server -WWW -quiet -accept "$port" -cert "$WORK/tls.pem" -key "$WORK/tls.key") \
  >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
wait_port "$port" && pass || fail "openssl s_server did not start on $port"

run "$VBSIG" sign "$doc" -o "$WORK/w.p7s" --key "$PKI/signers/withrev.p12" --pass pass:vbsig-test --format cades --detached
expect_rc 0 "sign with a certificate that names a CRL"
down=$(free_port)
run "$VBSIG" verify "$WORK/w.p7s" --data "$doc" --trust "$root" --revocation hard --json \
  --url-rewrite "http://127.0.0.1:18081/=http://127.0.0.1:$down/" \
  --url-rewrite "http://127.0.0.1:18080/=https://127.0.0.1:$port/"
expect_rc 2 "the status cannot be obtained: the server's certificate is not trusted"
expect_in "https://127.0.0.1:$port/" "$out" "the https URL is named"
# curl's message for a certificate it cannot verify: the handshake got past
# the cipher choice to the server's certificate.
expect_in "SSL certificate problem" "$out" "TLS reached the certificate check"
case "$out" in *"no cipher"* | *"handshake failure"* | *"cipher"*"not"*) fail "TLS found no cipher: $out" ;; *) pass ;; esac
finish
