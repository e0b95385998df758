#!/usr/bin/env bash
# A batch killed mid-way (SIGKILL) leaves each output either complete under
# its final name or absent. The batch writes each output under a temporary
# name (NAME.tmp-XXXXXX next to NAME, closed unflushed), flushes a group of
# them at a time, and only then renames them (libvbsig/src/sign/batch_commit.c).
# So after a kill: every file with a final name verifies, every other file is
# a leftover temporary of that pattern, and nothing else is there. The kill
# comes at several points: as the first outputs appear, and later. Outputs go
# to $WORK, on the build's (real) file system.
source "$(dirname "$0")/lib.sh"

bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" >"$WORK/hsm.log" 2>&1 ||
  { fail "make-softhsm.sh: $(tail -3 "$WORK/hsm.log")"; finish; }
export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
MODULE=$(cat "$WORK/hsm/module.txt")
export TOKEN_PIN=1234
KEY=(--key "pkcs11:token=vbsig-test;object=rsa2048;type=private" --module "$MODULE" --pin env:TOKEN_PIN
  --chain "$PKI/chain.pem")

# 200 inputs: PDFs large enough that writing them takes a while (the kill
# has a window), and text files signed as attached CAdES (.p7m), which
# verify on their own.
TOTAL=200
mkdir -p "$WORK/in"
python3 "$SRC/bench/make_pdf.py" 200000 "$WORK/in/base.pdf"
for i in $(seq -w 1 "$TOTAL"); do
  if [ $((10#$i % 2)) -eq 0 ]; then
    cp "$WORK/in/base.pdf" "$WORK/in/doc$i.pdf"
  else
    printf 'Công văn số %s/UBND-VP — %s\n' "$i" "$(head -c 3000 /dev/zero | tr '\0' x)" >"$WORK/in/doc$i.txt"
  fi
done
rm "$WORK/in/base.pdf"
inputs=("$WORK"/in/doc*)
[ "${#inputs[@]}" -eq "$TOTAL" ] || { fail "made ${#inputs[@]} inputs, not $TOTAL"; finish; }

final_names() { # final_names DIR: outputs under their final names, one a line
  find "$1" -maxdepth 1 -type f \( -name 'doc*.pdf' -o -name 'doc*.txt.p7m' \) | sort
}

# check_dir DIR description: every final name verifies; the rest are
# temporaries of the pattern. Sets $finals to the number of final names.
check_dir() {
  local dir=$1 what=$2 stray
  stray=$(find "$dir" -mindepth 1 ! \( -type f \( -name 'doc*.pdf' -o -name 'doc*.txt.p7m' \
    -o -name 'doc*.pdf.tmp-??????' -o -name 'doc*.txt.p7m.tmp-??????' \) \))
  [ -z "$stray" ] && pass || fail "$what: files that are neither outputs nor temporaries: $stray"
  mapfile -t outs < <(final_names "$dir")
  finals=${#outs[@]}
  [ "$finals" -gt 0 ] || return 0
  run "$VBSIG" verify "${outs[@]}" --trust "$PKI/root/root.pem" --revocation off --json --jobs 2
  expect_rc 0 "$what: vbsig verify of the $finals outputs under their final names"
  # One report per output, each TOTAL-PASSED, about exactly those files.
  local bad
  bad=$(printf '%s\n' "$out" | python3 -c '
import json, sys
want = set(sys.argv[1:])
seen = set()
for line in sys.stdin:
    if line.strip():
        d = json.loads(line)
        seen.add(d["file"])
        if d["status"] != "TOTAL-PASSED":
            print(d["file"], d["status"])
for f in sorted(want ^ seen):
    print(f, "reported" if f in seen else "not reported")
' "${outs[@]}")
  [ -z "$bad" ] && pass || fail "$what: outputs that do not pass: $bad"
  # A truncated file would not verify; say so by name too, if one slipped by.
  local f size
  for f in "${outs[@]}"; do
    size=$(stat -c %s "$f")
    [ "$size" -gt 0 ] || fail "$what: $f is empty under its final name"
  done
}

# Kill once at least AFTER outputs have their final names (0: as soon as
# the process is up and the first temporary file appears).
mid=0
for after in 0 1 40 100 150; do
  dir=$WORK/out-$after
  mkdir -p "$dir"
  "$VBSIG" sign "${inputs[@]}" --out-dir "$dir" "${KEY[@]}" >"$WORK/sign-$after.out" 2>&1 &
  pid=$!
  # Globs, not find: the poll must be quick next to a group's commit.
  shopt -s nullglob
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$after" -eq 0 ]; then
      seen=("$dir"/*.tmp-*)
      [ "${#seen[@]}" -gt 0 ] && break
    else
      seen=("$dir"/doc*.pdf "$dir"/doc*.txt.p7m)
      [ "${#seen[@]}" -ge "$after" ] && break
    fi
  done
  shopt -u nullglob
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"
  status=$?
  check_dir "$dir" "killed after $after outputs"
  temps=$(find "$dir" -name '*.tmp-*' | wc -l)
  echo "kill after $after: exit $status, $finals of $TOTAL outputs under final names, $temps temporaries left"
  [ "$status" -eq 137 ] && [ "$finals" -lt "$TOTAL" ] && mid=$((mid + 1))
done
# Only kills that hit a running batch show anything: most of them must.
[ "$mid" -ge 3 ] && pass || fail "only $mid of 5 kills came while the batch was running"

# The same batch left alone: all 200 written and verified, no temporaries.
dir=$WORK/out-all
mkdir -p "$dir"
run "$VBSIG" sign "${inputs[@]}" --out-dir "$dir" "${KEY[@]}"
expect_rc 0 "the whole batch of $TOTAL"
check_dir "$dir" "uninterrupted batch"
[ "$finals" -eq "$TOTAL" ] && pass || fail "uninterrupted batch: $finals of $TOTAL outputs"
[ -z "$(find "$dir" -name '*.tmp-*')" ] && pass || fail "uninterrupted batch: temporaries left"

finish
