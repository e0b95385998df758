#!/usr/bin/env bash
# Regenerates the committed seed corpus fuzz/seeds/pades for
# fuzz_pades_verify: a small signed PDF, a certified one (DocMDP P=2), the
# attack files made from them by test-vectors/pdf-attacks/make_attacks.py,
# and certified files with a later visible signature or annotation (covers-*).
#
#   fuzz/make-seeds-pades.sh
#
# Needs python3 and openssl (3.x). The throwaway EC key lives in a
# temporary directory; the signature placeholder is kept small so each seed
# stays a few KiB (libFuzzer mutates small inputs far better).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gen=$here/../test-vectors/pdf-attacks/make_attacks.py
out=$here/seeds/pades
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" \
  -days 3650 -subj "/CN=vbsig fuzz PDF" -addext "keyUsage=critical,digitalSignature,nonRepudiation" 2>/dev/null
python3 "$gen" base "$tmp/base.pdf"
python3 "$gen" certify "$tmp/base.pdf" "$tmp/signed.pdf" --key "$tmp/k.pem" --cert "$tmp/c.pem" --p 0 --placeholder 2400
python3 "$gen" certify "$tmp/base.pdf" "$tmp/certified.pdf" --key "$tmp/k.pem" --cert "$tmp/c.pem" --p 2 --placeholder 2400
python3 "$gen" attacks "$tmp/signed.pdf" "$tmp/certified.pdf" "$tmp/attacks"
# certified files with a later visible widget or annotation: they reach the
# content footprint estimator (libvbsig/src/pdf/pdf_content_bbox.c)
python3 "$gen" covers "$tmp/base.pdf" "$tmp/attacks" --key "$tmp/k.pem" --cert "$tmp/c.pem" --placeholder 2400
python3 "$gen" base "$tmp/rich.pdf" --rich
python3 "$gen" covers "$tmp/rich.pdf" "$tmp/rich" --key "$tmp/k.pem" --cert "$tmp/c.pem" --placeholder 2400
rm -rf "$out"
mkdir -p "$out"
cp "$tmp/signed.pdf" "$tmp/certified.pdf" "$out/"
for f in isa-page-content shadow-hide shadow-hide-and-replace swa-redefined-sigdict usf-overlapping evil-annotation \
  covers-approval-blank covers-approval-over-text covers-p3-annotation-blank; do
  cp "$tmp/attacks/$f.pdf" "$out/"
done
for f in covers-approval-blank covers-p3-annotation-over-text; do
  cp "$tmp/rich/$f.pdf" "$out/covers-rich-${f#covers-}.pdf"
done
ls -l "$out"
