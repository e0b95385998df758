#!/usr/bin/env bash
# vbsig-tsa with its key on a PKCS#11 token (SoftHSM2): RSA-2048 and ECDSA
# P-256 token keys issue tokens that `openssl ts -verify` accepts, also under
# many concurrent requests over several worker threads (one login, the
# bridge's session pool); startup refuses a wrong PIN (exit 77), a
# certificate of another key, and a token that is not there.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" >/dev/null || { fail "make-softhsm.sh"; finish; }
export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
MODULE=$(cat "$WORK/hsm/module.txt")
export TOKEN_PIN=1234

# An ECDSA P-256 TSA certificate from the test PKI's issuing CA.
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/ec-tsa.key" 2>/dev/null
openssl req -new -key "$WORK/ec-tsa.key" -subj "/C=VN/O=vbsig test/CN=vbsig Test EC TSA" \
  -out "$WORK/ec-tsa.csr" 2>/dev/null
printf 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n' \
  >"$WORK/ec-tsa.ext"
openssl x509 -req -in "$WORK/ec-tsa.csr" -CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" \
  -set_serial 0x7ec2 -days 30 -sha256 -extfile "$WORK/ec-tsa.ext" -out "$WORK/ec-tsa.pem" 2>/dev/null \
  && pass || fail "EC TSA certificate"

# The TSA keys go on the test token next to make-softhsm.sh's signers.
put_key() { # NAME ID KEY CERT
  local name=$1 id=$2
  local p11=(pkcs11-tool --module "$MODULE" --token-label vbsig-test --login --pin 1234)
  openssl pkey -in "$3" -outform DER -out "$WORK/$name.key.der" &&
    openssl pkey -in "$3" -pubout -outform DER -out "$WORK/$name.pub.der" &&
    openssl x509 -in "$4" -outform DER -out "$WORK/$name.crt.der" &&
    "${p11[@]}" --write-object "$WORK/$name.key.der" --type privkey --id "$id" --label "$name" \
      --usage-sign >/dev/null 2>&1 &&
    "${p11[@]}" --write-object "$WORK/$name.pub.der" --type pubkey --id "$id" --label "$name" >/dev/null 2>&1 &&
    "${p11[@]}" --write-object "$WORK/$name.crt.der" --type cert --id "$id" --label "$name" >/dev/null 2>&1
}
put_key tsa 10 "$PKI/signers/tsa.key" "$PKI/signers/tsa.pem" && pass || fail "TSA key onto the token"
put_key ectsa 11 "$WORK/ec-tsa.key" "$WORK/ec-tsa.pem" && pass || fail "EC TSA key onto the token"
uri() { echo "pkcs11:token=vbsig-test;object=$1;type=private"; }

echo "token-backed timestamp" >"$WORK/doc"
# verify_token QUERY REPLY: openssl ts -verify with the certificates the reply ships.
verify_token() {
  openssl ts -verify -in "$2" -queryfile "$1" -CAfile "$PKI/root/root.pem" \
    -untrusted "$PKI/chain.pem" >/dev/null 2>"$WORK/.verify"
}

