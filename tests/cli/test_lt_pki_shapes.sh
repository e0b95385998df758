#!/usr/bin/env bash
# B-LT and B-LTA (CAdES attached and detached, XAdES, PAdES) on every shape
# of PKI the test PKI can make, then verified with every server stopped:
#   ocsp      signer names an OCSP responder only
#   crl       signer names a CRL only
#   both      signer names both (the shape of issue 12: TSA certificate with
#             a CRL only, intermediate CA with a CRL from the root)
#   pem       as both, the CRLs served as PEM
#   issuer    as both, the OCSP responder signs with the CA's own key
#             (the others use a delegated responder with its own certificate)
# In every shape the TSA certificate and the intermediate CA are checked by
# CRL, and every CRL was issued before the signature (thisUpdate < signing
# time < nextUpdate, as real CAs' daily or weekly CRLs are): such a CRL
# proves the status at the signing time. Oracles: `openssl cms -verify`,
# xmlsec1, pdfsig, `openssl cms -cmsout -print` (the standard
# archive-time-stamp-v3 OID) and `openssl asn1parse` (the hash index).
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/revocation/rev_lib.sh"
root="$PKI/root/root.pem"
trap 'stop_revs; tsa_cleanup' EXIT

# ---------------------------------------------------------------- material --
ca="$WORK/ca"
mkdir -p "$ca" "$WORK/crl" "$WORK/crl-pem"
cp -r "$PKI/ca" "$PKI/root" "$PKI/conf" "$ca/"
mk() { # mk SECTION NAME SUBJECT EXT-LINES... : a certificate issued with `openssl ca`
  local sec=$1 name=$2 subj=$3
  shift 3
  printf '%s\n' "$@" >"$ca/$name.ext"
  (cd "$ca" && export OPENSSL_CONF=conf/openssl.cnf &&
    openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -subj "$subj" -out "$name.csr" &&
    openssl ca -config conf/openssl.cnf -name "$sec" -batch -notext -startdate "$(date -u -d '10 days ago' +%Y%m%d%H%M%SZ)" \
      -enddate "$(date -u -d '400 days' +%Y%m%d%H%M%SZ)" -in "$name.csr" -out "$name.pem" -extfile "$name.ext") \
    >>"$ca/log" 2>&1 && pass || fail "issue $name: $(tail -3 "$ca/log")"
}
ee=(basicConstraints=CA:FALSE keyUsage=critical,digitalSignature,nonRepudiation subjectKeyIdentifier=hash
  authorityKeyIdentifier=keyid:always)
cdp=crlDistributionPoints=URI:http://127.0.0.1:18080/intermediate.crl
aia="authorityInfoAccess=OCSP;URI:http://127.0.0.1:18081"
# The intermediate CA again (same key and name), now naming the root's CRL.
printf '%s\n' basicConstraints=critical,CA:TRUE,pathlen:0 keyUsage=critical,keyCertSign,cRLSign \
  subjectKeyIdentifier=hash authorityKeyIdentifier=keyid:always \
  crlDistributionPoints=URI:http://127.0.0.1:18080/root.crl >"$ca/inter.ext"
(cd "$ca" && OPENSSL_CONF=conf/openssl.cnf openssl x509 -x509toreq -in ca/intermediate.pem -signkey ca/intermediate.key -out inter.csr &&
  OPENSSL_CONF=conf/openssl.cnf openssl ca -config conf/openssl.cnf -name ca_root -batch -notext -preserveDN \
    -startdate "$(date -u -d '300 days ago' +%Y%m%d%H%M%SZ)" -enddate "$(date -u -d '3000 days' +%Y%m%d%H%M%SZ)" \
    -in inter.csr -out inter.pem -extfile inter.ext) >>"$ca/log" 2>&1 && pass ||
  fail "re-issue the intermediate: $(tail -3 "$ca/log")"
