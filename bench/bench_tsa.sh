#!/usr/bin/env bash
# Throughput and latency of vbsig-tsa on loopback, journal on, for an
# RSA-2048 and an ECDSA P-256 TSA key, next to `openssl speed` sign rates
# measured in the same run (the floor of a token's cost).
#
#   bench/bench_tsa.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
#
# CONNECTIONS may be a list ("8 64"): each key is measured at each count.
# Besides wrk's figures it prints the server's CPU time per request (user +
# system, from /proc), which the rest of a busy machine disturbs far less
# than requests/second.
# Needs wrk (scripts/install-deps.sh installs it). Writes only under a
# temporary directory, removed at the end; the server listens on 127.0.0.1.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
DURATION=${2:-10}
CONNECTIONS=${3:-8 64}
TSA="$BUILD/bin/vbsig-tsa"
[ -x "$TSA" ] || { echo "bench_tsa: $TSA not built" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench_tsa: wrk not installed (scripts/install-deps.sh)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/bench-tsa.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill -KILL "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

bash "$SRC/test-vectors/gen-pki.sh" "$WORK/pki" >/dev/null 2>&1
PKI="$WORK/pki"

# An ECDSA P-256 TSA certificate from the test PKI's issuing CA.
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/ec-tsa.key" 2>/dev/null
openssl req -new -key "$WORK/ec-tsa.key" -subj "/C=VN/O=vbsig bench/CN=vbsig Bench EC TSA" \
  -out "$WORK/ec-tsa.csr" 2>/dev/null
printf 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n' \
  >"$WORK/ec-tsa.ext"
openssl x509 -req -in "$WORK/ec-tsa.csr" -CA "$PKI/ca/intermediate.pem" -CAkey "$PKI/ca/intermediate.key" \
  -set_serial 0x7ec1 -days 30 -sha256 -extfile "$WORK/ec-tsa.ext" -out "$WORK/ec-tsa.pem" 2>/dev/null

echo "== machine: $(nproc) cores, $(openssl version)"
echo "== openssl speed (sign/s, $(nproc) processes, 3 s each)"
openssl speed -seconds 3 -multi "$(nproc)" rsa2048 ecdsap256 2>/dev/null |
  grep -E '^(rsa 2048|[[:space:]]*256 bits ecdsa)' | sed 's/^/   /'

echo data >"$WORK/doc"
openssl ts -query -data "$WORK/doc" -sha256 -cert -out "$WORK/q.tsq" 2>/dev/null
cat >"$WORK/post.lua" <<LUA
local f = io.open("$WORK/q.tsq", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/timestamp-query"
LUA

run_one() { # NAME KEY CERT CONNECTIONS
  local name=$1-c$4 key=$2 cert=$3 conns=$4 port log
  port=$(( 20000 + RANDOM % 40000 ))
  log="$WORK/$name.log"
  "$TSA" --listen "127.0.0.1:$port" --key "$key" --cert "$cert" --chain "$PKI/chain.pem" \
    --policy 1.3.6.1.4.1.99999.1.1 --journal "$WORK/$name.db" --threads "$(nproc)" \
    --max-queue 1024 --allow-unsynced-clock 2>"$log" &
  SERVER=$!
  for _ in $(seq 1 100); do grep -qs event=started "$log" && break; sleep 0.05; done
  # A verified token first: the bench measures real work.
  curl -s -H 'Content-Type: application/timestamp-query' --data-binary @"$WORK/q.tsq" \
    "http://127.0.0.1:$port/" -o "$WORK/$name.tsr"
  openssl ts -verify -in "$WORK/$name.tsr" -queryfile "$WORK/q.tsq" -CAfile "$PKI/root/root.pem" \
    -untrusted "$PKI/chain.pem" >/dev/null 2>&1 || { echo "bench_tsa: $name token does not verify" >&2; exit 1; }
  local cpu_before cpu_after
  cpu_before=$(awk '{ print $14 + $15 }' "/proc/$SERVER/stat")
  wrk -t 2 -c "$conns" -d "${DURATION}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$port/" \
    >"$WORK/$name.wrk"
  cpu_after=$(awk '{ print $14 + $15 }' "/proc/$SERVER/stat")
  kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=""
  local rps p50 p99 errors records total cpu_us
  rps=$(sed -n 's/^Requests\/sec: *//p' "$WORK/$name.wrk")
  p50=$(awk '$1 == "50%" { print $2 }' "$WORK/$name.wrk")
  p99=$(awk '$1 == "99%" { print $2 }' "$WORK/$name.wrk")
  errors=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$WORK/$name.wrk"); errors=${errors:-0}
  records=$("$TSA" journal verify --journal "$WORK/$name.db" | sed -n 's/^journal OK: \([0-9]*\) records.*/\1/p')
  total=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$WORK/$name.wrk")
  cpu_us=$(( (cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / (total > 0 ? total : 1) ))
  rm -f "$WORK/$name.db" "$WORK/$name.db-wal" "$WORK/$name.db-shm"
  printf '   %-12s c=%-4s %8s req/s   p50 %-8s p99 %-8s server CPU %4s us/req   non-2xx %s   journal %s records (chain OK)\n' \
    "$1" "$conns" "$rps" "$p50" "$p99" "$cpu_us" "$errors" "${records:-BROKEN}"
}

echo "== vbsig-tsa, journal on (SQLite WAL, synchronous=FULL), ${DURATION}s per run, load $(cut -d' ' -f1-3 /proc/loadavg)"
for c in $CONNECTIONS; do
  run_one rsa2048 "$PKI/signers/tsa.key" "$PKI/signers/tsa.pem" "$c"
  run_one ecdsa-p256 "$WORK/ec-tsa.key" "$WORK/ec-tsa.pem" "$c"
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
