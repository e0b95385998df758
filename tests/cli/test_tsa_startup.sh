#!/usr/bin/env bash
# vbsig-tsa refuses to start with a certificate a TSA may not use or with
# settings it cannot honour, takes PKCS#12 keys, and without
# --allow-unsynced-clock answers timeNotAvailable when the kernel says the
# clock is not synchronised.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

# Each refused start must exit at once; `timeout` keeps a wrongly started
# server from hanging the test.
TSA_BIN_TIMED=(timeout 20 "$TSA_BIN")
base=(--listen 127.0.0.1:1 --policy "$TSA_POLICY" --journal "$WORK/never.db" --allow-unsynced-clock)
s="$PKI/signers"

run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/rsa2048.key" --cert "$s/rsa2048.pem"
expect_rc 77 "certificate without timeStamping EKU"
expect_in "timeStamping" "$err" "EKU named in the message"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/expired.key" --cert "$s/expired.pem"
expect_rc 77 "expired certificate"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/rsa2048.key" --cert "$s/tsa.pem"
expect_rc 77 "key not matching the certificate"
expect_in "does not match" "$err" "key mismatch message"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "pkcs11:token=x;object=tsa;type=private" --pin pass:1234
expect_rc 69 "pkcs11 key on a token that is not there"
expect_in "no token matching token=x" "$err" "pkcs11 message names the token"
run "${TSA_BIN_TIMED[@]}" "${base[@]/$WORK\/never.db/postgresql://tsa@localhost/tsa}" --key "$s/tsa.key" --cert "$s/tsa.pem"
expect_rc 69 "postgresql journal that cannot be reached"
expect_in "postgresql://tsa@localhost/tsa: cannot connect" "$err" "postgresql message names the journal"
run "${TSA_BIN_TIMED[@]}" --listen 127.0.0.1:1 --key "$s/tsa.key" --cert "$s/tsa.pem" --journal "$WORK/never.db"
expect_rc 64 "missing --policy"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/tsa.key" --cert "$s/tsa.pem" --accuracy 2
expect_rc 64 "accuracy above one second"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/tsa.key" --cert "$s/tsa.pem" --hashes md5
expect_rc 64 "unknown hash"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/tsa.key" --cert "$s/tsa.pem" --pin pass:1234
expect_rc 64 "--pin with a key file"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$s/tsa.p12" --pass pass:wrong
expect_rc 77 "wrong PKCS#12 password"
printf 'policy = 1.2.3\nthis line is wrong\n' >"$WORK/bad.conf"
run "${TSA_BIN_TIMED[@]}" --config "$WORK/bad.conf"
expect_rc 64 "bad config file"
expect_in "bad.conf:2" "$err" "config error names file and line"
run "${TSA_BIN_TIMED[@]}" "${base[@]}" --key "$WORK/missing.key" --cert "$s/tsa.pem"
expect_rc 66 "missing key file"
expect_no_file "$WORK/never.db" "refused starts create no journal"

# PKCS#12 key, certificate and chain in one file.
tsa_start p12 --key "$s/tsa.p12" --pass pass:vbsig-test --allow-unsynced-clock || fail "PKCS#12 start"
echo data >"$WORK/d"
openssl ts -query -data "$WORK/d" -sha256 -cert -out "$WORK/q.tsq" 2>/dev/null
ts_post "$WORK/q.tsq" "$WORK/r.tsr" >/dev/null
openssl ts -verify -in "$WORK/r.tsr" -queryfile "$WORK/q.tsq" -CAfile "$PKI/root/root.pem" \
  -untrusted "$PKI/chain.pem" >/dev/null 2>&1 && pass || fail "token from a PKCS#12 key does not verify"
expect_in "event=allow-unsynced-clock" "$(cat "$TSA_LOG")" "the flag is announced loudly"
tsa_stop

# Without --allow-unsynced-clock. The kernel's own answer decides what is right.
synced=$(python3 -c '
import ctypes
class Timex(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("rest", ctypes.c_long * 40)]
t = Timex()
rc = ctypes.CDLL(None).ntp_adjtime(ctypes.byref(t))
STA_UNSYNC = 0x40
# struct timex: modes, offset, freq, maxerror, esterror, status (int after 5 longs)
st = ctypes.c_int.from_buffer(t, 8 * 5).value
print(0 if rc == 5 or rc < 0 or st & STA_UNSYNC else 1)')
tsa_start clock || { fail "server did not start without the flag"; finish; }
ts_post "$WORK/q.tsq" "$WORK/rclock.tsr" >/dev/null
health=$(curl -s -w ' %{http_code}' "$TSA_URL/health")
if [ "$synced" = 0 ]; then
  expect_in "Rejected" "$(reply_field "$WORK/rclock.tsr" Status)" "unsynchronised clock: rejection"
  expect_in "time source" "$(reply_field "$WORK/rclock.tsr" 'Failure info')" "timeNotAvailable"
  expect_in '"clock":"unsynchronised"' "$health" "health names the clock"
  expect_in ' 503' "$health" "health is 503"
  expect_in "event=clock-sync-lost" "$(cat "$TSA_LOG")" "loss of sync logged"
  expect_in "issuing=refused-timeNotAvailable" "$(cat "$TSA_LOG")" "log says tokens are refused"
else
  expect_in "Granted" "$(reply_field "$WORK/rclock.tsr" Status)" "synchronised clock: granted"
  expect_in ' 200' "$health" "health is 200"
fi
tsa_stop
run "${TSA_BIN_TIMED[@]}" journal verify --journal "$WORK/clock.db"
expect_rc 0 "journal verify"
expect_in "1 records" "$out" "the clock rejection is journaled"
finish
