#!/usr/bin/env bash
# vbsig serve end to end: pair, list certificates, sign a PDF after
# consent and PIN (scripted pinentry), verify it; pdfsig accepts it. User
# cancel and a wrong PIN sign nothing.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/serve/lib_serve.sh"
start_serve
J=application/json
# Pairing, two calls: the code comes first, the dialog shows it.
script confirm
req POST /v1/pair --origin "$ORIGIN" --body '{}'
expect_status 202 "pair start"
ID=$(json_get "$body" "d['pairing']"); CODE=$(json_get "$body" "d['code']")
req POST /v1/pair --origin "$ORIGIN" --ctype $J --body "{\"pairing\":\"$ID\"}"
expect_status 200 "pair confirmed"
TOKEN=$(json_get "$body" "d['token']")
grep -q "SETDESC.*$ORIGIN.*$CODE" "$PINENTRY_LOG" && pass || fail "the dialog shows origin and code: $(cat "$PINENTRY_LOG")"
[ "$(stat -c %a "$XDG_CONFIG_HOME/vbsig/pairings")" = 600 ] && pass || fail "pairings file mode"
grep -q "$TOKEN" "$XDG_CONFIG_HOME/vbsig/pairings" && fail "the token is stored in clear" || pass
run "$VBSIG" serve pairings list
expect_in "$ORIGIN" "$out" "pairings list"
# A wrong token.
script
req GET /v1/certificates --origin "$ORIGIN" --ctype $J --token "x$TOKEN"
expect_status 401 "wrong token"
req GET /v1/info --origin "$ORIGIN" --ctype $J --token "$TOKEN"
expect_status 200 "info"
req GET /v1/certificates --origin "$ORIGIN" --ctype $J --token "$TOKEN"
expect_status 200 "certificates"
CERT=$(json_get "$body" "[c['id'] for c in d['certificates'] if 'rsa2048' in (c['label'] or '')][0]")
PDF="$SRC/test-vectors/corpus/pdf/cairo-longan.pdf"
mkbody() { /usr/bin/python3 -c "import base64,json,sys; print(json.dumps({'document': base64.b64encode(open(sys.argv[1],'rb').read()).decode(), 'name': 'cong-van.pdf', 'certificate': sys.argv[2], 'format': 'pades'}))" "$PDF" "$CERT" >"$WORK/sign.json"; }
mkbody
# User cancel: no login, nothing signed.
script cancel
req POST /v1/sign --origin "$ORIGIN" --ctype $J --token "$TOKEN" --body-file "$WORK/sign.json"
expect_status 403 "user cancel"
expect_in "cancelled" "$body" "cancel problem"
grep -q GETPIN "$PINENTRY_LOG" && fail "PIN asked after a cancel" || pass
# Wrong PIN: a clear error.
script confirm "pin 0000"
req POST /v1/sign --origin "$ORIGIN" --ctype $J --token "$TOKEN" --body-file "$WORK/sign.json"
expect_status 403 "wrong PIN"
expect_in "wrong-pin" "$body" "wrong PIN problem"
expect_in "PIN" "$body" "wrong PIN detail"
grep -q 'outcome=signed' "$AUDIT" && fail "signed before the right PIN" || pass
# Sign.
script confirm "pin 1234"
req POST /v1/sign --origin "$ORIGIN" --ctype $J --token "$TOKEN" --body-file "$WORK/sign.json"
expect_status 200 "sign"
grep -q "SETDESC.*cong-van.pdf.*SHA-256: $(sha256sum "$PDF" | cut -c1-64)" "$PINENTRY_LOG" && pass || fail "consent shows name and digest: $(cat "$PINENTRY_LOG")"
grep -q "SETDESC.*CN=Nguyễn Văn An" "$PINENTRY_LOG" && pass || fail "consent shows the signer"
jget "d['document']" | base64 -d >"$WORK/signed.pdf"
pdfsig -nssdir "$PKI/nssdb" "$WORK/signed.pdf" >"$WORK/.pdfsig" 2>&1
grep -q "Signature is Valid" "$WORK/.pdfsig" && pass || fail "pdfsig: $(cat "$WORK/.pdfsig")"
# (revocation of the test PKI is not served here: INDETERMINATE/TRY_LATER at worst, never a failure)
expect_in "ok" "$(jget "'ok' if d['report']['status'] != 'TOTAL-FAILED' and len(d['report']['signatures']) == 1 else d['report']")" "report of the signed PDF"
# Verify endpoint.
/usr/bin/python3 -c "import base64,json,sys; print(json.dumps({'document': base64.b64encode(open(sys.argv[1],'rb').read()).decode(), 'name': 'signed.pdf'}))" "$WORK/signed.pdf" >"$WORK/verify.json"
req POST /v1/verify --origin "$ORIGIN" --ctype $J --token "$TOKEN" --body-file "$WORK/verify.json"
expect_status 200 "verify"
expect_in "ok" "$(jget "'ok' if d['status'] != 'TOTAL-FAILED' and d['signatures'][0]['signer']['subject'] else d")" "verify report"
# Two-step: a digest signed, checked by openssl.
printf 'data prepared by the document server' >"$WORK/data.bin"
DIG=$(openssl dgst -sha256 -binary "$WORK/data.bin" | base64 -w0)
script confirm "pin 1234"
req POST /v1/sign-digest --origin "$ORIGIN" --ctype $J --token "$TOKEN" --body "{\"digest\":\"$DIG\",\"name\":\"HĐ-15.pdf\",\"certificate\":\"$CERT\"}"
expect_status 200 "sign-digest"
json_get "$body" "d['signature']" | base64 -d >"$WORK/sig.bin"
openssl dgst -sha256 -verify <(openssl x509 -in "$PKI/signers/rsa2048.pem" -pubkey -noout) -signature "$WORK/sig.bin" "$WORK/data.bin" >/dev/null 2>&1 && pass || fail "openssl rejects the sign-digest signature"
grep -q "SETDESC.*HĐ-15.pdf" "$PINENTRY_LOG" && pass || fail "digest consent shows the name"
# Pairing removed: refused at once.
run "$VBSIG" serve pairings remove "$ORIGIN"
expect_rc 0 "pairings remove"
req GET /v1/info --origin "$ORIGIN" --ctype $J --token "$TOKEN"
expect_status 401 "token of a removed pairing"
stop_serve
grep -q 'POST /v1/sign status=200 outcome=signed' "$AUDIT" && pass || fail "audit line of the signature"
grep -qi 'pin 1234\|1234' "$AUDIT" && fail "the PIN in the audit log" || pass
finish
