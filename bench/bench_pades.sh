#!/usr/bin/env bash
# bench_pades.sh BUILD_DIR [SIZE_BYTES…]
#
# Times vbsig's PDF signing (PAdES B-B, an incremental update) next to
# poppler's `pdfsig -add-signature` on the same PDFs, with a bare
# `openssl dgst -sha256` over each file as the floor no signer can beat.
# Sizes default to 100 KB and 100 MB; the PDFs are one page with one large
# image of random samples (bench/make_pdf.py). Each command runs three
# times; the table shows the best wall time and the highest peak RSS.
# Needs /usr/bin/time, openssl, pdfsig (poppler-utils), certutil and
# pk12util (libnss3-tools). Everything lives in one temporary directory that
# is removed on exit.
set -euo pipefail

die() { printf 'bench_pades.sh: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: bench_pades.sh BUILD_DIR [SIZE_BYTES…]"
[ -d "$1" ] || die "$1: no such build directory"
build=$(cd -- "$1" && pwd -P)
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 100000000)
for s in "${sizes[@]}"; do
  case $s in '' | *[!0-9]*) die "sizes are whole numbers of bytes, got '$s'" ;; esac
done

src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time)"
for tool in openssl pdfsig certutil pk12util python3; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
runs=3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-pades.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM
pki=$tmp/pki

echo "== test PKI (test-vectors/gen-pki.sh)"
bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen-pki.out" 2>&1 ||
  { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
# pdfsig signs with a key from an NSS database: the same rsa2048 signer.
db=$tmp/nssdb
mkdir "$db"
certutil -N -d "sql:$db" --empty-password
pk12util -i "$pki/signers/rsa2048.p12" -d "sql:$db" -W vbsig-test -K "" >/dev/null
certutil -A -d "sql:$db" -n root -t "CT,C,C" -a -i "$pki/root/root.pem"
nick=$(pdfsig -nssdir "$db" -list-nicks | sed -n '2p')
[ -n "$nick" ] || die "the NSS database has no signing key"

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "vbsig:     $("$vbsig" --version) (${build_type:-no CMAKE_BUILD_TYPE}, $build)"
echo "pdfsig:    $(pdfsig -v 2>&1 | head -n 1)"
echo "openssl:   $(openssl version)"
echo

rows=()
failures=0

# measure SIZE OPERATION TOOL COMMAND…: best wall time, peak RSS over $runs.
measure() {
  local size=$1 op=$2 tool=$3
  shift 3
  local best='' rss=0 i rc wall kib
  for ((i = 1; i <= runs; i++)); do
    rm -f "$tmp/out.pdf"
    rc=0
    /usr/bin/time -f '%e %M' -o "$tmp/time.out" "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
      printf '%s / %s: exit %d\n' "$op" "$tool" "$rc" >&2
      head -n 5 "$tmp/cmd.err" >&2
      rows+=("$size|$op|$tool|FAILED (exit $rc)|-")
      failures=$((failures + 1))
      return 0
    fi
    read -r wall kib < <(tail -n 1 "$tmp/time.out")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$wall
    fi
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  rows+=("$size|$op|$tool|$best|$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')")
  printf '  %-10s %-28s %-8s %6s s\n' "$size" "$op" "$tool" "$best"
}

# valid FILE: pdfsig accepts every signature of a signed output, so no
# figure is taken from a run that produced garbage.
valid() {
  pdfsig -nssdir "$db" "$1" >"$tmp/check.out" 2>&1 || true
  grep -q "Signature is Valid." "$tmp/check.out" || { cat "$tmp/check.out" >&2; die "$1: not a valid signed PDF"; }
}

for size in "${sizes[@]}"; do
  pdf=$tmp/in-$size.pdf
  python3 "$src/bench/make_pdf.py" "$size" "$pdf"
  actual=$(stat -c %s "$pdf")
  label=$(awk -v b="$actual" 'BEGIN { if (b >= 1e6) printf "%.0f MB", b / 1e6; else printf "%.0f KB", b / 1e3 }')
  echo "== $label ($actual bytes)"
  cat "$pdf" >/dev/null
  key=(--key "$pki/signers/rsa2048.p12" --pass pass:vbsig-test)
  measure "$label" "sha256 (floor)" openssl openssl dgst -sha256 "$pdf"
  measure "$label" "sign" vbsig "$vbsig" sign "$pdf" -o "$tmp/out.pdf" "${key[@]}"
  valid "$tmp/out.pdf"
  measure "$label" "sign --no-verify" vbsig "$vbsig" sign "$pdf" -o "$tmp/out.pdf" "${key[@]}" --no-verify
  valid "$tmp/out.pdf"
  measure "$label" "sign (-add-signature)" pdfsig pdfsig -nssdir "$db" -nick "$nick" -add-signature "$pdf" "$tmp/out.pdf"
  valid "$tmp/out.pdf"
  "$vbsig" sign "$pdf" -o "$tmp/v.pdf" "${key[@]}" --no-verify
  echo "  output bytes: input $actual, vbsig $(stat -c %s "$tmp/v.pdf"), pdfsig $(stat -c %s "$tmp/out.pdf")"
  rm -f "$pdf" "$tmp/v.pdf" "$tmp/out.pdf"
done

echo
echo "| file | operation | tool | best wall (s) | peak RSS (MiB) |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do
  IFS='|' read -r s op tool wall rss <<<"$r"
  echo "| $s | $op | $tool | $wall | $rss |"
done
[ "$failures" -eq 0 ] || die "$failures measurements failed"
