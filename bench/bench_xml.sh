#!/usr/bin/env bash
# bench_xml.sh BUILD_DIR [SIZES_KIB]
#
# Times vbsig's enveloped XML signing and verification against xmlsec1
# doing the same work in the same run (RSA-2048, SHA-256, exclusive C14N,
# URI="" with the enveloped-signature transform), on generated e-invoice
# batches of each size in SIZES_KIB (default "10 1024 10240": 10 KB, 1 MB,
# 10 MB), with a bare libxml2 parse (xmllint --noout) as the floor. Each
# command runs RUNS times (default 5); the table shows the best wall and
# the best CPU (user + system) time in milliseconds, vbsig/xmlsec1 as
# ratios of both, and the highest peak RSS.
# Build BUILD_DIR as Release. Needs xmlsec1, xmllint (libxml2-utils),
# python3 and what test-vectors/gen-pki.sh needs. Everything lives in a
# temporary directory.
set -euo pipefail

die() { printf 'bench_xml.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_xml.sh BUILD_DIR [SIZES_KIB]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
sizes=${2:-"10 1024 10240"}
for s in $sizes; do case $s in '' | *[!0-9]*) die "sizes are whole KiB numbers, got '$s'" ;; esac; done
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
for t in xmlsec1 xmllint python3; do command -v "$t" >/dev/null || die "$t not found"; done
runs=${RUNS:-5}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-xml.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >/dev/null 2>&1 || die "gen-pki.sh failed"
p12=$tmp/pki/signers/rsa2048.p12

# measure LABEL CMD...: best wall time and best CPU time (user + system,
# which a machine shared with other jobs disturbs less) of $runs runs, in
# ms, and the peak RSS (KiB)
measure() {
  python3 - "$runs" "$@" <<'PY'
import os, subprocess, sys, time
runs, label, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
wall = cpu = None
rss = 0
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if status != 0:
        sys.exit("%s FAILED (status %d): %s" % (label, status, err[:300].decode(errors="replace")))
    c = ru.ru_utime + ru.ru_stime
    wall = dt if wall is None or dt < wall else wall
    cpu = c if cpu is None or c < cpu else cpu
    rss = max(rss, ru.ru_maxrss)
print("%.1f %.1f %d" % (wall * 1000, cpu * 1000, rss))
PY
}

row() { # label wall cpu rss [peer-wall peer-cpu]
  local ratio=""
  [ $# -ge 6 ] && ratio=$(awk "BEGIN{printf \"%.2fx %.2fx\", $2 / $5, $3 / $6}")
  printf '%-32s %9s %9s %12s %10s\n' "$1" "$2" "$3" "$ratio" "$4"
}

for kib in $sizes; do
  python3 - "$src/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml" "$tmp/doc.xml" "$tmp/tmpl.xml" "$kib" <<'PY'
import sys
one = open(sys.argv[1], encoding="utf-8").read()
body = one[one.index("<HDon>"):]
parts, size, i = ['<?xml version="1.0" encoding="UTF-8"?>\n<DSHDon>\n'], 0, 0
while size < int(sys.argv[4]) * 1024 - len(body) // 2:
    h = body.replace("DLHDon-C24TVL-00000127", "DLHDon-C24TVL-%08d" % i)
    parts.append(h); size += len(h.encode()); i += 1
if i == 0:
    parts.append(body)
doc = "".join(parts)
open(sys.argv[2], "w", encoding="utf-8").write(doc + "\n</DSHDon>\n")
ds = "http://www.w3.org/2000/09/xmldsig#"
sig = ('<Signature xmlns="%s"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
       '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="">'
       '<Transforms><Transform Algorithm="%senveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
       '</Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>'
       '</SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature>') % (ds, ds)
open(sys.argv[3], "w", encoding="utf-8").write(doc + sig + "\n</DSHDon>\n")
PY
  printf '\ndocument: %s bytes (RSA-2048, best of %d)\n' "$(stat -c %s "$tmp/doc.xml")" "$runs"
  printf '%-32s %9s %9s %12s %10s\n' "" "wall ms" "CPU ms" "vs xmlsec1" "RSS KiB"
  read -r w c m < <(measure floor xmllint --noout "$tmp/doc.xml"); row "xmllint --noout (parse floor)" "$w" "$c" "$m"
  read -r xw xc xm < <(measure xsign xmlsec1 --sign --pkcs12 "$p12" --pwd vbsig-test --output "$tmp/theirs.xml" "$tmp/tmpl.xml")
  read -r w c m < <(measure sign "$vbsig" sign "$tmp/doc.xml" -o "$tmp/ours.xml" --format xmldsig --key "$p12" --pass pass:vbsig-test)
  row "vbsig sign --format xmldsig" "$w" "$c" "$m" "$xw" "$xc"
  read -r w c m < <(measure sign-nv "$vbsig" sign "$tmp/doc.xml" -o "$tmp/ours-nv.xml" --format xmldsig --key "$p12" --pass pass:vbsig-test --no-verify)
  row "vbsig sign --no-verify" "$w" "$c" "$m" "$xw" "$xc"
  read -r w c m < <(measure xades "$vbsig" sign "$tmp/doc.xml" -o "$tmp/ours-xades.xml" --key "$p12" --pass pass:vbsig-test)
  row "vbsig sign (XAdES B-B)" "$w" "$c" "$m" "$xw" "$xc"
  row "xmlsec1 --sign" "$xw" "$xc" "$xm"
  read -r xw xc xm < <(measure xverify xmlsec1 --verify --trusted-pem "$tmp/pki/root/root.pem" --untrusted-pem "$tmp/pki/chain.pem" "$tmp/ours.xml")
  read -r w c m < <(measure verify "$vbsig" verify "$tmp/ours.xml" --trust "$tmp/pki/root/root.pem" --revocation off)
  row "vbsig verify (own signature)" "$w" "$c" "$m" "$xw" "$xc"
  read -r w c m < <(measure verify2 "$vbsig" verify "$tmp/theirs.xml" --trust "$tmp/pki/root/root.pem" --revocation off)
  row "vbsig verify (xmlsec1's)" "$w" "$c" "$m" "$xw" "$xc"
  row "xmlsec1 --verify (vbsig's)" "$xw" "$xc" "$xm"
  # Operator tuning, not a default: transparent huge pages for glibc's heap
  # (GLIBC_TUNABLES is read at process start), shown for what it saves.
  read -r w c m < <(GLIBC_TUNABLES=glibc.malloc.hugetlb=1 measure verify-thp "$vbsig" verify "$tmp/ours.xml" --trust "$tmp/pki/root/root.pem" --revocation off)
  row "vbsig verify, malloc hugetlb=1" "$w" "$c" "$m" "$xw" "$xc"
done
