#!/usr/bin/env bash
# bench_softkey.sh BUILD_DIR [PEER_BUILD_DIR]
#
# CPU cost of one signature with a software key through vbsig (issue #6:
# the signer keeps prepared OpenSSL contexts instead of making one per
# signature), next to OpenSSL with a kept context (the floor) and with a new
# context per signature, in the same process (bench_softkey.c), for ECDSA
# P-256 and RSA-2048 keys of the test PKI, with 1 thread and with as many
# threads as cores on one signer. With PEER_BUILD_DIR (e.g. a build of the
# previous state) its library is measured too, alternating with this one's,
# ROUNDS times (default 3). Build as Release. Uses a temporary directory.
set -euo pipefail
die() { printf 'bench_softkey.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_softkey.sh BUILD_DIR [PEER_BUILD_DIR]"
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-softkey.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
progs=()
for b in "$@"; do
  d=$(cd -- "$b" && pwd -P) || die "$b: no such build directory"
  [ -e "$d/lib/libvbsig.so" ] || die "$d/lib/libvbsig.so not found: build the project there first"
  prog=$tmp/bench-${#progs[@]}
  cc -O2 -o "$prog" "$src/bench/bench_softkey.c" -I"$src/libvbsig/include" -L"$d/lib" -lvbsig -lcrypto -lpthread \
    -Wl,-rpath,"$d/lib" || die "cannot build bench_softkey.c against $d"
  progs+=("$prog|$d")
done
bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >/dev/null 2>&1 || die "gen-pki.sh failed"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "${ROUNDS:-3}"); do
  for key in ecp256:40000 rsa2048:2000; do
    name=${key%%:*} count=${key##*:}
    for threads in 1 "$(nproc)"; do
      for p in "${progs[@]}"; do
        echo "== round $round, $name, $threads thread(s), $count signatures, library ${p#*|}"
        "${p%%|*}" "$tmp/pki/signers/$name.key" "$tmp/pki/signers/$name.pem" "$count" "$threads" | sed 's/^/   /'
      done
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