# One server per key kind; the RSA one takes its certificate from the token,
# the EC one from --cert. Many requests at once, on four workers.
for kind in tsa ectsa; do
  if [ "$kind" = tsa ]; then
    TSA_KEY_ARGS=(--key "$(uri tsa)" --module "$MODULE" --pin env:TOKEN_PIN)
  else
    TSA_KEY_ARGS=(--key "$(uri ectsa)" --module "$MODULE" --pin env:TOKEN_PIN --cert "$WORK/ec-tsa.pem")
  fi
  tsa_start "p11-$kind" --allow-unsynced-clock --threads 4 || { fail "$kind: server did not start"; continue; }
  pass
  logins=$(grep -c 'event=started' "$TSA_LOG")
  [ "$logins" -eq 1 ] && pass || fail "$kind: started $logins times"

  openssl ts -query -data "$WORK/doc" -sha256 -cert -out "$WORK/$kind-1.tsq" 2>/dev/null
  code=$(ts_post "$WORK/$kind-1.tsq" "$WORK/$kind-1.tsr")
  [ "$code" = 200 ] && pass || fail "$kind: HTTP $code"
  verify_token "$WORK/$kind-1.tsq" "$WORK/$kind-1.tsr" && pass ||
    fail "$kind: openssl ts -verify rejects the token: $(cat "$WORK/.verify")"
  text=$(openssl ts -reply -in "$WORK/$kind-1.tsr" -text 2>/dev/null)
  expect_in "Status: Granted." "$text" "$kind: granted"
  expect_in "Policy OID: $TSA_POLICY" "$text" "$kind: policy"
  openssl ts -reply -in "$WORK/$kind-1.tsr" -token_out -out "$WORK/$kind-1.der" 2>/dev/null
  parsed=$(openssl asn1parse -inform DER -in "$WORK/$kind-1.der")
  expect_in "id-smime-aa-signingCertificateV2" "$parsed" "$kind: ESSCertIDv2 attribute"
  if [ "$kind" = ectsa ]; then expect_in "ecdsa-with-SHA256" "$parsed" "EC: ECDSA signature"; fi

  # 120 requests, 24 at a time, each with its own nonce; every token verified.
  mkdir -p "$WORK/$kind-many"
  for i in $(seq 1 120); do
    echo "doc $kind $i" >"$WORK/$kind-many/d$i"
    openssl ts -query -data "$WORK/$kind-many/d$i" -sha256 -cert -out "$WORK/$kind-many/q$i.tsq" 2>/dev/null
  done
  export TSA_URL WORK kind
  seq 1 120 | xargs -P 24 -I{} sh -c 'curl -s -m 30 -H "Content-Type: application/timestamp-query" \
      --data-binary "@$WORK/$kind-many/q{}.tsq" -o "$WORK/$kind-many/r{}.tsr" "$TSA_URL/"'
  ok=0
  : >"$WORK/$kind-serials"
  for i in $(seq 1 120); do
    if verify_token "$WORK/$kind-many/q$i.tsq" "$WORK/$kind-many/r$i.tsr"; then ok=$((ok + 1)); fi
    reply_field "$WORK/$kind-many/r$i.tsr" "Serial number" >>"$WORK/$kind-serials"
  done
  [ "$ok" -eq 120 ] && pass || fail "$kind: $ok of 120 concurrent tokens verified"
  unique=$(sort -u "$WORK/$kind-serials" | grep -c .)
  [ "$unique" -eq 120 ] && pass || fail "$kind: $unique unique serials of 120"
  tsa_stop
  [ "$stop_rc" -eq 0 ] && pass || fail "$kind: SIGTERM exit $stop_rc"
  run "$TSA_BIN" journal verify --journal "$WORK/p11-$kind.db"
  expect_rc 0 "$kind: journal verify"
  expect_in "(121 granted, 0 rejections)" "$out" "$kind: journal counts"
done
TSA_KEY_ARGS=()

base=(--listen 127.0.0.1:0 --policy "$TSA_POLICY" --journal "$WORK/never.db" --allow-unsynced-clock
      --module "$MODULE")
# A wrong PIN: exit 77 with the token's message, before anything listens.
run timeout 30 "$TSA_BIN" "${base[@]}" --key "$(uri tsa)" --pin pass:0000
expect_rc 77 "wrong PIN"
expect_in "wrong PIN for token vbsig-test" "$err" "wrong PIN message"
expect_no_file "$WORK/never.db" "no journal after a wrong PIN"
# A certificate of another key.
run timeout 30 "$TSA_BIN" "${base[@]}" --key "$(uri ectsa)" --pin env:TOKEN_PIN --cert "$PKI/signers/tsa.pem"
expect_rc 77 "certificate of another key"
# A token key whose certificate is no TSA certificate (make-softhsm's signer).
run timeout 30 "$TSA_BIN" "${base[@]}" --key "$(uri rsa2048)" --pin env:TOKEN_PIN
expect_rc 77 "signer certificate without timeStamping EKU"
expect_in "timeStamping" "$err" "EKU message"
# A token that is not there.
run timeout 30 "$TSA_BIN" "${base[@]}" --key "pkcs11:token=no-such-token;object=tsa;type=private" \
  --pin env:TOKEN_PIN
expect_rc 69 "absent token"
expect_in "no-such-token" "$err" "absent token named"
finish
