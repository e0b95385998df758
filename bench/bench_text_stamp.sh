#!/usr/bin/env bash
# bench_text_stamp.sh BUILD_DIR
#
# Signing a 100 KB PDF (bench/make_pdf.py) with a visible text stamp of 60
# characters (electronic copy: "SAO Y", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH" and
# the 25-character time) against an invisible signature: best wall time of
# RUNS runs each (default 10) and the output's growth over the input. Target
# (issue 15): at most 2x the invisible time, at most 40 KB more than it.
# Uses the build's test PKI (ctest -R pki/generate makes it).
set -euo pipefail
die() { printf 'bench_text_stamp.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_text_stamp.sh BUILD_DIR"
build=$(cd -- "$1" && pwd -P)
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
key=$build/test-pki/signers/rsa2048.p12
[ -x "$vbsig" ] || die "$vbsig not found"
[ -f "$key" ] || die "$key not found: run ctest -R pki/generate in $build"
runs=${RUNS:-10}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-text.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
python3 "$src/bench/make_pdf.py" 100000 "$tmp/in.pdf"

best() { # best OUT ARGS...: the best wall time in ms of $runs signings
  local out=$1 b=999999 t0 t1 ms i
  shift
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$vbsig" sign "$tmp/in.pdf" -o "$out" --key "$key" --pass pass:vbsig-test "$@" >/dev/null
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000))
    ((ms < b)) && b=$ms
    rm -f -- "$out.keep"; cp -- "$out" "$out.keep"; rm -f -- "$out"
  done
  echo "$b"
}
inv=$(best "$tmp/inv.pdf")
txt=$(best "$tmp/txt.pdf" --appearance copy --copy-form "SAO Y" --copy-org "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH")
in_size=$(stat -c %s "$tmp/in.pdf")
inv_size=$(stat -c %s "$tmp/inv.pdf.keep")
txt_size=$(stat -c %s "$tmp/txt.pdf.keep")
printf '%-28s %10s %12s\n' "signature" "best (us)" "growth (B)"
printf '%-28s %10d %12d\n' "invisible" "$inv" $((inv_size - in_size))
printf '%-28s %10d %12d\n' "text stamp (60 characters)" "$txt" $((txt_size - in_size))
awk -v a="$txt" -v b="$inv" -v g=$((txt_size - inv_size)) 'BEGIN {
  printf "time ratio %.2fx (target <= 2x), growth over invisible %d B (target <= 40960)\n", a / b, g }'
