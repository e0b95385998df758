#!/usr/bin/env bash
# bench_binding_java.sh BUILD_DIR [N]
#
# Per-call overhead of the Java binding: verification of one small signed
# PDF (the test PKI's page, signed by vbsig) N times in one JVM (default
# 2000) with one context, from Java (ctx.verify + report.status, the report
# closed each time) and from C (bench_verify_loop.c: vbsig_verify_file +
# vbsig_report_indication). The JVM first runs WARMUP calls (default 300)
# untimed so that the JIT has compiled the binding's path, as in a server
# that has been up for a while. ROUNDS rounds (default 3), the two loops
# taking turns; the best mean of each is shown with the ratio, for the wall
# clock and for the CPU time of the calling thread (JIT and GC threads not
# counted there; on a loaded machine the wall clock swings more).
# Target: Java ≤ 1.05× C.
set -euo pipefail
die() { printf 'bench_binding_java.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: bench_binding_java.sh BUILD_DIR [N]"
build=$(cd -- "$1" && pwd -P) || die "$1: no such build directory"
n=${2:-2000}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
[ -e "$build/lib/libvbsig.so" ] || die "build the project in $build first"
[ -e "$build/java/vbsig.jar" ] || die "no $build/java/vbsig.jar (configure with -DVBSIG_JAVA=ON)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-java.XXXXXX")
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
cat >"$tmp/Loop.java" <<'JAVA'
import java.nio.file.Path;
import vn.vbsig.*;

public class Loop {
    public static void main(String[] a) {
        Path root = Path.of(a[0]), file = Path.of(a[1]);
        int n = Integer.parseInt(a[2]), warm = Integer.parseInt(a[3]), passed = 0;
        try (Context ctx = new Context()) {
            ctx.addTrust(root).setRevocationMode(RevocationMode.SOFT);
            for (int i = 0; i < warm; i++) {
                try (Report r = ctx.verify(file)) {
                    r.status();
                }
            }
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                try (Report r = ctx.verify(file)) {
                    passed += r.status() == Indication.TOTAL_PASSED ? 1 : 0;
                }
            }
            long t1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
            System.out.printf(java.util.Locale.ROOT, "%.1f %d %.1f%n", (t1 - t0) / 1e3 / n, passed, (c1 - c0) / 1e3 / n);
        }
    }
}
JAVA
cp="$build/java/vbsig.jar:/usr/share/java/jna.jar"
javac -cp "$cp" -d "$tmp" "$tmp/Loop.java"
best_c=; best_j=; best_cc=; best_jc=
for round in $(seq "${ROUNDS:-3}"); do
  read -r c pc cc < <("$tmp/loop" "$pki/root/root.pem" "$tmp/signed.pdf" "$n")
  read -r j pj jc < <(java -Dvbsig.libdir="$build/lib" -cp "$cp:$tmp" Loop "$pki/root/root.pem" "$tmp/signed.pdf" "$n" "${WARMUP:-300}")
  [ "$pc" = "$n" ] && [ "$pj" = "$n" ] || die "not every verification passed (C $pc, Java $pj of $n)"
  echo "round $round: C $c µs, Java $j µs per verification (calling thread's CPU: C $cc µs, Java $jc µs)"
  best_cc=$(printf '%s\n' $best_cc $cc | sort -g | head -n1)
  best_jc=$(printf '%s\n' $best_jc $jc | sort -g | head -n1)
  best_c=$(printf '%s\n' $best_c $c | sort -g | head -n1)
  best_j=$(printf '%s\n' $best_j $j | sort -g | head -n1)
done
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg); file $(stat -c %s "$tmp/signed.pdf") bytes; N=$n"
awk -v c="$best_c" -v j="$best_j" 'BEGIN { printf "best wall: C %.1f µs, Java %.1f µs: Java/C = %.3f (%+.1f µs per call); target <= 1.05\n", c, j, j / c, j - c }'
awk -v c="$best_cc" -v j="$best_jc" 'BEGIN { printf "best thread CPU: C %.1f µs, Java %.1f µs: Java/C = %.3f (%+.1f µs per call)\n", c, j, j / c, j - c }'
