#!/usr/bin/env bash
# bench_cades.sh BUILD_DIR [SIZE_MB]
#
# Times vbsig's CAdES signing and verification of one SIZE_MB (default 100)
# random file against `openssl cms` doing the same work, with a bare
# `openssl dgst -sha256` over the file as the floor no signer can beat.
# Each command runs three times; the table shows the best wall time and the
# highest peak RSS of the three. Needs /usr/bin/time (apt-get install -y time),
# openssl and what test-vectors/gen-pki.sh needs (certutil). Everything it
# makes lives in one temporary directory that is removed on exit.
set -euo pipefail

die() { printf 'bench_cades.sh: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_cades.sh BUILD_DIR [SIZE_MB]"
[ -d "$1" ] || die "$1: no such build directory"
build=$(cd -- "$1" && pwd -P)
size_mb=${2:-100}
case $size_mb in '' | *[!0-9]*) die "SIZE_MB must be a whole number of MiB, got '$size_mb'" ;; esac
[ "$size_mb" -gt 0 ] || die "SIZE_MB must be at least 1"

src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time); the shell keyword cannot report memory"
command -v openssl >/dev/null || die "openssl not found"
runs=3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM
pki=$tmp/pki
data=$tmp/data.bin

echo "== test PKI (test-vectors/gen-pki.sh)"
bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen-pki.out" 2>&1 ||
  { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
echo "== ${size_mb} MiB of random data"
head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$data"
# The first timed run should not be the one that pays for reading the disk.
cat "$data" >/dev/null

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "vbsig:     $("$vbsig" --version) (${build_type:-no CMAKE_BUILD_TYPE}, $build)"
echo "openssl:   $(openssl version)"
echo "file:      ${size_mb} MiB"
echo

rows=()
failures=0

# measure OPERATION TOOL EXPECTED_EXIT COMMAND…: best wall time and peak RSS
# over $runs runs. A run that exits otherwise is reported, not hidden: a
# wrong exit status means the figure measures an error path.
measure() {
  local op=$1 tool=$2 expect=$3
  shift 3
  local best='' rss=0 i rc wall kib
  for ((i = 1; i <= runs; i++)); do
    rc=0
    /usr/bin/time -f '%e %M' -o "$tmp/time.out" "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err" || rc=$?
    if [ "$rc" -ne "$expect" ]; then
      printf '%s / %s: exit %d, expected %d\n' "$op" "$tool" "$rc" "$expect" >&2
      head -n 5 "$tmp/cmd.err" >&2
      rows+=("$op|$tool|FAILED (exit $rc)|-")
      failures=$((failures + 1))
      return 0
    fi
    # time(1) adds a "Command exited with non-zero status" line before its
    # own output when the status is not 0; the figures are on the last line.
    read -r wall kib < <(tail -n 1 "$tmp/time.out")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$wall
    fi
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  rows+=("$op|$tool|$best|$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')")
  printf '  %-18s %-18s %6s s\n' "$op" "$tool" "$best"
}

p12=$pki/signers/rsa2048.p12
signer_pem=$pki/signers/rsa2048.pem
signer_key=$pki/signers/rsa2048.key
root=$pki/root/root.pem

echo "== measuring (best of $runs)"
measure "sha256 (floor)" "openssl dgst" 0 openssl dgst -sha256 "$data"

measure "sign detached" "vbsig" 0 \
  "$vbsig" sign "$data" -o "$tmp/vb.p7s" --detached --key "$p12" --pass pass:vbsig-test --format cades
# Without the re-verification vbsig does by default, to show what it costs.
measure "sign detached" "vbsig --no-verify" 0 \
  "$vbsig" sign "$data" -o "$tmp/vb-nv.p7s" --detached --no-verify --key "$p12" --pass pass:vbsig-test --format cades
measure "sign detached" "openssl cms" 0 \
  openssl cms -sign -binary -cades -md sha256 -outform DER -in "$data" \
  -signer "$signer_pem" -inkey "$signer_key" -certfile "$pki/chain.pem" -out "$tmp/os.p7s"

measure "sign attached" "vbsig" 0 \
  "$vbsig" sign "$data" -o "$tmp/vb.p7m" --key "$p12" --pass pass:vbsig-test --format cades
measure "sign attached" "openssl cms" 0 \
  openssl cms -sign -binary -nodetach -cades -md sha256 -outform DER -in "$data" \
  -signer "$signer_pem" -inkey "$signer_key" -certfile "$pki/chain.pem" -out "$tmp/os.p7m"

# Each verifier checks its own signature: the point is the cost of the
# work, and a failed sign above already shows up in the table.
if [ -s "$tmp/vb.p7s" ]; then
  measure "verify detached" "vbsig" 0 "$vbsig" verify "$tmp/vb.p7s" --data "$data" --trust "$root"
fi
if [ -s "$tmp/os.p7s" ]; then
  measure "verify detached" "openssl cms" 0 \
    openssl cms -verify -binary -inform DER -in "$tmp/os.p7s" -content "$data" -CAfile "$root" -out /dev/null
fi
if [ -s "$tmp/vb.p7m" ]; then
  measure "verify attached" "vbsig" 0 "$vbsig" verify "$tmp/vb.p7m" --trust "$root"
fi
if [ -s "$tmp/os.p7m" ]; then
  measure "verify attached" "openssl cms" 0 \
    openssl cms -verify -binary -inform DER -in "$tmp/os.p7m" -CAfile "$root" -out /dev/null
fi

echo
printf '| %-16s | %-17s | %-17s | %-15s |\n' operation tool "wall (s)" "peak RSS (MiB)"
printf '|%s|%s|%s|%s|\n' ------------------ ------------------- ------------------- -----------------
for row in "${rows[@]}"; do
  IFS='|' read -r op tool wall mib <<<"$row"
  printf '| %-16s | %-17s | %17s | %15s |\n' "$op" "$tool" "$wall" "$mib"
done

[ "$failures" -eq 0 ] || die "$failures measurement(s) failed; see the messages above"