mk ca_issuing tsa "/C=VN/O=TSA (thu nghiem)/CN=vbsig TSA checked by CRL" basicConstraints=CA:FALSE \
  keyUsage=critical,digitalSignature extendedKeyUsage=critical,timeStamping subjectKeyIdentifier=hash \
  authorityKeyIdentifier=keyid:always "$cdp"
mk ca_issuing s-ocsp "/C=VN/O=So Noi vu (thu nghiem)/CN=Ky so OCSP" "${ee[@]}" "$aia"
mk ca_issuing s-crl "/C=VN/O=So Noi vu (thu nghiem)/CN=Ky so CRL" "${ee[@]}" "$cdp"
mk ca_issuing s-both "/C=VN/O=So Noi vu (thu nghiem)/CN=Ky so OCSP va CRL" "${ee[@]}" "$cdp" "$aia"
# CRLs made a day ago (libfaketime), valid 7 days: older than every signature below.
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)
[ -n "$FAKETIME_LIB" ] && pass || { fail "libfaketime is not installed (scripts/install-deps.sh)"; finish; }
(cd "$ca" && export OPENSSL_CONF=conf/openssl.cnf LD_PRELOAD="$FAKETIME_LIB" FAKETIME=-1d &&
  openssl ca -config conf/openssl.cnf -name ca_issuing -gencrl -crldays 7 -out "$WORK/crl-pem/intermediate.crl" &&
  openssl ca -config conf/openssl.cnf -name ca_root -gencrl -crldays 7 -out "$WORK/crl-pem/root.crl" &&
  openssl crl -in "$WORK/crl-pem/intermediate.crl" -outform DER -out "$WORK/crl/intermediate.crl" &&
  openssl crl -in "$WORK/crl-pem/root.crl" -outform DER -out "$WORK/crl/root.crl") >>"$ca/log" 2>&1 && pass ||
  fail "make the CRLs: $(tail -3 "$ca/log")"
cp "$ca/inter.pem" "$WORK/chain.pem"

# ------------------------------------------------------------------ servers --
ocsp_deleg=(-index "$ca/ca/index.txt" -CA "$PKI/ca/intermediate.pem" -rsigner "$PKI/signers/ocsp.pem"
  -rkey "$PKI/signers/ocsp.key")
ocsp_self=(-index "$ca/ca/index.txt" -CA "$PKI/ca/intermediate.pem" -rsigner "$PKI/ca/intermediate.pem"
  -rkey "$PKI/ca/intermediate.key")
start_rev der "$WORK/crl" "${ocsp_deleg[@]}"; P_DER=$REV_PORT
start_rev pem "$WORK/crl-pem" "${ocsp_deleg[@]}"; P_PEM=$REV_PORT
start_rev self "$WORK/crl" "${ocsp_self[@]}"; P_SELF=$REV_PORT
TSA_KEY_ARGS=(--key "$ca/tsa.key" --cert "$ca/tsa.pem")
tsa_start shapes --allow-unsynced-clock --chain "$WORK/chain.pem" || { fail "vbsig-tsa did not start"; finish; }
# (the later --chain wins: the token carries the intermediate that names its CRL)
TSA="$TSA_URL/"
printf 'Công văn số 12/UBND: dữ liệu ký\n' >"$WORK/data.txt"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
xml="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"

# shape NAME SIGNER PORT
shapes=("ocsp s-ocsp $P_DER" "crl s-crl $P_DER" "both s-both $P_DER" "pem s-both $P_PEM" "issuer s-both $P_SELF")
made=()
for s in "${shapes[@]}"; do
  read -r name signer port <<<"$s"
  # sign reads the URL rewrites from the config file
  printf '[network]\nurl-rewrite = http://127.0.0.1:18081=http://127.0.0.1:%s\nurl-rewrite = http://127.0.0.1:18080=http://127.0.0.1:%s\n' \
    "$port" "$port" >"$WORK/$name.conf"
  export VBSIG_CONFIG="$WORK/$name.conf"
  key=(--key "$ca/$signer.key" --cert "$ca/$signer.pem" --chain "$WORK/chain.pem")
  for lvl in B-LT B-LTA; do
    for kind in att det xml pdf; do
      case $kind in
        att) in="$WORK/data.txt" o="$WORK/$name-$lvl-att.p7s" extra=(--format cades) ;;
        det) in="$WORK/data.txt" o="$WORK/$name-$lvl-det.p7s" extra=(--format cades --detached) ;;
        xml) in="$xml" o="$WORK/$name-$lvl.xml" extra=() ;;
        pdf) in="$pdf" o="$WORK/$name-$lvl.pdf" extra=() ;;
      esac
      run "$VBSIG" sign "$in" -o "$o" "${key[@]}" "${extra[@]}" --level "$lvl" --tsa "$TSA" --trust "$root"
      expect_rc 0 "$name $kind: sign --level $lvl"
      made+=("$o")
    done
  done
