# Helpers of the vbsig serve tests (sourced after tests/cli/lib.sh): a
# SoftHSM2 token, the scripted pinentry, a real `vbsig serve` on a random
# loopback port, and one HTTP request at a time (client.py).
HERE="$SRC/tests/serve"
ORIGIN=https://app.example
bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" >/dev/null 2>&1 || { fail "make-softhsm.sh"; finish; }
export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
MODULE=$(cat "$WORK/hsm/module.txt")
export XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state XDG_RUNTIME_DIR=$WORK
export PINENTRY_SCRIPT=$WORK/pinentry.script PINENTRY_LOG=$WORK/pinentry.log VBSIG_CONFIG=
export VBSIG_SERVE_OPENAPI=$SRC/cli/serve/openapi.json
AUDIT=$WORK/audit.log
: >"$PINENTRY_SCRIPT"

start_serve() { # start_serve EXTRA-ARGS...: sets PORT and SERVE_PID
  "$VBSIG" serve --listen 127.0.0.1:0 --allow-origin "$ORIGIN" --pinentry "$HERE/pinentry-script" \
    --module "$MODULE" --audit-log "$AUDIT" --trust "$PKI/root/root.pem" --timeout 20 "$@" \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
  SERVE_PID=$!
  for _ in $(seq 100); do
    PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/serve.out")
    [ -n "$PORT" ] && return 0
    sleep 0.05
  done
  fail "vbsig serve did not start: $(cat "$WORK/serve.err")"
  finish
}
stop_serve() { kill -TERM "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID"; }

# req METHOD PATH [client options]: $status, $body (JSON text), $resp (all)
# (large answers stay in $WORK/.resp: read them with jget EXPR, d = the body)
req() {
  /usr/bin/python3 "$HERE/client.py" "$PORT" "$@" >"$WORK/.resp"
  status=$(jget_all "d['status']")
  body=$(jget_all "json.dumps(d['body'])[:4000]")
}
jget_all() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/.resp"; }
jget() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['body']; print($1)" "$WORK/.resp"; }
hdr() { jget_all "d['headers'].get('$1', '')"; }
expect_status() { [ "$status" = "$1" ] && pass || fail "$2: HTTP $status, expected $1: $body"; }
script() { printf '%s\n' "$@" >"$PINENTRY_SCRIPT"; rm -f "$PINENTRY_SCRIPT.pos"; : >"$PINENTRY_LOG"; }
nothing_done() { # nothing_done WHAT: no dialog, no signature
  [ ! -s "$PINENTRY_LOG" ] && pass || fail "$1: pinentry was called: $(cat "$PINENTRY_LOG")"
  grep -q 'outcome=signed' "$AUDIT" && fail "$1: the audit log says signed" || pass
}
