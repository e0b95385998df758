#!/usr/bin/env bash
# vbsig-tsa issues RFC 3161 / RFC 5816 tokens that `openssl ts -verify`
# accepts, with the EN 319 422 profile, unique serials across a restart,
# and the right PKIFailureInfo for each kind of bad request.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

ALT_POLICY=1.3.6.1.4.1.99999.1.2
# The chain given includes the root: the server must still never ship it.
cat "$PKI/chain.pem" "$PKI/root/root.pem" >"$WORK/fullchain.pem"
tsa_start issue --allow-unsynced-clock --accept-policy "$ALT_POLICY" --chain "$WORK/fullchain.pem" \
  || { fail "server did not start"; finish; }

# Many requests: several digests, with and without certReq, each verified.
: >"$WORK/serials"
verified=0
for i in $(seq 1 30); do
  case $((i % 3)) in 0) alg=sha256 ;; 1) alg=sha384 ;; 2) alg=sha512 ;; esac
  echo "document $i" >"$WORK/d$i"
  certopt=-cert; [ $((i % 2)) -eq 0 ] && certopt=""
  openssl ts -query -data "$WORK/d$i" -$alg $certopt -out "$WORK/q$i.tsq" 2>/dev/null
  code=$(ts_post "$WORK/q$i.tsq" "$WORK/r$i.tsr")
  [ "$code" = 200 ] || { fail "request $i: HTTP $code"; continue; }
  untrusted="$PKI/chain.pem"
  if [ -z "$certopt" ]; then cat "$PKI/chain.pem" "$PKI/signers/tsa.pem" >"$WORK/untrusted.pem"; untrusted="$WORK/untrusted.pem"; fi
  if openssl ts -verify -in "$WORK/r$i.tsr" -queryfile "$WORK/q$i.tsq" -CAfile "$PKI/root/root.pem" \
       -untrusted "$untrusted" >/dev/null 2>&1; then verified=$((verified + 1)); else fail "request $i: openssl ts -verify failed"; fi
  reply_field "$WORK/r$i.tsr" "Serial number" >>"$WORK/serials"
done
[ "$verified" -eq 30 ] && pass || fail "only $verified of 30 tokens verified"

# The token profile: policy, accuracy, no ordering, ESSCertIDv2 not v1.
text=$(openssl ts -reply -in "$WORK/r1.tsr" -text 2>/dev/null)
expect_in "Policy OID: $TSA_POLICY" "$text" "default policy in the token"
expect_in "Accuracy: 0x01 seconds" "$text" "accuracy present"
expect_in "Ordering: no" "$text" "ordering absent"
expect_in "Status: Granted." "$text" "granted"
openssl ts -reply -in "$WORK/r1.tsr" -token_out -out "$WORK/tok1.der" 2>/dev/null
parsed=$(openssl asn1parse -inform DER -in "$WORK/tok1.der")
expect_in "id-smime-aa-signingCertificateV2" "$parsed" "ESSCertIDv2 attribute"
case "$parsed" in *":id-smime-aa-signingCertificate"$'\n'*) fail "ESSCertID v1 present" ;; *) pass ;; esac
# certReq: the TSA certificate and the intermediate, never the root.
certs=$(openssl pkcs7 -inform DER -in "$WORK/tok1.der" -print_certs -noout 2>/dev/null)
expect_in "vbsig Test TSA" "$certs" "TSA certificate included on certReq"
case "$(printf '%s\n' "$certs" | grep '^subject=')" in *"Root CA"*) fail "root certificate shipped in the token" ;; *) pass ;; esac
openssl ts -reply -in "$WORK/r2.tsr" -token_out -out "$WORK/tok2.der" 2>/dev/null
certs2=$(openssl pkcs7 -inform DER -in "$WORK/tok2.der" -print_certs -noout 2>/dev/null)
case "$certs2" in *"Test TSA"*) fail "TSA certificate included without certReq" ;; *) pass ;; esac
# The nonce is echoed exactly.
qnonce=$(openssl ts -query -in "$WORK/q1.tsq" -text 2>/dev/null | sed -n 's/^Nonce: //p')
rnonce=$(reply_field "$WORK/r1.tsr" Nonce)
[ -n "$qnonce" ] && [ "$qnonce" = "$rnonce" ] && pass || fail "nonce not echoed: '$qnonce' vs '$rnonce'"

# Policies: an accepted second policy is granted, an unknown one refused.
openssl ts -query -data "$WORK/d1" -sha256 -tspolicy "$ALT_POLICY" -out "$WORK/qalt.tsq" 2>/dev/null
ts_post "$WORK/qalt.tsq" "$WORK/ralt.tsr" >/dev/null
expect_in "Policy OID: $ALT_POLICY" "$(openssl ts -reply -in "$WORK/ralt.tsr" -text 2>/dev/null)" "accepted policy"
openssl ts -query -data "$WORK/d1" -sha256 -tspolicy 1.2.3.4.5.6 -out "$WORK/qbad.tsq" 2>/dev/null
ts_post "$WORK/qbad.tsq" "$WORK/rbad.tsr" >/dev/null
expect_in "policy is not supported" "$(reply_field "$WORK/rbad.tsr" 'Failure info')" "unknown policy → unacceptedPolicy"
expect_in "Rejected" "$(reply_field "$WORK/rbad.tsr" Status)" "unknown policy rejected"

