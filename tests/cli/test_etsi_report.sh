#!/usr/bin/env bash
# verify --report-etsi: the ETSI TS 119 102-2 XML validation report for
# CAdES (B-B, B-T with a real TSA on loopback, tampered, expired) and XAdES.
# Every report must be well-formed (xmllint), and its key values are read
# back with XPath and compared with what the signature and the JSON say.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
export VBSIG_CONFIG=""
NS='vr=http://uri.etsi.org/19102/v1.2.1#'
# xp FILE XPATH: the string value, with vr: and ds: bound
xp() {
  xmllint --xpath "$2" - <<<"$(sed -e 's|xmlns:vr="[^"]*"||; s|vr:||g; s|ds:||g; s|xmlns:ds="[^"]*"||' "$1")" 2>/dev/null
}
report() { # report P7S-OR-XML OUT [options…]
  local f=$1 o=$2
  shift 2
  run "$VBSIG" verify "$f" --trust "$root" --revocation off --json --report-etsi "$o" "$@"
}

# 1. A CAdES B-B signature that passes.
s="$PKI/samples/openssl-cades-detached.p7s"
report "$s" "$WORK/bb.xml" --data "$doc"
expect_rc 0 "verify with --report-etsi"
xmllint --noout "$WORK/bb.xml" && pass || fail "bb.xml is not well-formed"
[ "$(xmllint --xpath 'namespace-uri(/*)' "$WORK/bb.xml")" = "${NS#vr=}" ] && pass || fail "namespace"
[ "$(xp "$WORK/bb.xml" 'string(/ValidationReport/SignatureValidationReport/SignatureValidationStatus/MainIndication)')" = \
  urn:etsi:019102:mainindication:total-passed ] && pass || fail "main indication: $(cat "$WORK/bb.xml")"
[ "$(xp "$WORK/bb.xml" 'count(//SignatureValidationStatus/SubIndication)')" = 0 ] && pass || fail "no sub-indication when passed"
# The identifier is the SHA-256 of the signature value (the last OCTET STRING).
sighex=$(openssl asn1parse -inform DER -in "$s" | grep 'OCTET STRING' | tail -1 | sed 's/.*HEX DUMP\]://')
want=$(python3 -c "import sys,hashlib,base64; print(base64.b64encode(hashlib.sha256(bytes.fromhex(sys.argv[1])).digest()).decode())" "$sighex")
[ "$(xp "$WORK/bb.xml" 'string(//SignatureIdentifier/DigestAlgAndValue/DigestValue)')" = "$want" ] && pass ||
  fail "signature digest: want $want; $(cat "$WORK/bb.xml")"