done

unset VBSIG_CONFIG

# --------------------------------------------------------- other products --
for o in "${made[@]}"; do
  [ -e "$o" ] || continue
  case $o in
    *-att.p7s)
      run openssl cms -verify -binary -inform DER -in "$o" -CAfile "$root" -certfile "$WORK/chain.pem" -out "$WORK/att.out"
      expect_rc 0 "$(basename "$o"): openssl cms -verify" ;;
    *-det.p7s)
      run openssl cms -verify -binary -inform DER -in "$o" -content "$WORK/data.txt" -CAfile "$root" -out /dev/null
      expect_rc 0 "$(basename "$o"): openssl cms -verify" ;;
    *.xml)
      run xmlsec1 --verify --trusted-pem "$root" --untrusted-pem "$WORK/chain.pem" --id-attr:Id SignedProperties "$o"
      expect_rc 0 "$(basename "$o"): xmlsec1 --verify" ;;
    *.pdf)
      run pdfsig -nocert "$o"
      expect_in "Signature is Valid." "$out" "$(basename "$o"): pdfsig" ;;
  esac
done
if [ -e "$WORK/both-B-LTA-det.p7s" ]; then
  printed=$(openssl cms -cmsout -print -inform DER -in "$WORK/both-B-LTA-det.p7s" 2>&1)
  expect_in "object: undefined (0.4.0.1733.2.4)" "$printed" "CAdES B-LTA: archive-time-stamp-v3 is id-aa-ets-archiveTimestampV3"
  case "$printed" in *1.2.840.113549.1.9.16.2.54*) fail "CAdES B-LTA: the RFC 7030 OID is still written" ;; *) pass ;; esac
  # The hash index, read by a second parser: SEQUENCE of three SEQUENCEs of OCTET STRINGs.
  dump=$(openssl asn1parse -inform DER -in "$WORK/both-B-LTA-det.p7s" -i)
  expect_in ":0.4.0.19122.1.5" "$dump" "CAdES B-LTA: ats-hash-index-v3 in the archive token"
  python3 - "$WORK/both-B-LTA-det.p7s" <<'PY' && pass || fail "CAdES B-LTA: the ATSHashIndexV3 does not parse as one"
import subprocess, sys, re
lines = subprocess.run(["openssl", "asn1parse", "-inform", "DER", "-in", sys.argv[1]], capture_output=True, text=True).stdout.splitlines()
i = next(k for k, l in enumerate(lines) if "0.4.0.19122.1.5" in l)
# OID, SET, SEQUENCE (index), then three SEQUENCEs whose children are OCTET STRINGs
d = lambda l: int(re.search(r"d=\s*(\d+)", l).group(1))
assert "SET" in lines[i + 1] and "SEQUENCE" in lines[i + 2], lines[i:i + 3]
top = d(lines[i + 2])
lists = [l for l in lines[i + 3:] if d(l) == top + 1]
kids = [l for l in lines[i + 3:i + 3 + 400] if d(l) == top + 2]
assert all("SEQUENCE" in l for l in lists[:3]), lists[:3]
assert kids and all("OCTET STRING" in l for l in kids[:len(kids)]), kids[:3]
PY
fi
# The signer's OCSP response once, not twice.
if [ -e "$WORK/both-B-LTA-att.p7s" ]; then
  n=$(python3 - "$WORK/both-B-LTA-att.p7s" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
print(b.count(bytes.fromhex("06082b06010505071002")))
PY
)
  [ "$n" = 1 ] && pass || fail "CAdES B-LTA: $n OCSP responses embedded, expected the signer's once"
