#!/usr/bin/env bash
# vbsig serve from a real browser: Debian's Chromium driven by
# playwright-core (browser/e2e.js), an https "office application" page on a
# name mapped to loopback and treated as a public address, a SoftHSM2
# token and the scripted pinentry. The page pairs, lists certificates,
# signs a PDF and verifies it; pdfsig accepts the result. Each refusal is
# checked on the service's side: no dialog, no signature, the audit line.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/serve/lib_serve.sh"
B="$SRC/tests/serve/browser"
command -v node >/dev/null && [ -x /usr/bin/chromium ] || { fail "node and /usr/bin/chromium are needed (scripts/install-deps.sh)"; finish; }

# The page's TLS certificate, for the allowed name and a foreign one.
mkdir -p "$WORK/site"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=app.example \
  -addext "subjectAltName=DNS:app.example,DNS:other.example" \
  -keyout "$WORK/site/key.pem" -out "$WORK/site/cert.pem" 2>/dev/null
cp "$B/office.html" "$B/office.js" "$WORK/site/"
cp "$SRC/test-vectors/corpus/pdf/lo-directive-vinhlong.pdf" "$WORK/site/doc.pdf"
rm -f "$WORK/ports"
/usr/bin/python3 "$B/page_server.py" --dir "$WORK/site" --cert "$WORK/site/cert.pem" --key "$WORK/site/key.pem" \
  --ports-file "$WORK/ports" 2>"$WORK/page.err" &
PAGE_PID=$!
trap 'kill $PAGE_PID 2>/dev/null; stop_serve 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$WORK/ports" ] && break; sleep 0.05; done
HTTPS_PORT=$(sed -n 's/.*https=\([0-9]*\).*/\1/p' "$WORK/ports")
HTTP_PORT=$(sed -n 's/.*http=\([0-9]*\).*/\1/p' "$WORK/ports")
[ -n "$HTTPS_PORT" ] || { fail "page server did not start: $(cat "$WORK/page.err")"; finish; }

ORIGIN=https://app.example:$HTTPS_PORT
# The token holds the signer's certificate only, and the signed PDF carries
# what the token gives: /v1/verify closes the path at the issuing CA.
start_serve --trust "$PKI/ca/intermediate.pem"
write_config() { # write_config [TOKEN [CERTIFICATE]]
  cat >"$WORK/e2e.json" <<JSON
{"shim": "http://127.0.0.1:$PORT", "allowed": "$ORIGIN", "foreign": "https://other.example:$HTTPS_PORT",
 "http": "http://app.example:$HTTP_PORT", "rebind": "http://rebind.example:$PORT",
 "resolverRules": "MAP app.example 127.0.0.1, MAP other.example 127.0.0.1, MAP rebind.example 127.0.0.1",
 "publicAddresses": "127.0.0.1:$HTTPS_PORT=public,127.0.0.1:$HTTP_PORT=public",
 "token": "${1:-}", "certificate": "${2:-}", "outDir": "$WORK"}
JSON
}
browse() { # browse SCENARIO: $out is its JSON line
  out=$(node "$B/e2e.js" "$1" "$WORK/e2e.json" 2>"$WORK/e2e-$1.err") || fail "e2e.js $1: $(cat "$WORK/e2e-$1.err")"
}
jget() { json_get "${out:-null}" "$1" 2>/dev/null; }
audit_since() { tail -n +"$(( $1 + 1 ))" "$AUDIT"; }
lines() { wc -l <"$AUDIT" 2>/dev/null || echo 0; }

