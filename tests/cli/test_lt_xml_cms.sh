#!/usr/bin/env bash
# XAdES and CAdES B-LT / B-LTA (`vbsig sign --level B-LT|B-LTA`, `vbsig
# extend` on .xml and .p7s) against real servers on 127.0.0.1: our
# vbsig-tsa, OpenSSL's OCSP responder and the test PKI's CRLs behind
# tests/revocation/rev_server.py. Oracles: xmlsec1 and `openssl cms -verify`
# must still accept the extended signatures, `openssl ocsp -respin` checks
# the embedded OCSP responses, and vbsig verifies them offline with every
# server stopped. Tampering with an archived item must fail the archive
# timestamp.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/revocation/rev_lib.sh" # start_pki_rev, stop_revs
doc="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
root="$PKI/root/root.pem"
inter="$PKI/ca/intermediate.pem"
key=(--key "$PKI/signers/withrev.p12" --pass pass:vbsig-test)
xmlsec_trust=(--trusted-pem "$root" --untrusted-pem "$PKI/chain.pem" --id-attr:Id SignedProperties)

trap 'stop_revs; tsa_cleanup' EXIT

# level_of FILE [args]: "STATUS LEVEL REVOCATION" of the first signature, verified offline
verdict() {
  local f=$1; shift
  run "$VBSIG" verify "$f" --trust "$root" --json --offline "$@"
  json_get "$out" "d['status'] + ' ' + d['signatures'][0]['level'] + ' ' + d['signatures'][0]['revocation']['status']"
}
# ocsp_from FILE OUTDIR: every embedded OCSP response as OUTDIR/ocsp-N.der
# (XML: EncapsulatedOCSPValue; CMS: id-ri-ocsp-response in SignedData.crls)
ocsp_from() {
  python3 - "$1" "$2" <<'PY'
import base64, os, re, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
b = open(src, "rb").read()
found = []
if src.endswith(".xml"):
    found = [base64.b64decode(m) for m in re.findall(rb"<xades:EncapsulatedOCSPValue>([^<]*)<", b)]
else:
    oid = bytes.fromhex("06082b0601050507100" + "2")
    at = 0
    while (at := b.find(oid, at)) >= 0:
        p = at + len(oid)
        assert b[p] == 0x30
        n = b[p + 1]
        hdr = 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[p + 2:p + 2 + k], "big")
            hdr += k
        found.append(b[p:p + hdr + n])
        at = p
for i, d in enumerate(found):
    open(os.path.join(out, "ocsp-%d.der" % i), "wb").write(d)
print(len(found))
PY
}
# respin_good DIR: some embedded response is the responder's, signed, saying good for the signer
respin_good() {
  local f ok=0
  for f in "$1"/ocsp-*.der; do
    openssl ocsp -respin "$f" -issuer "$inter" -cert "$PKI/signers/withrev.pem" -CAfile "$root" -no_nonce \
      >"$WORK/ocsp.txt" 2>&1
    grep -q "Response verify OK" "$WORK/ocsp.txt" && grep -q "withrev.pem: good" "$WORK/ocsp.txt" && ok=1
  done
  [ "$ok" = 1 ]
}

tsa_start ltx --allow-unsynced-clock || { fail "vbsig-tsa did not start"; finish; }
TSA="$TSA_URL/"
start_pki_rev
printf 'Công văn số 12/UBND: dữ liệu ký tách rời\n' >"$WORK/data.txt"

