#!/usr/bin/env bash
# Path building with AIA caIssuers: a signature that carries only the
# signer's certificate (made by openssl cms without -certfile) and a real
# HTTP server on 127.0.0.1 (tests/revocation/rev_server.py) serving the
# intermediate. The test PKI's "withrev" signer names
# http://127.0.0.1:18080/intermediate.der; --url-rewrite sends that to the
# server's random port. Cases: offline without cache, online fetch, the
# cache making --offline pass, PKCS#7 certs-only answers, junk and
# oversized answers, --no-aia and the config's aia = no, and revocation
# checking through the fetched intermediate.
source "$(dirname "$0")/lib.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
export VBSIG_CONFIG=""

PIDS=()
stop_all() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; return 0; }
trap stop_all EXIT
# serve NAME DIR: an HTTP server for the files of DIR; sets PORT, PID, LOG
serve() {
  local d="$WORK/srv-$1"
  mkdir -p "$d"
  python3 "$SRC/tests/revocation/rev_server.py" --port-file "$d/port" --log "$d/log" --crl-dir "$2" 2>"$d/stderr" &
  PID=$!
  PIDS+=("$PID")
  local i
  for i in $(seq 200); do [ -s "$d/port" ] && break; sleep 0.05; done
  [ -s "$d/port" ] || { echo "server $1 did not start: $(cat "$d/stderr")" >&2; exit 1; }
  PORT=$(cat "$d/port")
  LOG="$d/log"
  touch "$LOG"
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$PKI/signers/withrev.pem" \
  -inkey "$PKI/signers/withrev.key" -outform DER -out "$WORK/lone.p7s"
[ "$(openssl cms -cmsout -print -inform DER -in "$WORK/lone.p7s" | grep -c 'subject:')" = 1 ] && pass ||
  fail "the signature should carry only the signer's certificate"

# verify NAME-OF-CASE [options…]: no revocation (its own case below)
verify() { run "$VBSIG" verify "$WORK/lone.p7s" --data "$doc" --trust "$root" --json --revocation off "$@"; }
sig() { json_get "$out" "d['signatures'][0]$1"; }
rw() { echo "--url-rewrite" "http://127.0.0.1:18080=http://127.0.0.1:$1"; }

# 1. Offline, no cache: the intermediate is nowhere.
verify --offline $(rw "$closed")
expect_rc 2 "offline without cache"
[ "$(sig "['subindication']")" = NO_CERTIFICATE_CHAIN_FOUND ] && pass || fail "offline: $out"

# 2. Online: fetched from the caIssuers URL, then kept in the cache.
mkdir -p "$WORK/der"
cp "$PKI/crl/intermediate.der" "$WORK/der/"
serve der "$WORK/der"
verify $(rw "$PORT") --cache-dir "$WORK/cache"
expect_rc 0 "online: the intermediate comes from caIssuers"
[ "$(sig "['status'], len(d['signatures'][0]['chain'])")" = "TOTAL-PASSED 3" ] && pass || fail "online chain: $out"
expect_in "GET /intermediate.der" "$(cat "$LOG")" "the server was asked"
[ "$(ls "$WORK/cache/certs" | wc -l)" = 1 ] && pass || fail "one certificate in the cache: $(ls -R "$WORK/cache")"
cmp -s "$(ls -d "$WORK"/cache/certs/*)" "$PKI/crl/intermediate.der" && pass || fail "the cached certificate is the intermediate"

# 3. The server gone: --offline with the cache passes, without it does not.
stop "$PID"
verify --offline --cache-dir "$WORK/cache" $(rw "$PORT")
expect_rc 0 "offline with the cache"
verify $(rw "$PORT") --cache-dir "$WORK/cache"
expect_rc 0 "online with the server down, cache hit (no fetch needed)"
verify --offline --cache-dir "$WORK/empty-cache" $(rw "$PORT")
expect_rc 2 "offline with an empty cache"

# 4. A PKCS#7 certs-only answer (RFC 5280 allows both forms).
mkdir -p "$WORK/p7"
openssl crl2pkcs7 -nocrl -certfile "$PKI/ca/intermediate.pem" -certfile "$root" -outform DER \
  -out "$WORK/p7/intermediate.der"
serve p7 "$WORK/p7"
verify $(rw "$PORT")
expect_rc 0 "PKCS#7 certs-only caIssuers answer"
stop "$PID"

# 5. Hostile answers: junk, a certificate that is not the issuer, too large.
mkdir -p "$WORK/junk" "$WORK/wrong" "$WORK/big"
head -c 3000 /dev/urandom >"$WORK/junk/intermediate.der"
cp "$PKI/unknownroot/root.pem" "$WORK/wrong/intermediate.der"
{ cat "$PKI/ca/intermediate.pem"; head -c 400000 /dev/zero | tr '\0' 'A'; } >"$WORK/big/intermediate.der"
for k in junk wrong big; do
  serve "$k" "$WORK/$k"
  verify $(rw "$PORT")
  expect_rc 2 "$k answer"
  [ "$(sig "['subindication']")" = NO_CERTIFICATE_CHAIN_FOUND ] && pass || fail "$k: $out"
  expect_in "GET /intermediate.der" "$(cat "$LOG")" "$k: the server was asked"
  stop "$PID"
done

# 5b. A certificate listing ten caIssuers URLs costs at most four requests.
serve many "$WORK/junk"
{
  echo "[ext_many]"
  echo "basicConstraints = CA:FALSE"
  echo "keyUsage = critical,digitalSignature,nonRepudiation"
  printf 'authorityInfoAccess = '
  for i in $(seq 10); do printf 'caIssuers;URI:http://127.0.0.1:%s/ca%d.der%s' "$PORT" "$i" "$([ "$i" -lt 10 ] && echo ,)"; done
  echo
} >"$WORK/many.cnf"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/many.key" 2>/dev/null
openssl req -new -key "$WORK/many.key" -subj "/C=VN/O=Thu nghiem/CN=many AIA" -out "$WORK/many.csr"
openssl x509 -req -in "$WORK/many.csr" -CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" -days 30 \
  -extfile "$WORK/many.cnf" -extensions ext_many -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/many.pem" 2>/dev/null
openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$WORK/many.pem" -inkey "$WORK/many.key" \
  -outform DER -out "$WORK/many.p7s"
run "$VBSIG" verify "$WORK/many.p7s" --data "$doc" --trust "$root" --json --revocation off
expect_rc 2 "ten unusable caIssuers URLs"
[ "$(wc -l <"$LOG" | tr -d ' ')" = 4 ] && pass || fail "requests made: $(cat "$LOG")"
stop "$PID"

# 6. --no-aia, and aia = no in the config file: no request at all.
serve off "$WORK/der"
verify $(rw "$PORT") --no-aia
expect_rc 2 "--no-aia"
printf '[network]\naia = no\n' >"$WORK/noaia.conf"
verify $(rw "$PORT") --config "$WORK/noaia.conf"
expect_rc 2 "aia = no in the config"
[ ! -s "$LOG" ] && pass || fail "nothing may be fetched with AIA off: $(cat "$LOG")"
stop "$PID"

# 7. Revocation through the fetched intermediate: the CRL the signer names
#    is checked against the intermediate that AIA brought.
mkdir -p "$WORK/both"
cp "$PKI/crl/intermediate.der" "$PKI/crl/intermediate.crl" "$WORK/both/"
serve both "$WORK/both"
run "$VBSIG" verify "$WORK/lone.p7s" --data "$doc" --trust "$root" --json $(rw "$PORT") \
  --url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$closed"
expect_rc 0 "AIA and CRL from the same server"
[ "$(sig "['revocation']['status'], d['signatures'][0]['revocation']['source']")" = "good crl" ] && pass ||
  fail "revocation through the fetched intermediate: $out"
stop "$PID"

finish
