#!/usr/bin/env bash
# bench_pkcs11.sh BUILD_DIR [FILES]
#
# Batch-signs FILES (default 200) small files as detached CAdES with one
# login to a SoftHSM2 token and compares documents per second with the raw
# rate of a small C program that logs in once and calls C_Sign in a loop
# (bench_pkcs11_raw.c; its loop only). The vbsig figures:
#   library  bench_pkcs11_api.c: vbsig_signer_from_pkcs11 + vbsig_cades_sign
#            in one process, documents in memory, the loop after the login
#            (the bridge's and the CMS code's cost, like for like);
#   digests  the same program signing bare digests (vbsig_signer_sign_digest):
#            the bridge alone, without CMS;
#   cli/tmpfs  vbsig sign … --out-dir on /dev/shm, the whole command (process
#            start, module load, login, file I/O), with the CLI's batch
#            pipeline (libvbsig/src/sign/batch_run.c: inputs read and prepared ahead,
#            one token signature at a time, outputs encoded, checked and
#            written behind; the first output fully re-verified, every
#            signature value checked with the certificate's key);
#   cli/disk   the same into the temporary directory (a real file system):
#            outputs are made durable a group at a time (batch_commit.c:
#            written unflushed under temporary names, one syncfs pass, the
#            renames, one directory flush per group); builds before that
#            fsync'ed every file;
#   pdf/tmpfs  FILES small PDFs (make_pdf.py) signed as PAdES by one command
#            on /dev/shm, when this build signs PDFs;
#   pdf/disk   the same PDFs into the temporary directory.
# Target: the whole command at 80% or more of the raw rate. Each runs
# $RUNS times (default 3), interleaved; the best of each is shown. The C programs are built here with cc against
# BUILD_DIR/lib.
# Everything lives in temporary directories removed on exit.
set -euo pipefail

die() { printf 'bench_pkcs11.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_pkcs11.sh BUILD_DIR [FILES]"
build=$(cd -- "$1" && pwd -P)
files=${2:-200}
case $files in '' | *[!0-9]*) die "FILES must be a whole number" ;; esac
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
command -v cc >/dev/null || die "cc not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-p11.XXXXXX")
shm=$(mktemp -d /dev/shm/vbsig-bench-p11.XXXXXX)
trap 'rm -rf -- "$tmp" "$shm"' EXIT
trap 'exit 130' INT TERM

