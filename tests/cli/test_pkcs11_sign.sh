#!/usr/bin/env bash
# vbsig sign --key pkcs11:… against a real SoftHSM2 token holding keys of the
# test PKI; every signature is checked by openssl and by vbsig verify.
. "$(dirname "$0")/lib.sh"

bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" || { fail "make-softhsm.sh"; finish; }
export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
MODULE=$(cat "$WORK/hsm/module.txt")
export TOKEN_PIN=1234
printf 'Công văn số 12/UBND: ký bằng token.\n' >"$WORK/doc.txt"
cat "$PKI/root/root.pem" "$PKI/chain.pem" >"$WORK/ca.pem" # openssl cms builds chains from its CAfile
uri() { echo "pkcs11:token=vbsig-test;object=$1;type=private"; }

openssl_ok() { # openssl_ok SIG
  openssl cms -verify -binary -inform DER -in "$1" -content "$WORK/doc.txt" \
    -CAfile "$WORK/ca.pem" -purpose any -out /dev/null 2>"$WORK/.ossl"
}

for key in rsa2048 rsa3072 ecp256; do
  run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/$key.p7s" --detached --key "$(uri $key)" \
    --module "$MODULE" --pin env:TOKEN_PIN --chain "$PKI/chain.pem"
  expect_rc 0 "sign with $key on the token"
  openssl_ok "$WORK/$key.p7s" && pass || fail "openssl rejects the $key signature: $(cat "$WORK/.ossl")"
  run "$VBSIG" verify "$WORK/$key.p7s" --data "$WORK/doc.txt" --trust "$PKI/root/root.pem" --json
  expect_rc 0 "vbsig verify of the $key token signature"
  expect_in "$key" "$(json_get "$out" "d['signatures'][0]['signer']['key'].replace('RSA-2048','rsa2048').replace('RSA-3072','rsa3072').replace('ECDSA-P256','ecp256').replace('EC-P256','ecp256')")" "key type reported for $key"
done

# RSA-PSS goes to the token as CKM_RSA_PKCS_PSS.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/pss.p7s" --detached --key "$(uri rsa2048)" \
  --module "$MODULE" --pin env:TOKEN_PIN --rsa-padding pss
expect_rc 0 "RSA-PSS on the token"
openssl_ok "$WORK/pss.p7s" && pass || fail "openssl rejects the PSS signature: $(cat "$WORK/.ossl")"
openssl cms -cmsout -print -inform DER -in "$WORK/pss.p7s" | grep -q rsassaPss && pass || fail "PSS signature is not marked rsassaPss"

# module-path= in the URI instead of --module; the key chosen by id; PIN from a file.
printf '1234\n' >"$WORK/pin.txt"
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/byid.p7s" --detached \
  --key "pkcs11:token=vbsig-test;id=%03;type=private?module-path=$MODULE" --pin "file:$WORK/pin.txt"
expect_rc 0 "URI with id= and module-path="
openssl_ok "$WORK/byid.p7s" && pass || fail "openssl rejects the id= signature"
openssl cms -cmsout -print -inform DER -in "$WORK/byid.p7s" | grep -q "Ng" && pass || fail "id=03 did not pick the ecp256 certificate"

# The certificate may come from a file instead of the token.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/certfile.p7s" --detached --key "$(uri rsa2048)" \
  --module "$MODULE" --pin env:TOKEN_PIN --cert "$PKI/signers/rsa2048.pem"
expect_rc 0 "--cert with a token key"
# … but it must belong to the key.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/wrongcert.p7s" --detached --key "$(uri rsa2048)" \
  --module "$MODULE" --pin env:TOKEN_PIN --cert "$PKI/signers/rsa3072.pem"
expect_rc 77 "a certificate of another key is refused"
expect_in "does not belong" "$err" "mismatch message"
expect_no_file "$WORK/wrongcert.p7s" "no output for a mismatched certificate"

# Wrong PIN: exit 77, a message saying so, nothing written.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/badpin.p7s" --detached --key "$(uri rsa2048)" \
  --module "$MODULE" --pin pass:0000
expect_rc 77 "wrong PIN"
expect_in "wrong PIN for token vbsig-test" "$err" "wrong PIN message"
expect_no_file "$WORK/badpin.p7s" "no output after a wrong PIN"

# No PIN and no terminal to ask on: a clear refusal, not a hang.
run setsid "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/nopin.p7s" --detached --key "$(uri rsa2048)" --module "$MODULE" </dev/null
expect_rc 77 "no PIN without a terminal"
expect_in "--pin" "$err" "the message says how to give the PIN"

# Key not found names what was searched.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/nokey.p7s" --detached --key "$(uri giamdoc)" \
  --module "$MODULE" --pin env:TOKEN_PIN
expect_rc 77 "missing key"
expect_in "object=giamdoc" "$err" "key-not-found names the object"
# No such token: device unavailable.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/notoken.p7s" --detached \
  --key "pkcs11:token=VNPT-CA;object=signer" --module "$MODULE" --pin env:TOKEN_PIN
expect_rc 69 "absent token"
expect_in "token=VNPT-CA" "$err" "absent-token message names the token"
# A module that does not load.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/nomod.p7s" --detached --key "$(uri rsa2048)" \
  --module "$WORK/no-such-module.so" --pin env:TOKEN_PIN
