#!/usr/bin/env bash
# Revocation checking end to end against real servers on 127.0.0.1: OpenSSL's
# OCSP responder and the test PKI's CRLs behind tests/revocation/rev_server.py,
# and a real TSA (tests/tsa-shim) for proof of existence. The certificates
# name fixed ports (18080 CRL, 18081 OCSP); --url-rewrite sends each case to
# its own servers' random ports, which also tests the rewriting.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
source "$SRC/tests/revocation/rev_lib.sh" # start_rev, stop_rev, stop_revs, rw
doc="$PKI/documents/cong-van.txt"
root="$PKI/root/root.pem"

stop_all() {
  stop_shims
  stop_revs
}
trap stop_all EXIT

responder() { # responder INDEX [SIGNER-PATH-WITHOUT-.pem]: openssl ocsp responder arguments
  local signer=${2:-$PKI/signers/ocsp}
  echo -index "$1" -CA "$PKI/ca/intermediate.pem" -rsigner "$signer.pem" -rkey "$signer.key"
}
down=$(closed_url | sed 's|^http://127.0.0.1:||; s|/tsa$||')
lines() { wc -l <"$1" | tr -d ' '; }

# verify_case FILE DESCRIPTION [options…]: verify --json, keeps $out and $rc
verify_case() {
  local f=$1
  shift 2
  run "$VBSIG" verify "$f" --data "$doc" --trust "$root" "${RW[@]}" --json "$@"
}
sig() { json_get "$out" "d['signatures'][0]$1"; }
# expect_case DESC RC INDICATION SUBINDICATION REV_STATUS REV_SOURCE
expect_case() {
  expect_rc "$2" "$1"
  local got
  got=$(json_get "$out" "' '.join(str(x) for x in (d['signatures'][0]['status'], d['signatures'][0]['subindication'], d['signatures'][0]['revocation']['status'], d['signatures'][0]['revocation']['source']))" 2>&1)
  [ "$got" = "$3 $4 $5 $6" ] && pass || fail "$1: got '$got', expected '$3 $4 $5 $6'; $out"
}

# --------------------------------------------------------------- material --
sign() { # sign OUT KEY [options…]
  local o=$1 k=$2
  shift 2
  run "$VBSIG" sign "$doc" -o "$WORK/$o" --detached --key "$PKI/signers/$k.p12" --pass pass:vbsig-test "$@"
  expect_rc 0 "sign $o"
}
start_shim tsa
sign w.p7s withrev
sign r.p7s revoked
sign wt.p7s withrev --tsa "$SHIM_URL"
sign rt.p7s revoked --tsa "$SHIM_URL"
sleep 1.1 # the "revoked later" time below must follow wt.p7s's timestamp

serial() { openssl x509 -noout -serial -in "$PKI/signers/$1.pem" | cut -d= -f2; }
W_SERIAL=$(serial withrev)
grep -v "	$W_SERIAL	" "$PKI/ca/index.txt" >"$WORK/index-unknown.txt"
REVOKED_NOW=$(date -u +%y%m%d%H%M%SZ)
awk -F'\t' -v OFS='\t' -v s="$W_SERIAL" -v t="$REVOKED_NOW,keyCompromise" \
  '$4 == s { $1 = "R"; $3 = t } { print }' "$PKI/ca/index.txt" >"$WORK/index-later.txt"
# Several test certificates share a subject: the copies need the same rule.
cp "$PKI/ca/index.txt.attr" "$WORK/index-unknown.txt.attr"
cp "$PKI/ca/index.txt.attr" "$WORK/index-later.txt.attr"
grep -q "^R	.*	$REVOKED_NOW,keyCompromise	$W_SERIAL	" "$WORK/index-later.txt" && pass || fail "index with withrev revoked now"
mkdir -p "$WORK/pem"
cp "$PKI/crl/intermediate.crl.pem" "$WORK/pem/intermediate.crl"
mkdir -p "$WORK/stale" "$WORK/staleca"
cp -r "$PKI/ca" "$PKI/conf" "$WORK/staleca/"
(cd "$WORK/staleca" && OPENSSL_CONF=conf/openssl.cnf openssl ca -config conf/openssl.cnf -name ca_issuing \
  -gencrl -crlsec 1 -out "$WORK/stale/intermediate.crl") >"$WORK/staleca/log" 2>&1 && pass || fail "make a stale CRL"
# Hostile CRL servers: an answer past the size bound, and one that is no CRL.
mkdir -p "$WORK/huge" "$WORK/garbage"
head -c $((33 * 1024 * 1024)) /dev/zero >"$WORK/huge/intermediate.crl"
head -c 4096 /dev/urandom >"$WORK/garbage/intermediate.crl"

