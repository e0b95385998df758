#!/usr/bin/env bash
# The revocation status of the TSA certificate decides whether a timestamp
# still proves when a signature existed (rules in libvbsig/src/tsp/
# tsp_revocation.c): a TSA key revoked for keyCompromise proves nothing; a
# TSA certificate superseded after the token was made leaves the proof
# intact; a status that cannot be learnt is a warning under --revocation
# soft and INDETERMINATE / TRY_LATER under hard.
#
# Real components only: TSA certificates issued here by the test
# intermediate CA (with `openssl ca`, so its index records them), revoked
# with `openssl ca -revoke` run under libfaketime one day in the past, the
# CRL that CA makes, OpenSSL's OCSP responder over that index (behind
# tests/revocation/rev_server.py), and our vbsig-tsa started with each TSA
# certificate — under libfaketime 150 days in the past where a token must
# predate the expiry of an old signer, as test_timestamp_expired.sh does.
# vbsig itself always verifies on the real clock.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
source "$SRC/tests/revocation/rev_lib.sh"
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)

stop_all() {
  tsa_cleanup
  stop_shims
  stop_revs
}
trap stop_all EXIT

down=$(closed_url | sed 's|^http://127.0.0.1:||; s|/tsa$||')
# The certificates below name 127.0.0.1:18081 (OCSP) and 127.0.0.1:18080
# (CRL); each case sends them to its own servers (rw, start_rev: rev_lib.sh).

# tsa_at NAME CERT OFFSET: our vbsig-tsa with the TSA certificate CERT (key
# CERT.key), its clock moved by OFFSET ("" = the real clock). Sets TSA_URL.
tsa_at() {
  local name=$1 cert=$2 offset=$3
  TSA_KEY_ARGS=(--key "${cert%.pem}.key" --cert "$cert")
  if [ -n "$offset" ]; then
    # (In an ASan build libfaketime is preloaded before the sanitizer runtime.)
    printf '#!/bin/sh\nASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" LD_PRELOAD=%s FAKETIME=%s exec %s "$@"\n' \
      "$FAKETIME_LIB" "$offset" "$BUILD/bin/vbsig-tsa" >"$WORK/tsa-$name.sh"
    chmod +x "$WORK/tsa-$name.sh"
    TSA_BIN="$WORK/tsa-$name.sh"
  else
    TSA_BIN="$BUILD/bin/vbsig-tsa"
  fi
  tsa_start "$name" --allow-unsynced-clock || { fail "vbsig-tsa $name did not start"; finish; }
}

# --------------------------------------------------------------- material --
[ -n "$FAKETIME_LIB" ] && pass || { fail "libfaketime is not installed (scripts/install-deps.sh)"; finish; }
ca="$WORK/ca"
mkdir -p "$ca"
cp -r "$PKI/ca" "$PKI/conf" "$ca/"
cnf=(-config conf/openssl.cnf -name ca_issuing -batch -notext)
printf '%s\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=critical,timeStamping \
  subjectKeyIdentifier=hash authorityKeyIdentifier=keyid:always \
  crlDistributionPoints=URI:http://127.0.0.1:18080/intermediate.crl \
  "authorityInfoAccess=OCSP;URI:http://127.0.0.1:18081" >"$ca/tsa.ext"
