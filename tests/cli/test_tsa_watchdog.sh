#!/usr/bin/env bash
# The systemd watchdog without systemd: the test holds the $NOTIFY_SOCKET
# datagram socket itself and sets WATCHDOG_USEC to one second. vbsig-tsa
# sends READY=1, then WATCHDOG=1 while idle and while requests get answered;
# once a request waits on a wedged token (C_Sign sleeping) the pings stop and
# the stall is logged; when the token answers again they resume.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

tsa_faulty_token || { fail "SoftHSM2 token behind the faulty module"; finish; }

# Every datagram received becomes one line of $NOTES.
SOCK=$WORK/notify.sock NOTES=$WORK/notify.log
: >"$NOTES"
python3 - "$SOCK" "$NOTES" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], 'a') as out:
    while True:
        out.write(s.recv(4096).decode() + '\n')
        out.flush()
PY
TSA_PIDS+=($!)
for i in $(seq 1 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
[ -S "$SOCK" ] && pass || { fail "notify socket never appeared"; finish; }

pings() { grep -c '^WATCHDOG=1$' "$NOTES"; }
# wait_pings N SECONDS: until at least N pings were received.
wait_pings() {
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do [ "$(pings)" -ge "$1" ] && return 0; sleep 0.1; done
  return 1
}

NOTIFY_SOCKET=$SOCK WATCHDOG_USEC=1000000 tsa_start wd --allow-unsynced-clock --health-interval 3600 ||
  { fail "server did not start"; finish; }
expect_in 'READY=1' "$(head -1 "$NOTES")" "READY=1 comes first"
expect_in 'event=watchdog interval_ms=1000' "$(cat "$TSA_LOG")" "watchdog interval logged"
wait_pings 3 10 && pass || fail "idle: $(pings) pings, expected 3 within 10 s"

# Under requests: pings go on.
before=$(pings)
echo doc >"$WORK/doc"
openssl ts -query -data "$WORK/doc" -sha256 -cert -out "$WORK/q.tsq" 2>/dev/null
granted=0
for i in $(seq 1 40); do
  ts_post "$WORK/q.tsq" "$WORK/r$i.tsr" >/dev/null
  tsa_verify "$WORK/q.tsq" "$WORK/r$i.tsr" && granted=$((granted + 1))
  [ "$(pings)" -ge $((before + 3)) ] && [ "$i" -ge 10 ] && break
done
[ "$granted" -eq "$i" ] && pass || fail "under requests: $granted of $i tokens verified"
wait_pings $((before + 3)) 10 && pass || fail "under requests: pings stopped ($(pings), was $before)"

# Wedged: C_Sign sleeps with a request waiting; the stall is logged and no
# ping comes after it.
echo 600000 >"$VBSIG_FAULTY_DELAY_FILE"
ts_post "$WORK/q.tsq" "$WORK/wedged.tsr" >"$WORK/wedged.code" &
post_pid=$!
stalled=""
for i in $(seq 1 100); do
  grep -q 'event=watchdog-stalled' "$TSA_LOG" && { stalled=yes; break; }
  sleep 0.1
done
[ -n "$stalled" ] && pass || fail "wedged: the stall was never logged"
expect_in 'pending=1' "$(grep 'event=watchdog-stalled' "$TSA_LOG")" "the stall names the waiting request"
at_stall=$(pings)
# Three intervals (six ping periods) with none: systemd would have acted.
sleep 3
[ "$(pings)" -eq "$at_stall" ] && pass || fail "wedged: pings went on ($at_stall → $(pings))"

# The token answers: the request is granted and the pings come back.
echo 0 >"$VBSIG_FAULTY_DELAY_FILE"
wait "$post_pid"
[ "$(cat "$WORK/wedged.code")" = 200 ] && pass || fail "unwedged request: HTTP $(cat "$WORK/wedged.code")"
tsa_verify "$WORK/q.tsq" "$WORK/wedged.tsr" && pass || fail "unwedged request: token does not verify"
wait_pings $((at_stall + 2)) 10 && pass || fail "unwedged: pings did not resume"
expect_in 'event=watchdog-resumed' "$(cat "$TSA_LOG")" "resumption logged"
tsa_stop
[ "$stop_rc" -eq 0 ] && pass || fail "SIGTERM exit $stop_rc"
expect_in 'STOPPING=1' "$(tail -1 "$NOTES")" "STOPPING=1 last"

# A watchdog meant for another process (WATCHDOG_PID) is not fed.
: >"$NOTES"
NOTIFY_SOCKET=$SOCK WATCHDOG_USEC=200000 WATCHDOG_PID=1 tsa_start other --allow-unsynced-clock ||
  fail "server with a foreign WATCHDOG_PID did not start"
for i in $(seq 1 20); do grep -q READY=1 "$NOTES" && break; sleep 0.1; done
sleep 1
[ "$(pings)" -eq 0 ] && pass || fail "foreign WATCHDOG_PID: $(pings) pings"
tsa_stop
finish
