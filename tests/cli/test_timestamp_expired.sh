#!/usr/bin/env bash
# The point of B-T: a signature whose certificate has expired still
# validates when a timestamp proves it existed while the certificate was
# valid — and does not when the only proof comes after the expiry.
#
# OpenSSL's TSA cannot be told to put another genTime in a token, so the
# past is made honestly: OpenSSL itself (the CA, `cms -sign` and `ts -reply`)
# runs under libfaketime with its clock set back. Nothing in vbsig is faked;
# vbsig runs on the real clock and judges what OpenSSL produced.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
ca=(-CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" -extfile "$PKI/conf/openssl.cnf")
# libfaketime preloaded directly: the `faketime` wrapper's named semaphore
# collides with one left by an earlier process of the same PID (seen as
# "sem_open: File exists" when tests run in parallel).
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
past() { LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$1" "${@:2}"; }
day() { date -u -d "$1" +%Y-%m-%d; }

# A signer valid from 300 to 100 days ago, and a TSA certificate valid
# from 200 days ago for 600 days, both issued by the test intermediate.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/old.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/tsa-old.key" 2>/dev/null
past -300d openssl req -new -key "$WORK/old.key" -subj "/C=VN/O=So Noi vu (thu nghiem)/CN=Nguoi ky cu" -out "$WORK/old.csr"
past -300d openssl x509 -req -in "$WORK/old.csr" "${ca[@]}" -extensions ext_signer -days 200 \
  -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/old.pem" 2>/dev/null
past -200d openssl req -new -key "$WORK/tsa-old.key" -subj "/C=VN/O=TSA (thu nghiem)/CN=vbsig Test TSA 2" -out "$WORK/tsa-old.csr"
past -200d openssl x509 -req -in "$WORK/tsa-old.csr" "${ca[@]}" -extensions ext_tsa -days 600 \
  -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/tsa-old.pem" 2>/dev/null
openssl verify -CAfile "$root" -untrusted "$PKI/chain.pem" "$WORK/old.pem" 2>&1 | grep -q "certificate has expired" &&
  pass || fail "the old signer certificate should be expired now"

# The signature was made 160 days ago, while the certificate was valid.
past -160d openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$WORK/old.pem" \
  -inkey "$WORK/old.key" -certfile "$PKI/chain.pem" -outform DER -out "$WORK/old.p7s"
expect_file "$WORK/old.p7s" "a signature made in the past"

# 0. Without a timestamp nothing proves when it was made: the time it claims
#    (160 days ago, inside the validity) is reported but not trusted; the
#    path is checked now, when the certificate has expired (ETSI EN 319 102-1).
run "$VBSIG" verify "$WORK/old.p7s" --data "$doc" --trust "$root" --json --utc
expect_rc 2 "expired signer, no timestamp, claimed time inside the validity"
s="d['signatures'][0]"
[ "$(json_get "$out" "$s['status'], $s['subindication'], $s['level'], $s['signing_time']")" = \
  "INDETERMINATE OUT_OF_BOUNDS_NO_POE B-B None" ] && pass || fail "no proof of existence: $out"
[ "$(json_get "$out" "$s['claimed_signing_time'][:10]")" = "$(day '160 days ago')" ] && pass || fail "claimed time kept: $out"
[ "$(json_get "$out" "abs(__import__('datetime').datetime.fromisoformat($s['validation_time']).timestamp() - $(date +%s)) < 300")" = True ] &&
  pass || fail "not validated now: $out"
# … and --at inside the validity pins the time, so it passes there.
run "$VBSIG" verify "$WORK/old.p7s" --data "$doc" --trust "$root" --json --at "$(date -u -d '160 days ago' +%Y-%m-%dT%H:%M:%SZ)"
expect_rc 0 "--at inside the validity"

# 1. A timestamp from 150 days ago proves it existed then: TOTAL-PASSED,
#    with the timestamp's time as the signing time the path is checked at.
start_shim past --faketime=-150d --signer "$WORK/tsa-old.pem" --inkey "$WORK/tsa-old.key"
run "$VBSIG" timestamp "$WORK/old.p7s" -o "$WORK/old-t.p7s" --tsa "$SHIM_URL" --trust "$root"
expect_rc 0 "timestamp from a TSA whose clock says 150 days ago"
run "$VBSIG" verify "$WORK/old-t.p7s" --data "$doc" --trust "$root" --json --utc
expect_rc 0 "expired signer, timestamp inside its validity: TOTAL-PASSED"
s="d['signatures'][0]"
[ "$(json_get "$out" "$s['status'], $s['level'], $s['timestamp']['status']")" = "TOTAL-PASSED B-T TOTAL-PASSED" ] &&
  pass || fail "expired signer with an earlier timestamp: $out"
[ "$(json_get "$out" "$s['signing_time'][:10]")" = "$(day '150 days ago')" ] && pass || fail "signing_time is not the timestamp's day: $out"
[ "$(json_get "$out" "$s['validation_time'] == $s['signing_time']")" = "True" ] && pass || fail "validated at another time: $out"
[ "$(json_get "$out" "$s['claimed_signing_time'][:10]")" = "$(day '160 days ago')" ] && pass || fail "claimed time: $out"
expect_in "CN=vbsig Test TSA 2" "$(json_get "$out" "$s['timestamp']['tsa']")" "the old TSA is named"

# 2. A pinned validation time (--at) wins over the proof: now, expired.
run "$VBSIG" verify "$WORK/old-t.p7s" --data "$doc" --trust "$root" --json --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
expect_rc 2 "--at now: the certificate has expired at that time"
[ "$(json_get "$out" "$s['subindication']")" = "OUT_OF_BOUNDS_NO_POE" ] && pass || fail "--at now: $out"

# 3. A timestamp made today proves existence only today, after the expiry:
#    the proven time replaces the claimed one and the signature does not pass.
start_shim now
run "$VBSIG" timestamp "$WORK/old.p7s" -o "$WORK/old-now.p7s" --tsa "$SHIM_URL" --trust "$root"
expect_rc 0 "timestamp the old signature today"
run "$VBSIG" verify "$WORK/old-now.p7s" --data "$doc" --trust "$root" --json
expect_rc 2 "expired signer, timestamp after expiry"
[ "$(json_get "$out" "$s['subindication'], $s['timestamp']['status']")" = "OUT_OF_BOUNDS_NO_POE TOTAL-PASSED" ] &&
  pass || fail "a later timestamp must not rescue an expired signer: $out"

# 4. The test PKI's sample signed today with the expired certificate: a
#    timestamp today cannot help it either.
run "$VBSIG" timestamp "$PKI/samples/expired-signer.p7s" -o "$WORK/expired-t.p7s" --tsa "$SHIM_URL"
expect_rc 0 "timestamp the expired-signer sample"
run "$VBSIG" verify "$WORK/expired-t.p7s" --data "$doc" --trust "$root" --json
expect_rc 2 "expired-signer sample with today's timestamp"
[ "$(json_get "$out" "$s['subindication'], $s['level']")" = "OUT_OF_BOUNDS_NO_POE B-T" ] && pass || fail "expired sample: $out"

finish
