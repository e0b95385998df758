#!/usr/bin/env bash
# CAdES B-T end to end against a real RFC 3161 TSA (OpenSSL's, behind
# tests/tsa-shim on 127.0.0.1): sign --level B-T, vbsig timestamp on
# existing signatures, the report, several URLs, retries, basic auth, and
# OpenSSL as the oracle that our tokens cover the signature value.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)

start_shim main
url=$SHIM_URL
main_log=$SHIM_LOG

# check_bt FILE DATA|- DESCRIPTION: verify reports a passing B-T signature
# whose proven signing time is the timestamp's time.
check_bt() {
  local data=()
  [ "$2" != "-" ] && data=(--data "$2")
  run "$VBSIG" verify "$1" "${data[@]}" --trust "$root" --json
  expect_rc 0 "$3: verify"
  [ "$(json_get "$out" "d['signatures'][0]['level']")" = "B-T" ] && pass || fail "$3: level is not B-T: $out"
  [ "$(json_get "$out" "d['signatures'][0]['timestamp']['status']")" = "TOTAL-PASSED" ] && pass || fail "$3: timestamp status: $out"
  expect_in "CN=vbsig Test TSA" "$(json_get "$out" "d['signatures'][0]['timestamp']['tsa']")" "$3: TSA named"
  [ "$(json_get "$out" "d['signatures'][0]['signing_time'] == d['signatures'][0]['timestamp']['time'] != None")" = "True" ] &&
    pass || fail "$3: signing_time is not the timestamp's time: $out"
}

# 1. sign --level B-T, detached, checking signer and TSA against --trust.
run "$VBSIG" sign "$doc" -o "$WORK/bt.p7s" --detached "${p12[@]}" --level B-T --tsa "$url" --trust "$root"
expect_rc 0 "sign --level B-T"
expect_file "$WORK/bt.p7s" "B-T signature written"
check_bt "$WORK/bt.p7s" "$doc" "detached B-T"
[ "$(requests "$main_log")" = "1" ] && pass || fail "one request per signature, got $(requests "$main_log")"
expect_in "application/timestamp-query" "$(cat "$main_log")" "the query's content type"

# OpenSSL agrees: the CMS still verifies, and the embedded token is a valid
# RFC 3161 token over the signature value.
openssl cms -verify -binary -inform DER -in "$WORK/bt.p7s" -content "$doc" -CAfile "$root" -out /dev/null 2>/dev/null &&
  pass || fail "openssl cms -verify rejects the B-T signature"
python3 "$CMS_PARTS" sigvalue "$WORK/bt.p7s" "$WORK/sigvalue.bin"
python3 "$CMS_PARTS" token "$WORK/bt.p7s" "$WORK/token.der"
run openssl ts -verify -in "$WORK/token.der" -token_in -data "$WORK/sigvalue.bin" -CAfile "$root" -untrusted "$PKI/chain.pem"
expect_in "Verification: OK" "$out" "openssl ts -verify on the embedded token over the signature value"
run openssl ts -reply -in "$WORK/token.der" -token_in -token_out -text
expect_in "Policy OID: 1.3.6.1.4.1.99999.1.1" "$out" "the TSA's default policy"
expect_in "Hash Algorithm: sha256" "$out" "SHA-256 imprint by default"
expect_in "Nonce: 0x" "$out" "a nonce was sent and echoed"

# The text report shows the timestamp too.
run "$VBSIG" verify "$WORK/bt.p7s" --data "$doc" --trust "$root" --lang en
expect_rc 0 "text report"
expect_in "Timestamp:" "$out" "text report timestamp line"
expect_in "Timestamp authority:" "$out" "text report TSA line"
expect_in "Proven signing time:" "$out" "text report proven time"

# 2. --tsa alone means B-T; attached; ECDSA; a requested policy.
run "$VBSIG" sign "$doc" -o "$WORK/bt-attached.p7m" --key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test \
  --tsa "$url" --tsa-policy 1.3.6.1.4.1.99999.1.2
expect_rc 0 "sign attached with --tsa and --tsa-policy"
check_bt "$WORK/bt-attached.p7m" - "attached ECDSA B-T"
python3 "$CMS_PARTS" token "$WORK/bt-attached.p7m" "$WORK/token2.der"
run openssl ts -reply -in "$WORK/token2.der" -token_in -token_out -text
expect_in "Policy OID: 1.3.6.1.4.1.99999.1.2" "$out" "the requested policy is in the token"

