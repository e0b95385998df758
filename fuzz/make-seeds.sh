#!/usr/bin/env bash
# Regenerates the committed seed corpora fuzz/seeds/cms and fuzz/seeds/der.
#
#   fuzz/make-seeds.sh
#
# Needs only openssl (3.x). Keys are made for this run in a temporary
# directory and thrown away; the seeds are meant to be committed, and keep
# every file under 4 KiB because libFuzzer mutates small inputs far better.
# Detached signatures are over the single byte "x", the data the
# fuzz_cms_verify harness passes, so mutations start from a valid signature.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cms_dir=$here/seeds/cms
der_dir=$here/seeds/der
max_seed=4096

command -v openssl >/dev/null || { echo "make-seeds.sh: openssl not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 022
cd "$tmp"
printf x >data

quiet() { "$@" 2>>"$tmp/openssl.log" || { cat "$tmp/openssl.log" >&2; exit 1; }; }

# --- throwaway signers -----------------------------------------------------
ku="keyUsage=critical,digitalSignature,nonRepudiation"
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.pem -days 3650 \
  -subj "/CN=vbsig fuzz RSA/O=vbsig" -addext "$ku"
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.pem \
  -days 3650 -subj "/CN=vbsig fuzz EC/O=vbsig" -addext "$ku"

# A two-level chain whose leaf names CRL and OCSP sources, so seeds also
# carry an intermediate-style issuer and reach the revocation code.
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 3650 -subj "/CN=vbsig fuzz CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/CN=vbsig fuzz leaf"
cat >leaf.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
crlDistributionPoints=URI:http://127.0.0.1/ca.crl
authorityInfoAccess=OCSP;URI:http://127.0.0.1/ocsp
EXT
quiet openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 3650 \
  -extfile leaf.ext -out leaf.pem

# --- CMS seeds -------------------------------------------------------------
mkdir -p "$cms_dir" "$der_dir"
find "$cms_dir" "$der_dir" -maxdepth 1 -type f -delete

# sign NAME [openssl cms options …]: DER output unless the options say otherwise.
sign() {
  local name=$1
  shift
  quiet openssl cms -sign -binary -md sha256 -in data -outform DER -out "$cms_dir/$name" "$@"
}
rsa=(-signer rsa.pem -inkey rsa.key)
ec=(-signer ec.pem -inkey ec.key)

sign rsa-detached.der "${rsa[@]}"
sign rsa-detached-cades.der "${rsa[@]}" -cades
sign rsa-attached.der "${rsa[@]}" -nodetach
sign rsa-attached-cades.pem "${rsa[@]}" -nodetach -cades -outform PEM
sign rsa-noattr.der "${rsa[@]}" -noattr
sign rsa-pss-cades.der "${rsa[@]}" -cades -keyopt rsa_padding_mode:pss
sign rsa-sha1.der "${rsa[@]}" -md sha1
# -stream with DER output gives BER indefinite lengths, the lax-walker path.
sign rsa-attached-ber.der "${rsa[@]}" -nodetach -stream
sign ec-detached-cades.der "${ec[@]}" -cades
sign ec-attached.der "${ec[@]}" -nodetach -nosmimecap
sign ec-chain-cades.der -signer leaf.pem -inkey leaf.key -certfile ca.pem -cades -nosmimecap
sign two-signers.der "${rsa[@]}" "${ec[@]}" -nosmimecap
# Cut mid-structure: the parsers' bounds checks, not the happy path.
full=$(wc -c <"$cms_dir/rsa-detached-cades.der")
head -c $((full / 2)) "$cms_dir/rsa-detached-cades.der" >"$cms_dir/truncated.der"

# --- DER seeds: one of each encoding feature the walker distinguishes -------
blob() { printf "$2" >"$der_dir/$1"; }
blob null.der '\x05\x00'
blob integer.der '\x02\x01\x05'
blob oid-signeddata.der '\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02'
blob sequence.der '\x30\x06\x02\x01\x01\x02\x01\x02'
blob explicit-tag.der '\xa0\x03\x02\x01\x02'
blob high-tag.der '\x9f\x1f\x01\x00'
blob ber-indefinite.der '\x30\x80\x02\x01\x01\x30\x80\x04\x00\x00\x00\x00\x00'
blob ber-constructed-octets.der '\x24\x80\x04\x01\x61\x04\x01\x62\x00\x00'
{ printf '\x04\x81\x80'; head -c 128 /dev/zero; } >"$der_dir/long-length.der"
openssl x509 -in ca.pem -outform DER -out "$der_dir/certificate.der"

for f in "$cms_dir"/* "$der_dir"/*; do
  size=$(wc -c <"$f")
  if [ "$size" -ge "$max_seed" ]; then
    echo "make-seeds.sh: $f is $size bytes, over the $max_seed-byte budget" >&2
    exit 1
  fi
done
echo "make-seeds.sh: $(ls "$cms_dir" | wc -l) CMS seeds, $(ls "$der_dir" | wc -l) DER seeds"