fi

# ------------------------------------- a stricter revocation-freshness policy --
# The CRLs here were issued a day before the signatures. Under [policy]
# revocation-freshness = 3600 they do not prove the status, and the servers
# have none newer: sign --level B-LT must then refuse (69, nothing written)
# or write what verify under the same policy accepts as B-LT — never a
# level its own verifier refuses. A B-LT file made under the default policy
# is not B-LT TOTAL-PASSED under the strict one.
printf '[network]\nurl-rewrite = http://127.0.0.1:18081=http://127.0.0.1:%s\nurl-rewrite = http://127.0.0.1:18080=http://127.0.0.1:%s\n[policy]\nrevocation-freshness = 3600\n' \
  "$P_DER" "$P_DER" >"$WORK/fresh.conf"
for kind in cades pdf; do
  case $kind in
    cades) in="$WORK/data.txt" o="$WORK/fresh.p7s" extra=(--format cades) ;;
    pdf) in="$pdf" o="$WORK/fresh.pdf" extra=() ;;
  esac
  VBSIG_CONFIG="$WORK/fresh.conf" run "$VBSIG" sign "$in" -o "$o" --key "$ca/s-crl.key" --cert "$ca/s-crl.pem" \
    --chain "$WORK/chain.pem" "${extra[@]}" --level B-LT --tsa "$TSA" --trust "$root"
  if [ "$rc" = 0 ]; then
    run "$VBSIG" verify "$o" --trust "$root" --config "$WORK/fresh.conf" --json
    got=$(json_get "$out" "d['status'] + ' ' + str(d['signatures'][0]['level'])" 2>/dev/null)
    [ "$got" = "TOTAL-PASSED B-LT" ] && pass || fail "freshness $kind: sign wrote B-LT that verify under the same policy gives '$got'"
  else
    [ "$rc" = 69 ] && pass || fail "freshness $kind: sign refused with $rc, expected 69: $err"
    expect_no_file "$o" "freshness $kind: nothing written"
    expect_in "CN=Ky so CRL" "$err" "freshness $kind: the refusal names the certificate"
    expect_in "revocation freshness (3600 s)" "$err" "freshness $kind: and the policy"
  fi
  echo "freshness $kind: sign exit $rc"
done
if [ -e "$WORK/crl-B-LT-att.p7s" ]; then
  run "$VBSIG" verify "$WORK/crl-B-LT-att.p7s" --trust "$root" --config "$WORK/fresh.conf" --offline --json
  got=$(json_get "$out" "d['status'] + ' ' + str(d['signatures'][0]['level'])" 2>/dev/null)
  [ "$got" != "TOTAL-PASSED B-LT" ] && pass || fail "a day-old CRL passed a one-hour freshness policy"
  echo "freshness: the default-policy B-LT file under the strict policy: $got"
fi

# ----------------------------------------------------- offline, everything down --
stop_revs
tsa_cleanup
for o in "${made[@]}"; do
  [ -e "$o" ] || continue
  b=$(basename "$o")
  want=B-LTA
  case $b in *-B-LT-* | *-B-LT.*) want=B-LT ;; esac
  data=()
  case $b in *-det.p7s) data=(--data "$WORK/data.txt") ;; esac
  run "$VBSIG" verify "$o" --trust "$root" --offline --json "${data[@]}"
  got=$(json_get "$out" "d['status'] + ' ' + str(d['signatures'][0]['level'])" 2>/dev/null)
  [ "$rc" = 0 ] && [ "$got" = "TOTAL-PASSED $want" ] && pass || fail "$b: verify --offline: rc $rc, '$got', expected TOTAL-PASSED $want: $out"
done

finish
