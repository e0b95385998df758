# Helpers for the vbsig-tsa integration tests (tests/cli/test_tsa_*.sh).
# Source after lib.sh. Servers listen on 127.0.0.1 only, on a random high
# port (retried when taken), and are stopped when the test exits.
TSA_BIN="$BUILD/bin/vbsig-tsa"
TSA_POLICY=1.3.6.1.4.1.99999.1.1
TSA_PIDS=()
# The key options of tsa_start; empty: the TSA test key and certificate files.
TSA_KEY_ARGS=()

tsa_cleanup() {
  local p
  for p in "${TSA_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  return 0
}
trap tsa_cleanup EXIT

# tsa_start NAME [ARGS...]: starts a server with the TSA test key, a
# journal $WORK/NAME.db (unless ARGS give one) and ARGS. Sets TSA_PID,
# TSA_URL, TSA_LOG. Returns non-zero (with the log shown) if it never came up.
tsa_start() {
  local name=$1; shift
  local try port
  local keyargs=(--key "$PKI/signers/tsa.key" --cert "$PKI/signers/tsa.pem")
  if [ "${#TSA_KEY_ARGS[@]}" -gt 0 ]; then keyargs=("${TSA_KEY_ARGS[@]}"); fi
  TSA_LOG="$WORK/$name.log"
  for try in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + RANDOM % 40000 ))
    "$TSA_BIN" --listen "127.0.0.1:$port" "${keyargs[@]}" \
      --chain "$PKI/chain.pem" --policy "$TSA_POLICY" --journal "$WORK/$name.db" "$@" \
      >>"$TSA_LOG" 2>&1 &
    TSA_PID=$!
    TSA_PIDS+=("$TSA_PID")
    TSA_URL="http://127.0.0.1:$port"
    local i
    for i in $(seq 1 100); do
      if grep -q 'event=started' "$TSA_LOG" 2>/dev/null && grep -q "pid=$TSA_PID" "$TSA_LOG"; then
        return 0
      fi
      if ! kill -0 "$TSA_PID" 2>/dev/null; then break; fi
      sleep 0.05
    done
    wait "$TSA_PID" 2>/dev/null
    grep -q 'cannot listen' "$TSA_LOG" || { cat "$TSA_LOG" >&2; return 1; }
  done
  cat "$TSA_LOG" >&2
  return 1
}

# tsa_stop: SIGTERM and wait (at most 30 s, then SIGKILL); sets stop_rc.
tsa_stop() {
  kill -TERM "$TSA_PID" 2>/dev/null
  local i
  for i in $(seq 1 300); do
    kill -0 "$TSA_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$TSA_PID" 2>/dev/null
  wait "$TSA_PID" 2>/dev/null
  stop_rc=$?
}

# ts_post QUERY REPLY [CURL-ARGS...]: POSTs a query; prints the HTTP status.
ts_post() {
  local q=$1 r=$2; shift 2
  curl -s -m 20 -H 'Content-Type: application/timestamp-query' --data-binary "@$q" "$@" \
    -o "$r" -w '%{http_code}' "$TSA_URL/"
}

# reply_field REPLY FIELD: a line of `openssl ts -reply -text` after "FIELD: ".
reply_field() {
  openssl ts -reply -in "$1" -text 2>/dev/null | sed -n "s/^$2: //p" | head -1
}

# der_request HASHNAME IMPRINT_LEN [extension]: a TimeStampReq built by hand,
# for requests openssl ts -query cannot make.
der_request() {
  python3 - "$@" <<'PY'
import sys
def tlv(tag, body):
    n = len(body)
    if n < 0x80: l = bytes([n])
    elif n < 0x100: l = bytes([0x81, n])
    else: l = bytes([0x82, n >> 8, n & 0xff])
    return bytes([tag]) + l + body
def oid(text):
    parts = [int(x) for x in text.split('.')]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7f]; p >>= 7
        while p: enc.insert(0, 0x80 | (p & 0x7f)); p >>= 7
        out += bytes(enc)
    return tlv(0x06, out)
oids = {'sha256': '2.16.840.1.101.3.4.2.1', 'sha1': '1.3.14.3.2.26', 'sha512': '2.16.840.1.101.3.4.2.3'}
alg = tlv(0x30, oid(oids[sys.argv[1]]) + b'\x05\x00')
imprint = tlv(0x30, alg + tlv(0x04, b'\x11' * int(sys.argv[2])))
body = tlv(0x02, b'\x01') + imprint + tlv(0x02, b'\x01\x23\x45\x67\x89')
if len(sys.argv) > 3:
    ext = tlv(0x30, oid('1.3.6.1.4.1.99999.7') + tlv(0x04, tlv(0x05, b'')))
    body += tlv(0xa0, ext)  # [0] IMPLICIT SEQUENCE OF Extension
sys.stdout.buffer.write(tlv(0x30, body))
PY
}

# tsa_faulty_token: the TSA key on a SoftHSM2 token behind the fault-injecting
# module; sets TSA_KEY_ARGS, and $VBSIG_FAULTY_DELAY_FILE (ms each C_Sign
# sleeps, re-read while it sleeps) to 0. Returns non-zero if it cannot.
tsa_faulty_token() {
  local faulty=$BUILD/lib/libvbsig_faulty_p11.so module
  [ -e "$faulty" ] || { echo "fault-injecting module not built: $faulty" >&2; return 1; }
  bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" >/dev/null || return 1
  export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
  module=$(cat "$WORK/hsm/module.txt")
  local p11=(pkcs11-tool --module "$module" --token-label vbsig-test --login --pin 1234)
  openssl pkey -in "$PKI/signers/tsa.key" -outform DER -out "$WORK/tsa.key.der" &&
    openssl x509 -in "$PKI/signers/tsa.pem" -outform DER -out "$WORK/tsa.crt.der" &&
    "${p11[@]}" --write-object "$WORK/tsa.key.der" --type privkey --id 10 --label tsa --usage-sign >/dev/null 2>&1 &&
    "${p11[@]}" --write-object "$WORK/tsa.crt.der" --type cert --id 10 --label tsa >/dev/null 2>&1 || return 1
  export VBSIG_FAULTY_TARGET=$module VBSIG_FAULTY_STATE=$WORK/faulty.state
  export VBSIG_FAULTY_DELAY_FILE=$WORK/delay TOKEN_PIN=1234
  echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
  TSA_KEY_ARGS=(--key "pkcs11:token=vbsig-test;object=tsa;type=private" --module "$faulty" --pin env:TOKEN_PIN)
}

# tsa_verify QUERY REPLY: the reply is a granted token that verifies.
tsa_verify() {
  openssl ts -verify -in "$2" -queryfile "$1" -CAfile "$PKI/root/root.pem" \
    -untrusted "$PKI/chain.pem" >/dev/null 2>&1
}
