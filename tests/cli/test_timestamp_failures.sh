#!/usr/bin/env bash
# Timestamp authorities that fail or lie, and tokens damaged after the fact:
# signing and `vbsig timestamp` exit 69 naming the URL and the error and
# write nothing; `verify` never lets a bad token pass.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)

run "$VBSIG" sign "$doc" -o "$WORK/bb.p7s" --detached "${p12[@]}"
expect_rc 0 "a B-B signature to timestamp"

# refused NAME WHY-TEXT TSA-URL [extra options…]: both sign and timestamp
# exit 69 with the URL and the reason, and leave no output behind.
refused() {
  local name=$1 why=$2 url=$3
  shift 3
  run "$VBSIG" sign "$doc" -o "$WORK/$name.p7s" --detached "${p12[@]}" --tsa "$url" --tsa-retries 0 "$@"
  expect_rc 69 "sign with a TSA that is $name"
  expect_in "vbsig: cannot sign $doc: " "$err" "$name: one error line"
  expect_in "$url" "$err" "$name: the URL is named"
  expect_in "$why" "$err" "$name: the reason is named"
  expect_no_file "$WORK/$name.p7s" "$name: no signature written"
  run "$VBSIG" timestamp "$WORK/bb.p7s" -o "$WORK/$name-t.p7s" --tsa "$url" --tsa-retries 0 "$@"
  expect_rc 69 "timestamp with a TSA that is $name"
  expect_in "$why" "$err" "$name: timestamp names the reason"
  expect_no_file "$WORK/$name-t.p7s" "$name: no timestamped signature written"
}

# Down: nobody listens; with the default retries too.
down=$(closed_url)
refused down "Couldn't connect" "$down"
start=$(date +%s%N)
run "$VBSIG" sign "$doc" -o "$WORK/down2.p7s" --detached "${p12[@]}" --tsa "$down" --tsa "$(closed_url)"
expect_rc 69 "two TSAs down, default retries"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
# Two retries per URL after 0.5 s and 1 s: the backoff really waited.
[ "$elapsed_ms" -ge 3000 ] && pass || fail "retries with backoff took only ${elapsed_ms} ms"
expect_no_file "$WORK/down2.p7s" "two TSAs down: nothing written"

start_shim garbage --mode garbage
refused garbage "timestamp reply" "$SHIM_URL"
[ "$(requests "$SHIM_LOG")" = "2" ] && pass || fail "a definite (bad) answer is not retried: $(requests "$SHIM_LOG") requests"
start_shim html --mode html
refused html "not a timestamp reply" "$SHIM_URL"
start_shim nonce --mode wrong-nonce
refused wrong-nonce "nonce" "$SHIM_URL"
start_shim imprint --mode wrong-imprint
refused wrong-imprint "message imprint differs" "$SHIM_URL"
start_shim slow --mode slow --delay 3
refused slow "did not answer in time" "$SHIM_URL" --tsa-timeout 1
start_shim policy
refused rejecting "unacceptedPolicy" "$SHIM_URL" --tsa-policy 1.2.3.4.5
# A TSA that does not chain to the anchors the caller trusts.
run "$VBSIG" timestamp "$WORK/bb.p7s" -o "$WORK/untrusted.p7s" --tsa "$SHIM_URL" --trust "$PKI/unknownroot/root.pem"
expect_rc 69 "TSA outside the trust anchors"
expect_in "NO_CERTIFICATE_CHAIN_FOUND" "$err" "untrusted TSA: reason named"
expect_no_file "$WORK/untrusted.p7s" "untrusted TSA: nothing written"
# A TSA whose clock is 60 days slow dates tokens before its own certificate.
start_shim past --faketime=-60d
refused slow-clock "outside the validity of the TSA certificate" "$SHIM_URL"

# A signature value that does not verify is not timestamped (exit 65).
python3 "$CMS_PARTS" tamper-sig "$WORK/bb.p7s" "$WORK/broken.p7s"
start_shim good
good=$SHIM_URL
run "$VBSIG" timestamp "$WORK/broken.p7s" -o "$WORK/broken-t.p7s" --tsa "$good"
expect_rc 65 "timestamping a broken signature"
expect_in "does not verify" "$err" "broken signature: reason"
expect_no_file "$WORK/broken-t.p7s" "broken signature: nothing written"
[ "$(requests "$SHIM_LOG")" = "0" ] && pass || fail "the TSA was asked for a broken signature"
run "$VBSIG" timestamp "$WORK/missing.p7s" -o "$WORK/m.p7s" --tsa "$good"
expect_rc 66 "missing input"
printf 'not a signature' >"$WORK/junk.p7s"
run "$VBSIG" timestamp "$WORK/junk.p7s" -o "$WORK/m.p7s" --tsa "$good"
expect_rc 65 "malformed input"

# Verify: a token changed after the TSA signed it does not pass.
run "$VBSIG" timestamp "$WORK/bb.p7s" -o "$WORK/bt.p7s" --tsa "$good"
expect_rc 0 "a good B-T signature"
python3 "$CMS_PARTS" tamper-token "$WORK/bt.p7s" "$WORK/tampered.p7s"
run "$VBSIG" verify "$WORK/tampered.p7s" --data "$doc" --trust "$root" --json
expect_rc 2 "tampered token: INDETERMINATE"
[ "$(json_get "$out" "d['signatures'][0]['subindication']")" = "SIG_CONSTRAINTS_FAILURE" ] && pass || fail "tampered token subindication: $out"
[ "$(json_get "$out" "d['signatures'][0]['timestamp']['status'], d['signatures'][0]['timestamp']['subindication']")" = "TOTAL-FAILED HASH_FAILURE" ] &&
  pass || fail "tampered token status: $out"
[ "$(json_get "$out" "d['signatures'][0]['signing_time']")" = "None" ] && pass || fail "a bad token proved a time: $out"
# A valid token taken from another signature covers the wrong bytes.
run "$VBSIG" sign "$doc" -o "$WORK/other.p7s" --detached "${p12[@]}" --tsa "$good"
expect_rc 0 "another B-T signature"
python3 "$CMS_PARTS" transplant "$WORK/other.p7s" "$WORK/transplant.p7s" "$WORK/bt.p7s"
run "$VBSIG" verify "$WORK/transplant.p7s" --data "$doc" --trust "$root" --json
expect_rc 2 "transplanted token: INDETERMINATE"
[ "$(json_get "$out" "d['signatures'][0]['timestamp']['status'], d['signatures'][0]['timestamp']['subindication']")" = "TOTAL-FAILED HASH_FAILURE" ] &&
  pass || fail "transplanted token status: $out"
expect_in "message imprint differs" "$out" "transplanted token: reason"
openssl cms -verify -binary -inform DER -in "$WORK/transplant.p7s" -content "$doc" -CAfile "$root" -out /dev/null 2>/dev/null &&
  pass || fail "the transplant broke the CMS itself (the test would prove nothing)"
# Verified without the TSA's anchor: the timestamp cannot be confirmed.
run "$VBSIG" verify "$WORK/bt.p7s" --data "$doc" --trust "$PKI/unknownroot/root.pem" --json
expect_rc 2 "no anchor for the TSA (nor the signer)"
[ "$(json_get "$out" "d['signatures'][0]['timestamp']['status']")" = "INDETERMINATE" ] && pass || fail "untrusted TSA at verify: $out"
ls "$WORK" | grep -q '\.tmp-' && fail "temporary files left behind" || pass

finish
