#!/usr/bin/env bash
# The clock's error bound (--max-clock-error, default the accuracy): refused
# above the accuracy, shown in the start line, /health and /metrics beside
# the kernel's own esterror and maxerror, and the state /health reports is
# the one the kernel's reading means under that bound. The machine's clock
# is not changed: the verdict on other readings is tsa/test_clock_judge.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

base=(--listen 127.0.0.1:1 --key "$PKI/signers/tsa.key" --cert "$PKI/signers/tsa.pem"
      --policy "$TSA_POLICY" --journal "$WORK/never.db")
for v in 0 x -1 1000 0.0001x; do
  run timeout 20 "$TSA_BIN" "${base[@]}" --max-clock-error "$v"
  expect_rc 64 "--max-clock-error $v refused"
  expect_in "max-clock-error" "$err" "--max-clock-error $v named"
done
run timeout 20 "$TSA_BIN" "${base[@]}" --max-clock-error 1.5
expect_rc 64 "a bound above the default accuracy"
run timeout 20 "$TSA_BIN" "${base[@]}" --accuracy 0.5 --max-clock-error 0.8
expect_rc 64 "a bound above the accuracy"
expect_in "accuracy" "$err" "the message says why"
expect_no_file "$WORK/never.db" "no journal after a refused bound"

# kernel_clock: "STATE MAXERROR_US ESTERROR_US" as the server should judge
# it under a bound of $1 µs (struct timex: modes, offset, freq, maxerror,
# esterror, then status).
kernel_clock() {
  python3 - "$1" <<'PY'
import ctypes, sys
class Timex(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
                ("rest", ctypes.c_long * 40)]
t = Timex()
rc = ctypes.CDLL(None).ntp_adjtime(ctypes.byref(t))
bound = int(sys.argv[1])
if rc == 3:  # TIME_OOP
    s = "leap-second"
elif rc in (-1, 5) or (t.status & 0x40):
    s = "unsynchronised"
elif t.maxerror > bound or t.esterror > bound:
    s = "error-above-bound"
else:
    s = "synchronised"
print(s, t.maxerror, t.esterror)
PY
}
health() { curl -s -m 5 "$TSA_URL/health"; }
metric() { curl -s -m 5 "$TSA_URL/metrics" | sed -n "s/^$1 //p"; }

# Default: the accuracy, 1 s.
tsa_start dflt --allow-unsynced-clock || { fail "server did not start"; finish; }
expect_in "max_clock_error_ms=1000" "$(cat "$TSA_LOG")" "default bound in the start line"
h=$(health)
[ "$(json_get "$h" "d['clock_max_error_s']")" = 1.0 ] && pass || fail "/health bound: $h"
[ "$(metric vbsig_tsa_clock_max_error_seconds)" = 1.000 ] && pass || fail "/metrics bound"
tsa_stop

# A tighter bound from the config file; the accuracy's own default follows.
printf 'max-clock-error = 0.25\n' >"$WORK/clock.conf"
tsa_start conf --config "$WORK/clock.conf" || { fail "server with a config bound did not start"; finish; }
expect_in "max_clock_error_ms=250" "$(cat "$TSA_LOG")" "bound from the config file"
read -r want kmax kest <<<"$(kernel_clock 250000)"
h=$(health)
[ "$(json_get "$h" "d['clock_max_error_s']")" = 0.25 ] && pass || fail "/health bound 0.25: $h"
[ "$(json_get "$h" "d['clock']")" = "$want" ] && pass || fail "/health clock: expected $want (kernel maxerror $kmax µs, esterror $kest µs): $h"
# The kernel's figures, read a moment apart: maxerror only grows between
# updates from the time daemon, by at most 500 µs/s.
json_get "$h" "abs(d['clock_maxerror_s'] * 1e6 - $kmax) <= 5000 and abs(d['clock_esterror_s'] * 1e6 - $kest) <= 5000" |
  grep -qx True && pass || fail "/health errors differ from the kernel's ($kmax, $kest µs): $h"
if [ "$want" = synchronised ]; then
  [ "$(json_get "$h" "d['status']")" = ok ] && pass || fail "usable clock, /health not ok: $h"
  [ "$(metric vbsig_tsa_clock_usable)" = 1 ] && pass || fail "usable gauge"
  expect_in "event=clock-sync state=synchronised" "$(cat "$TSA_LOG")" "clock state logged"
else
  [ "$(json_get "$h" "d['status']")" = unavailable ] && pass || fail "unusable clock, /health not 503: $h"
  [ "$(json_get "$h" "d['clock_usable']")" = False ] && pass || fail "clock_usable: $h"
  [ "$(metric vbsig_tsa_clock_usable)" = 0 ] && pass || fail "usable gauge 0"
  expect_in "event=clock-sync-lost state=$want" "$(cat "$TSA_LOG")" "clock state logged"
  expect_in "bound_ms=250" "$(cat "$TSA_LOG")" "the log names the bound"
  echo doc >"$WORK/doc"
  openssl ts -query -data "$WORK/doc" -sha256 -out "$WORK/q.tsq" 2>/dev/null
  ts_post "$WORK/q.tsq" "$WORK/r.tsr" >/dev/null
  expect_in "time source" "$(reply_field "$WORK/r.tsr" 'Failure info')" "timeNotAvailable"
fi
m=$(metric vbsig_tsa_clock_maxerror_seconds)
awk -v m="$m" -v k="$kmax" 'BEGIN { d = m * 1e6 - k; exit !(d <= 5000 && d >= -5000) }' && pass ||
  fail "/metrics maxerror $m s, kernel $kmax µs"
tsa_stop

# The accuracy lowers the default bound with it.
tsa_start acc --allow-unsynced-clock --accuracy 0.5 || fail "server with accuracy 0.5 did not start"
expect_in "max_clock_error_ms=500" "$(cat "$TSA_LOG")" "bound follows the accuracy"
tsa_stop
finish
