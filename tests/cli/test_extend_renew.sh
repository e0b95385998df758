#!/usr/bin/env bash
# Archive renewal: `vbsig extend FILE… --level B-LTA --renew-within DAYS
# [--jobs N] --out-dir DIR`. An archive of PDF, XAdES and CAdES files whose
# newest archive timestamps come from TSAs on 127.0.0.1 — one whose
# certificate ends in 60 days, one (the test PKI's) in about two years, one
# with an RSA-1024 key — plus a B-LT file without any archive timestamp.
# With a 90-day window exactly the short-lived, the weak and the B-LT ones
# are renewed: one archive
# timestamp more, TOTAL-PASSED at B-LTA; every other file is left alone (not
# written, its input byte for byte the same). --jobs 1 and --jobs 2 decide
# alike.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/revocation/rev_lib.sh" # start_pki_rev, stop_revs
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
xml="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
root="$PKI/root/root.pem"
key=(--key "$PKI/signers/withrev.p12" --pass pass:vbsig-test)

trap 'stop_revs; tsa_cleanup' EXIT

# TSA certificates from the test issuing CA: one that ends in 60 days, and
# one with an RSA-1024 key (weak: its timestamps must be renewed whatever
# its expiry).
cat >"$WORK/tsa-ext.cnf" <<'EOF'
[ ext_tsa ]
basicConstraints       = CA:FALSE
keyUsage               = critical,digitalSignature
extendedKeyUsage       = critical,timeStamping
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
tsa_cert() { # tsa_cert NAME BITS DAYS CN
  openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$WORK/$1-tsa.key"
  openssl req -new -key "$WORK/$1-tsa.key" -utf8 -subj "/C=VN/O=Ban Cơ yếu Chính phủ (thử nghiệm)/CN=$4" \
    -out "$WORK/$1-tsa.csr"
  openssl x509 -req -in "$WORK/$1-tsa.csr" -CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days "$3" -sha256 -extfile "$WORK/tsa-ext.cnf" -extensions ext_tsa \
    -out "$WORK/$1-tsa.pem" 2>"$WORK/x509.err" || { fail "$1 TSA certificate: $(cat "$WORK/x509.err")"; finish; }
}
tsa_cert short 2048 60 "vbsig Test TSA 60 ngày"
tsa_cert weak 1024 365 "vbsig Test TSA RSA-1024"

tsa_start long --allow-unsynced-clock || { fail "vbsig-tsa (long) did not start"; finish; }
LONG="$TSA_URL/"
TSA_KEY_ARGS=(--key "$WORK/short-tsa.key" --cert "$WORK/short-tsa.pem")
tsa_start short --allow-unsynced-clock || { fail "vbsig-tsa (short) did not start"; finish; }
SHORT="$TSA_URL/"
TSA_KEY_ARGS=(--key "$WORK/weak-tsa.key" --cert "$WORK/weak-tsa.pem")
tsa_start weak --allow-unsynced-clock || { fail "vbsig-tsa (weak) did not start"; finish; }
WEAK="$TSA_URL/"
TSA_KEY_ARGS=()
start_pki_rev
printf 'Công văn số 12/UBND: dữ liệu lưu trữ\n' >"$WORK/data.txt"

# ---------------------------------------------------------------- the archive
mkdir -p "$WORK/bt" "$WORK/in"
run "$VBSIG" sign "$pdf" -o "$WORK/bt/a.pdf" "${key[@]}" --level B-T --tsa "$LONG"
expect_rc 0 "PDF: sign B-T"
run "$VBSIG" sign "$xml" -o "$WORK/bt/a.xml" "${key[@]}" --level B-T --tsa "$LONG"
expect_rc 0 "XAdES: sign B-T"
run "$VBSIG" sign "$WORK/data.txt" -o "$WORK/bt/a.p7s" "${key[@]}" --format cades --level B-T --tsa "$LONG"
expect_rc 0 "CAdES (attached): sign B-T"
# lta IN OUT TSA: extend IN to B-LTA with that TSA's archive timestamp
lta() {
  run "$VBSIG" extend "$1" -o "$2" --level B-LTA --tsa "$3" --trust "$root" "${RW[@]}"
  expect_rc 0 "extend $(basename "$2") to B-LTA"
}
for ext in pdf xml p7s; do
  lta "$WORK/bt/a.$ext" "$WORK/in/short.$ext" "$SHORT"
  lta "$WORK/bt/a.$ext" "$WORK/in/long.$ext" "$LONG"
