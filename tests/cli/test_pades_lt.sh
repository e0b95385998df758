#!/usr/bin/env bash
# PDF document timestamps, /DSS writing (`vbsig extend`, `sign --level
# B-LT|B-LTA`) and verification from the embedded data alone, against real
# servers on 127.0.0.1: our vbsig-tsa, OpenSSL's OCSP responder and the test
# PKI's CRLs behind tests/revocation/rev_server.py. The DSS is read back with
# qpdf (tests/cli/pdf_dss.py) and its OCSP responses checked with openssl.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/revocation/rev_lib.sh" # start_pki_rev, stop_revs
source "$SRC/tests/tsa-shim/shim.sh" # closed_url; a TSA with a shifted clock
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
root="$PKI/root/root.pem"
inter="$PKI/ca/intermediate.pem"
key=(--key "$PKI/signers/withrev.p12" --pass pass:vbsig-test)

trap 'stop_revs; tsa_cleanup; stop_shims' EXIT

# prefix_of SMALL BIG: the bytes of SMALL start BIG (an incremental update)
prefix_of() { cmp -s -n "$(stat -c %s "$1")" "$1" "$2"; }
dss() { python3 "$SRC/tests/cli/pdf_dss.py" "$1" "$2"; }
pdfsig_valid() { # pdfsig_valid FILE N: the first N signatures (the CMS ones) are valid digests
  local n
  n=$(pdfsig "$1" 2>/dev/null | grep -c "Signature Validation: Signature is Valid")
  [ "$n" -ge "$2" ]
}

tsa_start lt --allow-unsynced-clock || { fail "vbsig-tsa did not start"; finish; }
TSA="$TSA_URL/"
start_pki_rev

# ---------------------------------------------------------------- 1. document timestamp
run "$VBSIG" sign "$pdf" -o "$WORK/bb.pdf" "${key[@]}"
expect_rc 0 "sign B-B"
run "$VBSIG" timestamp "$WORK/bb.pdf" -o "$WORK/ts.pdf" --tsa "$TSA"
expect_rc 0 "document timestamp"
qpdf --check "$WORK/ts.pdf" >/dev/null 2>&1; q=$?
[ "$q" -eq 0 ] || [ "$q" -eq 3 ] && pass || fail "document timestamp: qpdf --check exit $q"
prefix_of "$WORK/bb.pdf" "$WORK/ts.pdf" && pass || fail "document timestamp: the signed file is not a prefix"
python3 "$SRC/tests/cli/pdf_sig_parts.py" "$WORK/ts.pdf" 1 "$WORK/ts.tok" "$WORK/ts.content" >"$WORK/ts.br"
read -r _ _ b c total <"$WORK/ts.br"
[ $((b + c)) -eq "$total" ] && pass || fail "document timestamp: does not cover the whole file"
openssl ts -verify -data "$WORK/ts.content" -in "$WORK/ts.tok" -token_in -CAfile "$root" -untrusted "$inter" \
  >"$WORK/ts.verify" 2>&1 && pass || fail "document timestamp: openssl ts -verify: $(cat "$WORK/ts.verify")"
grep -aq "/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161" "$WORK/ts.pdf" && pass ||
  fail "document timestamp: no DocTimeStamp dictionary"
pdfsig_valid "$WORK/ts.pdf" 1 && pass || fail "document timestamp: pdfsig no longer finds the signature valid"
run "$VBSIG" verify "$WORK/ts.pdf" --trust "$root" --json "${RW[@]}"
expect_rc 0 "document timestamp: vbsig verify"
[ "$(json_get "$out" "d['signatures'][1]['type'] + ' ' + d['signatures'][1]['status'] + ' ' + d['signatures'][0]['modifications_after']")" = \
  "document_timestamp TOTAL-PASSED allowed" ] && pass || fail "document timestamp: report: $out"

