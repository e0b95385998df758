#!/usr/bin/env bash
# Creates a SoftHSM2 token holding keys and certificates of the test PKI.
#
#   test-vectors/make-softhsm.sh DIR PKI [LABEL]
#
# DIR gets its own softhsm2.conf and token store (nothing outside DIR is
# touched); use it with  export SOFTHSM2_CONF=DIR/softhsm2.conf.
# The token is labelled LABEL (default "vbsig-test"), user PIN 1234, SO PIN 87654321.
#
# Objects (each key pair and its certificate share label and id):
#   label rsa2048  id 01  RSA-2048 private key, public key, certificate
#   label rsa3072  id 02  RSA-3072
#   label ecp256   id 03  ECDSA P-256
#   label expired  id 04  RSA-2048 whose certificate has expired
# so e.g. pkcs11:token=vbsig-test;object=rsa2048;type=private
# DIR/module.txt holds the path of the SoftHSM2 module.
set -euo pipefail

dir=${1:?usage: make-softhsm.sh DIR PKI [LABEL]}
pki=${2:?usage: make-softhsm.sh DIR PKI [LABEL]}
label=${3:-vbsig-test}

module=""
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
         /usr/lib/$(uname -m)-linux-gnu/softhsm/libsofthsm2.so; do
  [ -e "$m" ] && module=$m && break
done
[ -n "$module" ] || { echo "make-softhsm.sh: libsofthsm2.so not found (apt-get install softhsm2)" >&2; exit 1; }

mkdir -p "$dir/tokens"
cat >"$dir/softhsm2.conf" <<EOF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF
export SOFTHSM2_CONF=$dir/softhsm2.conf
echo "$module" >"$dir/module.txt"

softhsm2-util --init-token --free --label "$label" --pin 1234 --so-pin 87654321 >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
put() { # put NAME ID
  local name=$1 id=$2
  openssl pkey -in "$pki/signers/$name.key" -outform DER -out "$tmp/$name.key.der"
  openssl pkey -in "$pki/signers/$name.key" -pubout -outform DER -out "$tmp/$name.pub.der"
  pkcs11-tool --module "$module" --token-label "$label" --login --pin 1234 \
    --write-object "$tmp/$name.key.der" --type privkey --id "$id" --label "$name" --usage-sign >/dev/null 2>&1
  pkcs11-tool --module "$module" --token-label "$label" --login --pin 1234 \
    --write-object "$tmp/$name.pub.der" --type pubkey --id "$id" --label "$name" >/dev/null 2>&1
  pkcs11-tool --module "$module" --token-label "$label" --login --pin 1234 \
    --write-object "$pki/signers/$name.der" --type cert --id "$id" --label "$name" >/dev/null 2>&1
}
put rsa2048 01
put rsa3072 02
put ecp256 03
put expired 04