# 3. vbsig timestamp: B-B (ours, and OpenSSL's) becomes B-T; IN untouched.
run "$VBSIG" sign "$doc" -o "$WORK/bb.p7s" --detached "${p12[@]}"
expect_rc 0 "sign B-B"
run "$VBSIG" verify "$WORK/bb.p7s" --data "$doc" --trust "$root" --json
[ "$(json_get "$out" "d['signatures'][0]['level'], d['signatures'][0]['timestamp']")" = "B-B None" ] &&
  pass || fail "B-B has no timestamp: $out"
before=$(sha256sum <"$WORK/bb.p7s")
run "$VBSIG" timestamp "$WORK/bb.p7s" -o "$WORK/bb-t.p7s" --tsa "$url" --trust "$root"
expect_rc 0 "vbsig timestamp"
[ "$(sha256sum <"$WORK/bb.p7s")" = "$before" ] && pass || fail "timestamp changed its input"
check_bt "$WORK/bb-t.p7s" "$doc" "timestamped B-B"
cp "$PKI/samples/openssl-cades-detached.p7s" "$WORK/ossl.p7s"
run "$VBSIG" timestamp "$WORK/ossl.p7s" -o "$WORK/ossl-t.p7s" --tsa "$url"
expect_rc 0 "timestamp an OpenSSL-made CAdES signature"
check_bt "$WORK/ossl-t.p7s" "$doc" "OpenSSL signature timestamped"
openssl cms -verify -binary -inform DER -in "$WORK/ossl-t.p7s" -content "$doc" -CAfile "$root" -out /dev/null 2>/dev/null &&
  pass || fail "openssl cms -verify rejects the timestamped OpenSSL signature"
# A second timestamp (another TSA, later) is added, not substituted.
run "$VBSIG" timestamp "$WORK/bb-t.p7s" -o "$WORK/bb-tt.p7s" --tsa "$url"
expect_rc 0 "a second timestamp"
check_bt "$WORK/bb-tt.p7s" "$doc" "two timestamps"
n=$(openssl cms -cmsout -print -inform DER -in "$WORK/bb-tt.p7s" | grep -c "id-smime-aa-timeStampToken")
[ "$n" = "2" ] && pass || fail "expected two timestamp attributes, found $n"

# 4. Several URLs: the first is down, the second answers.
start_shim second
down=$(closed_url)
run "$VBSIG" sign "$doc" -o "$WORK/second.p7s" --detached "${p12[@]}" --tsa "$down" --tsa "$SHIM_URL" --tsa-retries 0
expect_rc 0 "first TSA down, second up"
check_bt "$WORK/second.p7s" "$doc" "signed through the second TSA"
[ "$(requests "$SHIM_LOG")" = "1" ] && pass || fail "the second TSA got $(requests "$SHIM_LOG") requests"

# 5. Retries with backoff: two 503s, then an answer.
start_shim flaky --fail-first 2
run "$VBSIG" sign "$doc" -o "$WORK/flaky.p7s" --detached "${p12[@]}" --tsa "$SHIM_URL" --tsa-retries 2
expect_rc 0 "retries get past two HTTP 503"
[ "$(requests "$SHIM_LOG")" = "3" ] && pass || fail "expected 3 attempts, the TSA saw $(requests "$SHIM_LOG")"
start_shim flaky2 --fail-first 2
run "$VBSIG" sign "$doc" -o "$WORK/flaky2.p7s" --detached "${p12[@]}" --tsa "$SHIM_URL" --tsa-retries 1
expect_rc 69 "one retry is not enough for two 503s"
expect_in "HTTP 503" "$err" "the HTTP status is named"
expect_no_file "$WORK/flaky2.p7s" "no output after a TSA failure"
[ "$(requests "$SHIM_LOG")" = "2" ] && pass || fail "expected 2 attempts, the TSA saw $(requests "$SHIM_LOG")"

