#!/usr/bin/env bash
# bench_multisig.sh BUILD_DIR [MB]
#
# A PDF of MB (default 100) megabytes with k = 1…8 sequential signatures
# (vbsig's own, ECDSA P-256, each an incremental update): `vbsig verify`
# against `openssl dgst -sha256` over the same file, in the same run; best
# wall time and least CPU of 5 runs, highest peak RSS (GNU time). Every
# signature must verify (TOTAL-PASSED) before it is timed. Target: vbsig
# at most 1.15x openssl dgst for every k. Build BUILD_DIR as Release.
set -euo pipefail

die() { printf 'bench_multisig.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_multisig.sh BUILD_DIR [MB]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
mb=${2:-100}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
for t in /usr/bin/time python3 openssl; do command -v "$t" >/dev/null || die "$t not found"; done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-multisig.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM
pki=$tmp/pki
bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen-pki.out" 2>&1 || { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
root=$pki/root/root.pem
key=(--key "$pki/signers/ecp256.p12" --pass pass:vbsig-test)

echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:   $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "vbsig:     $("$vbsig" --version)"
echo "openssl:   $(openssl version)"

best_of_5() { # best_of_5 CMD… → "wall_s cpu_s peak_kib"
  local best='' cpu='' rss=0 wall kib u s c
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time.out" "$@" >/dev/null 2>&1 || die "failed: $*"
    read -r wall kib u s < <(tail -n 1 "$tmp/time.out")
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
    if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu=$c; fi
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  echo "$best $cpu $rss"
}

python3 "$src/bench/make_big_pdf.py" "$tmp/k0.pdf" $((mb * 1000000))
printf '%-3s %10s %9s %9s %10s %9s %7s\n' k "vbsig s" "cpu s" "RSS KiB" "dgst s" "cpu s" ratio
for k in 1 2 3 4 5 6 7 8; do
  "$vbsig" sign "$tmp/k$((k - 1)).pdf" -o "$tmp/k$k.pdf" "${key[@]}" >/dev/null 2>&1 || die "signing $k failed"
  rm -f "$tmp/k$((k - 1)).pdf"
  "$vbsig" verify "$tmp/k$k.pdf" --trust "$root" --revocation off --json >"$tmp/v.json" 2>/dev/null ||
    die "k=$k does not verify"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['signatures'])==int(sys.argv[2]) and all(s['status']=='TOTAL-PASSED' for s in d['signatures'])" \
    "$tmp/v.json" "$k" || die "k=$k: not every signature passed"
  cat "$tmp/k$k.pdf" >/dev/null
  read -r vw vc vr < <(best_of_5 "$vbsig" verify "$tmp/k$k.pdf" --trust "$root" --revocation off)
  read -r dw dc _ < <(best_of_5 openssl dgst -sha256 "$tmp/k$k.pdf")
  printf '%-3s %10s %9s %9s %10s %9s %7s\n' "$k" "$vw" "$vc" "$vr" "$dw" "$dc" \
    "$(awk -v a="$vw" -v b="$dw" 'BEGIN { printf "%.2fx", a / b }')"
done
