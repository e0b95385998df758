# Shared helpers of the CLI integration tests. Each test script sources this,
# gets a fresh $WORK directory and reports every failed check; the script
# fails if any check failed.
set -u
failures=0
checks=0
rm -rf "$WORK" && mkdir -p "$WORK"

fail() { failures=$((failures + 1)); echo "FAIL: $*" >&2; }
pass() { checks=$((checks + 1)); }

# run CMD... : runs the command, keeps stdout/stderr/exit in $out $err $rc
run() {
  "$@" >"$WORK/.out" 2>"$WORK/.err"
  rc=$?
  out=$(cat "$WORK/.out")
  err=$(cat "$WORK/.err")
}

expect_rc() { # expect_rc N description
  if [ "$rc" -eq "$1" ]; then pass; else fail "$2: exit $rc, expected $1; stderr: $err"; fi
}
expect_in() { # expect_in TEXT HAYSTACK description
  case "$2" in *"$1"*) pass ;; *) fail "$3: '$1' not found in: $2" ;; esac
}
expect_file() { [ -s "$1" ] && pass || fail "$2: $1 missing or empty"; }
expect_no_file() { [ ! -e "$1" ] && pass || fail "$2: $1 should not exist"; }
# json_get FILE-or-TEXT PYTHON-EXPR : evaluates EXPR with d = the parsed JSON
json_get() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1"; }

finish() {
  echo "$checks checks passed, $failures failed"
  [ "$failures" -eq 0 ]
  exit $?
}