# ---------------------------------------------------------------- 1. XAdES
run "$VBSIG" sign "$doc" -o "$WORK/bt.xml" "${key[@]}" --level B-T --tsa "$TSA"
expect_rc 0 "XAdES: sign B-T"
run "$VBSIG" extend "$WORK/bt.xml" -o "$WORK/lt.xml" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 0 "XAdES: extend B-LT"
run "$VBSIG" extend "$WORK/lt.xml" -o "$WORK/lta.xml" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "XAdES: extend B-LTA"
run "$VBSIG" extend "$WORK/lta.xml" -o "$WORK/lta2.xml" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "XAdES: extend B-LTA again (archive renewal)"
export VBSIG_CONFIG="$WORK/vbsig.conf"
run "$VBSIG" sign "$doc" -o "$WORK/sign-lta.xml" "${key[@]}" --level B-LTA --tsa "$TSA" --trust "$root"
expect_rc 0 "XAdES: sign --level B-LTA"
unset VBSIG_CONFIG
ls "$WORK"/sign-lta.xml.bt-* >/dev/null 2>&1 && fail "XAdES: sign --level B-LTA left its temporary file" || pass
# the bytes outside the inserted elements are the input's
python3 - "$WORK/bt.xml" "$WORK/lt.xml" "$WORK/lta2.xml" <<'PY' && pass || fail "XAdES: bytes outside the inserted elements changed"
import sys
a, b, c = (open(f, "rb").read() for f in sys.argv[1:])
cut = a.index(b"</xades:UnsignedSignatureProperties>")
assert b.startswith(a[:cut]) and b.endswith(a[cut:]), "bt -> lt"
cut2 = b.index(b"</xades:UnsignedSignatureProperties>")
assert c.startswith(b[:cut2]) and c.endswith(b[cut2:]), "lt -> lta2"
PY
lt=$(cat "$WORK/lt.xml")
expect_in "<xades:CertificateValues><xades:EncapsulatedX509Certificate>" "$lt" "XAdES B-LT: CertificateValues"
expect_in "<xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>" "$lt" "XAdES B-LT: RevocationValues"
[ "$(grep -o "<xadesv141:ArchiveTimeStamp " "$WORK/lta2.xml" | wc -l)" = 2 ] && pass ||
  fail "XAdES: two ArchiveTimeStamps after renewal"
for f in lt lta lta2 sign-lta; do
  run xmlsec1 --verify "${xmlsec_trust[@]}" "$WORK/$f.xml"
  expect_rc 0 "XAdES $f: xmlsec1 --verify"
done
n=$(ocsp_from "$WORK/lt.xml" "$WORK/ocsp-xml")
[ "$n" -ge 1 ] && respin_good "$WORK/ocsp-xml" && pass ||
  fail "XAdES B-LT: the embedded OCSP response is not the responder's good answer ($n): $(cat "$WORK/ocsp.txt")"

# e-invoice: the seller's XAdES B-T signature beside the buyer's plain XMLDSig one;
# only the XAdES one is extended, and both stay valid.
inv_ref='#DLHDon-C24TVL-00000127'
run "$VBSIG" sign "$doc" -o "$WORK/inv-seller.xml" "${key[@]}" --level B-T --tsa "$TSA" --xml-ref "$inv_ref" \
  --xml-parent /HDon/DSCKS/NBan
expect_rc 0 "e-invoice: seller signs B-T"
run "$VBSIG" sign "$WORK/inv-seller.xml" -o "$WORK/inv-both.xml" --key "$PKI/signers/ecp256.key" \
  --cert "$PKI/signers/ecp256.pem" --chain "$PKI/chain.pem" --format xmldsig --xml-ref "$inv_ref" --xml-parent /HDon/DSCKS/NMua
expect_rc 0 "e-invoice: buyer signs (XMLDSig)"
run "$VBSIG" extend "$WORK/inv-both.xml" -o "$WORK/inv-lt.xml" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 0 "e-invoice: extend B-LT"
[ "$(grep -c "<xades:CertificateValues>" "$WORK/inv-lt.xml")" = 1 ] && pass || fail "e-invoice: one signature extended"
run "$VBSIG" verify "$WORK/inv-lt.xml" --trust "$root" --json "${RW[@]}"
[ "$(json_get "$out" "[(s['status'], s['level']) for s in d['signatures']]")" = \
  "[('TOTAL-PASSED', 'B-LT'), ('TOTAL-PASSED', None)]" ] && pass || fail "e-invoice: both signatures after extension: $out"

