#!/usr/bin/env bash
# vbsig serve: the request gate. Every refusal happens before any work:
# no pinentry dialog, no token login, no "signed" in the audit log.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/serve/lib_serve.sh"
start_serve
J=application/json
script
# Info needs a pairing like everything else.
req GET /v1/info --origin "$ORIGIN" --ctype $J
expect_status 401 "info without a pairing token"
expect_in "urn:vbsig:problem:refused-no-token" "$body" "problem type"
expect_in "application/problem+json" "$(hdr content-type)" "problem+json"
expect_in "$ORIGIN" "$(hdr access-control-allow-origin)" "CORS header for an allowed origin"
expect_in "Origin" "$(hdr vary)" "Vary: Origin"
# Not on the allowlist: 403, and no CORS header.
req GET /v1/info --origin https://evil.example --ctype $J --token x
expect_status 403 "origin not on the allowlist"
[ -z "$(hdr access-control-allow-origin)" ] && pass || fail "CORS header for a refused origin"
for o in null '*' https://app.example.evil.example https://app.example/ http://app.example; do
  req POST /v1/pair --origin "$o" --ctype $J --body '{}'
  expect_status 403 "origin $o"
done
req POST /v1/pair --ctype $J --body '{}'
expect_status 403 "no Origin"
# DNS rebinding: another Host name, or the right name with another port.
req GET /v1/info --origin "$ORIGIN" --ctype $J --host "evil.example:$PORT"
expect_status 421 "rebinding Host"
req GET /v1/info --origin "$ORIGIN" --ctype $J --host "127.0.0.1:1"
expect_status 421 "Host with another port"
# A simple request (text/plain, no preflight) is refused.
req POST /v1/sign --origin "$ORIGIN" --ctype text/plain --body '{}'
expect_status 415 "text/plain POST"
# Preflights: allowed origin only, exact headers, PNA only when asked.
req OPTIONS /v1/sign --origin "$ORIGIN" --header "Access-Control-Request-Method:POST" \
  --header "Access-Control-Request-Headers:content-type,authorization"
expect_status 204 "preflight"
expect_in "$ORIGIN" "$(hdr access-control-allow-origin)" "preflight ACAO"
expect_in "Authorization" "$(hdr access-control-allow-headers)" "preflight allowed headers"
[ -z "$(hdr access-control-allow-private-network)" ] && pass || fail "PNA header without being asked"
req OPTIONS /v1/sign --origin "$ORIGIN" --header "Access-Control-Request-Method:POST" \
  --header "Access-Control-Request-Private-Network:true"
expect_in "true" "$(hdr access-control-allow-private-network)" "PNA answered when asked"
req OPTIONS /v1/sign --origin https://evil.example --header "Access-Control-Request-Method:POST"
expect_status 403 "preflight of a refused origin"
[ -z "$(hdr access-control-allow-origin)" ] && pass || fail "preflight ACAO for a refused origin"
# A 200 MB body is refused from its headers, without being read.
req POST /v1/sign --origin "$ORIGIN" --ctype $J --token x --fake-length 200000000
expect_status 401 "unpaired 200 MB"
# Vietnamese problem messages.
req GET /v1/certificates --origin "$ORIGIN" --ctype $J --lang vi
expect_status 401 "vi"
expect_in 'gh\u00e9p' "$body" "Vietnamese title (JSON-escaped ghép)"
nothing_done "gate refusals"
grep -q "origin=https://evil.example GET /v1/info status=403 outcome=origin-refused" "$AUDIT" && pass ||
  fail "audit line of a refused origin: $(cat "$AUDIT")"
stop_serve
[ "$(grep -c . "$AUDIT")" -ge 15 ] && pass || fail "one audit line per request"
finish