start=$(date -u -d '200 days ago' +%y%m%d%H%M%SZ)
end=$(date -u -d '400 days' +%y%m%d%H%M%SZ)
# tsa_cert NAME CN: a TSA certificate valid from 200 days ago, naming the sources.
tsa_cert() {
  (cd "$ca" && export OPENSSL_CONF=conf/openssl.cnf &&
    openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/C=VN/O=TSA (thu nghiem)/CN=$2" -out "$1.csr" &&
    openssl ca "${cnf[@]}" -startdate "$start" -enddate "$end" -in "$1.csr" -out "$1.pem" -extfile tsa.ext) \
    >>"$ca/log" 2>&1 && pass || fail "issue $1: $(tail -3 "$ca/log")"
}
tsa_cert good "vbsig TSA good"
tsa_cert kc "vbsig TSA key compromised"
tsa_cert sup "vbsig TSA superseded"
# Revoked one day ago: `openssl ca` stamps the revocation with its own clock.
for r in kc:keyCompromise sup:superseded; do
  (cd "$ca" && LD_PRELOAD="$FAKETIME_LIB" FAKETIME=-1d OPENSSL_CONF=conf/openssl.cnf \
    openssl ca "${cnf[@]}" -revoke "${r%%:*}.pem" -crl_reason "${r#*:}") >>"$ca/log" 2>&1 &&
    pass || fail "revoke ${r%%:*}: $(tail -3 "$ca/log")"
done
mkdir -p "$WORK/crl"
(cd "$ca" && OPENSSL_CONF=conf/openssl.cnf openssl ca "${cnf[@]}" -gencrl -crldays 7 -out crl.pem &&
  openssl crl -in crl.pem -outform DER -out "$WORK/crl/intermediate.crl") >>"$ca/log" 2>&1 &&
  pass || fail "make the CRL: $(tail -3 "$ca/log")"
openssl crl -in "$WORK/crl/intermediate.crl" -inform DER -text -noout | grep -q "Key Compromise" &&
  pass || fail "the CRL lists the key compromise"

{
  start_rev main "$WORK/crl" -index "$ca/ca/index.txt" -CA "$PKI/ca/intermediate.pem" \
    -rsigner "$PKI/signers/ocsp.pem" -rkey "$PKI/signers/ocsp.key" -ndays 1
  MAIN=$REV_PORT; MAIN_LOG=$REV_LOG
  start_rev crlonly "$WORK/crl"; CRLONLY=$REV_PORT; CRL_LOG=$REV_LOG
}

