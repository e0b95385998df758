#!/usr/bin/env bash
# vbsig verify FILE|DIR… [-r] [--jobs N]: one process for an inbox. The
# verdict of every file must be the one a per-file `vbsig verify` gives, in
# the order given (directories by name), with --jobs 1 and --jobs 2 alike;
# the exit status is the worst verdict; revocation answers are shared
# between the files (fewer requests to the loopback OCSP/CRL server than a
# per-file loop makes); options that name one output per file are refused.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
source "$SRC/tests/revocation/rev_lib.sh"
trap 'stop_shims; stop_revs' EXIT
root="$PKI/root/root.pem"
pdf="$SRC/test-vectors/corpus/pdf/lo-directive-vinhlong.pdf"
xml="$PKI/documents/edxml-chithi-05-phuyen.xml"
txt="$PKI/documents/cong-van.txt"
rsa=(--key "$PKI/signers/withrev.p12" --pass pass:vbsig-test) # OCSP and CRL on loopback
ec=(--key "$PKI/signers/ecp256.p12" --pass pass:vbsig-test)
start_shim tsa
# Answers valid for a day (-ndays): an answer without nextUpdate is fresh
# only when made, so it could not be shared.
start_rev pki "$PKI/crl" -index "$PKI/ca/index.txt" -CA "$PKI/ca/intermediate.pem" \
  -rsigner "$PKI/signers/ocsp.pem" -rkey "$PKI/signers/ocsp.key" -ndays 1
rw "$REV_PORT" "$REV_PORT"

in="$WORK/inbox"
rm -rf "$in"
mkdir -p "$in/sub/deeper"
"$VBSIG" sign "$pdf" -o "$in/a-rsa.pdf" "${rsa[@]}" 2>/dev/null && pass || fail "sign a-rsa"
"$VBSIG" sign "$pdf" -o "$in/b-ec.pdf" "${ec[@]}" 2>/dev/null && pass || fail "sign b-ec"
"$VBSIG" sign "$pdf" -o "$in/c-bt.pdf" "${ec[@]}" --level B-T --tsa "$SHIM_URL" 2>/dev/null && pass || fail "sign c-bt"
"$VBSIG" sign "$in/a-rsa.pdf" -o "$in/d-two.pdf" "${ec[@]}" 2>/dev/null && pass || fail "sign d-two"
"$VBSIG" sign "$txt" -o "$in/e-cades.p7s" "${rsa[@]}" 2>/dev/null && pass || fail "sign e-cades"
"$VBSIG" sign "$xml" -o "$in/f-xades.xml" "${rsa[@]}" 2>/dev/null && pass || fail "sign f-xades"
# A signed byte changed: TOTAL-FAILED.
python3 - "$in/a-rsa.pdf" "$in/g-tampered.pdf" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.index(b'/Type /Page') if b'/Type /Page' in b else 100
b[i + 1] ^= 0x20
open(sys.argv[2], 'wb').write(bytes(b))
PY
cp "$pdf" "$in/h-unsigned.pdf"
echo "không phải chữ ký" >"$in/i-note.txt"
cp "$in/b-ec.pdf" "$in/sub/j-sub.pdf"
cp "$in/c-bt.pdf" "$in/sub/deeper/k-deep.pdf"
cp "$in/a-rsa.pdf" "$in/.hidden.pdf"
opts=(--trust "$root" "${RW[@]}" --revocation hard)