# TSA down: exit 69, no output
run "$VBSIG" timestamp "$WORK/bb.pdf" -o "$WORK/ts-down.pdf" --tsa "$(closed_url)" --tsa-retries 0
expect_rc 69 "document timestamp with the TSA down"
expect_no_file "$WORK/ts-down.pdf" "document timestamp with the TSA down: no output"

# ---------------------------------------------------------------- 2. extend B-LT
run "$VBSIG" sign "$pdf" -o "$WORK/bt.pdf" "${key[@]}" --level B-T --tsa "$TSA"
expect_rc 0 "sign B-T"
run "$VBSIG" extend "$WORK/bt.pdf" -o "$WORK/lt.pdf" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 0 "extend B-LT"
qpdf --check "$WORK/lt.pdf" >/dev/null 2>&1; q=$?
[ "$q" -eq 0 ] || [ "$q" -eq 3 ] && pass || fail "B-LT: qpdf --check exit $q"
prefix_of "$WORK/bt.pdf" "$WORK/lt.pdf" && pass || fail "B-LT: the input is not a prefix"
pdfsig_valid "$WORK/lt.pdf" 1 && pass || fail "B-LT: pdfsig no longer finds the signature valid"
s=$(dss "$WORK/lt.pdf" "$WORK/dss-lt")
sigkey=$(json_get "$s" "d['sig_keys'][0]")
[ "$(json_get "$s" "(d['certs'] >= 3, d['ocsps'] >= 1, d['vri']['$sigkey'].get('OCSP', 0) >= 1, d['vri']['$sigkey']['Cert'] >= 3)")" = \
  "(True, True, True, True)" ] && pass || fail "B-LT: DSS content: $s"
# the chain (signer, issuing CA, root) and the TSA certificate are there
for c in "$PKI/signers/withrev.pem" "$inter" "$root" "$PKI/signers/tsa.pem"; do
  openssl x509 -in "$c" -outform der -out "$WORK/want.der"
  found=0
  for f in "$WORK"/dss-lt/cert-*.der; do cmp -s "$f" "$WORK/want.der" && found=1; done
  [ "$found" = 1 ] && pass || fail "B-LT: $(basename "$c") is not in /DSS /Certs"
done
openssl ocsp -respin "$WORK/dss-lt/ocsp-0.der" -issuer "$inter" -cert "$PKI/signers/withrev.pem" -CAfile "$root" \
  -no_nonce >"$WORK/ocsp.txt" 2>&1
grep -q "Response verify OK" "$WORK/ocsp.txt" && grep -q "withrev.pem: good" "$WORK/ocsp.txt" && pass ||
  fail "B-LT: the embedded OCSP response does not verify: $(cat "$WORK/ocsp.txt")"
run "$VBSIG" verify "$WORK/lt.pdf" --trust "$root" --json --offline
expect_rc 0 "B-LT: verify --offline"
[ "$(json_get "$out" "d['signatures'][0]['level'] + ' ' + d['signatures'][0]['revocation']['status']")" = "B-LT good" ] &&
  pass || fail "B-LT: level and revocation: $out"

# ---------------------------------------------------------------- 3. B-LTA, twice
run "$VBSIG" extend "$WORK/lt.pdf" -o "$WORK/lta.pdf" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "extend B-LTA"
run "$VBSIG" extend "$WORK/lta.pdf" -o "$WORK/lta2.pdf" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "extend B-LTA again (archive renewal)"
for f in lta lta2; do
  qpdf --check "$WORK/$f.pdf" >/dev/null 2>&1; q=$?
  [ "$q" -eq 0 ] || [ "$q" -eq 3 ] && pass || fail "$f: qpdf --check exit $q"
  pdfsig_valid "$WORK/$f.pdf" 1 && pass || fail "$f: pdfsig no longer finds the signature valid"
done
prefix_of "$WORK/lta.pdf" "$WORK/lta2.pdf" && pass || fail "B-LTA renewal: the input is not a prefix"
s1=$(dss "$WORK/lta.pdf" "$WORK/dss-lta")
s2=$(dss "$WORK/lta2.pdf" "$WORK/dss-lta2")
[ "$(json_get "$s1" "d['doc_timestamps']")" = 1 ] && [ "$(json_get "$s2" "d['doc_timestamps']")" = 2 ] && pass ||
  fail "B-LTA: one then two document timestamps: $s1 / $s2"
