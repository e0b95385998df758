#!/usr/bin/env bash
# vbsig-tsa over HTTP: malformed, truncated, oversize and chunked bodies,
# wrong methods and types, /health and /metrics, idle timeouts, overload
# (503) and settings from a config file with command-line overrides.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

CONF_POLICY=1.3.6.1.4.1.99999.1.9
ALT_POLICY=1.3.6.1.4.1.99999.1.2
cat >"$WORK/tsa.conf" <<CONF
# settings for the HTTP test; the command line's --policy wins over this one
policy = $CONF_POLICY
accept-policy = $ALT_POLICY
max-connections = 3
timeout = 2
allow-unsynced-clock = yes
CONF
tsa_start http --config "$WORK/tsa.conf" || { fail "server did not start"; finish; }
port=${TSA_URL##*:}

echo "some document" >"$WORK/doc"
openssl ts -query -data "$WORK/doc" -sha256 -cert -out "$WORK/q.tsq" 2>/dev/null

# Config file and command line: --policy from the command line, the extra
# policy from the file.
code=$(ts_post "$WORK/q.tsq" "$WORK/r.tsr")
[ "$code" = 200 ] && pass || fail "valid request: HTTP $code"
expect_in "Policy OID: $TSA_POLICY" "$(openssl ts -reply -in "$WORK/r.tsr" -text 2>/dev/null)" "command line --policy wins"
openssl ts -query -data "$WORK/doc" -sha256 -tspolicy "$ALT_POLICY" -out "$WORK/qalt.tsq" 2>/dev/null
ts_post "$WORK/qalt.tsq" "$WORK/ralt.tsr" >/dev/null
expect_in "Granted" "$(reply_field "$WORK/ralt.tsr" Status)" "accept-policy from the config file"

# Malformed bodies get a DER rejection with badDataFormat, not an HTML page.
head -c 300 /dev/urandom >"$WORK/garbage"
head -c 20 "$WORK/q.tsq" >"$WORK/truncated"
{ cat "$WORK/q.tsq"; printf 'trailing'; } >"$WORK/trailing"
: >"$WORK/empty"
for bad in garbage truncated trailing empty; do
  code=$(ts_post "$WORK/$bad" "$WORK/r-$bad")
  [ "$code" = 200 ] && pass || fail "$bad: HTTP $code"
  expect_in "Rejected" "$(reply_field "$WORK/r-$bad" Status)" "$bad: rejection"
  expect_in "wrong format" "$(reply_field "$WORK/r-$bad" 'Failure info')" "$bad: badDataFormat"
done

# Chunked bodies work; oversize ones are refused with or without chunking.
code=$(ts_post "$WORK/q.tsq" "$WORK/rchunk.tsr" -H 'Transfer-Encoding: chunked')
[ "$code" = 200 ] && pass || fail "chunked request: HTTP $code"
openssl ts -verify -in "$WORK/rchunk.tsr" -queryfile "$WORK/q.tsq" -CAfile "$PKI/root/root.pem" \
  -untrusted "$PKI/chain.pem" >/dev/null 2>&1 && pass || fail "chunked request's token does not verify"
head -c 5000 /dev/zero >"$WORK/big"
code=$(ts_post "$WORK/big" "$WORK/rbig")
[ "$code" = 413 ] && pass || fail "oversize body: HTTP $code, expected 413"
code=$(ts_post "$WORK/big" "$WORK/rbigc" -H 'Transfer-Encoding: chunked')
[ "$code" = 413 ] && pass || fail "oversize chunked body: HTTP $code, expected 413"
head -c 200000 /dev/zero >"$WORK/huge"
code=$(ts_post "$WORK/huge" "$WORK/rhuge" -H 'Transfer-Encoding: chunked')
case "$code" in 200) fail "huge chunked body accepted" ;; *) pass ;; esac

# Transport faults are HTTP errors.
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary @"$WORK/q.tsq" "$TSA_URL/")
[ "$code" = 415 ] && pass || fail "wrong content type: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/timestamp-query' --data-binary @"$WORK/q.tsq" "$TSA_URL/")
[ "$code" = 405 ] && pass || fail "PUT: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$TSA_URL/nothing")
[ "$code" = 404 ] && pass || fail "GET unknown path: HTTP $code"

# Health and metrics.
health=$(curl -s -w ' %{http_code}' "$TSA_URL/health")
expect_in '"status":"ok"' "$health" "health ok"
expect_in '"journal":"ok"' "$health" "health journal"
expect_in '"key":"ok"' "$health" "health key"
expect_in ' 200' "$health" "health HTTP 200"
metrics=$(curl -s "$TSA_URL/metrics")
expect_in 'vbsig_tsa_requests_total{outcome="granted"} 3' "$metrics" "granted counter"
expect_in 'vbsig_tsa_requests_total{outcome="rejection"} 4' "$metrics" "rejection counter"
expect_in 'vbsig_tsa_rejections_total{failure="badDataFormat"} 4' "$metrics" "badDataFormat counter"
expect_in 'vbsig_tsa_request_seconds_bucket{le="+Inf"}' "$metrics" "latency histogram"
expect_in 'vbsig_tsa_request_seconds_count' "$metrics" "latency count"
expect_in 'vbsig_tsa_clock_synchronised' "$metrics" "clock gauge"

# A client that connects and says nothing is dropped after the timeout.
exec {idle}<>"/dev/tcp/127.0.0.1/$port"
printf 'POST / HTTP/1.1\r\nHost: x\r\n' >&$idle
start=$SECONDS
timeout 10 cat <&$idle >/dev/null
elapsed=$((SECONDS - start))
exec {idle}>&-
[ "$elapsed" -ge 1 ] && [ "$elapsed" -le 6 ] && pass || fail "idle connection closed after ${elapsed}s (timeout 2s)"

# A client trickling its body a byte at a time is cut off too.
exec {slow}<>"/dev/tcp/127.0.0.1/$port"
printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/timestamp-query\r\nContent-Length: 100\r\n\r\n' >&$slow
start=$SECONDS
for i in $(seq 1 40); do
  ( printf 'x' >&$slow ) 2>/dev/null || break   # a subshell takes the SIGPIPE
  sleep 0.25
done
elapsed=$((SECONDS - start))
exec {slow}>&-
[ "$elapsed" -le 6 ] && pass || fail "trickling client still connected after ${elapsed}s (timeout 2s)"

# Overload: more open connections than max-connections → 503, then back to normal.
fds=()
for i in 1 2 3 4; do exec {fd}<>"/dev/tcp/127.0.0.1/$port"; fds+=("$fd"); done
sleep 0.3
code=$(ts_post "$WORK/q.tsq" "$WORK/rbusy")
[ "$code" = 503 ] && pass || fail "overload: HTTP $code, expected 503"
for fd in "${fds[@]}"; do exec {fd}>&-; done
sleep 0.3
code=$(ts_post "$WORK/q.tsq" "$WORK/rafter.tsr")
[ "$code" = 200 ] && pass || fail "after overload: HTTP $code"
metrics=$(curl -s "$TSA_URL/metrics")
expect_in 'vbsig_tsa_requests_total{outcome="overload"} 1' "$metrics" "overload counter"

tsa_stop
[ "$stop_rc" -eq 0 ] && pass || fail "SIGTERM exit $stop_rc"
expect_in "event=stopped" "$(cat "$TSA_LOG")" "stop logged"
run "$TSA_BIN" journal verify --journal "$WORK/http.db"
expect_rc 0 "journal verify"
expect_in "(4 granted, 4 rejections)" "$out" "every token and rejection journaled"
finish
