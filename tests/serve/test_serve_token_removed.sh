#!/usr/bin/env bash
# A token pulled out while POST /v1/sign is signing with it (the
# fault-injecting module of pkcs11-bridge/tests, forwarding to SoftHSM2):
# the request answers at once with a problem+json that says so (503,
# urn:vbsig:problem:token-removed, VBSIG_E_TOKEN_REMOVED; in English and in
# Vietnamese), nothing is signed, the service keeps running, the token is
# free again for the next request, and once the token is back it signs.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/serve/lib_serve.sh"
FAULTY=$BUILD/lib/libvbsig_faulty_p11.so
[ -e "$FAULTY" ] || { fail "fault-injecting module not built: $FAULTY"; finish; }
export VBSIG_FAULTY_TARGET=$MODULE VBSIG_FAULTY_STATE=$WORK/faulty.state
export VBSIG_FAULTY_PRESENT_FILE=$WORK/present VBSIG_FAULTY_DELAY_FILE=$WORK/delay
export VBSIG_FAULTY_SIGN_STARTED=$WORK/sign-started
touch "$VBSIG_FAULTY_PRESENT_FILE"
echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
MODULE=$FAULTY
start_serve
J=application/json

script confirm
req POST /v1/pair --origin "$ORIGIN" --body '{}'
ID=$(json_get "$body" "d['pairing']")
req POST /v1/pair --origin "$ORIGIN" --ctype $J --body "{\"pairing\":\"$ID\"}"
expect_status 200 "pair"
TOKEN=$(json_get "$body" "d['token']")
req GET /v1/certificates --origin "$ORIGIN" --ctype $J --token "$TOKEN"
expect_status 200 "certificates through the fault-injecting module"
CERT=$(json_get "$body" "[c['id'] for c in d['certificates'] if 'rsa2048' in (c['label'] or '')][0]")
PDF="$SRC/test-vectors/corpus/pdf/cairo-longan.pdf"
/usr/bin/python3 -c "import base64,json,sys; print(json.dumps({'document': base64.b64encode(open(sys.argv[1],'rb').read()).decode(), 'name': 'cong-van.pdf', 'certificate': sys.argv[2], 'format': 'pades'}))" "$PDF" "$CERT" >"$WORK/sign.json"

# pulled LANG TITLE-WORDS: one POST /v1/sign whose C_Sign is wedged (the
# delay file) until the token goes; the answer must come without the delay.
pulled() {
  local lang=$1 words=$2
  script confirm "pin 1234"
  rm -f "$VBSIG_FAULTY_SIGN_STARTED"
  touch "$VBSIG_FAULTY_PRESENT_FILE"
  echo 600000 >"$VBSIG_FAULTY_DELAY_FILE"
  : >"$AUDIT.before" && cp "$AUDIT" "$AUDIT.before"
  timeout 60 /usr/bin/python3 "$HERE/client.py" "$PORT" POST /v1/sign --origin "$ORIGIN" --ctype $J \
    --token "$TOKEN" --lang "$lang" --body-file "$WORK/sign.json" >"$WORK/pulled-$lang.resp" &
  local client=$!
  for _ in $(seq 400); do [ -e "$VBSIG_FAULTY_SIGN_STARTED" ] && break; sleep 0.05; done
  [ -e "$VBSIG_FAULTY_SIGN_STARTED" ] && pass || fail "$lang: the signature never started: $(cat "$PINENTRY_LOG")"
  sleep 0.3 # inside C_Sign's wedge
  kill -0 "$client" 2>/dev/null && pass || fail "$lang: the request ended before the token was pulled"
  rm -f "$VBSIG_FAULTY_PRESENT_FILE"
  wait "$client"
  local crc=$?
  echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
  [ "$crc" -eq 0 ] && pass || fail "$lang: no answer after the token was pulled (client exit $crc)"
  cp "$WORK/pulled-$lang.resp" "$WORK/.resp"
  status=$(jget_all "d['status']")
  body=$(jget_all "json.dumps(d['body'], ensure_ascii=False)")
  expect_status 503 "$lang: token pulled mid-sign"
  expect_in "application/problem+json" "$(hdr content-type)" "$lang: problem+json"
  expect_in "urn:vbsig:problem:token-removed" "$(jget "d['type']")" "$lang: the problem type"
  [ "$(jget "d['code']")" = VBSIG_E_TOKEN_REMOVED ] && pass || fail "$lang: code: $body"
  [ "$(jget "d['status']")" = 503 ] && pass || fail "$lang: the problem's status: $body"
  expect_in "$words" "$(jget "d['title']")" "$lang: the title says the token was removed"
  case "$body" in *'"document"'*) fail "$lang: a document came back: $body" ;; *) pass ;; esac
  grep -q GETPIN "$PINENTRY_LOG" && pass || fail "$lang: the PIN was asked (the removal came after the login)"
  local new
  new=$(comm -13 "$AUDIT.before" "$AUDIT" | grep 'POST /v1/sign ')
  expect_in "status=503 outcome=token-removed" "$new" "$lang: the audit line"
  kill -0 "$SERVE_PID" 2>/dev/null && pass || fail "$lang: vbsig serve died: $(cat "$WORK/serve.err")"
}
pulled en "removed"
pulled vi "rút ra"

# Back in the reader: the next request signs (the token's lock was released
# and a fresh session logs in again).
touch "$VBSIG_FAULTY_PRESENT_FILE"
echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
script confirm "pin 1234"
req POST /v1/sign --origin "$ORIGIN" --ctype $J --token "$TOKEN" --body-file "$WORK/sign.json"
expect_status 200 "sign after the token is back"
jget "d['document']" | base64 -d >"$WORK/signed.pdf"
pdfsig -nssdir "$PKI/nssdb" "$WORK/signed.pdf" >"$WORK/.pdfsig" 2>&1
grep -q "Signature is Valid" "$WORK/.pdfsig" && pass || fail "pdfsig: $(cat "$WORK/.pdfsig")"
[ "$(grep -c 'outcome=signed' "$AUDIT")" = 1 ] && pass || fail "one signature in the audit log: $(cat "$AUDIT")"
stop_serve
finish