# A delegated responder without id-pkix-ocsp-nocheck: its own status must
# come from its issuer's CRL (RFC 6960 §4.2.2.2.1).
printf '%s\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=OCSPSigning \
  authorityKeyIdentifier=keyid:always crlDistributionPoints=URI:http://127.0.0.1:18080/intermediate.crl \
  >"$WORK/staleca/nocheckless.ext"
(cd "$WORK/staleca" &&
  openssl req -new -newkey rsa:2048 -nodes -keyout nocheckless.key -subj "/CN=vbsig Test Responder without nocheck" \
    -out nocheckless.csr && OPENSSL_CONF=conf/openssl.cnf openssl ca -config conf/openssl.cnf -name ca_issuing \
    -batch -notext -days 30 -in nocheckless.csr -out nocheckless.pem -extfile nocheckless.ext) \
  >>"$WORK/staleca/log" 2>&1 && pass || fail "make a responder certificate without ocsp-nocheck"

# A CA certificate with a CRL source (the root's CRL), revoked or not, above
# a signer that names none: the path is checked, not only the signer.
cp -r "$PKI/root" "$WORK/staleca/"
printf '%s\n' basicConstraints=critical,CA:TRUE,pathlen:0 keyUsage=critical,keyCertSign,cRLSign \
  subjectKeyIdentifier=hash authorityKeyIdentifier=keyid:always \
  crlDistributionPoints=URI:http://127.0.0.1:18080/root.crl >"$WORK/staleca/subca.ext"
printf '%s\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature,nonRepudiation \
  subjectKeyIdentifier=hash authorityKeyIdentifier=keyid:always >"$WORK/staleca/ee.ext"
mkdir -p "$WORK/crl-subgood" "$WORK/crl-subrev"
(cd "$WORK/staleca" && export OPENSSL_CONF=conf/openssl.cnf &&
  openssl req -new -newkey rsa:2048 -nodes -keyout subca.key -subj "/CN=vbsig Test Sub CA with CRL" -out subca.csr &&
  openssl ca -config conf/openssl.cnf -name ca_root -batch -notext -days 30 -in subca.csr -out subca.pem \
    -extfile subca.ext &&
  openssl req -new -newkey rsa:2048 -nodes -keyout ee.key -subj "/CN=vbsig Test Signer under Sub CA" -out ee.csr &&
  openssl x509 -req -in ee.csr -CA subca.pem -CAkey subca.key -set_serial 0x5001 -days 30 -extfile ee.ext \
    -out ee.pem &&
  openssl pkcs12 -export -inkey ee.key -in ee.pem -certfile subca.pem -passout pass:vbsig-test -out ee.p12 &&
  openssl ca -config conf/openssl.cnf -name ca_root -gencrl -crldays 1 -out "$WORK/crl-subgood/root.crl" &&
  openssl ca -config conf/openssl.cnf -name ca_root -revoke subca.pem -crl_reason cACompromise &&
  openssl ca -config conf/openssl.cnf -name ca_root -gencrl -crldays 1 -out "$WORK/crl-subrev/root.crl") \
  >>"$WORK/staleca/log" 2>&1 && pass || fail "make a sub-CA with a CRL source: $(tail -3 "$WORK/staleca/log")"
run "$VBSIG" sign "$doc" -o "$WORK/sub.p7s" --detached --key "$WORK/staleca/ee.p12" --pass pass:vbsig-test
expect_rc 0 "sign under the sub-CA"

# $(responder …) is split on purpose: it is a list of arguments.
# shellcheck disable=SC2046
{
  start_rev main "$PKI/crl" $(responder "$PKI/ca/index.txt") -ndays 1; MAIN=$REV_PORT; MAIN_LOG=$REV_LOG
  start_rev pem "$WORK/pem"; PEM=$REV_PORT
  start_rev stale "$WORK/stale"; STALE=$REV_PORT
  start_rev unknown - $(responder "$WORK/index-unknown.txt"); UNKNOWN=$REV_PORT
  start_rev wrongsigner - $(responder "$PKI/ca/index.txt" "$PKI/signers/rsa2048"); WRONG=$REV_PORT
  start_rev later - $(responder "$WORK/index-later.txt"); LATER=$REV_PORT
  start_rev huge "$WORK/huge"; HUGE=$REV_PORT
  start_rev garbage "$WORK/garbage"; GARBAGE=$REV_PORT
  start_rev subgood "$WORK/crl-subgood"; SUBGOOD=$REV_PORT
  start_rev subrev "$WORK/crl-subrev"; SUBREV=$REV_PORT
  start_rev nocheckless - $(responder "$PKI/ca/index.txt" "$WORK/staleca/nocheckless"); NOCHECKLESS=$REV_PORT
}
sleep 1.1 # the stale CRL's nextUpdate (1 s after its thisUpdate) passes