# SHA-1 imprints are refused unless enabled.
openssl ts -query -data "$WORK/d1" -sha1 -out "$WORK/qsha1.tsq" 2>/dev/null
ts_post "$WORK/qsha1.tsq" "$WORK/rsha1.tsr" >/dev/null
expect_in "unsupported algorithm" "$(reply_field "$WORK/rsha1.tsr" 'Failure info')" "SHA-1 → badAlg"

# Hand-made requests: a wrong imprint length, a request extension.
der_request sha256 20 >"$WORK/qlen.tsq"
ts_post "$WORK/qlen.tsq" "$WORK/rlen.tsr" >/dev/null
expect_in "wrong format" "$(reply_field "$WORK/rlen.tsr" 'Failure info')" "imprint length → badDataFormat"
der_request sha256 32 >"$WORK/qok.tsq"
ts_post "$WORK/qok.tsq" "$WORK/rok.tsr" >/dev/null
expect_in "Granted" "$(reply_field "$WORK/rok.tsr" Status)" "hand-made request granted (the builder is right)"
der_request sha256 32 ext >"$WORK/qext.tsq"
ts_post "$WORK/qext.tsq" "$WORK/rext.tsr" >/dev/null
expect_in "extension is not supported" "$(reply_field "$WORK/rext.tsr" 'Failure info')" "request extension → unacceptedExtension"

tsa_stop
expect_rc_value() { [ "$1" -eq "$2" ] && pass || fail "$3: got $1, expected $2"; }
expect_rc_value "$stop_rc" 0 "SIGTERM exit code"

# Restart on the same journal, with SHA-1 enabled: 30 more serials.
tsa_start issue --allow-unsynced-clock --hashes sha256,sha1 || { fail "restart failed"; finish; }
ts_post "$WORK/qsha1.tsq" "$WORK/rsha1b.tsr" >/dev/null
expect_in "Granted" "$(reply_field "$WORK/rsha1b.tsr" Status)" "SHA-1 granted when enabled"
ts_post "$WORK/q2.tsq" "$WORK/rx.tsr" >/dev/null
expect_in "unsupported algorithm" "$(reply_field "$WORK/rx.tsr" 'Failure info')" "sha384 refused when not listed"
for i in $(seq 1 30); do
  openssl ts -query -data "$WORK/d1" -sha256 -out "$WORK/qr$i.tsq" 2>/dev/null
  ts_post "$WORK/qr$i.tsq" "$WORK/rr$i.tsr" >/dev/null
  reply_field "$WORK/rr$i.tsr" "Serial number" >>"$WORK/serials"
done
tsa_stop
total=$(grep -c . "$WORK/serials")
unique=$(sort -u "$WORK/serials" | grep -c .)
[ "$total" -eq 60 ] && [ "$unique" -eq 60 ] && pass || fail "serials: $total issued, $unique unique (expected 60/60)"
# At least 64 random bits: every serial here is 16 bytes long.
short=$(grep -cvE '^0x[0-9A-F]{32}$' "$WORK/serials")
[ "$short" -eq 0 ] && pass || fail "$short serials shorter than 128 bits"

# The journal has every token and every rejection, chained.
run "$TSA_BIN" journal verify --journal "$WORK/issue.db"
expect_rc 0 "journal verify"
expect_in "(63 granted, 5 rejections)" "$out" "journal counts"
s=$(head -1 "$WORK/serials"); s=${s#0x}
run "$TSA_BIN" journal show --journal "$WORK/issue.db" --serial "$s"
expect_rc 0 "journal show"
expect_in "serial: $s" "$out" "journal show serial"
expect_in "outcome: granted" "$out" "journal show outcome"
imprint=$(openssl ts -reply -in "$WORK/r1.tsr" -text 2>/dev/null | sed -n '/Message data:/,/Serial/p' | grep -- ' - ' | sed 's/^ *[0-9a-f]* - //; s/   .*//; s/[ -]//g' | tr -d '\n' | tr a-f A-F)
expect_in "imprint: $imprint" "$out" "journal keeps the imprint"
token=$(printf '%s\n' "$out" | sed -n 's/^token: //p' | base64 -d | sha256sum)
[ "$token" = "$(sha256sum <"$WORK/tok1.der")" ] && pass || fail "journal token differs from the one sent"
run "$TSA_BIN" journal show --journal "$WORK/issue.db" --serial 0x1234
expect_rc 1 "journal show of an unknown serial"
finish
