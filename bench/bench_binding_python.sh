#!/usr/bin/env bash
# bench_binding_python.sh BUILD_DIR [N]
#
# Per-call overhead of the Python binding: verification of one small signed
# PDF (the test PKI's page, signed by vbsig) N times in one process (default
# 2000) with one context, from Python (ctx.verify + report.status) and from
# C (bench_verify_loop.c: vbsig_verify_file + vbsig_report_indication).
# ROUNDS rounds (default 3), the two loops taking turns; the best mean of each is shown
# with the ratio. Target: Python ≤ 1.05× C.
set -euo pipefail
die() { printf 'bench_binding_python.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_binding_python.sh BUILD_DIR [N]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
n=${2:-2000}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
[ -e "$build/lib/libvbsig.so" ] || die "build the project in $build first"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-py.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
pki=$build/test-pki
if [ ! -e "$pki/root/root.pem" ]; then
  pki=$tmp/pki
  bash "$src/test-vectors/gen-pki.sh" "$pki" >"$tmp/gen.out" 2>&1 || { cat "$tmp/gen.out" >&2; die "gen-pki.sh failed"; }
fi
"$build/bin/vbsig" sign "$pki/documents/lo-directive-vinhlong.pdf" -o "$tmp/signed.pdf" \
  --key "$pki/signers/ecp256.p12" --pass pass:vbsig-test >/dev/null
cc -O2 -std=c11 -I "$src/libvbsig/include" "$src/bench/bench_verify_loop.c" -o "$tmp/loop" \
  -L "$build/lib" -lvbsig -Wl,-rpath,"$build/lib"
cat >"$tmp/loop.py" <<'PY'
import sys, time, vbsig
ctx = vbsig.Context(trust=[sys.argv[1]], revocation="soft")
n, passed = int(sys.argv[3]), 0
t0 = time.perf_counter()
for _ in range(n):
    passed += ctx.verify(sys.argv[2]).status is vbsig.Indication.TOTAL_PASSED
print("%.1f %d" % ((time.perf_counter() - t0) * 1e6 / n, passed))
PY
best_c=; best_py=
for round in $(seq "${ROUNDS:-3}"); do
  read -r c pc _ < <("$tmp/loop" "$pki/root/root.pem" "$tmp/signed.pdf" "$n")
  read -r p pp < <(PYTHONPATH=$build/python "$py" "$tmp/loop.py" "$pki/root/root.pem" "$tmp/signed.pdf" "$n")
  [ "$pc" = "$n" ] && [ "$pp" = "$n" ] || die "not every verification passed (C $pc, Python $pp of $n)"
  echo "round $round: C $c µs, Python $p µs per verification"
  best_c=$(printf '%s\n' $best_c $c | sort -g | head -n1)
  best_py=$(printf '%s\n' $best_py $p | sort -g | head -n1)
done
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg); file $(stat -c %s "$tmp/signed.pdf") bytes; N=$n"
awk -v c="$best_c" -v p="$best_py" 'BEGIN { printf "best: C %.1f µs, Python %.1f µs: Python/C = %.3f (%+.1f µs per call); target <= 1.05\n", c, p, p / c, p - c }'
