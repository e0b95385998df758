# Revocation servers for the CLI tests, sourced after tests/cli/lib.sh:
# OpenSSL's OCSP responder and a directory of CRLs behind rev_server.py, each
# server on a port of its own that it picks and writes to a file. The test
# certificates name fixed ports (18081 OCSP, 18080 CRL); `rw` gives the
# --url-rewrite options that send them to the servers started here.
REV_PIDS=()

# start_rev NAME CRL_DIR|- [openssl ocsp responder arguments…]: sets
# REV_PORT, REV_PID and REV_LOG (one line per request).
start_rev() {
  local name=$1 crl=$2
  shift 2
  local dir="$WORK/srv-$name" args=()
  mkdir -p "$dir"
  rm -f "$dir/port"
  [ "$crl" != "-" ] && args+=(--crl-dir "$crl")
  python3 "$SRC/tests/revocation/rev_server.py" --port-file "$dir/port" --log "$dir/log" "${args[@]}" \
    -- "$@" 2>"$dir/stderr" &
  REV_PID=$!
  REV_PIDS+=("$REV_PID")
  local i
  for i in $(seq 200); do
    [ -s "$dir/port" ] && break
    sleep 0.05
  done
  [ -s "$dir/port" ] || { echo "server $name did not start: $(cat "$dir/stderr")" >&2; exit 1; }
  REV_PORT=$(cat "$dir/port")
  REV_LOG="$dir/log"
  touch "$REV_LOG"
}

# stop_rev PID: one server.
stop_rev() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }

# stop_revs: every server started here (for the EXIT trap, or to go offline).
stop_revs() {
  local p
  for p in "${REV_PIDS[@]}"; do
    stop_rev "$p"
  done
  REV_PIDS=()
  return 0
}

# rw OCSP_PORT CRL_PORT: sets RW, the rewrite options for those servers.
rw() { RW=(--url-rewrite "http://127.0.0.1:18081=http://127.0.0.1:$1" --url-rewrite "http://127.0.0.1:18080=http://127.0.0.1:$2"); }

# start_pki_rev: one server for the whole test PKI (its CRLs, and OCSP over
# the intermediate CA's index); sets RW and writes the same rewrites to
# $WORK/vbsig.conf for the commands that read a config file.
start_pki_rev() {
  start_rev pki "$PKI/crl" -index "$PKI/ca/index.txt" -CA "$PKI/ca/intermediate.pem" \
    -rsigner "$PKI/signers/ocsp.pem" -rkey "$PKI/signers/ocsp.key"
  rw "$REV_PORT" "$REV_PORT"
  printf '[network]\nurl-rewrite = http://127.0.0.1:18081=http://127.0.0.1:%s\nurl-rewrite = http://127.0.0.1:18080=http://127.0.0.1:%s\n' \
    "$REV_PORT" "$REV_PORT" >"$WORK/vbsig.conf"
}