# An old signer, expired 100 days ago, and its signature made 160 days ago
# (as in test_timestamp_expired.sh).
past() { LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$1" "${@:2}"; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/old.key" 2>/dev/null
past -300d openssl req -new -key "$WORK/old.key" -subj "/C=VN/O=So Noi vu (thu nghiem)/CN=Nguoi ky cu" -out "$WORK/old.csr"
past -300d openssl x509 -req -in "$WORK/old.csr" -CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" \
  -extfile "$PKI/conf/openssl.cnf" -extensions ext_signer -days 200 -set_serial "0x$(openssl rand -hex 8)" \
  -out "$WORK/old.pem" 2>/dev/null
past -160d openssl cms -sign -binary -cades -md sha256 -nosmimecap -in "$doc" -signer "$WORK/old.pem" \
  -inkey "$WORK/old.key" -certfile "$PKI/chain.pem" -outform DER -out "$WORK/old.p7s"
expect_file "$WORK/old.p7s" "a signature made 160 days ago"

# Today's signature by a valid signer whose certificate names no revocation
# source: only the TSA certificate's status is in question.
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
sig() { json_get "$out" "d['signatures'][0]$1"; }
tsrev() { sig "['timestamp']['revocation']['$1']"; }
verify() { run "$VBSIG" verify "$1" --data "$doc" --trust "$root" "${RW[@]}" --json --utc "${@:2}"; }

# ------------------------------------------- 1. a good TSA certificate --
tsa_at good "$ca/good.pem" ""
run "$VBSIG" sign "$doc" -o "$WORK/good.p7s" --detached "${p12[@]}" --level B-T --tsa "$TSA_URL/" --trust "$root"
expect_rc 0 "sign B-T with the good TSA"
tsa_stop
rw "$MAIN" "$down"
verify "$WORK/good.p7s"
expect_rc 0 "good TSA (OCSP)"
[ "$(sig "['status']"), $(sig "['timestamp']['status']"), $(tsrev status), $(tsrev source)" = \
  "TOTAL-PASSED, TOTAL-PASSED, good, ocsp" ] && pass || fail "good TSA over OCSP: $out"
grep -q '^POST' "$MAIN_LOG" && pass || fail "the OCSP responder was asked about the TSA"
rw "$down" "$CRLONLY"
verify "$WORK/good.p7s"
expect_rc 0 "good TSA (CRL, OCSP down)"
[ "$(tsrev status), $(tsrev source), $(tsrev reason)" = "good, crl, None" ] && pass || fail "good TSA over the CRL: $out"
grep -q '^GET /intermediate.crl' "$CRL_LOG" && pass || fail "the CRL was fetched"
run "$VBSIG" verify "$WORK/good.p7s" --data "$doc" --trust "$root" "${RW[@]}" --lang en
expect_rc 0 "good TSA, text report"
expect_in "good" "$(grep 'TSA revocation:' <<<"$out")" "the text report shows the TSA's revocation status"

# ---------------------------------- 2. status unavailable: soft / hard --
rw "$down" "$down"
verify "$WORK/good.p7s" --revocation soft
expect_rc 0 "servers down, --revocation soft: the timestamp still counts"
[ "$(sig "['status']"), $(sig "['level']"), $(tsrev status)" = "TOTAL-PASSED, B-T, unavailable" ] &&
  pass || fail "soft, servers down: $out"
[ "$(sig "['signing_time'] == d['signatures'][0]['timestamp']['time'] != None")" = True ] &&
  pass || fail "soft: the timestamp's time is the signing time: $out"
expect_in "timestamp is used anyway" "$out" "soft: the warning is reported"
verify "$WORK/good.p7s"
expect_rc 2 "servers down, --revocation hard"
[ "$(sig "['status']"), $(sig "['timestamp']['status']"), $(sig "['timestamp']['subindication']"), $(tsrev status)" = \
  "INDETERMINATE, INDETERMINATE, TRY_LATER, unavailable" ] && pass || fail "hard, servers down: $out"
[ "$(sig "['signing_time']")" = None ] && pass || fail "hard: no proven signing time: $out"
expect_in "127.0.0.1:$down" "$out" "hard: the unreachable source is named"
verify "$WORK/good.p7s" --revocation off
expect_rc 0 "--revocation off"
[ "$(tsrev status)" = unchecked ] && pass || fail "--revocation off: unchecked: $out"
# The cache and --offline apply to the TSA too.
rw "$MAIN" "$down"
verify "$WORK/good.p7s" --cache-dir "$WORK/cache"
expect_rc 0 "online, filling the cache"
rw "$down" "$down"
verify "$WORK/good.p7s" --offline
expect_rc 2 "--offline without a cache: unknown under hard"
[ "$(sig "['timestamp']['subindication']"), $(tsrev status)" = "TRY_LATER, unavailable" ] && pass || fail "--offline: $out"
verify "$WORK/good.p7s" --offline --cache-dir "$WORK/cache"
expect_rc 0 "--offline with the cache"
[ "$(tsrev status), $(tsrev source)" = "good, ocsp" ] && pass || fail "--offline with the cache: $out"

# ------------- 3. old signer, tokens made 150 days ago by revoked TSAs --
tsa_at kc "$ca/kc.pem" -150d
run "$VBSIG" timestamp "$WORK/old.p7s" -o "$WORK/old-kc.p7s" --tsa "$TSA_URL/"
expect_rc 0 "timestamp by the (later compromised) TSA 150 days ago"
tsa_at sup "$ca/sup.pem" -150d
run "$VBSIG" timestamp "$WORK/old.p7s" -o "$WORK/old-sup.p7s" --tsa "$TSA_URL/"
expect_rc 0 "timestamp by the (later superseded) TSA 150 days ago"
sup_url="$TSA_URL/"

for src in ocsp crl; do
  if [ "$src" = ocsp ]; then rw "$MAIN" "$down"; else rw "$down" "$CRLONLY"; fi
  verify "$WORK/old-kc.p7s"
  expect_rc 2 "keyCompromise ($src): the expired signer has no proof of existence"
  [ "$(sig "['status']"), $(sig "['timestamp']['status']"), $(sig "['timestamp']['subindication']")" = \
    "INDETERMINATE, TOTAL-FAILED, REVOKED" ] && pass || fail "keyCompromise ($src): $out"
  [ "$(sig "['subindication']")" = OUT_OF_BOUNDS_NO_POE ] && pass ||
    fail "keyCompromise ($src): an expired signer without proof of existence is OUT_OF_BOUNDS_NO_POE: $out"
  [ "$(tsrev status), $(tsrev source), $(tsrev reason)" = "revoked, $src, keyCompromise" ] &&
    pass || fail "keyCompromise ($src) reported: $out"
  [ "$(tsrev revoked_at | cut -c1-10)" = "$(date -u -d '1 day ago' +%Y-%m-%d)" ] && pass || fail "revoked_at ($src): $out"
  [ "$(sig "['signing_time']")" = None ] && pass || fail "keyCompromise ($src): the POE is gone: $out"
  # Without the proof the path is checked now, when the signer has expired.
  [ "$(sig "['validation_time'][:10]")" = "$(date -u +%Y-%m-%d)" ] && pass || fail "validated now ($src): $out"
  expect_in "expired" "$out" "keyCompromise ($src): the expiry is reported"
  expect_in "keyCompromise" "$(sig "['messages']")" "keyCompromise ($src): the reason is in the messages"

  verify "$WORK/old-sup.p7s"
  expect_rc 0 "superseded after genTime ($src): the proof stands"
  [ "$(sig "['status']"), $(sig "['timestamp']['status']"), $(tsrev status), $(tsrev reason)" = \
    "TOTAL-PASSED, TOTAL-PASSED, revoked, superseded" ] && pass || fail "superseded ($src): $out"
  [ "$(sig "['signing_time'][:10]")" = "$(date -u -d '150 days ago' +%Y-%m-%d)" ] &&
    pass || fail "superseded ($src): signing time = the token's: $out"
  expect_in "keeps its value" "$(sig "['messages']")" "superseded ($src): the warning is reported"
done
# Two timestamps, one per TSA: the compromised one is reported and skipped,
# the superseded one proves the time; the report lists both.
run "$VBSIG" timestamp "$WORK/old-kc.p7s" -o "$WORK/old-both.p7s" --tsa "$sup_url"
expect_rc 0 "add the superseded TSA's timestamp after the compromised one's"
rw "$MAIN" "$down"
verify "$WORK/old-both.p7s"
expect_rc 0 "two timestamps, the second one good enough"
[ "$(sig "['status']"), $(sig "['signing_time'][:10]"), $(tsrev reason)" = \
  "TOTAL-PASSED, $(date -u -d '150 days ago' +%Y-%m-%d), superseded" ] && pass || fail "two timestamps: $out"
# (The order is the signature's: DER sorts a SET OF attribute values.)
[ "$(json_get "$out" "sorted([(t['status'], t['subindication'] or '-', t['revocation']['reason']) for t in d['signatures'][0]['timestamps']])")" = \
  "[('TOTAL-FAILED', 'REVOKED', 'keyCompromise'), ('TOTAL-PASSED', '-', 'superseded')]" ] &&
  pass || fail "per-timestamp revocation in the report: $out"
expect_in "is not valid: REVOKED" "$(sig "['messages']")" "the rejected timestamp is explained"
# Soft mode does not rescue a compromised TSA.
rw "$MAIN" "$down"
verify "$WORK/old-kc.p7s" --revocation soft
expect_rc 2 "keyCompromise under --revocation soft"
[ "$(sig "['timestamp']['subindication']"), $(sig "['signing_time']")" = "REVOKED, None" ] && pass || fail "soft kc: $out"

# --------- 4. a token made after the (benign) revocation proves nothing --
tsa_at supnow "$ca/sup.pem" ""
run "$VBSIG" sign "$doc" -o "$WORK/supnow.p7s" --detached "${p12[@]}" --level B-T --tsa "$TSA_URL/"
expect_rc 0 "sign B-T with the superseded TSA today"
verify "$WORK/supnow.p7s"
expect_rc 2 "token after the revocation"
[ "$(sig "['timestamp']['status']"), $(sig "['timestamp']['subindication']"), $(tsrev reason)" = \
  "TOTAL-FAILED, REVOKED, superseded" ] && pass || fail "token after a superseded revocation: $out"
expect_in "before the timestamp's time" "$(sig "['messages']")" "after-revocation token explained"

# ---------------------- 5. the other formats use the same rules: XAdES B-T,
# PAdES B-T and a PDF document timestamp (today, with the compromised TSA).
tsa_at kcnow "$ca/kc.pem" ""
xml="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
run "$VBSIG" sign "$xml" -o "$WORK/kc.xml" "${p12[@]}" --level B-T --tsa "$TSA_URL/"
expect_rc 0 "XAdES B-T with the compromised TSA"
run "$VBSIG" verify "$WORK/kc.xml" --trust "$root" "${RW[@]}" --json
expect_rc 2 "XAdES: compromised TSA"
[ "$(sig "['timestamp']['subindication']"), $(tsrev reason), $(sig "['signing_time']")" = \
  "REVOKED, keyCompromise, None" ] && pass || fail "XAdES compromised TSA: $out"
rw "$MAIN" "$down"
run "$VBSIG" verify "$WORK/kc.xml" --trust "$root" "${RW[@]}" --json --revocation off
[ "$(sig "['status']"), $(tsrev status)" = "TOTAL-PASSED, unchecked" ] && pass || fail "XAdES, --revocation off: $out"
pdf=$(ls "$PKI"/documents/*.pdf | head -1)
run "$VBSIG" sign "$pdf" -o "$WORK/kc-bt.pdf" "${p12[@]}" --level B-T --tsa "$TSA_URL/"
expect_rc 0 "PAdES B-T with the compromised TSA"
run "$VBSIG" verify "$WORK/kc-bt.pdf" --trust "$root" "${RW[@]}" --json
expect_rc 2 "PAdES B-T: compromised TSA"
[ "$(sig "['timestamp']['subindication']"), $(tsrev reason), $(sig "['signing_time']")" = \
  "REVOKED, keyCompromise, None" ] && pass || fail "PAdES B-T compromised TSA: $out"
run "$VBSIG" timestamp "$pdf" -o "$WORK/kc.pdf" --tsa "$TSA_URL/"
expect_rc 0 "PDF document timestamp with the compromised TSA"
run "$VBSIG" verify "$WORK/kc.pdf" --trust "$root" "${RW[@]}" --json
expect_rc 1 "PDF document timestamp: compromised TSA"
dts="[s for s in d['signatures'] if s['type'] == 'document_timestamp'][0]"
[ "$(json_get "$out" "$dts['status'], $dts['subindication'], $dts['timestamp']['revocation']['reason']")" = \
  "TOTAL-FAILED REVOKED keyCompromise" ] && pass || fail "PDF document timestamp: $out"
tsa_at goodnow "$ca/good.pem" ""
run "$VBSIG" timestamp "$pdf" -o "$WORK/good.pdf" --tsa "$TSA_URL/"
expect_rc 0 "PDF document timestamp with the good TSA"
run "$VBSIG" verify "$WORK/good.pdf" --trust "$root" "${RW[@]}" --json
expect_rc 0 "PDF document timestamp: good TSA"
[ "$(json_get "$out" "$dts['status'], $dts['timestamp']['revocation']['status']")" = "TOTAL-PASSED good" ] &&
  pass || fail "PDF document timestamp, good TSA: $out"

finish
