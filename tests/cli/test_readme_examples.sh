#!/usr/bin/env bash
# README.md's examples are run (issue 13), so they cannot drift from the
# command: every `vbsig …` line of its ```sh blocks, in order, in one
# directory, with the README's names mapped to the test PKI, our vbsig-tsa
# and the PKI's OCSP/CRL server on 127.0.0.1. Each must exit 0 and write
# what its -o / --out-dir / --report-etsi / > names. Lines that need a
# device are in SKIP below, with the reason.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/revocation/rev_lib.sh"
trap 'stop_revs; tsa_cleanup' EXIT

# Examples not run here, and why (matched against the start of the line).
SKIP=(
  "vbsig sign a.txt b.txt --out-dir signed/ --key 'pkcs11:|needs a hardware token named VNPT-CA"
  "vbsig token watch|waits for card readers (pcscd) to come and go"
)

tsa_start readme --allow-unsynced-clock || { fail "vbsig-tsa did not start"; finish; }
start_pki_rev # sets the URL rewrites in $WORK/vbsig.conf
export VBSIG_CONFIG="$WORK/vbsig.conf" P12_PASSWORD=vbsig-test
ex="$WORK/ex"
mkdir -p "$ex" "$ex/inbox"
cd "$ex" || exit 1
# The documents the examples name. The signer has CRL and OCSP sources, so
# B-LT and B-LTA can be reached.
p12="$PKI/signers/withrev.p12"
for f in cong-van.txt a.txt b.txt c.txt; do cp "$PKI/documents/cong-van.txt" "$f"; done
cp "$PKI/documents/lo-directive-vinhlong.pdf" cong-van.pdf
cp "$PKI/documents/lo-directive-vinhlong.pdf" du-thao.pdf
cp "$PKI/documents/edxml-chithi-05-phuyen.xml" chi-thi.xml
cp "$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml" hoadon.xml
"$VBSIG" sign cong-van.txt -o old.p7s --detached --key "$p12" --pass env:P12_PASSWORD || fail "making old.p7s"
"$VBSIG" sign cong-van.txt -o inbox/one.p7m --key "$p12" --pass env:P12_PASSWORD || fail "making the inbox"
# An e-archive of B-LTA documents in the three formats, for the renewal
# example (the test PKI's TSA certificate outlives its window: nothing is
# due, every file is left as it is).
mkdir -p archive
for f in cong-van.pdf:archive/cong-van.pdf chi-thi.xml:archive/chi-thi.xml cong-van.txt:archive/cong-van.p7s; do
  "$VBSIG" sign "${f%%:*}" -o "${f#*:}" --key "$p12" --pass env:P12_PASSWORD --level B-LTA --tsa "$TSA_URL/" \
    --trust "$PKI/root/root.pem" || fail "making ${f#*:}"
done
cp chi-thi.xml inbox/chi-thi.xml # unsigned: the worst verdict of the inbox would be 1
"$VBSIG" sign chi-thi.xml -o inbox/chi-thi.xml --key "$p12" --pass env:P12_PASSWORD --trust "$PKI/root/root.pem" ||
  fail "signing the inbox's XML"

# map WORD: the README's name for a file, URL or secret → the test's.
map() {
  case "$1" in
    signer.p12) echo "$p12" ;;
    root.pem) echo "$PKI/root/root.pem" ;;
    /etc/vbsig/anchors/) echo "$PKI/root/" ;;
    http://tsa.example.gov.vn/tsa | http://backup.example.gov.vn/tsa) echo "$TSA_URL/" ;;
    '#DLHDon-1') echo '#DLHDon-C24TVL-00000127' ;; # the Id of the corpus e-invoice
    *) echo "$1" ;;
  esac
}

ran=0
while IFS= read -r line; do
  skipped=
  for s in "${SKIP[@]}"; do
    case "$line" in "${s%%|*}"*) skipped=${s#*|} ;; esac
  done
  if [ -n "$skipped" ]; then
    echo "skipped ($skipped): $line"
    continue
  fi
  eval "set -- $line" # the words as shlex.join quoted them
  shift               # "vbsig"
  argv=() redirect= outputs=() has_key= has_pass= prev=
  for w in "$@"; do
    if [ "$prev" = ">" ]; then redirect=$w; outputs+=("$w"); prev=; continue; fi
    [ "$w" = ">" ] && { prev=">"; continue; }
    case "$prev" in -o | --output | --out-dir | --report-etsi) outputs+=("$w") ;; esac
    [ "$w" = --key ] && has_key=1
    [ "$w" = --pass ] || [ "$w" = --pin ] && has_pass=1
    case "$w" in
      *'*'*) # a shell pattern of the README (archive/*.pdf): the shell would expand it
        matches=($w)
        [ -e "${matches[0]}" ] || fail "README example: $w matches no file"
        argv+=("${matches[@]}") ;;
      *) argv+=("$(map "$w")") ;;
    esac
    prev=$w
  done
  # No prompt in a test: the password the README reads from $P12_PASSWORD.
  [ -n "$has_key" ] && [ -z "$has_pass" ] && argv+=(--pass env:P12_PASSWORD)
  for o in "${outputs[@]}"; do rm -rf "${o:?}"; done
  if [ -n "$redirect" ]; then
    run sh -c '"$@" >"$0"' "$redirect" "$VBSIG" "${argv[@]}"
  else
    run "$VBSIG" "${argv[@]}"
  fi
  ran=$((ran + 1))
  expect_rc 0 "README example: $line"
  for o in "${outputs[@]}"; do
    [ -s "$o" ] || [ -d "$o" ] && pass || fail "README example wrote no $o: $line"
  done
done < <(python3 "$SRC/tests/cli/readme_examples.py" "$SRC/README.md" --commands)
[ "$ran" -ge 20 ] && pass || fail "only $ran README examples were found and run"

finish
