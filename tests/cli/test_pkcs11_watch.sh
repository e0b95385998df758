#!/usr/bin/env bash
# vbsig token watch: a real pcscd with the vsmartcard virtual reader (vpcd)
# and a virtual card (python3-virtualsmartcard) that is inserted, then removed.
# pcscd runs in a private mount namespace with its own /run/pcscd, so it
# neither meets nor disturbs a pcscd of the machine.
. "$(dirname "$0")/lib.sh"

if [ "${VBSIG_WATCH_INNER:-}" != 1 ]; then
  VBSIG_WATCH_INNER=1 exec unshare -m --propagation private bash "$0"
fi
# (inside the namespace; lib.sh made a fresh $WORK)
mkdir -p /run/pcscd && mount -t tmpfs tmpfs /run/pcscd || { fail "cannot give pcscd a private /run/pcscd (needs root)"; finish; }

# vpcd listens on this port. It must lie below the kernel's ephemeral range
# (32768+): under load, other tests' client connections take ephemeral ports,
# and one of them holding ours would keep the virtual reader from appearing.
port=$(/usr/bin/python3 -c '
import random, socket
for _ in range(500):
    p = random.randint(10000, 30000)
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
')
[ -n "$port" ] || { fail "no free port for vpcd"; finish; }
mkdir -p "$WORK/readers"
printf 'FRIENDLYNAME "vbsig test reader"\nDEVICENAME /dev/null:0x%X\nLIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID 0x%X\n' \
  "$port" "$port" >"$WORK/readers/vpcd"
pcscd -f -c "$WORK/readers" >"$WORK/pcscd.log" 2>&1 &
pcscd_pid=$!
vicc_pid=""
cleanup() {
  [ -n "$vicc_pid" ] && kill "$vicc_pid" 2>/dev/null
  kill "$pcscd_pid" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
for _ in $(seq 100); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
[ -S /run/pcscd/pcscd.comm ] && pass || fail "pcscd did not start: $(cat "$WORK/pcscd.log")"

wait_for() { # wait_for TEXT: up to 15 s for TEXT in the event stream
  for _ in $(seq 150); do grep -q "$1" "$WORK/events" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# vpcd offers two reader slots; the card goes into the first.
"$VBSIG" token watch --json --count 4 --timeout 60 >"$WORK/events" 2>"$WORK/watch.err" &
watch_pid=$!
wait_for '"reader-added".*00 01' && pass || fail "readers not reported: $(cat "$WORK/events" "$WORK/watch.err")"

# The virtual card: Debian's package needs pycryptodome under its old name.
/usr/bin/python3 - "$port" >"$WORK/vicc.log" 2>&1 <<'PY' &
import importlib, sys
sys.path.insert(0, "/usr/lib/python3/site-packages/virtualsmartcard")
for m in ("", ".Cipher", ".Hash", ".Cipher.DES3", ".Cipher.DES", ".Cipher.AES", ".Cipher.ARC4", ".Hash.HMAC", ".Hash.SHA"):
    sys.modules["Crypto" + m] = importlib.import_module("Cryptodome" + m)
from virtualsmartcard.VirtualSmartcard import VirtualICC
VirtualICC(None, "iso7816", "localhost", int(sys.argv[1])).run()
PY
vicc_pid=$!
wait_for '"card-inserted"' && pass || fail "insertion not reported: $(cat "$WORK/events") / $(tail -n 3 "$WORK/vicc.log")"
kill "$vicc_pid"
wait "$vicc_pid" 2>/dev/null
vicc_pid=""
wait "$watch_pid"
rc=$?
expect_rc 0 "watch ends after --count events"
events=$(cat "$WORK/events")
lines=$(printf '%s\n' "$events" | wc -l)
[ "$lines" -eq 4 ] && pass || fail "expected 4 events, got $lines: $events"
inserted=$(printf '%s\n' "$events" | sed -n 3p)
removed=$(printf '%s\n' "$events" | sed -n 4p)
expect_in "card-inserted" "$(json_get "$inserted" "d['event']")" "third event is the insertion"
expect_in "vbsig test reader 00 00" "$(json_get "$inserted" "d['reader']")" "insertion names the reader"
expect_in "3B" "$(json_get "$inserted" "d['atr']")" "insertion carries the ATR"
expect_in "card-removed" "$(json_get "$removed" "d['event']")" "fourth event is the removal"
expect_in "None" "$(json_get "$removed" "d['atr']")" "removal has no ATR"

# Text output and the timeout.
run "$VBSIG" token watch --timeout 1
expect_rc 0 "watch --timeout"
expect_in "reader-added" "$out" "text output lists the readers"
# Without pcscd: a clear error, exit 69.
kill "$pcscd_pid"; wait "$pcscd_pid" 2>/dev/null
for _ in $(seq 50); do [ -S /run/pcscd/pcscd.comm ] || break; sleep 0.1; done
run "$VBSIG" token watch --timeout 2
expect_rc 69 "watch without pcscd"
expect_in "pcscd" "$err" "message names pcscd"
finish