# ------------------------------------------------------------------ cases --
rw "$MAIN" "$MAIN"
verify_case "$WORK/w.p7s" "good"
expect_case "good (OCSP)" 0 TOTAL-PASSED None good ocsp
[ "$(sig "['revocation']['produced_at'] is not None")" = True ] && pass || fail "OCSP producedAt reported: $out"
grep -q '^POST' "$MAIN_LOG" && pass || fail "the responder was asked (through the rewrite)"
expect_in "CA certificate CN=vbsig Test Issuing CA" "$out" "the intermediate without sources is named"

run "$VBSIG" verify "$WORK/w.p7s" --data "$doc" --trust "$root" "${RW[@]}"
expect_rc 0 "text report"
expect_in "Revocation source:" "$out" "text report names the source"

rw "$down" "$MAIN"
verify_case "$WORK/w.p7s" "crl"
expect_case "good (CRL only, OCSP down)" 0 TOTAL-PASSED None good crl
grep -q '^GET /intermediate.crl' "$MAIN_LOG" && pass || fail "the CRL was fetched"

rw "$down" "$PEM"
verify_case "$WORK/w.p7s" "pem"
expect_case "good (PEM CRL)" 0 TOTAL-PASSED None good crl

rw "$MAIN" "$MAIN"
verify_case "$WORK/r.p7s" "revoked, no POE"
expect_case "revoked, no timestamp (OCSP)" 2 INDETERMINATE REVOKED_NO_POE revoked ocsp
[ "$(sig "['revocation']['reason']")" = keyCompromise ] && pass || fail "revocation reason: $out"
[ "$(sig "['revocation']['revoked_at'] is not None")" = True ] && pass || fail "revocation time: $out"
rw "$down" "$MAIN"
verify_case "$WORK/r.p7s" "revoked, no POE, CRL"
expect_case "revoked, no timestamp (CRL)" 2 INDETERMINATE REVOKED_NO_POE revoked crl
[ "$(sig "['revocation']['reason']")" = keyCompromise ] && pass || fail "CRL revocation reason: $out"

rw "$MAIN" "$MAIN"
verify_case "$WORK/rt.p7s" "revoked before"
expect_case "revoked before the timestamped signing time" 1 TOTAL-FAILED REVOKED revoked ocsp

rw "$LATER" "$down"
verify_case "$WORK/wt.p7s" "revoked after"
expect_case "revoked after the timestamped signing time" 0 TOTAL-PASSED None revoked ocsp
expect_in "after the signing time proven by a timestamp" "$out" "revoked-after is explained"
verify_case "$WORK/w.p7s" "revoked, no timestamp"
expect_case "revoked now, signature without timestamp" 2 INDETERMINATE REVOKED_NO_POE revoked ocsp

rw "$UNKNOWN" "$down"
verify_case "$WORK/w.p7s" "unknown"
expect_case "unknown to the responder" 2 INDETERMINATE TRY_LATER unknown ocsp

rw "$down" "$down"
verify_case "$WORK/w.p7s" "down"
expect_case "responders down (hard)" 2 INDETERMINATE TRY_LATER unavailable None
verify_case "$WORK/w.p7s" "down soft" --revocation soft
expect_case "responders down (soft)" 0 TOTAL-PASSED None unavailable None
expect_in "warning: the revocation status of the certificate" "$out" "soft mode warns"

rw "$down" "$STALE"
verify_case "$WORK/w.p7s" "stale"
expect_case "stale CRL" 2 INDETERMINATE TRY_LATER unavailable None
expect_in "stale" "$out" "the stale CRL is named"

rw "$down" "$HUGE"
verify_case "$WORK/w.p7s" "huge"
expect_case "CRL larger than the bound" 2 INDETERMINATE TRY_LATER unavailable None
expect_in "larger than" "$out" "the size bound is named"
rw "$down" "$GARBAGE"
verify_case "$WORK/w.p7s" "garbage"
expect_case "an answer that is not a CRL" 2 INDETERMINATE TRY_LATER unavailable None
expect_in "not a CRL" "$out" "the garbage is named"

rw "$WRONG" "$down"
verify_case "$WORK/w.p7s" "wrong signer"
expect_case "OCSP response signed without id-kp-OCSPSigning" 2 INDETERMINATE TRY_LATER unavailable None
expect_in "id-kp-OCSPSigning" "$out" "the untrusted responder is explained"