# ---------------------------------------------------------------- 1b. XAdES detached: B-LTA with --data
# The archive timestamp digests the signed file, which `extend` is given
# with --data (and `sign --xml-mode detached --level B-LTA` has at hand).
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/det-bt.xml" --format xades --xml-mode detached "${key[@]}" --level B-T --tsa "$TSA"
expect_rc 0 "XAdES detached: sign B-T"
run "$VBSIG" extend "$WORK/det-bt.xml" -o "$WORK/det-x.xml" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
[ "$rc" -ne 0 ] && pass || fail "XAdES detached: extend B-LTA without --data must fail"
expect_in "not at hand" "$err" "XAdES detached without --data: the message says the data is missing"
expect_no_file "$WORK/det-x.xml" "XAdES detached without --data: no output"
run "$VBSIG" extend "$WORK/det-bt.xml" -o "$WORK/det-lta.xml" --level B-LTA --tsa "$TSA" --trust "$root" --data "$WORK/data.txt" "${RW[@]}"
expect_rc 0 "XAdES detached: extend B-LTA --data"
expect_in "<xadesv141:ArchiveTimeStamp" "$(cat "$WORK/det-lta.xml")" "XAdES detached: an archive timestamp was added"
run "$VBSIG" extend "$WORK/det-lta.xml" -o "$WORK/det-lta2.xml" --level B-LTA --tsa "$TSA" --trust "$root" --data "$WORK/data.txt" "${RW[@]}"
expect_rc 0 "XAdES detached: extend B-LTA again (archive renewal)"
[ "$(grep -o "<xadesv141:ArchiveTimeStamp" "$WORK/det-lta2.xml" | wc -l)" = 2 ] && pass || fail "XAdES detached: renewal adds a second archive timestamp"
export VBSIG_CONFIG="$WORK/vbsig.conf" # the URL rewrites, as for sign-lta.xml above
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/det-sign-lta.xml" --format xades --xml-mode detached "${key[@]}" --level B-LTA --tsa "$TSA" --trust "$root"
expect_rc 0 "XAdES detached: sign --level B-LTA"
unset VBSIG_CONFIG
# Other bytes under the same name: refused before anything is added.
mkdir -p "$WORK/other" && printf 'Công văn số 13/UBND: không phải dữ liệu đã ký\n' >"$WORK/other/data.txt"
run "$VBSIG" extend "$WORK/det-bt.xml" -o "$WORK/det-y.xml" --level B-LTA --tsa "$TSA" --trust "$root" --data "$WORK/other/data.txt" "${RW[@]}"
expect_rc 65 "XAdES detached: extend with data that is not what was signed"
expect_in "does not match" "$err" "XAdES detached with other data: the message says so"
expect_no_file "$WORK/det-y.xml" "XAdES detached with other data: no output"
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/det-cms.p7s" --format cades --detached "${key[@]}" --level B-T --tsa "$TSA"
expect_rc 0 "CAdES detached B-T for the usage check"
run "$VBSIG" extend "$WORK/det-cms.p7s" -o "$WORK/det-z.p7s" --level B-LT --trust "$root" --data "$WORK/data.txt" "${RW[@]}"
expect_rc 64 "--data with a CMS signature is a usage error"
expect_no_file "$WORK/det-z.p7s" "--data with a CMS signature: no output"
# xmlsec1 still accepts the extended detached signature (it resolves the URI
# from its working directory).
(cd "$WORK" && xmlsec1 --verify "${xmlsec_trust[@]}" det-lta2.xml >"$WORK/xs.out" 2>&1) && pass ||
  fail "XAdES detached B-LTA: xmlsec1 --verify: $(cat "$WORK/xs.out")"

# ---------------------------------------------------------------- 2. CAdES (detached and attached)
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/bt.p7s" "${key[@]}" --format cades --detached --level B-T --tsa "$TSA"
expect_rc 0 "CAdES: sign B-T detached"
run "$VBSIG" extend "$WORK/bt.p7s" -o "$WORK/lt.p7s" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 0 "CAdES: extend B-LT"
run "$VBSIG" extend "$WORK/lt.p7s" -o "$WORK/lta.p7s" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "CAdES: extend B-LTA"
run "$VBSIG" extend "$WORK/lta.p7s" -o "$WORK/lta2.p7s" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "CAdES: extend B-LTA again (archive renewal)"
export VBSIG_CONFIG="$WORK/vbsig.conf"
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/sign-lta.p7s" "${key[@]}" --format cades --level B-LTA --tsa "$TSA" --trust "$root"
expect_rc 0 "CAdES: sign --level B-LTA (attached)"
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/sign-lt.p7s" "${key[@]}" --format cades --detached --level B-LT --tsa "$TSA" --trust "$root"
expect_rc 0 "CAdES: sign --level B-LT (detached)"
unset VBSIG_CONFIG
for f in lt lta lta2 sign-lt; do
  run openssl cms -verify -binary -inform DER -in "$WORK/$f.p7s" -content "$WORK/data.txt" -CAfile "$root" -out /dev/null
  expect_rc 0 "CAdES $f: openssl cms -verify"
