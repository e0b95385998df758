#!/usr/bin/env bash
# bench_xml.sh BUILD_DIR [SIZE_MB]
#
# Times vbsig's enveloped XML signing and verification of one generated
# e-invoice batch of about SIZE_MB (default 10) MiB against xmlsec1 doing
# the same work (ECDSA P-256, SHA-256, exclusive C14N, URI=""), with a bare
# libxml2 parse (xmllint --noout) as the floor. Each command runs three
# times; the table shows the best wall time and the highest peak RSS.
# Needs /usr/bin/time, xmlsec1, xmllint (libxml2-utils), python3 and what
# test-vectors/gen-pki.sh needs. Everything lives in a temporary directory.
set -euo pipefail

die() { printf 'bench_xml.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_xml.sh BUILD_DIR [SIZE_MB]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
size_mb=${2:-10}
case $size_mb in '' | *[!0-9]*) die "SIZE_MB must be a whole number, got '$size_mb'" ;; esac
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
for t in /usr/bin/time xmlsec1 python3; do command -v "$t" >/dev/null || die "$t not found"; done
runs=3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-xml.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >/dev/null 2>&1 || die "gen-pki.sh failed"
p12=$tmp/pki/signers/ecp256.p12

python3 - "$src/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml" "$tmp/doc.xml" "$tmp/tmpl.xml" "$size_mb" <<'PY'
import sys
one = open(sys.argv[1], encoding="utf-8").read()
body = one[one.index("<HDon>"):]
parts, size, i = ['<?xml version="1.0" encoding="UTF-8"?>\n<DSHDon>\n'], 0, 0
while size < int(sys.argv[4]) * 1024 * 1024:
    h = body.replace("DLHDon-C24TVL-00000127", "DLHDon-C24TVL-%08d" % i)
    parts.append(h); size += len(h.encode()); i += 1
doc = "".join(parts)
open(sys.argv[2], "w", encoding="utf-8").write(doc + "\n</DSHDon>\n")
ds = "http://www.w3.org/2000/09/xmldsig#"
sig = ('<Signature xmlns="%s"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
       '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><Reference URI="">'
       '<Transforms><Transform Algorithm="%senveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
       '</Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>'
       '</SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature>') % (ds, ds)
open(sys.argv[3], "w", encoding="utf-8").write(doc + sig + "\n</DSHDon>\n")
PY

measure() { # label command...
  local best="" rss=0 t m
  for _ in $(seq $runs); do
    if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"; then
      printf '%-34s FAILED: %s\n' "$1" "$(head -c 200 "$tmp/err")"; exit 1
    fi
    read -r t m < "$tmp/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%-34s %8s s %10s KiB\n' "$label" "$best" "$rss"
}
printf 'document: %s bytes\n' "$(stat -c %s "$tmp/doc.xml")"
if command -v xmllint >/dev/null; then label="xmllint --noout (parse floor)"; measure xmllint --noout "$tmp/doc.xml"; fi
label="vbsig sign --format xmldsig"; measure "$vbsig" sign "$tmp/doc.xml" -o "$tmp/ours.xml" --format xmldsig --key "$p12" --pass pass:vbsig-test
label="xmlsec1 --sign"; measure xmlsec1 --sign --pkcs12 "$p12" --pwd vbsig-test --output "$tmp/theirs.xml" "$tmp/tmpl.xml"
label="vbsig verify (own signature)"; measure "$vbsig" verify "$tmp/ours.xml" --trust "$tmp/pki/root/root.pem" --revocation off
label="vbsig verify (xmlsec1's)"; measure "$vbsig" verify "$tmp/theirs.xml" --trust "$tmp/pki/root/root.pem" --revocation off
label="xmlsec1 --verify (vbsig's)"; measure xmlsec1 --verify --trusted-pem "$tmp/pki/root/root.pem" --untrusted-pem "$tmp/pki/chain.pem" "$tmp/ours.xml"