# 6. HTTP basic authentication.
start_shim auth --user vanthu --password 'mật-khẩu'
run "$VBSIG" sign "$doc" -o "$WORK/auth.p7s" --detached "${p12[@]}" --tsa "$SHIM_URL"
expect_rc 69 "TSA demands authentication"
expect_in "HTTP 401" "$err" "401 named"
run "$VBSIG" sign "$doc" -o "$WORK/auth.p7s" --detached "${p12[@]}" --tsa "$SHIM_URL" --tsa-user vanthu --tsa-pass pass:sai
expect_rc 69 "wrong TSA password"
TSA_PW='mật-khẩu' run "$VBSIG" sign "$doc" -o "$WORK/auth.p7s" --detached "${p12[@]}" --tsa "$SHIM_URL" \
  --tsa-user vanthu --tsa-pass env:TSA_PW
expect_rc 0 "right TSA password from env:"
check_bt "$WORK/auth.p7s" "$doc" "signed through an authenticating TSA"

# 7. HTTPS: the TSA's TLS certificate is checked against --tsa-cacert.
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$WORK/tls.ext"
openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/tls.key" -subj "/CN=127.0.0.1" -out "$WORK/tls.csr" 2>/dev/null
openssl x509 -req -in "$WORK/tls.csr" -CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" \
  -set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile "$WORK/tls.ext" -out "$WORK/tls.pem" 2>/dev/null
cat "$WORK/tls.pem" "$PKI/chain.pem" >"$WORK/tls-chain.pem"
start_shim https --tls-cert "$WORK/tls-chain.pem" --tls-key "$WORK/tls.key"
https_url=${SHIM_URL/http:/https:}
run "$VBSIG" sign "$doc" -o "$WORK/https.p7s" --detached "${p12[@]}" --tsa "$https_url" --tsa-cacert "$root" --trust "$root"
expect_rc 0 "B-T over HTTPS"
check_bt "$WORK/https.p7s" "$doc" "timestamp fetched over HTTPS"
run "$VBSIG" sign "$doc" -o "$WORK/https2.p7s" --detached "${p12[@]}" --tsa "$https_url" --tsa-retries 0
expect_rc 69 "HTTPS TSA with a certificate the system does not trust"
expect_in "certificate" "$err" "the TLS failure is named"
run "$VBSIG" sign "$doc" -o "$WORK/https2.p7s" --detached "${p12[@]}" --tsa "$https_url" --tsa-retries 0 \
  --tsa-cacert "$PKI/unknownroot/root.pem"
expect_rc 69 "HTTPS TSA outside --tsa-cacert"
expect_no_file "$WORK/https2.p7s" "no output after a TLS failure"
[ "$(requests "$SHIM_LOG")" = "1" ] && pass || fail "a rejected TLS peer got a query: $(requests "$SHIM_LOG") requests"

# 8. Usage errors.
run "$VBSIG" sign "$doc" -o "$WORK/u.p7s" "${p12[@]}" --level B-T
expect_rc 64 "B-T without --tsa"
run "$VBSIG" sign "$doc" -o "$WORK/u.p7s" "${p12[@]}" --level B-B --tsa "$url"
expect_rc 64 "B-B with --tsa"
run "$VBSIG" sign "$doc" -o "$WORK/u.p7s" "${p12[@]}" --tsa ftp://127.0.0.1/tsa
expect_rc 64 "a non-HTTP TSA URL"
run "$VBSIG" sign "$doc" -o "$WORK/u.p7s" "${p12[@]}" --tsa "$url" --tsa-timeout 0
expect_rc 64 "--tsa-timeout 0"
run "$VBSIG" timestamp "$WORK/bb.p7s" -o "$WORK/u.p7s"
expect_rc 64 "timestamp without --tsa"
run "$VBSIG" timestamp "$WORK/bb.p7s" --tsa "$url"
expect_rc 64 "timestamp without -o"
# (PDF document timestamps: tests/cli/test_pades_lt.sh)
run "$VBSIG" timestamp "$PKI/documents/edxml-chithi-05-phuyen.xml" -o "$WORK/u.xml" --tsa "$url"
expect_rc 65 "XML signatures cannot be timestamped by this command"
expect_no_file "$WORK/u.xml" "nothing written for an XML input"
expect_no_file "$WORK/u.p7s" "nothing written on usage errors"
run "$VBSIG" timestamp --help
expect_rc 0 "timestamp --help"
expect_in "Usage: vbsig timestamp" "$out" "timestamp help text"
run "$VBSIG" help
expect_in "timestamp" "$out" "the overview lists timestamp"
ls "$WORK" | grep -q '\.tmp-' && fail "temporary files left behind" || pass

finish