done
run openssl cms -verify -binary -inform DER -in "$WORK/sign-lta.p7s" -CAfile "$root" -out "$WORK/attached.out"
expect_rc 0 "CAdES sign-lta (attached): openssl cms -verify"
cmp -s "$WORK/attached.out" "$WORK/data.txt" && pass || fail "CAdES attached: content changed"
printed=$(openssl cms -cmsout -print -inform DER -in "$WORK/lta2.p7s" 2>&1)
expect_in "version: 5" "$printed" "CAdES: SignedData version 5 with other revocation formats"
expect_in "otherRevInfoFormat: undefined (1.3.6.1.5.5.7.16.2)" "$printed" "CAdES: OCSP as id-ri-ocsp-response"
[ "$(grep -c "object: undefined (0.4.0.1733.2.4)" <<<"$printed")" = 2 ] && pass ||
  fail "CAdES: two archive-time-stamp-v3 attributes after renewal"
expect_in "0.4.0.19122.1.5" "$(openssl asn1parse -inform DER -in "$WORK/lta.p7s")" "CAdES: ats-hash-index-v3 in the token"
n=$(ocsp_from "$WORK/lt.p7s" "$WORK/ocsp-cms")
[ "$n" -ge 1 ] && respin_good "$WORK/ocsp-cms" && pass ||
  fail "CAdES B-LT: the embedded OCSP response is not the responder's good answer ($n): $(cat "$WORK/ocsp.txt")"

# ---------------------------------------------------------------- 3. failures: exit codes, nothing written
run "$VBSIG" extend "$WORK/lt.p7s" -o "$WORK/x.p7s" --level B-LTA --trust "$root"
expect_rc 64 "extend B-LTA without --tsa"
run "$VBSIG" sign "$doc" -o "$WORK/bb.xml" "${key[@]}"
run "$VBSIG" extend "$WORK/bb.xml" -o "$WORK/x.xml" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 64 "XAdES: extend a B-B signature to B-LT without --tsa"
expect_no_file "$WORK/x.xml" "XAdES: extend B-B: no output"

# ---------------------------------------------------------------- 4. every server stopped
stop_revs
for fmt in xml p7s; do
  run "$VBSIG" extend "$WORK/bt.$fmt" -o "$WORK/down.$fmt" --level B-LT --trust "$root" "${RW[@]}"
  expect_rc 69 "$fmt: extend with the OCSP responder and CRL server down"
  expect_in "revocation" "$err" "$fmt: extend with the responder down: the message says why"
  expect_no_file "$WORK/down.$fmt" "$fmt: extend with the responder down: no output"
done
export VBSIG_CONFIG="$WORK/vbsig.conf"
run "$VBSIG" sign "$doc" -o "$WORK/down-sign.xml" "${key[@]}" --level B-LT --tsa "$TSA" --trust "$root"
expect_rc 69 "XAdES: sign --level B-LT with the responder down"
expect_no_file "$WORK/down-sign.xml" "XAdES: sign B-LT with the responder down: no output"
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/down-sign.p7s" "${key[@]}" --format cades --level B-LT --tsa "$TSA" --trust "$root"
expect_rc 69 "CAdES: sign --level B-LT with the responder down"
expect_no_file "$WORK/down-sign.p7s" "CAdES: sign B-LT with the responder down: no output"
unset VBSIG_CONFIG
ls "$WORK"/down-sign.*.bt-* >/dev/null 2>&1 && fail "sign B-LT with the responder down left a temporary file" || pass
tsa_cleanup

