# Starts and stops test TSAs (tsa_shim.py) for the CLI tests. Source it after
# lib.sh; every shim started is stopped when the test script exits.
SHIM_PIDS=()
SHIM_PY="$SRC/tests/tsa-shim/tsa_shim.py"
CMS_PARTS="$SRC/tests/tsa-shim/cms_parts.py"

# start_shim NAME [tsa_shim.py options…]: sets SHIM_URL and SHIM_LOG
start_shim() {
  local name=$1
  shift
  local dir="$WORK/shim-$name"
  mkdir -p "$dir"
  python3 "$SHIM_PY" --pki "$PKI" --work "$dir" --port-file "$dir/port" "$@" 2>"$dir/stderr" &
  SHIM_PIDS+=($!)
  local i
  for i in $(seq 200); do
    [ -s "$dir/port" ] && break
    sleep 0.05
  done
  [ -s "$dir/port" ] || { echo "shim $name did not start: $(cat "$dir/stderr")" >&2; exit 1; }
  SHIM_URL="http://127.0.0.1:$(cat "$dir/port")/tsa"
  SHIM_LOG="$dir/requests.log"
}

stop_shims() {
  local p
  for p in "${SHIM_PIDS[@]}"; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  return 0
}
trap stop_shims EXIT

# A URL on a port nobody listens on (bound, then closed).
closed_url() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print("http://127.0.0.1:%d/tsa" % s.getsockname()[1]); s.close()'
}

# requests LOG: how many requests a shim received
requests() { [ -f "$1" ] && wc -l <"$1" | tr -d ' ' || echo 0; }
