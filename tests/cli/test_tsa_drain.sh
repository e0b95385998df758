#!/usr/bin/env bash
# Draining for a rolling restart: SIGUSR1, or the --drain-file appearing,
# turns /health 503 "draining" and new requests 503, while the requests
# already accepted (held in a slow token's C_Sign) finish with valid tokens;
# then the server exits 0 and its journal verifies. A drain file left behind
# stops the next start; a drain whose requests never finish gives up after
# --drain-timeout with exit 70.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

tsa_faulty_token || { fail "SoftHSM2 token behind the faulty module"; finish; }
for n in 1 2 3 4; do
  echo "doc $n" >"$WORK/doc$n"
  openssl ts -query -data "$WORK/doc$n" -sha256 -cert -out "$WORK/q$n.tsq" 2>/dev/null
done
health() { curl -s -m 5 -w '\n%{http_code}' "$TSA_URL/health"; }
metric() { curl -s -m 5 "$TSA_URL/metrics" | sed -n "s/^$1 //p"; }
# wait_in_flight N: until /metrics counts N requests in flight (10 s at most).
wait_in_flight() {
  local i
  for i in $(seq 1 100); do [ "$(metric vbsig_tsa_requests_in_flight)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
# wait_exit: until the server exits (30 s at most); sets exit_rc.
wait_exit() {
  local i
  for i in $(seq 1 300); do kill -0 "$TSA_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$TSA_PID" 2>/dev/null && { exit_rc=timeout; kill -KILL "$TSA_PID"; return; }
  wait "$TSA_PID"
  exit_rc=$?
}

# ---- SIGUSR1 with three requests in flight ---------------------------------
tsa_start sig --allow-unsynced-clock --health-interval 3600 || { fail "server did not start"; finish; }
[ "$(metric vbsig_tsa_draining)" = 0 ] && pass || fail "draining gauge before the drain"
echo 1500 >"$VBSIG_FAULTY_DELAY_FILE"
for n in 1 2 3; do ts_post "$WORK/q$n.tsq" "$WORK/r$n.tsr" >"$WORK/code$n" & done
wait_in_flight 3 && pass || fail "three requests never in flight"
kill -USR1 "$TSA_PID"
h=""
for i in $(seq 1 50); do h=$(health); case "$h" in *'"status":"draining"'*) break ;; esac; sleep 0.1; done
expect_in '"status":"draining"' "$h" "/health says draining"
expect_in $'\n503' "$h" "/health is 503 while draining"
[ "$(metric vbsig_tsa_draining)" = 1 ] && pass || fail "draining gauge during the drain"
code=$(ts_post "$WORK/q4.tsq" "$WORK/r4.tsr")
[ "$code" = 503 ] && pass || fail "a new request while draining: HTTP $code"
wait_exit
[ "$exit_rc" = 0 ] && pass || fail "drained server exit $exit_rc"
wait
for n in 1 2 3; do
  [ "$(cat "$WORK/code$n")" = 200 ] && pass || fail "request $n in flight: HTTP $(cat "$WORK/code$n")"
  tsa_verify "$WORK/q$n.tsq" "$WORK/r$n.tsr" && pass || fail "request $n in flight: token does not verify"
done
log=$(cat "$TSA_LOG")
expect_in 'event=draining trigger=SIGUSR1 in_flight=3' "$log" "drain logged with what was in flight"
expect_in 'event=drained' "$log" "end of the drain logged"
expect_in 'event=stopped' "$log" "normal stop after the drain"
run "$TSA_BIN" journal verify --journal "$WORK/sig.db"
expect_rc 0 "journal verify after the drain"
expect_in "3 records (3 granted" "$out" "three records in the journal"

# ---- the drain file --------------------------------------------------------
echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
tsa_start file --allow-unsynced-clock --health-interval 3600 --drain-file "$WORK/drain" ||
  { fail "server with --drain-file did not start"; finish; }
code=$(ts_post "$WORK/q1.tsq" "$WORK/f1.tsr")
tsa_verify "$WORK/q1.tsq" "$WORK/f1.tsr" && pass || fail "before the drain file: HTTP $code, no valid token"
echo 2000 >"$VBSIG_FAULTY_DELAY_FILE"
ts_post "$WORK/q2.tsq" "$WORK/f2.tsr" >"$WORK/fcode2" &
wait_in_flight 1 && pass || fail "request never in flight"
touch "$WORK/drain"
h=""
for i in $(seq 1 50); do h=$(health); case "$h" in *'"status":"draining"'*) break ;; esac; sleep 0.1; done
expect_in '"status":"draining"' "$h" "/health draining after the drain file appeared"
wait_exit
[ "$exit_rc" = 0 ] && pass || fail "drain file: exit $exit_rc"
wait
tsa_verify "$WORK/q2.tsq" "$WORK/f2.tsr" && pass || fail "drain file: request in flight got no valid token"
expect_in 'event=draining trigger=drain-file in_flight=1' "$(cat "$TSA_LOG")" "drain file logged"
run "$TSA_BIN" journal verify --journal "$WORK/file.db"
expect_rc 0 "journal verify after the drain file"

# Left behind, the file stops the next start.
echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
run timeout 20 "$TSA_BIN" --listen 127.0.0.1:1 "${TSA_KEY_ARGS[@]}" --policy "$TSA_POLICY" \
  --journal "$WORK/never.db" --allow-unsynced-clock --drain-file "$WORK/drain"
expect_rc 69 "start with the drain file present"
expect_in "remove it" "$err" "the message says what to do"
rm -f "$WORK/drain"
run "$TSA_BIN" --listen 127.0.0.1:1 --key x --policy 1.2 --journal "$WORK/never.db" --drain-timeout 0
expect_rc 64 "--drain-timeout 0 refused"

# ---- a drain that cannot finish: a wedged token ----------------------------
tsa_start wedged --allow-unsynced-clock --health-interval 3600 --drain-timeout 1 ||
  { fail "server did not start"; finish; }
echo 600000 >"$VBSIG_FAULTY_DELAY_FILE"
ts_post "$WORK/q3.tsq" "$WORK/w3.tsr" >/dev/null &
wait_in_flight 1 && pass || fail "wedged request never in flight"
kill -USR1 "$TSA_PID"
wait_exit
[ "$exit_rc" = 70 ] && pass || fail "drain past its timeout: exit $exit_rc"
expect_in 'event=drain-timeout in_flight=1' "$(cat "$TSA_LOG")" "drain timeout logged"
echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
wait
finish