# Refusals first, before any pairing exists.
write_config
script
n=$(lines); browse foreign
# With the permission granted, the requests do arrive: each gets 403.
[ "$(audit_since "$n" | grep -c "origin=https://other.example:$HTTPS_PORT .*status=403")" -ge 3 ] && pass ||
  fail "foreign origin: 3 refused requests in the audit log: $(audit_since "$n")"
expect_in "error" "$(jget "list(d['get'].keys())")" "the browser hides the refused GET"
nothing_done "foreign origin"

n=$(lines); browse httppage
expect_in "Failed to fetch" "$(jget "d.get('error','')")" "a public http page is blocked by the browser"
[ -z "$(audit_since "$n")" ] && pass || fail "the http page's request reached the service: $(audit_since "$n")"

browse rebind
[ "$(jget "d['status']")" = 421 ] && pass || fail "rebinding Host through the browser: $out"

browse notoken
[ "$(jget "d['status']")" = 401 ] && pass || fail "sign without a pairing token: $out"
browse wrongtoken
[ "$(jget "d['status']")" = 401 ] && pass || fail "a wrong pairing token: $out"
expect_in "ghép nối" "$(jget "d['body']['title']")" "the refusal in Vietnamese (Accept-Language: vi from the page)"
browse textplain
[ "$(jget "d['status']")" = 415 ] && pass || fail "text/plain POST: $out"
nothing_done "no token, wrong token, text/plain"

# Pairing: the code the page shows is the one vbsig's dialog showed.
script confirm
browse pair
[ "$(jget "d['status']")" = 200 ] && pass || fail "pairing: $out"
code=$(jget "d['code']")
TOKEN=$(jget "d['body']['token']")
[ -n "$code" ] && grep -q "$code" "$PINENTRY_LOG" && pass || fail "the page's code $code is not in the dialog: $(cat "$PINENTRY_LOG")"
grep -q "$ORIGIN" "$PINENTRY_LOG" && pass || fail "the dialog names the origin"
[ "${#TOKEN}" -ge 32 ] && pass || fail "pairing token of at least 128 bits: '$TOKEN'"
grep -rq "$TOKEN" "$XDG_CONFIG_HOME" && fail "the pairing token is stored in clear" || pass

write_config "$TOKEN"
script
browse certificates
[ "$(jget "d['status']")" = 200 ] && pass || fail "certificates: $out"
# The token holds test certificates that are expired or not yet valid too:
# sign with the valid RSA one.
CERT=$(jget "[c['id'] for c in d['body']['certificates'] if 'rsa2048' in (c['label'] or '')][0]")
[ -n "$CERT" ] && pass || fail "a certificate id: $out"
write_config "$TOKEN" "$CERT"

# The user refuses, then types a wrong PIN: nothing signed.
script cancel
browse sign
[ "$(jget "d['status']")" = 403 ] && pass || fail "user cancel: $out"
grep -q "cong-van-15.pdf" "$PINENTRY_LOG" && pass || fail "the consent dialog names the document"
script confirm "pin 0000"
browse sign
expect_in "40" "$(jget "d['status']")" "a wrong PIN is refused"
grep -q 'outcome=signed' "$AUDIT" && fail "signed after cancel / wrong PIN" || pass

# Signed from the page, verified from the page, accepted by pdfsig.
script confirm "pin 1234"
rm -f "$WORK/signed.pdf"
browse sign
[ "$(jget "d['status']")" = 200 ] && pass || fail "sign from the page: $out"
[ "$(jget "d['verify']['body']['status']")" = TOTAL-PASSED ] && pass || fail "verify from the page: $(jget "d['verify']")"
# The signer's Vietnamese name came through the browser intact (UTF-8 JSON).
expect_in "CN=Nguyễn Văn An" "$(jget "d['verify']['body']['signatures'][0]['signer']['subject']")" "the signer in the page's report"
grep -q 'GETPIN' "$PINENTRY_LOG" && pass || fail "the PIN was asked outside the browser"
expect_file "$WORK/signed.pdf" "the signed PDF"
pdfsig "$WORK/signed.pdf" >"$WORK/pdfsig.out" 2>&1
expect_in "Signature is Valid" "$(cat "$WORK/pdfsig.out")" "pdfsig on the browser-signed PDF"
grep -q "origin=$ORIGIN POST /v1/sign .*outcome=signed" "$AUDIT" && pass || fail "audit line for the signature: $(tail -3 "$AUDIT")"
grep -q "1234" "$AUDIT" && fail "the PIN is in the audit log" || pass

# 200 MB from the page: refused without being read, and nothing done (the
# audit lines of this request only: the page signed once above).
script
n=$(lines); browse bigbody
[ "$(jget "d['status']")" = 413 ] && pass || fail "200 MB body: $out"
expect_in "status=413 outcome=too-large" "$(audit_since "$n" | grep 'POST /v1/sign')" "the 200 MB request's audit line"
audit_since "$n" | grep -q 'outcome=signed' && fail "200 MB body: the audit log says signed" || pass
[ ! -s "$PINENTRY_LOG" ] && pass || fail "200 MB body: pinentry was called: $(cat "$PINENTRY_LOG")"
finish
