#!/usr/bin/env bash
# PDF signature verification against poppler's signer and the attack
# checklist: pdfsig-made signatures pass with the test root; one changed
# byte gives HASH_FAILURE; every attack PDF of test-vectors/pdf-attacks is
# caught with its reason; corpus PDFs signed twice by pdfsig pass, the first
# covering revision n-1 of n with only allowed changes after it.
source "$(dirname "$0")/lib.sh"
command -v pdfsig >/dev/null || { echo "pdfsig missing: run scripts/install-deps.sh" >&2; exit 1; }
gen="$SRC/test-vectors/pdf-attacks/make_attacks.py"
trust=(--trust "$PKI/root/root.pem")

# An NSS database holding the test root and two signing keys.
cp -r "$PKI/nssdb" "$WORK/nssdb"
for who in rsa2048 rsa3072; do
  pk12util -i "$PKI/signers/$who.p12" -d "sql:$WORK/nssdb" -W vbsig-test -K '' >/dev/null 2>&1 ||
    fail "importing $who into NSS"
done
pdfsign() { # pdfsign IN OUT NICK
  pdfsig "$1" "$2" -add-signature -nssdir "sql:$WORK/nssdb" -nick "vbsig test $3" -kpw '' >/dev/null 2>&1
  [ -s "$2" ] || fail "pdfsig could not sign $1"
}
field() { # field JSON-FILE INDEX PYTHON-EXPR-ON-s
  python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['signatures'][int(sys.argv[2])]; print($3)" "$1" "$2"
}

# ---- a pdfsig signature verifies ----
python3 "$gen" base "$WORK/base.pdf" || fail "base document"
pdfsign "$WORK/base.pdf" "$WORK/signed.pdf" rsa2048
run "$VBSIG" verify "$WORK/signed.pdf" "${trust[@]}" --json
expect_rc 0 "pdfsig signature verifies"
echo "$out" >"$WORK/signed.json"
[ "$(field "$WORK/signed.json" 0 's["status"]')" = TOTAL-PASSED ] && pass || fail "signed: status"
[ "$(field "$WORK/signed.json" 0 's["subfilter"]')" = adbe.pkcs7.detached ] && pass || fail "signed: subfilter"
[ "$(field "$WORK/signed.json" 0 's["coverage"]["revision"], s["coverage"]["revisions"], s["coverage"]["whole_document"]')" = "2 2 True" ] &&
  pass || fail "signed: coverage $(field "$WORK/signed.json" 0 's["coverage"]')"
[ "$(field "$WORK/signed.json" 0 's["modifications_after"]')" = none ] && pass || fail "signed: modifications"
run "$VBSIG" verify "$WORK/signed.pdf" "${trust[@]}"
expect_in "revision 2 of 2" "$out" "text report names the revision"

# Without the trust anchor the chain cannot be built: not TOTAL-PASSED.
run "$VBSIG" verify "$WORK/signed.pdf" --json
expect_rc 2 "no trust anchor: INDETERMINATE"

# ---- one byte changed inside the signed range ----
cp "$WORK/signed.pdf" "$WORK/tampered.pdf"
off=$(python3 -c "import sys; d=open(sys.argv[1],'rb').read(); print(d.index(b'tam ung 1.000.000')+8)" "$WORK/tampered.pdf")
printf '9' | dd of="$WORK/tampered.pdf" bs=1 seek="$off" conv=notrunc 2>/dev/null
run "$VBSIG" verify "$WORK/tampered.pdf" "${trust[@]}" --json
expect_rc 1 "tampered: exit 1"
echo "$out" >"$WORK/tampered.json"
[ "$(field "$WORK/tampered.json" 0 's["status"], s["subindication"]')" = "TOTAL-FAILED HASH_FAILURE" ] &&
  pass || fail "tampered: $(field "$WORK/tampered.json" 0 's["status"], s["subindication"]')"

# ---- a certification (DocMDP P=2) made with openssl cms, then an approval ----
python3 "$gen" certify "$WORK/base.pdf" "$WORK/certified.pdf" --key "$PKI/signers/rsa2048.key" \
  --cert "$PKI/signers/rsa2048.pem" --chain "$PKI/chain.pem" --p 2 || fail "certify"