rw "$down" "$SUBGOOD"
verify_case "$WORK/sub.p7s" "sub-CA good" --chain "$WORK/staleca/subca.pem"
expect_case "CA certificate good in its issuer's CRL" 0 TOTAL-PASSED None good crl
expect_in "the signer certificate names no CRL or OCSP source" "$out" "the signer without sources is named"
rw "$down" "$SUBREV"
verify_case "$WORK/sub.p7s" "sub-CA revoked" --chain "$WORK/staleca/subca.pem"
expect_case "CA certificate revoked" 2 INDETERMINATE REVOKED_CA_NO_POE revoked crl
[ "$(sig "['revocation']['reason']")" = cACompromise ] && pass || fail "CA revocation reason: $out"

rw "$NOCHECKLESS" "$MAIN"
verify_case "$WORK/w.p7s" "responder without nocheck, its CRL reachable"
expect_case "delegated responder without ocsp-nocheck, good in its CRL" 0 TOTAL-PASSED None good ocsp
rw "$NOCHECKLESS" "$down"
verify_case "$WORK/w.p7s" "responder without nocheck, no CRL"
expect_case "delegated responder without ocsp-nocheck, its status unknown" 2 INDETERMINATE TRY_LATER unavailable None
expect_in "has no ocsp-nocheck" "$out" "the unchecked responder is explained"

run "$VBSIG" verify "$WORK/w.p7s" --data "$doc" --trust "$root" --url-rewrite no-equals-sign
expect_rc 64 "--url-rewrite without ="
run "$VBSIG" verify "$WORK/w.p7s" --data "$doc" --trust "$root" --url-rewrite "http://a=ftp://b"
expect_rc 64 "--url-rewrite to a non-HTTP target"

# --offline with an empty cache: no request at all, TRY_LATER.
rw "$MAIN" "$MAIN"
before=$(lines "$MAIN_LOG")
verify_case "$WORK/w.p7s" "offline" --offline --cache-dir "$WORK/empty-cache"
expect_case "--offline, empty cache" 2 INDETERMINATE TRY_LATER unavailable None
expect_in "offline" "$out" "offline is the reason"
[ "$(lines "$MAIN_LOG")" = "$before" ] && pass || fail "--offline made a request"

# Cache: fresh entries are reused with the servers gone (OCSP with nextUpdate,
# and the CRL); an OCSP response without nextUpdate is not.
# shellcheck disable=SC2046
start_rev cache "$PKI/crl" $(responder "$PKI/ca/index.txt") -ndays 1
CACHE_PID=$REV_PID
rw "$REV_PORT" "$REV_PORT"
verify_case "$WORK/w.p7s" "cache fill" --cache-dir "$WORK/cache"
expect_case "cache filled (OCSP)" 0 TOTAL-PASSED None good ocsp
rw "$down" "$REV_PORT"
verify_case "$WORK/w.p7s" "cache fill crl" --cache-dir "$WORK/cache-crl"
expect_case "cache filled (CRL)" 0 TOTAL-PASSED None good crl
[ "$(ls "$WORK/cache" | wc -l)" -ge 1 ] && pass || fail "the OCSP cache holds no entry"
stop_rev "$CACHE_PID"
rw "$down" "$down"
verify_case "$WORK/w.p7s" "cache offline" --offline --cache-dir "$WORK/cache"
expect_case "cached OCSP answer used offline" 0 TOTAL-PASSED None good ocsp
verify_case "$WORK/w.p7s" "cache online" --cache-dir "$WORK/cache"
expect_case "cached OCSP answer used with the servers stopped" 0 TOTAL-PASSED None good ocsp
verify_case "$WORK/w.p7s" "cache crl offline" --offline --cache-dir "$WORK/cache-crl"
expect_case "cached CRL used offline" 0 TOTAL-PASSED None good crl

# shellcheck disable=SC2046
start_rev nonext - $(responder "$PKI/ca/index.txt")
NONEXT_PID=$REV_PID
rw "$REV_PORT" "$down"
verify_case "$WORK/w.p7s" "no nextUpdate" --cache-dir "$WORK/cache-nonext"
expect_case "OCSP without nextUpdate, online" 0 TOTAL-PASSED None good ocsp
stop_rev "$NONEXT_PID"
verify_case "$WORK/w.p7s" "no nextUpdate offline" --offline --cache-dir "$WORK/cache-nonext"
expect_case "OCSP without nextUpdate is not reused" 2 INDETERMINATE TRY_LATER unavailable None

finish