# merged: every old item is still there; the first document timestamp got its own VRI entry and fresh OCSP data came
[ "$(json_get "$s2" "(len(d['vri']), d['ocsps'] > $(json_get "$s1" "d['ocsps']"), '$sigkey' in d['vri'], d['sig_keys'][1] in d['vri'])")" = \
  "(2, True, True, True)" ] && pass || fail "B-LTA renewal: DSS not merged: $s1 / $s2"
missing=0
for f in "$WORK"/dss-lta/*.der; do
  hit=0
  for g in "$WORK"/dss-lta2/*.der; do cmp -s "$f" "$g" && hit=1 && break; done
  [ "$hit" = 1 ] || missing=$((missing + 1))
done
[ "$missing" = 0 ] && pass || fail "B-LTA renewal: $missing items of the old /DSS were lost"
# the newest document timestamp verifies with openssl over its byte ranges
python3 "$SRC/tests/cli/pdf_sig_parts.py" "$WORK/lta2.pdf" 2 "$WORK/lta.tok" "$WORK/lta.content" >/dev/null
openssl ts -verify -data "$WORK/lta.content" -in "$WORK/lta.tok" -token_in -CAfile "$root" -untrusted "$inter" \
  >"$WORK/lta.verify" 2>&1 && pass || fail "B-LTA: openssl ts -verify: $(cat "$WORK/lta.verify")"

# ---------------------------------------------------------------- 4. sign --level B-LTA in one call
export VBSIG_CONFIG="$WORK/vbsig.conf"
run "$VBSIG" sign "$pdf" -o "$WORK/sign-lta.pdf" "${key[@]}" --level B-LTA --tsa "$TSA" --trust "$root"
expect_rc 0 "sign --level B-LTA"
s=$(dss "$WORK/sign-lta.pdf" "$WORK/dss-sign")
[ "$(json_get "$s" "(d['signatures'], d['doc_timestamps'], d['ocsps'] >= 1, d['sig_keys'][0] in d['vri'])")" = "(1, 1, True, True)" ] &&
  pass || fail "sign --level B-LTA: $s"
unset VBSIG_CONFIG
ls "$WORK"/sign-lta.pdf.bt-* >/dev/null 2>&1 && fail "sign --level B-LTA left its temporary file" || pass
run "$VBSIG" sign "$pdf" -o "$WORK/sign-lt-notrust.pdf" "${key[@]}" --level B-LT --tsa "$TSA"
expect_rc 64 "sign --level B-LT without --trust"

# ---------------------------------------------------------------- 4b. xref streams, certification P=1
# qpdf rewrites the document with object streams and a cross-reference
# stream: every update must close with a cross-reference stream too. A
# certification that allows no changes still admits /DSS and document
# timestamps (ISO 32000-2, 2020 erratum).
qpdf --object-streams=generate "$pdf" "$WORK/xs.pdf"
run "$VBSIG" sign "$WORK/xs.pdf" -o "$WORK/xs-bt.pdf" "${key[@]}" --level B-T --tsa "$TSA" --certify 1
expect_rc 0 "certify P=1 at B-T, xref-stream document"
run "$VBSIG" extend "$WORK/xs-bt.pdf" -o "$WORK/xs-lta.pdf" --level B-LTA --tsa "$TSA" --trust "$root" "${RW[@]}"
expect_rc 0 "extend B-LTA under certification P=1 with xref streams"
qpdf --check "$WORK/xs-lta.pdf" >/dev/null 2>&1; q=$?
[ "$q" -eq 0 ] || [ "$q" -eq 3 ] && pass || fail "xref streams: qpdf --check exit $q"
[ "$(grep -ac '/Type /XRef' "$WORK/xs-lta.pdf")" = 4 ] && ! grep -aq '^trailer' "$WORK/xs-lta.pdf" && pass ||
  fail "xref streams: the updates are not closed by cross-reference streams"
prefix_of "$WORK/xs-bt.pdf" "$WORK/xs-lta.pdf" && pass || fail "xref streams: the input is not a prefix"
run "$VBSIG" verify "$WORK/xs-lta.pdf" --trust "$root" --json "${RW[@]}"
expect_rc 0 "xref streams, P=1: verify"
[ "$(json_get "$out" "d['signatures'][0]['level'] + ' ' + d['signatures'][0]['modifications_after'] + ' ' + str(d['signatures'][0]['certification'])")" = \
  "B-LTA allowed 1" ] && pass || fail "xref streams, P=1: report: $out"

# ---------------------------------------------------------------- 4c. revocation data older than the signature
# A TSA whose clock runs an hour ahead (OpenSSL's TSA under libfaketime)
# proves a signing time after the OCSP response extend then fetches: that
# response says nothing about the certificate at the signing time, so the
# verifier must not use it (offline: INDETERMINATE, level stays B-T).
start_shim future --faketime=+1h
run "$VBSIG" sign "$pdf" -o "$WORK/f-bt.pdf" "${key[@]}" --level B-T --tsa "$SHIM_URL"
expect_rc 0 "sign B-T with a TSA an hour ahead"
run "$VBSIG" extend "$WORK/f-bt.pdf" -o "$WORK/f-lt.pdf" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 0 "extend it"
run "$VBSIG" verify "$WORK/f-lt.pdf" --trust "$root" --json --offline
expect_rc 2 "embedded OCSP older than the proven signing time is not used"
[ "$(json_get "$out" "d['signatures'][0]['level'] + ' ' + d['signatures'][0]['subindication']")" = "B-T TRY_LATER" ] &&
  pass || fail "stale embedded OCSP: $out"

# ---------------------------------------------------------------- 5. failures: nothing written
run "$VBSIG" extend "$WORK/lt.pdf" -o "$WORK/lta-tsadown.pdf" --level B-LTA --tsa "$(closed_url)" --tsa-retries 0 \
  --trust "$root" "${RW[@]}"
expect_rc 69 "extend B-LTA with the TSA down"
expect_no_file "$WORK/lta-tsadown.pdf" "extend B-LTA with the TSA down: no output"
run "$VBSIG" extend "$pdf" -o "$WORK/unsigned-lt.pdf" --level B-LT --trust "$root"
expect_rc 65 "extend a document without signatures"
expect_no_file "$WORK/unsigned-lt.pdf" "extend a document without signatures: no output"
run "$VBSIG" extend "$WORK/bt.pdf" -o "$WORK/x.pdf" --level B-LTA --trust "$root"
expect_rc 64 "extend B-LTA without --tsa"

# ---------------------------------------------------------------- 6. every server stopped
stop_revs
tsa_cleanup
run "$VBSIG" extend "$WORK/bt.pdf" -o "$WORK/lt-ocspdown.pdf" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 69 "extend with the OCSP responder and CRL server down"
expect_in "revocation" "$err" "extend with the responder down: the message says why"
expect_no_file "$WORK/lt-ocspdown.pdf" "extend with the responder down: no output"
for f in lta2 sign-lta; do
  run "$VBSIG" verify "$WORK/$f.pdf" --trust "$root" --json --offline
  expect_rc 0 "$f: verify --offline with every server stopped"
  [ "$(json_get "$out" "d['status'] + ' ' + d['signatures'][0]['level'] + ' ' + d['signatures'][0]['revocation']['status']")" = \
    "TOTAL-PASSED B-LTA good" ] && pass || fail "$f: offline verdict: $out"
done
# the control: the B-T file alone cannot be confirmed offline
run "$VBSIG" verify "$WORK/bt.pdf" --trust "$root" --json --offline
expect_rc 2 "B-T without validation data: verify --offline is INDETERMINATE"

finish