run "$VBSIG" verify "$WORK/certified.pdf" "${trust[@]}" --json
expect_rc 0 "certified file verifies"
echo "$out" >"$WORK/certified.json"
[ "$(field "$WORK/certified.json" 0 's["certification"], s["level"], s["subfilter"]')" = "2 B-B ETSI.CAdES.detached" ] &&
  pass || fail "certified: $(field "$WORK/certified.json" 0 's["certification"], s["level"], s["subfilter"]')"
pdfsign "$WORK/certified.pdf" "$WORK/certified-approved.pdf" rsa3072
run "$VBSIG" verify "$WORK/certified-approved.pdf" "${trust[@]}" --json
expect_rc 0 "an approval signature after a P=2 certification is allowed"
echo "$out" >"$WORK/ca.json"
[ "$(field "$WORK/ca.json" 0 's["modifications_after"]')" = allowed ] && pass || fail "certified-approved: first not 'allowed'"
python3 "$gen" certify "$WORK/base.pdf" "$WORK/certified1.pdf" --key "$PKI/signers/rsa2048.key" \
  --cert "$PKI/signers/rsa2048.pem" --chain "$PKI/chain.pem" --p 1 || fail "certify P=1"
pdfsign "$WORK/certified1.pdf" "$WORK/certified1-approved.pdf" rsa3072
run "$VBSIG" verify "$WORK/certified1-approved.pdf" "${trust[@]}" --json
expect_rc 1 "a signature after a P=1 certification is disallowed"
expect_in "permits no changes" "$out" "P=1: the reason is named"

# ---- legacy adbe.pkcs7.sha1, and ETSI.RFC3161 document timestamps ----
cert_args=(--key "$PKI/signers/rsa2048.key" --cert "$PKI/signers/rsa2048.pem" --chain "$PKI/chain.pem")
tsa_args=(--key "$PKI/signers/tsa.key" --cert "$PKI/signers/tsa.pem" --chain "$PKI/chain.pem")
python3 "$gen" certify "$WORK/base.pdf" "$WORK/sha1.pdf" "${cert_args[@]}" --p 0 --subfilter adbe.pkcs7.sha1 ||
  fail "adbe.pkcs7.sha1 signing"
run "$VBSIG" verify "$WORK/sha1.pdf" "${trust[@]}" --json
expect_rc 0 "adbe.pkcs7.sha1 verifies"
echo "$out" >"$WORK/sha1.json"
[ "$(field "$WORK/sha1.json" 0 's["subfilter"], s["weak_algorithm"]')" = "adbe.pkcs7.sha1 True" ] &&
  pass || fail "sha1: not reported as weak"
cp "$WORK/sha1.pdf" "$WORK/sha1-tampered.pdf"
off=$(python3 -c "import sys; d=open(sys.argv[1],'rb').read(); print(d.index(b'tam ung 1.000.000')+8)" "$WORK/sha1.pdf")
printf '9' | dd of="$WORK/sha1-tampered.pdf" bs=1 seek="$off" conv=notrunc 2>/dev/null
run "$VBSIG" verify "$WORK/sha1-tampered.pdf" "${trust[@]}" --json
expect_rc 1 "adbe.pkcs7.sha1 tampered"
expect_in "HASH_FAILURE" "$out" "adbe.pkcs7.sha1 tampered: HASH_FAILURE"

python3 "$gen" certify "$WORK/signed.pdf" "$WORK/doc-ts.pdf" "${tsa_args[@]}" --p 0 --subfilter ETSI.RFC3161 ||
  fail "document timestamp"
run "$VBSIG" verify "$WORK/doc-ts.pdf" "${trust[@]}" --json
expect_rc 0 "signature + document timestamp verify"
echo "$out" >"$WORK/doc-ts.json"
[ "$(field "$WORK/doc-ts.json" 1 's["type"], s["subfilter"], s["timestamp"]["status"], s["coverage"]["whole_document"]')" = \
  "document_timestamp ETSI.RFC3161 TOTAL-PASSED True" ] && pass || fail "doc-ts: $(field "$WORK/doc-ts.json" 1 's')"
[ "$(field "$WORK/doc-ts.json" 0 's["modifications_after"], s["coverage"]["revisions_after"]')" = "allowed 1" ] &&
  pass || fail "doc-ts: the signature before it"
