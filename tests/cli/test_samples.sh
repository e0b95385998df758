#!/usr/bin/env bash
# Every sample made by openssl in the test PKI verifies to the result its
# expected-result JSON states (exit code, status, sub-indication, level,
# weak-algorithm flag, revocation status).
source "$(dirname "$0")/lib.sh"
cd "$PKI" || exit 1
compare='
import json, sys
got = json.loads(sys.argv[1])["signatures"][0]
want = json.load(open(sys.argv[2]))
checks = [("status", got["status"], want.get("status")),
          ("subindication", got["subindication"], want.get("subindication")),
          ("level", got["level"], want.get("level")),
          ("weak_algorithm", got["weak_algorithm"], want.get("weak", False))]
if "revocation" in want:
    checks.append(("revocation", got["revocation"]["status"], want["revocation"]))
for field, g, w in checks:
    print(("ok " if g == w else "bad ") + "%s: got %r, expected %r" % (field, g, w))
'
while IFS=$'\t' read -r name want_exit; do
  base=${name%.*}
  data=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("data") or "")' "samples/$base.expected.json")
  args=(--trust root/root.pem --json)
  [ -n "$data" ] && args+=(--data "$data")
  run "$VBSIG" verify "samples/$name" "${args[@]}"
  expect_rc "$want_exit" "$name"
  if [ "$want_exit" -ge 64 ]; then
    expect_in "vbsig: verify: samples/$name" "$err" "$name error line names the file"
    continue
  fi
  while read -r verdict line; do
    [ "$verdict" = ok ] && pass || fail "$name: $line"
  done < <(python3 -c "$compare" "$out" "samples/$base.expected.json")
done < samples/MANIFEST.txt
finish
