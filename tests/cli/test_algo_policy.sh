#!/usr/bin/env bash
# The algorithm policy: MD5 anywhere in the chain fails; SHA-1 and RSA keys
# under 2048 bits are weak, which warns by default and fails with
# "weak = fail" in the config file. The weak chains are made here with
# openssl under the test PKI's root (CA certificates signed with SHA-1 and
# MD5, a CA with an RSA-1024 key).
source "$(dirname "$0")/lib.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
export VBSIG_CONFIG=""
cnf="$PKI/conf/openssl.cnf"
printf '[policy]\nweak = fail\n' >"$WORK/fail.conf"
printf '[policy]\nweak = warn\n' >"$WORK/warn.conf"

verify() { # verify P7S [options…]
  local f=$1
  shift
  run "$VBSIG" verify "$f" --data "$doc" --trust "$root" --json --revocation off "$@"
}
sig() { json_get "$out" "d['signatures'][0]$1"; }
# ca NAME DIGEST BITS: an intermediate under the test root; then a signer
# under it and a CAdES signature carrying both certificates.
ca_chain() {
  local n=$1 md=$2 bits=$3
  openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out "$WORK/$n-ca.key" 2>/dev/null
  openssl req -new -key "$WORK/$n-ca.key" -subj "/C=VN/O=Thu nghiem/CN=vbsig $n CA" -out "$WORK/$n-ca.csr"
  openssl x509 -req -in "$WORK/$n-ca.csr" -CA "$root" -CAkey "$PKI/root/root.key" -"$md" -days 30 \
    -extfile "$cnf" -extensions ext_intermediate -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/$n-ca.pem" 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/$n-ee.key" 2>/dev/null
  openssl req -new -key "$WORK/$n-ee.key" -subj "/C=VN/O=Thu nghiem/CN=vbsig $n signer" -out "$WORK/$n-ee.csr"
  openssl x509 -req -in "$WORK/$n-ee.csr" -CA "$WORK/$n-ca.pem" -CAkey "$WORK/$n-ca.key" -sha256 -days 30 \
    -extfile "$cnf" -extensions ext_signer -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/$n-ee.pem" 2>/dev/null
  openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$WORK/$n-ee.pem" \
    -inkey "$WORK/$n-ee.key" -certfile "$WORK/$n-ca.pem" -outform DER -out "$WORK/$n.p7s"
  [ -s "$WORK/$n.p7s" ] && pass || fail "could not make the $n chain"
}

# 1. A strong chain: not weak under either policy.
verify "$PKI/samples/openssl-cades-detached.p7s" --config "$WORK/fail.conf"
expect_rc 0 "strong signature, weak = fail"
[ "$(sig "['weak_algorithm']")" = False ] && pass || fail "strong: $out"

# 2. SHA-1 signature digest (the test PKI's sample): warn, then fail.
verify "$PKI/samples/sha1-signer.p7s"
expect_rc 0 "SHA-1 digest, default policy"
[ "$(sig "['weak_algorithm']")" = True ] && pass || fail "SHA-1 flagged: $out"
verify "$PKI/samples/sha1-signer.p7s" --config "$WORK/warn.conf"
expect_rc 0 "SHA-1 digest, weak = warn"
verify "$PKI/samples/sha1-signer.p7s" --config "$WORK/fail.conf"
expect_rc 2 "SHA-1 digest, weak = fail"
[ "$(sig "['subindication']")" = CRYPTO_CONSTRAINTS_FAILURE_NO_POE ] && pass || fail "SHA-1 fail: $out"
expect_in "weak = fail" "$out" "the policy is named"

# 3. RSA-1024 signer (the test PKI's rsa1024 certificate).
openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$PKI/signers/rsa1024.pem" \
  -inkey "$PKI/signers/rsa1024.key" -certfile "$PKI/chain.pem" -outform DER -out "$WORK/rsa1024.p7s"
verify "$WORK/rsa1024.p7s"
expect_rc 0 "RSA-1024 signer, default policy"
[ "$(sig "['weak_algorithm']")" = True ] && pass || fail "RSA-1024 flagged: $out"
verify "$WORK/rsa1024.p7s" --config "$WORK/fail.conf"
expect_rc 2 "RSA-1024 signer, weak = fail"

# 4. A CA certificate signed with SHA-1: weak, named in the messages.
ca_chain sha1 sha1 2048
verify "$WORK/sha1.p7s"
expect_rc 0 "SHA-1 CA certificate, default policy"
[ "$(sig "['weak_algorithm']")" = True ] && pass || fail "SHA-1 CA flagged: $out"
expect_in "CA certificate CN=vbsig sha1 CA,O=Thu nghiem,C=VN is signed with SHA-1" "$out" "SHA-1 CA named"
verify "$WORK/sha1.p7s" --config "$WORK/fail.conf"
expect_rc 2 "SHA-1 CA certificate, weak = fail"

# 5. A CA with an RSA-1024 key.
ca_chain small sha256 1024
verify "$WORK/small.p7s"
[ "$rc" -ne 1 ] && pass || fail "RSA-1024 CA: $out"
[ "$(sig "['status']")" = TOTAL-PASSED ] && [ "$(sig "['weak_algorithm']")" = True ] && pass ||
  fail "RSA-1024 CA must pass as weak by default: $out"
verify "$WORK/small.p7s" --config "$WORK/fail.conf"
expect_rc 2 "RSA-1024 CA, weak = fail"

# 6. A CA certificate signed with MD5 fails under either policy.
ca_chain md5 md5 2048
verify "$WORK/md5.p7s" --config "$WORK/warn.conf"
expect_rc 2 "MD5 CA certificate"
[ "$(sig "['subindication']")" = CRYPTO_CONSTRAINTS_FAILURE_NO_POE ] && pass || fail "MD5 CA: $out"

# 7. A bad policy value is refused with its line.
printf '[policy]\n\nweak = sometimes\n' >"$WORK/bad.conf"
verify "$PKI/samples/sha1-signer.p7s" --config "$WORK/bad.conf"
expect_rc 64 "bad weak policy"
expect_in "bad.conf:3:" "$err" "the line is named"

finish