# A document timestamp is the one addition certification level 1 admits.
python3 "$gen" certify "$WORK/certified1.pdf" "$WORK/certified1-ts.pdf" "${tsa_args[@]}" --p 0 --subfilter ETSI.RFC3161 ||
  fail "document timestamp on P=1"
run "$VBSIG" verify "$WORK/certified1-ts.pdf" "${trust[@]}" --json
expect_rc 0 "P=1 certification + document timestamp"
# A document timestamp over other bytes than it claims fails.
cp "$WORK/doc-ts.pdf" "$WORK/doc-ts-tampered.pdf"
off=$(python3 -c "import sys; d=open(sys.argv[1],'rb').read(); print(d.rindex(b'(Approval1)')+9)" "$WORK/doc-ts.pdf")
printf '9' | dd of="$WORK/doc-ts-tampered.pdf" bs=1 seek="$off" conv=notrunc 2>/dev/null
run "$VBSIG" verify "$WORK/doc-ts-tampered.pdf" "${trust[@]}" --json
expect_rc 1 "document timestamp tampered"
expect_in "imprint" "$out" "document timestamp tampered: the imprint is named"

# ---- every attack is caught, with its reason; certified files with a later
# visible signature or annotation (covers-*) pass when it sits in a blank
# area and fail when it covers the certified text ----
python3 "$gen" attacks "$WORK/signed.pdf" "$WORK/certified.pdf" "$WORK/attacks" || fail "attack generator"
python3 "$gen" covers "$WORK/base.pdf" "$WORK/attacks" "${cert_args[@]}" || fail "covers generator"
n_attacks=0
for exp in "$SRC"/test-vectors/pdf-attacks/expected/*.txt; do
  name=$(basename "$exp" .txt)
  n_attacks=$((n_attacks + 1))
  want_status=$(sed -n 's/^status=//p' "$exp")
  want_sub=$(sed -n 's/^subindication=//p' "$exp")
  want_mod=$(sed -n 's/^modifications=//p' "$exp")
  want_sigs=$(sed -n 's/^signatures=//p' "$exp")
  want_rc=1
  [ "$want_status" = TOTAL-PASSED ] && want_rc=0
  run "$VBSIG" verify "$WORK/attacks/$name.pdf" "${trust[@]}" --json
  expect_rc "$want_rc" "$name: exit $want_rc"
  echo "$out" >"$WORK/attacks/$name.json"
  got=$(python3 - "$WORK/attacks/$name.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["signatures"][0]
print(d["status"]); print(s["status"]); print(s["subindication"] or "")
print(s.get("modifications_after") or ""); print(len(d["signatures"]))
print(" ".join(sorted(set(x["status"] for x in d["signatures"]))))
print("\n".join(s["messages"] + s.get("modification_reasons", [])))
PY
)
  [ "$(sed -n 1p <<<"$got")" = "$want_status" ] && pass || fail "$name: document status $(sed -n 1p <<<"$got")"
  [ "$(sed -n 2p <<<"$got")" = "$want_status" ] && pass || fail "$name: signature status $(sed -n 2p <<<"$got")"
  [ "$(sed -n 3p <<<"$got")" = "$want_sub" ] && pass || fail "$name: subindication $(sed -n 3p <<<"$got")"
  if [ -n "$want_mod" ]; then
    [ "$(sed -n 4p <<<"$got")" = "$want_mod" ] && pass || fail "$name: modifications $(sed -n 4p <<<"$got")"
  fi
  if [ -n "$want_sigs" ]; then
    [ "$(sed -n 5p <<<"$got")" = "$want_sigs" ] && pass || fail "$name: $(sed -n 5p <<<"$got") signatures"
    # a passing document: every signature passes, not only the first
    [ "$want_status" != TOTAL-PASSED ] || [ "$(sed -n 6p <<<"$got")" = TOTAL-PASSED ] && pass ||
      fail "$name: signature statuses $(sed -n 6p <<<"$got")"
  fi
  while IFS= read -r want_reason; do
    expect_in "$want_reason" "$got" "$name: reason"
  done < <(sed -n 's/^reason=//p' "$exp")
done
[ "$n_attacks" -ge 19 ] && pass || fail "only $n_attacks attack expectations found"
[ "$(ls "$WORK/attacks"/*.pdf | wc -l)" -eq "$n_attacks" ] && pass || fail "attack files without expectations"

# ---- corpus PDFs signed twice by pdfsig ----
# (pdfsig 22.12 cannot add a second signature to some files; these it can.)
for name in lo-directive-vinhlong gs-pdfwrite-vinhlong qpdf-linearized-phuyen qpdf-encrypted-aes256-vinhlong \
  sigfields-empty-phuyen; do
  f="$SRC/test-vectors/corpus/pdf/$name.pdf"
  pdfsign "$f" "$WORK/$name.1.pdf" rsa2048
  pdfsign "$WORK/$name.1.pdf" "$WORK/$name.2.pdf" rsa3072
  run "$VBSIG" verify "$WORK/$name.2.pdf" "${trust[@]}" --json
  expect_rc 0 "$name signed twice"
  echo "$out" >"$WORK/$name.json"
  n=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['signatures'][1]['coverage']['revisions'])" "$WORK/$name.json")
  [ "$(field "$WORK/$name.json" 0 's["status"], s["coverage"]["revision"], s["coverage"]["whole_document"], s["modifications_after"]')" = "TOTAL-PASSED $((n - 1)) False allowed" ] &&
    pass || fail "$name: first signature $(field "$WORK/$name.json" 0 's["status"], s["coverage"], s["modifications_after"], s["modification_reasons"]')"
  [ "$(field "$WORK/$name.json" 1 's["status"], s["coverage"]["revision"], s["coverage"]["whole_document"], s["modifications_after"]')" = "TOTAL-PASSED $n True none" ] &&
    pass || fail "$name: second signature $(field "$WORK/$name.json" 1 's["status"], s["coverage"]')"
done

# ---- every corpus PDF signed twice by vbsig itself (xref streams, object
# streams, hybrid and linearized files, earlier updates): both pass, the
# first covers revision n-1 of n and only allowed changes follow it; a
# certification (P=2) followed by an approval signature likewise ----
for f in "$SRC"/test-vectors/corpus/pdf/*.pdf; do
  name=$(basename "$f" .pdf)
  case $name in *encrypted*) continue ;; esac # the signer refuses encrypted files (pdfsig-signed one above)
  mode=()
  case $name in lo-*|qpdf-*) mode=(--certify 2) ;; esac
  run "$VBSIG" sign "$f" -o "$WORK/own-$name.1.pdf" --key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test "${mode[@]}"
  expect_rc 0 "$name: vbsig sign"
  run "$VBSIG" sign "$WORK/own-$name.1.pdf" -o "$WORK/own-$name.2.pdf" --key "$PKI/signers/rsa3072.p12" --pass pass:vbsig-test
  expect_rc 0 "$name: vbsig sign again"
  run "$VBSIG" verify "$WORK/own-$name.2.pdf" "${trust[@]}" --json
  expect_rc 0 "$name: signed twice by vbsig"
  echo "$out" >"$WORK/own-$name.json"
  got=$(python3 - "$WORK/own-$name.json" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1]))["signatures"]
n = b["coverage"]["revisions"]
ok = (a["coverage"]["revision"] == n - 1 and not a["coverage"]["whole_document"] and a["modifications_after"] == "allowed"
      and b["coverage"]["revision"] == n and b["coverage"]["whole_document"] and b["modifications_after"] == "none")
print("ok" if ok else json.dumps([a["coverage"], a["modifications_after"], a["modification_reasons"], b["coverage"]]))
PY
)
  [ "$got" = ok ] && pass || fail "$name signed twice by vbsig: $got"
  if [ "${#mode[@]}" -gt 0 ]; then
    [ "$(field "$WORK/own-$name.json" 0 's["certification"]')" = 2 ] && pass || fail "$name: certification level"
  fi
done

# ---- a PDF without signatures, and a broken one ----
run "$VBSIG" verify "$WORK/base.pdf" "${trust[@]}" --json
expect_rc 1 "unsigned PDF: exit 1"
for name in truncated-lo-vinhlong prev-loop-vinhlong xref-offsets-shifted-phuyen; do
  run "$VBSIG" verify "$SRC/test-vectors/corpus/pdf/malformed/$name.pdf" "${trust[@]}"
  expect_rc 65 "$name: exit 65"
  expect_in "vbsig: " "$err" "$name: one-line error"
done
finish