done
# CAdES archived by the short-lived TSA, then renewed by the long-lived one:
# its newest archive timestamp is not due.
lta "$WORK/in/short.p7s" "$WORK/in/renewed-once.p7s" "$LONG"
lta "$WORK/bt/a.xml" "$WORK/in/weak.xml" "$WEAK"
# A PDF signed again after its archive timestamp: the new signature (the
# third in the report, after the document timestamp) is not archived yet,
# whatever the TSA certificate's lifetime.
run "$VBSIG" sign "$WORK/in/long.pdf" -o "$WORK/in/countersigned.pdf" "${key[@]}" --level B-T --tsa "$LONG"
expect_rc 0 "PDF: a second signature after the archive timestamp"
run "$VBSIG" extend "$WORK/bt/a.xml" -o "$WORK/in/lt.xml" --level B-LT --trust "$root" "${RW[@]}"
expect_rc 0 "XAdES: extend B-LT (no archive timestamp yet)"
due="countersigned.pdf lt.xml short.p7s short.pdf short.xml weak.xml"
mkdir -p "$WORK/pristine" && cp -p "$WORK/in/"* "$WORK/pristine/"

# archive_count FILE: how many archive timestamps the file holds
archive_count() {
  case "$1" in
  *.pdf) run "$VBSIG" verify "$1" --trust "$root" --json "${RW[@]}"
    json_get "$out" "sum(1 for s in d['signatures'] if s.get('type') == 'document_timestamp')" ;;
  *.xml) grep -o "<xadesv141:ArchiveTimeStamp " "$1" | wc -l ;;
  *.p7s) openssl cms -cmsout -print -inform DER -in "$1" 2>/dev/null | grep -c "object: undefined (0.4.0.1733.2.4)" ;;
  esac
}

# ---------------------------------------------------------------- renew, --jobs 1 and 2
for jobs in 1 2; do
  mkdir -p "$WORK/out$jobs"
  run "$VBSIG" extend "$WORK/in/"* --level B-LTA --renew-within 90 --jobs "$jobs" --out-dir "$WORK/out$jobs" \
    --tsa "$LONG" --trust "$root" "${RW[@]}" --lang en
  expect_rc 0 "renew --jobs $jobs"
  printf '%s\n' "$out" >"$WORK/lines$jobs.txt"
  [ "$(cd "$WORK/out$jobs" && echo *)" = "$due" ] && pass ||
    fail "--jobs $jobs: renewed $(cd "$WORK/out$jobs" && echo *), expected $due; $out"
  for f in "$WORK/pristine/"*; do
    cmp -s "$f" "$WORK/in/$(basename "$f")" && pass || fail "--jobs $jobs: input $(basename "$f") changed"
  done
  expect_in "$WORK/in/long.pdf: unchanged (the newest archive timestamp's TSA certificate expires " "$out" \
    "--jobs $jobs: long.pdf left, saying why"
  expect_in ", after 90 days)" "$out" "--jobs $jobs: the window in the unchanged line"
  expect_in "$WORK/in/short.xml: renewed into $WORK/out$jobs/short.xml (the newest archive timestamp's TSA certificate expires " \
    "$out" "--jobs $jobs: short.xml renewed, saying why"
  expect_in ", within 90 days)" "$out" "--jobs $jobs: the window in the renewed line"
  expect_in "$WORK/in/lt.xml: renewed into $WORK/out$jobs/lt.xml (signature 1 has no archive timestamp yet: extended to B-LTA)" \
    "$out" "--jobs $jobs: the B-LT file extended, saying so"
  expect_in "$WORK/in/weak.xml: renewed into $WORK/out$jobs/weak.xml (the newest archive timestamp of signature 1 uses an algorithm or key that is no longer acceptable)" \
    "$out" "--jobs $jobs: the RSA-1024 TSA's archive renewed, saying why"
  expect_in "$WORK/in/countersigned.pdf: renewed into $WORK/out$jobs/countersigned.pdf (signature 3 has no archive timestamp yet: extended to B-LTA)" \
    "$out" "--jobs $jobs: the signature after the archive timestamp is archived"
  expect_in "10 files: 6 renewed, 4 unchanged, 0 not renewed" "$err" "--jobs $jobs: summary"
done
diff <(sed "s|$WORK/out1|OUT|g" "$WORK/lines1.txt") <(sed "s|$WORK/out2|OUT|g" "$WORK/lines2.txt") >"$WORK/jobs.diff" &&
  pass || fail "--jobs 1 and --jobs 2 decided differently: $(cat "$WORK/jobs.diff")"

# every renewed file: one archive timestamp more, TOTAL-PASSED at B-LTA
for f in $due; do
  before=$(archive_count "$WORK/in/$f")
  after=$(archive_count "$WORK/out1/$f")
  [ "$after" = $((before + 1)) ] && pass || fail "$f: $before archive timestamps before, $after after renewal"
  run "$VBSIG" verify "$WORK/out1/$f" --trust "$root" --json "${RW[@]}"
  [ "$(json_get "$out" "d['status'] + ' ' + ' '.join(sorted({str(s['level']) for s in d['signatures'] if s.get('type') != 'document_timestamp'}))")" = \
    "TOTAL-PASSED B-LTA" ] && pass || fail "$f renewed: not TOTAL-PASSED at B-LTA: $out"
done

# A renewed archive is not due again: its newest timestamp is the long-lived TSA's.
mkdir -p "$WORK/again"
run "$VBSIG" extend "$WORK/out1/"* --level B-LTA --renew-within 90 --out-dir "$WORK/again" --tsa "$LONG" \
  --trust "$root" "${RW[@]}" --lang en
