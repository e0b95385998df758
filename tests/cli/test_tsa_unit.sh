#!/usr/bin/env bash
# The shipped systemd unit, checked by systemd's own tools (no systemd as
# PID 1 here): it verifies, rates "OK" or better, is Type=notify with a
# watchdog and restarts on failure, and its system call filter lets the
# server read the kernel clock state: without adjtimex every clock check
# fails and every request gets timeNotAvailable.
source "$SRC/tests/cli/lib.sh"

command -v systemd-analyze >/dev/null || { fail "systemd-analyze not installed"; finish; }
# ExecStart must name an executable for verify: the one just built.
unit=$WORK/vbsig-tsa.service
sed "s|^ExecStart=/usr/bin/vbsig-tsa|ExecStart=$BUILD/bin/vbsig-tsa|" \
  "$SRC/tsa/systemd/vbsig-tsa.service" >"$unit"
cd "$WORK" || { fail "cd $WORK"; finish; }
run systemd-analyze verify --man=no ./vbsig-tsa.service
expect_rc 0 "systemd-analyze verify"
[ -z "$err$out" ] && pass || fail "verify complained: $out $err"

run systemd-analyze security --offline=true ./vbsig-tsa.service
expect_rc 0 "systemd-analyze security"
overall=$(printf '%s\n' "$out" | grep 'Overall exposure level')
case "$overall" in *" OK "*|*" SAFE "*) pass ;; *) fail "exposure not OK or better: $overall" ;; esac
clock_line=$(printf '%s\n' "$out" | grep 'SystemCallFilter=~@clock')
expect_in "adjtimex is allowed" "$clock_line" "the filter lets adjtimex through"

u=$(cat "$unit")
for want in "Type=notify" "NotifyAccess=main" "Restart=on-failure" "LoadCredential=pin:"; do
  expect_in "$want" "$u" "unit has $want"
done
grep -Eq '^WatchdogSec=[1-9][0-9]*s$' "$unit" && pass || fail "no WatchdogSec= in seconds"
grep -q '^ProtectClock=yes' "$unit" && fail "ProtectClock=yes denies the read-only adjtimex" || pass
finish
