#!/usr/bin/env bash
# Token faults SoftHSM2 cannot show, injected by our test module
# (pkcs11-bridge/tests/faulty_module.c, forwarding to SoftHSM2): PIN
# counting and locking, removal in the middle of a batch, an absent token,
# a login that never returns, a slow token, no RSA-PSS, a PIN pad and
# keys that want the PIN for every signature.
. "$(dirname "$0")/lib.sh"

bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" || { fail "make-softhsm.sh"; finish; }
export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
export VBSIG_FAULTY_TARGET=$(cat "$WORK/hsm/module.txt")
export VBSIG_FAULTY_STATE=$WORK/faulty.state
FAULTY=$BUILD/lib/libvbsig_faulty_p11.so
[ -e "$FAULTY" ] || { fail "fault-injecting module not built: $FAULTY"; finish; }
export TOKEN_PIN=1234 BAD_PIN=4321
KEY="pkcs11:token=vbsig-test;object=rsa2048;type=private"
printf 'Quyết định số 7\n' >"$WORK/doc.txt"
sign() { run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/out.p7s" --detached --key "$KEY" --module "$FAULTY" "$@"; }

# Wrong PINs count down and lock; after the lock even the right PIN is refused.
export VBSIG_FAULTY_MAX_TRIES=3
sign --pin env:BAD_PIN
expect_rc 77 "first wrong PIN"
expect_in "few tries are left" "$err" "tries running low"
sign --pin env:BAD_PIN
expect_rc 77 "second wrong PIN"
expect_in "one try is left" "$err" "final try announced"
sign --pin env:BAD_PIN
expect_rc 77 "third wrong PIN"
expect_in "now locked" "$err" "lock announced"
sign --pin env:TOKEN_PIN
expect_rc 77 "right PIN on a locked token"
expect_in "is locked" "$err" "locked token refuses the login"
expect_no_file "$WORK/out.p7s" "nothing signed while locked"
run "$VBSIG" token list --module "$FAULTY" --json
expect_rc 0 "token list with a locked PIN"
expect_in "True" "$(json_get "$out" "[t['flags']['pin_locked'] for t in d['tokens'] if t.get('label')=='vbsig-test'][0]")" "token list reports the lock"
echo 0 >"$VBSIG_FAULTY_STATE"
sign --pin env:TOKEN_PIN
expect_rc 0 "signing after the PIN is unblocked"

# The token is pulled out after 3 signatures of a batch of 6.
mkdir -p "$WORK/batch" "$WORK/out"
for i in 1 2 3 4 5 6; do printf 'tờ trình %s\n' "$i" >"$WORK/batch/f$i.txt"; done
VBSIG_FAULTY_REMOVE_AFTER=3 run "$VBSIG" sign "$WORK"/batch/f*.txt --out-dir "$WORK/out" --detached \
  --key "$KEY" --module "$FAULTY" --pin env:TOKEN_PIN
expect_rc 69 "token removed during a batch"
for i in 1 2 3; do expect_file "$WORK/out/f$i.txt.p7s" "file $i signed before the removal"; done
for i in 4 5 6; do
  expect_no_file "$WORK/out/f$i.txt.p7s" "file $i not signed"
  expect_in "cannot sign $WORK/batch/f$i.txt" "$err" "exit message names unsigned file $i"
done
expect_in "3 of 6 files were not signed" "$err" "batch summary"
expect_in "removed" "$err" "removal named as the cause"
leftovers=$(find "$WORK/out" -name '*.tmp-*' | wc -l)
[ "$leftovers" -eq 0 ] && pass || fail "temporary files left behind: $leftovers"

# No token in the reader: a clear error at once.
VBSIG_FAULTY_ABSENT=1 sign --pin env:TOKEN_PIN
expect_rc 69 "absent token"
expect_in "insert the token" "$err" "absent token message"

# A login that never returns is cut off by the bridge's deadline.
start=$(date +%s)
VBSIG_FAULTY_HANG_LOGIN=1 VBSIG_PKCS11_TIMEOUT_MS=1500 timeout 60 "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/hang.p7s" \
  --detached --key "$KEY" --module "$FAULTY" --pin env:TOKEN_PIN 2>"$WORK/.err"
rc=$?
err=$(cat "$WORK/.err")
expect_rc 69 "hanging login times out"
expect_in "did not answer within 1500 ms" "$err" "timeout message"
[ $(( $(date +%s) - start )) -lt 30 ] && pass || fail "the hanging login was not cut off by the deadline"
expect_no_file "$WORK/hang.p7s" "nothing written after a timeout"

# So is a token query that never returns, before any login.
start=$(date +%s)
VBSIG_FAULTY_HANG_INFO=1 VBSIG_PKCS11_TIMEOUT_MS=1000 timeout 60 "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/hang.p7s" \
  --detached --key "$KEY" --module "$FAULTY" --pin env:TOKEN_PIN 2>"$WORK/.err"
rc=$?
err=$(cat "$WORK/.err")
expect_rc 69 "hanging token query times out"
expect_in "did not answer within 1000 ms" "$err" "timeout message for the token query"
[ $(( $(date +%s) - start )) -lt 30 ] && pass || fail "the hanging token query was not cut off by the deadline"

# Listing goes through libp11, which asks every reader with a card for its
# token information without a deadline: the bridge bounds it all the same.
start=$(date +%s)
VBSIG_FAULTY_HANG_INFO=1 VBSIG_PKCS11_TIMEOUT_MS=1000 timeout 60 "$VBSIG" token list --module "$FAULTY" 2>"$WORK/.err"
rc=$?
err=$(cat "$WORK/.err")
expect_rc 69 "token list with a hanging token query times out"
expect_in "did not answer within 1000 ms" "$err" "token list timeout message"
[ $(( $(date +%s) - start )) -lt 30 ] && pass || fail "token list was not cut off by the deadline"
VBSIG_FAULTY_HANG_INFO=1 VBSIG_PKCS11_TIMEOUT_MS=1000 timeout 60 "$VBSIG" token certs --module "$FAULTY" --json 2>"$WORK/.err"
rc=$?
expect_rc 69 "token certs with a hanging token query times out"
# An empty reader is simply listed as empty, at once.
VBSIG_FAULTY_ABSENT=1 VBSIG_PKCS11_TIMEOUT_MS=1000 run timeout 60 "$VBSIG" token list --module "$FAULTY" --json
expect_rc 0 "token list with no token in the reader"
expect_in "0" "$(json_get "$out" "len([t for t in d['tokens'] if t['present']])")" "no token listed as present"
VBSIG_FAULTY_ABSENT=1 run timeout 60 "$VBSIG" token certs --module "$FAULTY" --json
expect_rc 0 "token certs with no token in the reader"
expect_in "0" "$(json_get "$out" "len(d['objects'])")" "no objects without a token"

# A slow token still signs, and correctly.
VBSIG_FAULTY_DELAY_MS=400 sign --pin env:TOKEN_PIN --chain "$PKI/chain.pem"
expect_rc 0 "slow token"
cat "$PKI/root/root.pem" "$PKI/chain.pem" >"$WORK/ca.pem"
openssl cms -verify -binary -inform DER -in "$WORK/out.p7s" -content "$WORK/doc.txt" -CAfile "$WORK/ca.pem" \
  -purpose any -out /dev/null 2>/dev/null && pass || fail "slow token's signature does not verify"

# A token without RSA-PSS: the mechanism is named, exit 77.
VBSIG_FAULTY_NO_PSS=1 run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/pss.p7s" --detached --key "$KEY" \
  --module "$FAULTY" --pin env:TOKEN_PIN --rsa-padding pss
expect_rc 77 "no RSA-PSS on the token"
expect_in "RSA-PSS" "$err" "PSS named in the message"
expect_no_file "$WORK/pss.p7s" "nothing written without PSS"

# A PIN pad: no PIN given, no terminal, the reader's keypad logs in.
VBSIG_FAULTY_PIN_PAD=1234 run setsid "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/pad.p7s" --detached --key "$KEY" \
  --module "$FAULTY" </dev/null
expect_rc 0 "login on the PIN pad"
expect_file "$WORK/pad.p7s" "PIN-pad signature"

# CKA_ALWAYS_AUTHENTICATE: every signature of a batch gets its own login.
mkdir -p "$WORK/aa"
VBSIG_FAULTY_ALWAYS_AUTH=1234 run "$VBSIG" sign "$WORK"/batch/f1.txt "$WORK"/batch/f2.txt --out-dir "$WORK/aa" \
  --detached --key "$KEY" --module "$FAULTY" --pin env:TOKEN_PIN
expect_rc 0 "always-authenticate key"
expect_file "$WORK/aa/f2.txt.p7s" "second always-authenticate signature"
finish