[ "$(verdict "$WORK/lt.xml")" = "TOTAL-PASSED B-LT good" ] && pass || fail "XAdES B-LT offline: $out"
for f in lta lta2 sign-lta; do
  [ "$(verdict "$WORK/$f.xml")" = "TOTAL-PASSED B-LTA good" ] && pass || fail "XAdES $f offline: $out"
done
[ "$(verdict "$WORK/lt.p7s" --data "$WORK/data.txt")" = "TOTAL-PASSED B-LT good" ] && pass || fail "CAdES B-LT offline: $out"
[ "$(verdict "$WORK/sign-lt.p7s" --data "$WORK/data.txt")" = "TOTAL-PASSED B-LT good" ] && pass ||
  fail "CAdES sign-lt offline: $out"
for f in lta lta2; do
  [ "$(verdict "$WORK/$f.p7s" --data "$WORK/data.txt")" = "TOTAL-PASSED B-LTA good" ] && pass || fail "CAdES $f offline: $out"
done
[ "$(verdict "$WORK/sign-lta.p7s")" = "TOTAL-PASSED B-LTA good" ] && pass || fail "CAdES sign-lta offline: $out"
for f in det-lta det-lta2 det-sign-lta; do
  [ "$(verdict "$WORK/$f.xml" --data "$WORK/data.txt")" = "TOTAL-PASSED B-LTA good" ] && pass || fail "XAdES $f offline: $out"
done
run "$VBSIG" verify "$WORK/det-lta2.xml" --trust "$root" --json --offline --data "$WORK/other/data.txt"
[ "$rc" -ne 0 ] && pass || fail "XAdES detached B-LTA with other data must not verify: $out"
# the controls: the B-T signatures cannot be confirmed offline
run "$VBSIG" verify "$WORK/bt.xml" --trust "$root" --json --offline
expect_rc 2 "XAdES B-T without validation data: verify --offline is INDETERMINATE"
run "$VBSIG" verify "$WORK/bt.p7s" --data "$WORK/data.txt" --trust "$root" --json --offline
expect_rc 2 "CAdES B-T without validation data: verify --offline is INDETERMINATE"

# ---------------------------------------------------------------- 5. tampering with an archived item
# XML: a line break inside an archived certificate's base64 changes nothing
# the certificate says, but changes the archived bytes.
python3 - "$WORK/lta.xml" "$WORK/tamper.xml" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
tag = "<xades:EncapsulatedX509Certificate>"
i = t.index(tag) + len(tag) + 8
open(sys.argv[2], "w", encoding="utf-8").write(t[:i] + "\n" + t[i:])
PY
run "$VBSIG" verify "$WORK/tamper.xml" --trust "$root" --json --offline
expect_rc 2 "XAdES: tampered archived certificate: INDETERMINATE"
expect_in "archive timestamp 1 is not valid" "$out" "XAdES: tampered: the archive timestamp fails"
run xmlsec1 --verify "${xmlsec_trust[@]}" "$WORK/tamper.xml"
expect_rc 0 "XAdES: tampered unsigned part: xmlsec1 still accepts the signature itself"
# CMS: one byte of the archived root certificate (its signature) flipped.
openssl x509 -in "$root" -outform der -out "$WORK/root.der"
python3 - "$WORK/lta.p7s" "$WORK/root.der" "$WORK/tamper.p7s" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
r = open(sys.argv[2], "rb").read()
i = b.find(r)
assert i >= 0, "root certificate not archived"
b[i + len(r) - 1] ^= 1
open(sys.argv[3], "wb").write(b)
PY
run "$VBSIG" verify "$WORK/tamper.p7s" --data "$WORK/data.txt" --trust "$root" --json --offline
expect_rc 2 "CAdES: tampered archived certificate: INDETERMINATE"
expect_in "archive timestamp 1 is not valid" "$out" "CAdES: tampered: the archive timestamp fails"
run openssl cms -verify -binary -inform DER -in "$WORK/tamper.p7s" -content "$WORK/data.txt" -CAfile "$root" -out /dev/null
expect_rc 0 "CAdES: tampered unsigned part: openssl still accepts the signature itself"

finish