echo "== test PKI and SoftHSM2 token"
bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >"$tmp/gen-pki.out" 2>&1 || { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
bash "$src/test-vectors/make-softhsm.sh" "$tmp/hsm" "$tmp/pki" || die "make-softhsm.sh failed"
export SOFTHSM2_CONF=$tmp/hsm/softhsm2.conf
module=$(cat "$tmp/hsm/module.txt")
cc -O2 -o "$tmp/raw" "$src/bench/bench_pkcs11_raw.c" $(pkg-config --cflags p11-kit-1) -ldl || die "cannot build bench_pkcs11_raw.c"
cc -O2 -o "$tmp/api" "$src/bench/bench_pkcs11_api.c" -I"$src/libvbsig/include" -I"$src/pkcs11-bridge/include" \
  -L"$build/lib" -lvbsig_pkcs11 -lvbsig -Wl,-rpath,"$build/lib" || die "cannot build bench_pkcs11_api.c"
uri="pkcs11:token=vbsig-test;object=rsa2048;type=private"

mkdir -p "$tmp/in"
for i in $(seq "$files"); do printf 'Văn bản số %d — nội dung ngắn để ký.\n' "$i" >"$tmp/in/doc$i.txt"; done
export BENCH_PIN=1234
# Small PDFs, when this build can sign PDFs (a one-file trial says so).
mkdir -p "$tmp/pdf" "$tmp/pdftrial"
python3 "$src/bench/make_pdf.py" 6000 "$tmp/pdf/doc1.pdf"
pdf=0
if "$vbsig" sign "$tmp/pdf/doc1.pdf" --out-dir "$tmp/pdftrial" --key "$uri" --module "$module" --pin env:BENCH_PIN 2>/dev/null; then
  pdf=1
  for i in $(seq 2 "$files"); do cp "$tmp/pdf/doc1.pdf" "$tmp/pdf/doc$i.pdf"; done
fi

rate() { sed 's/.*: \([0-9.]*\)\/s/\1/'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
calc() { awk "BEGIN { print $1 }"; }
cli_rate() { # cli_rate OUTDIR [pdf]
  rm -rf "$1" && mkdir -p "$1"
  local t0 t1 signed
  t0=$(date +%s.%N)
  if [ "${2:-}" = pdf ]; then
    "$vbsig" sign "$tmp"/pdf/doc*.pdf --out-dir "$1" --key "$uri" --module "$module" --pin env:BENCH_PIN 2>/dev/null
  else
    "$vbsig" sign "$tmp"/in/doc*.txt --out-dir "$1" --detached --key "$uri" --module "$module" --pin env:BENCH_PIN 2>/dev/null
  fi
  t1=$(date +%s.%N)
  signed=$(ls "$1" | wc -l)
  [ "$signed" -eq "$files" ] || die "vbsig signed $signed of $files files"
  calc "$files / ($t1 - $t0)"
}
best_raw=0 best_api=0 best_dig=0 best_shm=0 best_disk=0 best_pdf=0 best_pdf_disk=0
runs=${RUNS:-3} # more on a busy machine: each figure is the best of its runs
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$runs"); do
  raw=$("$tmp/raw" "$module" vbsig-test rsa2048 1234 "$files" | rate)
  "$tmp/api" "$module" "$uri" env:BENCH_PIN "$tmp"/in/doc*.txt >"$tmp/api.out"
  api=$(sed -n 1p "$tmp/api.out" | rate)
  dig=$(sed -n 2p "$tmp/api.out" | rate)
  shm_rate=$(cli_rate "$shm/out")
  disk_rate=$(cli_rate "$tmp/out")
  pdf_rate=0 pdf_disk_rate=0
  [ "$pdf" -eq 1 ] && pdf_rate=$(cli_rate "$shm/pdfout" pdf) && pdf_disk_rate=$(cli_rate "$tmp/pdfout" pdf)
  printf 'run %d: raw %.1f/s  library %.1f/s  digests %.1f/s  cli/tmpfs %.1f/s  cli/disk %.1f/s  pdf/tmpfs %.1f/s  pdf/disk %.1f/s\n' \
    "$run" "$raw" "$api" "$dig" "$shm_rate" "$disk_rate" "$pdf_rate" "$pdf_disk_rate"
  best_pdf=$(max "$pdf_rate" "$best_pdf")
  best_pdf_disk=$(max "$pdf_disk_rate" "$best_pdf_disk")
  best_raw=$(max "$raw" "$best_raw")
  best_api=$(max "$api" "$best_api")
  best_dig=$(max "$dig" "$best_dig")
  best_shm=$(max "$shm_rate" "$best_shm")
  best_disk=$(max "$disk_rate" "$best_disk")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-46s %10s %8s\n' "RSA-2048, $files documents, one login" "per second" "of raw"
printf '%-46s %10.1f %7.0f%%\n' "raw C_Sign loop (bench_pkcs11_raw.c)" "$best_raw" 100
printf '%-46s %10.1f %7.0f%%\n' "library: CAdES in memory (bench_pkcs11_api.c)" "$best_api" "$(calc "100 * $best_api / $best_raw")"
printf '%-46s %10.1f %7.0f%%\n' "bridge alone: bare digests" "$best_dig" "$(calc "100 * $best_dig / $best_raw")"
printf '%-46s %10.1f %7.0f%%\n' "vbsig sign --out-dir on tmpfs" "$best_shm" "$(calc "100 * $best_shm / $best_raw")"
printf '%-46s %10.1f %7.0f%%\n' "vbsig sign --out-dir on disk" "$best_disk" "$(calc "100 * $best_disk / $best_raw")"
if [ "$pdf" -eq 1 ]; then
  printf '%-46s %10.1f %7.0f%%\n' "vbsig sign --out-dir, PDFs (PAdES), on tmpfs" "$best_pdf" "$(calc "100 * $best_pdf / $best_raw")"
  printf '%-46s %10.1f %7.0f%%\n' "vbsig sign --out-dir, PDFs (PAdES), on disk" "$best_pdf_disk" "$(calc "100 * $best_pdf_disk / $best_raw")"
else
  echo "PDFs: not measured: this build (an older one, for comparison) cannot sign PDFs"
fi
echo "target: the whole command at 80% or more of the raw rate"