[ "$(xp "$WORK/bb.xml" 'string(//SignatureIdentifier/DigestAlgAndValue/DigestMethod/@Algorithm)')" = \
  http://www.w3.org/2001/04/xmlenc#sha256 ] && pass || fail "digest method"
# Claimed time = the JSON's; no timestamp, so the POE is the validation time.
claimed=$(json_get "$out" "d['signatures'][0]['claimed_signing_time']")
want=$(python3 -c "import sys,datetime as D; print(D.datetime.fromisoformat(sys.argv[1]).astimezone(D.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S'))" "$claimed")
expect_in "$want" "$(xp "$WORK/bb.xml" 'string(//SignatureAttributes/SigningTime[@Signed="true"]/Time)')" "claimed signing time"
[ "$(xp "$WORK/bb.xml" 'string(//BestSignatureTime/POETime) = string(//ValidationTime)')" = true ] && pass || fail "POE = validation time"
[ "$(xp "$WORK/bb.xml" 'count(//SignatureTimeStamp)')" = 0 ] && pass || fail "no timestamp in a B-B report"
# The signer certificate reference resolves to its DER.
ref=$(xp "$WORK/bb.xml" 'string(//SignerInformation/SignerCertificate/@VOReference)')
got=$(xp "$WORK/bb.xml" "string(//SignatureValidationObjects/ValidationObject[@id='$ref']/ValidationObjectRepresentation/base64)")
[ "$(printf '%s' "$got" | base64 -d | openssl x509 -inform DER -noout -fingerprint -sha256)" = \
  "$(openssl x509 -in "$PKI/signers/rsa2048.pem" -noout -fingerprint -sha256)" ] && pass || fail "signer certificate object"
[ "$(xp "$WORK/bb.xml" 'count(//ValidationObject)')" = 3 ] && pass || fail "signer, intermediate and root as objects"

# 2. Tampered data: total-failed / HASH_FAILURE.
report "$PKI/samples/tampered-data.p7s" "$WORK/tampered.xml" --data "$PKI/samples/cong-van-tampered.txt"
expect_rc 1 "tampered"
[ "$(xp "$WORK/tampered.xml" 'concat(//MainIndication, " ", //SubIndication)')" = \
  "urn:etsi:019102:mainindication:total-failed urn:etsi:019102:subindication:HASH_FAILURE" ] && pass ||
  fail "tampered report: $(cat "$WORK/tampered.xml")"

# 3. Expired signer without a timestamp: indeterminate / OUT_OF_BOUNDS_NO_POE.
report "$PKI/samples/expired-signer.p7s" "$WORK/expired.xml" --data "$doc"
expect_rc 2 "expired"
[ "$(xp "$WORK/expired.xml" 'concat(//MainIndication, " ", //SubIndication)')" = \
  "urn:etsi:019102:mainindication:indeterminate urn:etsi:019102:subindication:OUT_OF_BOUNDS_NO_POE" ] && pass ||
  fail "expired report"

# 4. B-T: a real timestamp; its time is the best signature time.
start_shim tsa
run "$VBSIG" sign "$doc" -o "$WORK/bt.p7s" --detached --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test \
  --tsa "$SHIM_URL" --level B-T --trust "$root"
expect_rc 0 "sign B-T"
report "$WORK/bt.p7s" "$WORK/bt.xml" --data "$doc"
expect_rc 0 "verify B-T"
ts=$(json_get "$out" "d['signatures'][0]['timestamp']['time']")
want=$(python3 -c "import sys,datetime as D; print(D.datetime.fromisoformat(sys.argv[1]).astimezone(D.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S'))" "$ts")
expect_in "$want" "$(xp "$WORK/bt.xml" 'string(//BestSignatureTime/POETime)')" "POE is the timestamp time"
expect_in "$want" "$(xp "$WORK/bt.xml" 'string(//SignatureAttributes/SignatureTimeStamp/TimeStampValue)')" "timestamp attribute"

# 5. XAdES: the same report from an XML signature.
run "$VBSIG" sign "$PKI/documents/edxml-chithi-05-phuyen.xml" -o "$WORK/signed.xml" \
  --key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test
expect_rc 0 "sign XML"
report "$WORK/signed.xml" "$WORK/xades.xml"
expect_rc 0 "verify XML with --report-etsi"
xmllint --noout "$WORK/xades.xml" && pass || fail "xades.xml well-formed"
[ "$(xp "$WORK/xades.xml" 'string(//MainIndication)')" = urn:etsi:019102:mainindication:total-passed ] && pass || fail "xades indication"
[ "$(xp "$WORK/xades.xml" 'string-length(//SignatureIdentifier/DigestAlgAndValue/DigestValue)')" = 44 ] && pass ||
  fail "xades signature identifier"

# 6. Two signers in one CMS: two reports, shared certificates listed once.
openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$PKI/signers/rsa2048.pem" \
  -inkey "$PKI/signers/rsa2048.key" -certfile "$PKI/chain.pem" -outform DER -out "$WORK/one.p7s"
openssl cms -resign -binary -inform DER -in "$WORK/one.p7s" -content "$doc" -md sha256 -signer "$PKI/signers/ecp256.pem" \
  -inkey "$PKI/signers/ecp256.key" -outform DER -out "$WORK/two.p7s" 2>/dev/null
report "$WORK/two.p7s" "$WORK/two.xml" --data "$doc"
expect_rc 0 "two signers"
[ "$(xp "$WORK/two.xml" 'count(//SignatureValidationReport)') $(xp "$WORK/two.xml" 'count(//ValidationObject)')" = "2 4" ] &&
  pass || fail "two signers: $(xp "$WORK/two.xml" 'count(//SignatureValidationReport)') reports, $(xp "$WORK/two.xml" 'count(//ValidationObject)') objects"

# 7. Revocation evidence: the CRL (OCSP down) and then the OCSP response the
#    verdict rests on are validation objects, byte for byte.
REV_PIDS=()
start_rev() { # start_rev NAME [ocsp responder args…]: sets REV_PORT
  local d="$WORK/rev-$1"
  shift
  mkdir -p "$d"
  python3 "$SRC/tests/revocation/rev_server.py" --port-file "$d/port" --log "$d/log" --crl-dir "$PKI/crl" -- "$@" 2>"$d/err" &
  REV_PIDS+=($!)
  local i
  for i in $(seq 200); do [ -s "$d/port" ] && break; sleep 0.05; done
  [ -s "$d/port" ] || { echo "revocation server did not start: $(cat "$d/err")" >&2; exit 1; }
  REV_PORT=$(cat "$d/port")
}
trap 'stop_shims; for p in "${REV_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done' EXIT
closed=$(closed_url | sed 's|^http://127.0.0.1:||; s|/tsa$||')
run "$VBSIG" sign "$doc" -o "$WORK/wr.p7s" --detached --key "$PKI/signers/withrev.p12" --pass pass:vbsig-test
expect_rc 0 "sign with the withrev signer"
start_rev crl
run "$VBSIG" verify "$WORK/wr.p7s" --data "$doc" --trust "$root" --json --report-etsi "$WORK/crl.xml" \
  --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$REV_PORT" --url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$closed"
expect_rc 0 "verify with the CRL"
[ "$(json_get "$out" "d['signatures'][0]['revocation']['source']")" = crl ] && pass || fail "CRL source: $out"
got=$(xp "$WORK/crl.xml" "string(//ValidationObject[ObjectType='urn:etsi:019102:validationObject:CRL']/ValidationObjectRepresentation/base64)")
[ "$(printf '%s' "$got" | base64 -d | sha256sum)" = "$(sha256sum <"$PKI/crl/intermediate.crl")" ] && pass ||
  fail "the CRL object is the CRL served: $(cat "$WORK/crl.xml")"
start_rev ocsp -index "$PKI/ca/index.txt" -CA "$PKI/ca/intermediate.pem" -rsigner "$PKI/signers/ocsp.pem" -rkey "$PKI/signers/ocsp.key"
run "$VBSIG" verify "$WORK/wr.p7s" --data "$doc" --trust "$root" --json --report-etsi "$WORK/ocsp.xml" \
  --url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$REV_PORT" --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$REV_PORT"
expect_rc 0 "verify with OCSP"
[ "$(json_get "$out" "d['signatures'][0]['revocation']['source']")" = ocsp ] && pass || fail "OCSP source: $out"
got=$(xp "$WORK/ocsp.xml" "string(//ValidationObject[ObjectType='urn:etsi:019102:validationObject:OCSPResponse']/ValidationObjectRepresentation/base64)")
printf '%s' "$got" | base64 -d >"$WORK/ocsp.der"
openssl ocsp -respin "$WORK/ocsp.der" -resp_text -noverify 2>/dev/null | grep -q "Cert Status: good" && pass ||
  fail "the OCSP object is a good OCSP response: $(cat "$WORK/ocsp.xml")"

# 8. An unwritable report path: exit 74, nothing left behind, no stdout report.
report "$s" "$WORK/no-such-dir/r.xml" --data "$doc"
expect_rc 74 "unwritable report path"
expect_no_file "$WORK/no-such-dir" "no directory created"
[ -z "$out" ] && pass || fail "no report on stdout when the ETSI report fails"

finish
