#!/usr/bin/env bash
# bench_api_regression.sh OLD_BUILD NEW_BUILD
#
# Whether a change of the library's insides (issue 14: the API reshaped,
# batch signing and B-LT/B-LTA moved from the CLI into the library, the TSA
# on the public API) costs anything: the same vbsig commands from two
# builds (Release, `-DVBSIG_TESTS=OFF`, e.g. of the commit before and of
# the commit after), over the same inputs, counted in instructions by
# valgrind's callgrind. Instruction counts, unlike wall times, repeat
# exactly for the same binary and inputs whatever else the machine does,
# so the comparison holds on a shared 2-core machine. The best wall time
# of RUNS runs (default 5) is shown beside them for scale.
#
# Cases: CAdES sign and verify (1 MB, detached), PAdES sign and verify (a
# corpus PDF), XAdES enveloped sign and verify (the corpus e-invoice), a
# batch of 20 PDFs signed with one key load, and vbsig-tsa's issuing of
# 200 timestamp requests (server CPU from /proc, OLD and NEW servers in
# turn). Needs valgrind, openssl, certutil (libnss3-tools), curl.
set -euo pipefail

die() { printf 'bench_api_regression.sh: %s\n' "$*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: bench_api_regression.sh OLD_BUILD NEW_BUILD"
old=$(cd -- "$1" && pwd -P) || die "$1: no such directory"
new=$(cd -- "$2" && pwd -P) || die "$2: no such directory"
for b in "$old" "$new"; do
  [ -x "$b/bin/vbsig" ] || die "$b/bin/vbsig not found"
  [ -x "$b/bin/vbsig-tsa" ] || die "$b/bin/vbsig-tsa not found"
done
command -v valgrind >/dev/null || die "valgrind not found"
runs=${RUNS:-5}
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)

tmp=$(mktemp -d)
tsa_pid=
cleanup() { [ -n "$tsa_pid" ] && kill "$tsa_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >"$tmp/gen-pki.out" 2>&1 ||
  { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
pki=$tmp/pki
key=(--key "$pki/signers/rsa2048.p12" --pass pass:vbsig-test)
trust=(--trust "$pki/root/root.pem")
head -c 1000000 /dev/urandom >"$tmp/data.bin"
pdf=$src/test-vectors/corpus/pdf/lo-directive-vinhlong.pdf
xml=$src/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml
mkdir -p "$tmp/batch-in"
for i in $(seq 1 20); do cp "$pdf" "$tmp/batch-in/doc$i.pdf"; done

# Instructions of one command (callgrind's total, children included).
instructions() {
  valgrind --tool=callgrind --trace-children=no --callgrind-out-file=/dev/null "$@" \
    2>&1 >/dev/null | awk '/Collected :/ { print $4 }'
}
best_ms() {
  local best=
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || die "failed: $*"
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

# Each case is a command line with @V@ for the vbsig binary and @O@ for a
# fresh output name; outputs of the sign cases feed the verify cases.
prepare_outputs() {
  local v=$1 d=$2
  mkdir -p "$d"
  "$v" sign "$tmp/data.bin" -o "$d/data.p7s" --detached --format cades "${key[@]}" >/dev/null
  "$v" sign "$pdf" -o "$d/doc.pdf" "${key[@]}" >/dev/null
  "$v" sign "$xml" -o "$d/inv.xml" "${key[@]}" >/dev/null
}

cases=(
  "cades-sign|sign $tmp/data.bin -o @O@ --detached --format cades ${key[*]}"
  "cades-verify|verify @D@/data.p7s --data $tmp/data.bin ${trust[*]}"
  "pades-sign|sign $pdf -o @O@ ${key[*]}"
  "pades-verify|verify @D@/doc.pdf ${trust[*]}"
  "xades-sign|sign $xml -o @O@ ${key[*]}"
  "xades-verify|verify @D@/inv.xml ${trust[*]}"
  "batch-20-pdf|sign $(printf "$tmp/batch-in/doc%s.pdf " $(seq 1 20))--out-dir @O@ ${key[*]}"
)

printf '| case | old instructions | new instructions | new/old | old best ms | new best ms |\n'
printf '|---|---|---|---|---|---|\n'
for b in old new; do prepare_outputs "${!b}/bin/vbsig" "$tmp/out-$b"; done
n=0
for c in "${cases[@]}"; do
  name=${c%%|*}
  cmd=${c#*|}
  declare -A ir ms
  for b in old new; do
    v="${!b}/bin/vbsig"
    n=$((n + 1))
    line=${cmd//@D@/$tmp/out-$b}
    # shellcheck disable=SC2206
    args=(${line//@O@/$tmp/o$n})
    ir[$b]=$(instructions "$v" "${args[@]}")
    [ -n "${ir[$b]}" ] || die "$name ($b): callgrind gave no count"
    rm -rf "$tmp/o$n"
    # A fresh output each run: sign refuses to replace an existing file.
    ms[$b]=$(best_ms bash -c 'o=$(mktemp -u "$1/w.XXXXXX"); shift; v=$1; shift; "$v" "${@//@O@/$o}"' _ "$tmp" "$v" ${line})
  done
  ratio=$(awk -v a="${ir[old]}" -v b="${ir[new]}" 'BEGIN { printf "%.3f", b / a }')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "${ir[old]}" "${ir[new]}" "$ratio" "${ms[old]}" "${ms[new]}"
done

# vbsig-tsa: instructions per request, from the server run under callgrind
# twice per build (no request, then 100): the difference over 100 is the
# cost of one request (HTTP, issuing, journal), start-up and key load
# cancelled out.
openssl ts -query -data "$tmp/data.bin" -sha256 -cert -out "$tmp/q.tsq" 2>/dev/null
port=$((20000 + RANDOM % 20000))
tsa_instructions() { # build requests
  local b=$1 n=$2
  rm -f "$tmp/j-$b-$n.db"
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "${!b}/bin/vbsig-tsa" \
    --listen "127.0.0.1:$port" --key "$pki/signers/tsa.p12" --pass pass:vbsig-test \
    --policy 1.3.6.1.4.1.99999.1.1 --journal "$tmp/j-$b-$n.db" --allow-unsynced-clock --threads 1 \
    2>"$tmp/tsa-$b-$n.log" &
  tsa_pid=$!
  local up=
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && { up=1; break; }; sleep 0.1; done
  [ -n "$up" ] || die "vbsig-tsa ($b) did not start: $(tail -3 "$tmp/tsa-$b-$n.log")"
  for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -H 'Content-Type: application/timestamp-query' --data-binary "@$tmp/q.tsq" \
      "http://127.0.0.1:$port/" || die "vbsig-tsa ($b) did not answer"
  done
  kill -TERM "$tsa_pid"; wait "$tsa_pid" 2>/dev/null || true
  tsa_pid=
  port=$((port + 1))
  awk '/Collected :/ { print $4 }' "$tmp/tsa-$b-$n.log"
}
for b in old new; do
  i0=$(tsa_instructions "$b" 0)
  i1=$(tsa_instructions "$b" 100)
  [ -n "$i0" ] && [ -n "$i1" ] || die "vbsig-tsa ($b): callgrind gave no count"
  echo "vbsig-tsa $b: $(( (i1 - i0) / 100 )) instructions per request (RSA-2048, one worker, SQLite journal; /health probes included)"
done