expect_rc 0 "renew the renewed files"
[ -z "$(ls "$WORK/again")" ] && pass || fail "renewed files renewed again: $(ls "$WORK/again")"
# A window past the long-lived certificate's end renews everything.
mkdir -p "$WORK/all"
run "$VBSIG" extend "$WORK/in/long.pdf" "$WORK/in/long.p7s" --level B-LTA --renew-within 36500 --out-dir "$WORK/all" \
  --tsa "$LONG" --trust "$root" "${RW[@]}" --lang en
expect_rc 0 "renew within a century"
[ "$(cd "$WORK/all" && echo *)" = "long.p7s long.pdf" ] && pass || fail "a century's window: $(ls "$WORK/all"); $out"

# --json: one object per line, the decision and the report
mkdir -p "$WORK/json"
run "$VBSIG" extend "$WORK/in/long.xml" "$WORK/in/short.pdf" --level B-LTA --renew-within 90 --out-dir "$WORK/json" \
  --tsa "$LONG" --trust "$root" "${RW[@]}" --json
expect_rc 0 "renew --json"
python3 - "$out" <<'PY' && pass || fail "renew --json: $out"
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert [(l["action"], l["reason"]) for l in lines] == [("unchanged", "not-due"), ("renewed", "tsa-certificate-expires")], lines
assert lines[0]["output"] is None and lines[1]["output"].endswith("/json/short.pdf")
assert lines[1]["report"]["status"] == "TOTAL-PASSED" and lines[1]["tsa_not_after"] is not None
PY

# Vietnamese
mkdir -p "$WORK/vi"
run "$VBSIG" extend "$WORK/in/long.xml" --level B-LTA --renew-within 90 --out-dir "$WORK/vi" --tsa "$LONG" \
  --trust "$root" "${RW[@]}" --lang vi
expect_rc 0 "renew --lang vi"
expect_in "không đổi" "$out" "renew --lang vi: the line is in Vietnamese"

# A file that no longer verifies is not renewed: exit 1, one line on stderr.
mkdir -p "$WORK/bad" "$WORK/bad-out"
python3 - "$WORK/in/long.p7s" "$WORK/bad/tampered.p7s" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
old = "số 12/UBND".encode()
assert b.count(old) == 1, "the signed content is not in the CMS once"
open(sys.argv[2], "wb").write(b.replace(old, "số 13/UBND".encode()))
PY
cp -p "$WORK/bad/tampered.p7s" "$WORK/bad/tampered.orig"
run "$VBSIG" extend "$WORK/bad/tampered.p7s" "$WORK/in/short.xml" --level B-LTA --renew-within 90 --out-dir "$WORK/bad-out" \
  --tsa "$LONG" --trust "$root" "${RW[@]}" --lang en
expect_rc 1 "renew with a tampered file among them"
expect_in "$WORK/bad/tampered.p7s: unchanged (the file is TOTAL-FAILED: a new archive timestamp would not restore its proof)" \
  "$out" "tampered: left, saying why"
expect_in "vbsig: $WORK/bad/tampered.p7s: TOTAL-FAILED: not renewed" "$err" "tampered: the stderr line"
[ "$(cd "$WORK/bad-out" && echo *)" = "short.xml" ] && pass || fail "tampered: outputs $(ls "$WORK/bad-out")"
cmp -s "$WORK/bad/tampered.p7s" "$WORK/bad/tampered.orig" && pass || fail "tampered: input changed"

# ---------------------------------------------------------------- refusals: nothing written
run "$VBSIG" extend "$WORK/in/short.pdf" --level B-LT --renew-within 90 -o "$WORK/x.pdf" --tsa "$LONG" --trust "$root"
expect_rc 64 "--renew-within needs --level B-LTA"
run "$VBSIG" extend "$WORK/in/short.pdf" --level B-LTA --renew-within -5 -o "$WORK/x.pdf" --tsa "$LONG" --trust "$root"
expect_rc 64 "--renew-within -5"
run "$VBSIG" extend "$WORK/in/short.pdf" "$WORK/in/long.pdf" --level B-LTA --renew-within 90 -o "$WORK/x.pdf" \
  --tsa "$LONG" --trust "$root"
expect_rc 64 "two inputs with -o"
run "$VBSIG" extend "$WORK/in/short.pdf" "$WORK/in/long.pdf" --level B-LTA -o "$WORK/x.pdf" --tsa "$LONG" --trust "$root"
expect_rc 64 "two inputs without --renew-within"
run "$VBSIG" extend "$WORK/in/"* --level B-LTA --renew-within 90 --out-dir "$WORK/in" --tsa "$LONG" --trust "$root" "${RW[@]}"
expect_rc 64 "--out-dir the inputs' own directory"
expect_no_file "$WORK/x.pdf" "refusals: no output"
for f in "$WORK/pristine/"*; do
  cmp -s "$f" "$WORK/in/$(basename "$f")" || fail "refusals: input $(basename "$f") changed"
done
pass

finish
