#!/usr/bin/env bash
# bench_cli_start.sh BUILD_DIR [PEER_BUILD_DIR]
#
# Per-run cost of short CLI commands, where process start-up dominates:
# `vbsig --version`, signing a 10 KB e-invoice as XAdES with a PKCS#12 file
# and with a PEM key + certificate (both RSA-2048), and verifying the
# result; the PKCS#12 signing once more with its output on disk (the atomic
# write's flushes included). Each command runs RUNS times (default 20) after
# two warm-up runs; the table shows the mean and the best wall time and the
# mean CPU time (user + system) in milliseconds, the shared libraries the binary loads,
# and the load average. With PEER_BUILD_DIR (e.g. a build of the previous
# state), the same commands of that build run interleaved with this one's,
# so both see the same machine. Target (issue #4): sign under 10 ms.
# Build as Release. Writes only into temporary directories (tmpfs when
# /dev/shm exists, and one under TMPDIR for the disk row), removed at the end.
set -euo pipefail

die() { printf 'bench_cli_start.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_cli_start.sh BUILD_DIR [PEER_BUILD_DIR]"
builds=()
for b in "$@"; do
  d=$(cd -- "$b" && pwd -P) || die "$b: no such build directory"
  [ -x "$d/bin/vbsig" ] || die "$d/bin/vbsig not found: build the project there first"
  builds+=("$d")
done
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
runs=${RUNS:-20}
command -v python3 >/dev/null || die "python3 not found"

base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$base/vbsig-bench-start.XXXXXX")
disk=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-start.XXXXXX") # the output flushed to a real disk
trap 'rm -rf -- "$tmp" "$disk"' EXIT
bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >/dev/null 2>&1 || die "gen-pki.sh failed"
pki=$tmp/pki
python3 - "$src/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml" "$tmp/doc.xml" <<'PY'
import sys
one = open(sys.argv[1], encoding="utf-8").read()
body = one[one.index("<HDon>"):]
parts, size, i = ['<?xml version="1.0" encoding="UTF-8"?>\n<DSHDon>\n'], 0, 0
while size < 10 * 1024 - len(body) // 2:
    parts.append(body.replace("DLHDon-C24TVL-00000127", "DLHDon-C24TVL-%08d" % i))
    size += len(parts[-1].encode()); i += 1
open(sys.argv[2], "w", encoding="utf-8").write("".join(parts) + "\n</DSHDon>\n")
PY

# The commands, as shell words; %B is the build directory, %T the temp dir.
cmds=(
  "version|%B/bin/vbsig --version"
  "sign p12|%B/bin/vbsig sign %T/doc.xml -o %T/out.xml --key $pki/signers/rsa2048.p12 --pass pass:vbsig-test"
  "sign pem|%B/bin/vbsig sign %T/doc.xml -o %T/out.xml --key $pki/signers/rsa2048.key --cert $pki/signers/rsa2048.pem"
  "sign p12 disk|%B/bin/vbsig sign %T/doc.xml -o $disk/out.xml --key $pki/signers/rsa2048.p12 --pass pass:vbsig-test"
  "verify|%B/bin/vbsig verify %T/signed.xml --trust $pki/trust/root.pem"
)
for d in "${builds[@]}"; do
  "$d/bin/vbsig" sign "$tmp/doc.xml" -o "$tmp/signed.xml" --key "$pki/signers/rsa2048.p12" --pass pass:vbsig-test ||
    die "$d: vbsig sign failed"
  break
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$runs" "$tmp" "${builds[@]}" -- "${cmds[@]}" <<'PY'
import os, shlex, subprocess, sys, time
runs, tmp = int(sys.argv[1]), sys.argv[2]
rest = sys.argv[3:]
sep = rest.index("--")
builds, cmds = rest[:sep], [c.split("|", 1) for c in rest[sep + 1:]]

def run(argv):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if status != 0:
        sys.exit("FAILED (status %d): %s: %s" % (status, " ".join(argv), err[:300].decode(errors="replace")))
    return dt * 1000, (ru.ru_utime + ru.ru_stime) * 1000

def libs(b):
    out = subprocess.run(["ldd", b + "/bin/vbsig"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if line.strip())

res = {}
for label, cmd in cmds:
    argvs = [shlex.split(cmd.replace("%B", b).replace("%T", tmp)) for b in builds]
    for argv in argvs:
        run(argv), run(argv)  # warm the page cache
    for _ in range(runs):
        for b, argv in zip(builds, argvs):  # interleaved: both see the same load
            res.setdefault((label, b), []).append(run(argv))
print("%-13s %-44s %9s %9s %9s" % ("command", "build", "mean ms", "best ms", "CPU ms"))
for label, _ in cmds:
    for b in builds:
        r = res[(label, b)]
        w = [x[0] for x in r]; c = [x[1] for x in r]
        print("%-13s %-44s %9.2f %9.2f %9.2f" % (label, b[-44:], sum(w) / len(w), min(w), sum(c) / len(c)))
for b in builds:
    print("shared libraries loaded by %s/bin/vbsig: %d" % (b, libs(b)))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "target (issue #4): vbsig sign of a 10 KB XML file under 10 ms per run"