expect_rc 69 "module that does not load"
expect_in "cannot load the PKCS#11 module" "$err" "module-load message"
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/notmod.p7s" --detached --key "$(uri rsa2048)" \
  --module "$WORK/pin.txt" --pin env:TOKEN_PIN
expect_rc 69 "a file that is not a module"
# Usage: token keys take --pin; --module needs a token key; malformed URIs.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/x.p7s" --key "$(uri rsa2048)" --module "$MODULE" --pass env:TOKEN_PIN
expect_rc 64 "--pass with a PKCS#11 key"
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/x.p7s" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test --module "$MODULE"
expect_rc 64 "--module with a key file"
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/x.p7s" --key "pkcs11:token=vbsig-test;object=rsa%2" --module "$MODULE" --pin env:TOKEN_PIN
expect_rc 64 "bad percent-encoding"
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/x.p7s" --key "pkcs11:tokn=vbsig-test" --module "$MODULE" --pin env:TOKEN_PIN
expect_rc 64 "unknown URI attribute"
expect_in "tokn" "$err" "unknown attribute named"
expect_no_file "$WORK/x.p7s" "no output from usage errors"

# Without --module, p11-kit's proxy finds SoftHSM2 through its module registry.
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/proxy.p7s" --detached --key "$(uri rsa2048)" --pin env:TOKEN_PIN
expect_rc 0 "signing through p11-kit's proxy"
openssl_ok "$WORK/proxy.p7s" && pass || fail "openssl rejects the signature made through the proxy"

# token list / token certs, text and JSON.
run "$VBSIG" token list --module "$MODULE" --json
expect_rc 0 "token list --json"
expect_in "SoftHSM v2" "$(json_get "$out" "[t['model'] for t in d['tokens'] if t.get('label')=='vbsig-test'][0]")" "token model"
expect_in "True" "$(json_get "$out" "[t['flags']['login_required'] for t in d['tokens'] if t.get('label')=='vbsig-test'][0]")" "login-required flag"
expect_in "False" "$(json_get "$out" "[t['flags']['pin_locked'] for t in d['tokens'] if t.get('label')=='vbsig-test'][0]")" "PIN not locked"
expect_in "token=vbsig-test" "$(json_get "$out" "[t['uri'] for t in d['tokens'] if t.get('label')=='vbsig-test'][0]")" "token URI"
run "$VBSIG" token list
expect_rc 0 "token list through the proxy"
expect_in "vbsig-test" "$out" "the proxy shows the token"
run "$VBSIG" token certs --module "$MODULE" --json
expect_rc 0 "token certs --json"
expect_in "4" "$(json_get "$out" "len([o for o in d['objects'] if o['type']=='cert'])")" "four certificates"
expect_in "0" "$(json_get "$out" "len([o for o in d['objects'] if o['type']=='private'])")" "no private keys before login"
expect_in "Phú Yên" "$(json_get "$out" "[o['subject'] for o in d['objects'] if o['label']=='rsa3072'][0]")" "subject in UTF-8"
run "$VBSIG" token certs "pkcs11:token=vbsig-test" --module "$MODULE" --pin env:TOKEN_PIN --json
expect_rc 0 "token certs with a login"
keyuri=$(json_get "$out" "[o['uri'] for o in d['objects'] if o['type']=='private' and o['label']=='ecp256'][0]")
expect_in "type=private" "$keyuri" "private key URI listed after login"
run "$VBSIG" sign "$WORK/doc.txt" -o "$WORK/listed.p7s" --detached --key "$keyuri" --module "$MODULE" --pin env:TOKEN_PIN
expect_rc 0 "signing with a URI from token certs"
run "$VBSIG" token certs --module "$MODULE"
expect_rc 0 "token certs, text"
expect_in "pkcs11:token=vbsig-test;id=%01;object=rsa2048;type=cert" "$out" "text lists the URIs"
run "$VBSIG" token certs "pkcs11:token=nope" --module "$MODULE" --json
expect_rc 0 "token certs for no token"
expect_in "0" "$(json_get "$out" "len(d['objects'])")" "no objects for another token"
run "$VBSIG" token frobnicate
expect_rc 64 "unknown token subcommand"
run "$VBSIG" token list --count 3
expect_rc 64 "--count outside watch"
run "$VBSIG" token list --module "$WORK/none.so"
expect_rc 69 "token list with a missing module"

# Batch: one login for many files, every result verifies.
mkdir -p "$WORK/batch" "$WORK/out"
for i in 1 2 3 4 5; do printf 'văn bản %s\n' "$i" >"$WORK/batch/vb$i.txt"; done
run "$VBSIG" sign "$WORK"/batch/vb*.txt --out-dir "$WORK/out" --detached --key "$(uri ecp256)" \
  --module "$MODULE" --pin env:TOKEN_PIN
expect_rc 0 "batch signing with the token"
for i in 1 2 3 4 5; do
  openssl cms -verify -binary -inform DER -in "$WORK/out/vb$i.txt.p7s" -content "$WORK/batch/vb$i.txt" \
    -CAfile "$WORK/ca.pem" -purpose any -out /dev/null 2>/dev/null &&
    pass || fail "batch signature $i does not verify"
done
finish