# Per-file runs: verdict (or error status) and exit code of each file.
mapfile -t files < <(cd "$in" && find . -type f ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort)
[ "${#files[@]}" = 11 ] && pass || fail "expected 11 inbox files, found ${#files[@]}"
: >"$WORK/single.txt"
worst=0
rank() { case $1 in 0) echo 0 ;; 2) echo 1 ;; 1) echo 2 ;; *) echo $((3 + $1)) ;; esac; }
before=$(wc -l <"$REV_LOG")
for f in "${files[@]}"; do
  "$VBSIG" verify "$in/$f" "${opts[@]}" --json >"$WORK/one.json" 2>/dev/null
  rc=$?
  v=$(python3 -c "
import json,sys
try: d=json.load(open(sys.argv[1])); print(d['status'], ','.join(s['status'] for s in d['signatures']))
except Exception: print('ERROR')" "$WORK/one.json")
  echo "$in/$f $v rc=$rc" >>"$WORK/single.txt"
  [ "$(rank $rc)" -gt "$(rank $worst)" ] && worst=$rc
done
single_requests=$(($(wc -l <"$REV_LOG") - before))

# bulk FILE-OUT ARGS…: the JSON lines as "path verdict rc=…" lines.
bulk() {
  local out=$1
  shift
  "$VBSIG" verify "$@" "${opts[@]}" --json >"$WORK/bulk.jsonl" 2>"$WORK/bulk.err"
  bulk_rc=$?
  python3 - "$WORK/bulk.jsonl" >"$out" <<'PY'
import json, sys
codes = {'TOTAL-PASSED': 0, 'TOTAL-FAILED': 1, 'INDETERMINATE': 2}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if 'error' in d:
        print(d['file'], 'ERROR', 'rc=65' if d['error']['status'] == 'VBSIG_E_MALFORMED' else 'rc=?')
    else:
        print(d['file'], d['status'], ','.join(s['status'] for s in d['signatures']), 'rc=%d' % codes[d['status']])
PY
}
before=$(wc -l <"$REV_LOG")
bulk "$WORK/bulk2.txt" "$in" -r --jobs 2
bulk_requests=$(($(wc -l <"$REV_LOG") - before))
diff "$WORK/single.txt" "$WORK/bulk2.txt" >"$WORK/diff2" && pass || fail "--jobs 2 verdicts differ from per-file runs: $(cat "$WORK/diff2")"
[ "$bulk_rc" = "$worst" ] && pass || fail "--jobs 2 exit $bulk_rc, the worst per-file exit was $worst"
expect_in "11 files: 8 TOTAL-PASSED, 0 INDETERMINATE, 2 TOTAL-FAILED, 1 not verified" "$(cat "$WORK/bulk.err")" "summary line"
grep -q "i-note.txt: not a PDF, XML or CMS signature" "$WORK/bulk.err" && pass || fail "the malformed file's error line: $(cat "$WORK/bulk.err")"
grep -q "hidden" "$WORK/bulk.jsonl" && fail "a hidden file was verified" || pass
bulk "$WORK/bulk1.txt" "$in" -r --jobs 1
diff "$WORK/single.txt" "$WORK/bulk1.txt" >"$WORK/diff1" && pass || fail "--jobs 1 verdicts differ: $(cat "$WORK/diff1")"
[ "$bulk_rc" = "$worst" ] && pass || fail "--jobs 1 exit $bulk_rc, expected $worst"
# Revocation answers are shared: the per-file loop asks for every file.
[ "$bulk_requests" -lt "$single_requests" ] && pass ||
  fail "the pool made $bulk_requests revocation requests, the per-file loop $single_requests"
echo "revocation requests: per-file loop $single_requests, one pool $bulk_requests"

# Without -r a directory gives only its own files; files in the order given.
"$VBSIG" verify "$in/sub" "${opts[@]}" --json >"$WORK/flat.jsonl" 2>/dev/null
[ "$(wc -l <"$WORK/flat.jsonl")" = 1 ] && grep -q j-sub.pdf "$WORK/flat.jsonl" && pass || fail "a directory without -r: $(cut -c1-80 "$WORK/flat.jsonl")"
"$VBSIG" verify "$in/f-xades.xml" "$in/a-rsa.pdf" "${opts[@]}" --json >"$WORK/two.jsonl" 2>/dev/null
expect_rc 0 "two valid files"
[ "$(python3 -c "import json,sys; print(' '.join(json.loads(l)['file'].rsplit('/',1)[1] for l in open(sys.argv[1])))" "$WORK/two.jsonl")" = "f-xades.xml a-rsa.pdf" ] &&
  pass || fail "files not reported in the order given"
# Text mode: one report per file, each headed by its name.
"$VBSIG" verify "$in/a-rsa.pdf" "$in/b-ec.pdf" "${opts[@]}" >"$WORK/two.txt" 2>/dev/null
[ "$(grep -c '^== ' "$WORK/two.txt")" = 2 ] && pass || fail "text mode headers"

# Usage errors (64) and an empty directory (66).
run "$VBSIG" verify "$in/a-rsa.pdf" "$in/b-ec.pdf" --data "$txt" "${opts[@]}"
expect_rc 64 "--data with several files"
run "$VBSIG" verify "$in" --signed-content "$WORK/sc" "${opts[@]}"
expect_rc 64 "--signed-content with a directory"
for bad in 0 65 -1 2x ""; do
  run "$VBSIG" verify "$in/a-rsa.pdf" --jobs "$bad" "${opts[@]}"
  expect_rc 64 "--jobs '$bad'"
done
mkdir -p "$WORK/empty"
run "$VBSIG" verify "$WORK/empty" "${opts[@]}"
expect_rc 66 "an empty directory"
# Vietnamese summary.
"$VBSIG" verify "$in/a-rsa.pdf" "$in/b-ec.pdf" "${opts[@]}" --lang vi >/dev/null 2>"$WORK/vi.err"
grep -q "tệp" "$WORK/vi.err" && pass || fail "Vietnamese summary: $(cat "$WORK/vi.err")"
finish
