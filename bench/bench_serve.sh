#!/usr/bin/env bash
# bench_serve.sh BUILD_DIR [RUNS]
#
# The round trip of POST /v1/sign on vbsig serve for a 100 KB PDF
# (test-vectors/corpus/pdf/incremental-xrefstream-longan.pdf, PAdES B-B) on a
# SoftHSM2 token, consent and PIN answered by the tests' scripted pinentry,
# against its peer: `vbsig sign` of the same file with the same token key
# (--pin env:). The request is timed from the client (tests/serve/client.py:
# the JSON body with the base64 document already built, the HTTP request,
# the consent and PIN dialog, login, signature, the re-verification and the
# answer); the command from its start to its exit. Both log in once, both
# re-verify what they signed. Best of RUNS (default 5) each, interleaved.
# Everything lives in a temporary directory removed on exit.
set -euo pipefail

die() { printf 'bench_serve.sh: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench_serve.sh BUILD_DIR [RUNS]"
build=$(cd -- "$1" && pwd -P)
runs=${2:-5}
case $runs in '' | *[!0-9]* | 0) die "RUNS must be a positive whole number" ;; esac
src=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vbsig=$build/bin/vbsig
[ -x "$vbsig" ] || die "$vbsig not found: build the project in $build first"
pdf=$src/test-vectors/corpus/pdf/incremental-xrefstream-longan.pdf

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbsig-bench-serve.XXXXXX")
serve_pid=
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

bash "$src/test-vectors/gen-pki.sh" "$tmp/pki" >"$tmp/gen-pki.out" 2>&1 || { cat "$tmp/gen-pki.out" >&2; die "gen-pki.sh failed"; }
bash "$src/test-vectors/make-softhsm.sh" "$tmp/hsm" "$tmp/pki" >/dev/null || die "make-softhsm.sh failed"
export SOFTHSM2_CONF=$tmp/hsm/softhsm2.conf
module=$(cat "$tmp/hsm/module.txt")
export XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state VBSIG_CONFIG= TOKEN_PIN=1234
export PINENTRY_SCRIPT=$tmp/pinentry.script PINENTRY_LOG=/dev/null
origin=https://app.example
# Every dialog confirmed, every PIN right.
answers() { : >"$PINENTRY_SCRIPT"; for _ in $(seq 200); do printf 'confirm\npin 1234\n' >>"$PINENTRY_SCRIPT"; done; rm -f "$PINENTRY_SCRIPT.pos"; }
answers

"$vbsig" serve --listen 127.0.0.1:0 --allow-origin "$origin" --pinentry "$src/tests/serve/pinentry-script" \
  --module "$module" --audit-log "$tmp/audit.log" --no-config >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/serve.out")
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || die "vbsig serve did not start: $(cat "$tmp/serve.err")"

py=/usr/bin/python3
client=$src/tests/serve/client.py
field() { $py -c "import json,sys; print(json.load(sys.stdin)['body']$1)"; }
id=$($py "$client" "$port" POST /v1/pair --origin "$origin" --body '{}' | field "['pairing']")
printf 'confirm\n' >"$PINENTRY_SCRIPT"; rm -f "$PINENTRY_SCRIPT.pos"
token=$($py "$client" "$port" POST /v1/pair --origin "$origin" --ctype application/json --body "{\"pairing\":\"$id\"}" | field "['token']")
answers
cert=$($py "$client" "$port" GET /v1/certificates --origin "$origin" --ctype application/json --token "$token" |
  $py -c "import json,sys; print([c['id'] for c in json.load(sys.stdin)['body']['certificates'] if 'rsa2048' in (c['label'] or '')][0])")
$py -c "import base64,json,sys; print(json.dumps({'document': base64.b64encode(open(sys.argv[1],'rb').read()).decode(), 'name': 'cong-van.pdf', 'certificate': sys.argv[2], 'format': 'pades'}))" \
  "$pdf" "$cert" >"$tmp/sign.json"

now() { date +%s.%N; }
# The floors a request carries here: the client's own start and an HTTP
# round trip (GET /v1/info), and one start of the scripted pinentry, a
# Python program run once for the consent and once for the PIN (a real
# pinentry-gnome3 starts in a few ms and then waits for the user).
best_serve=999 best_cli=999 best_info=999 best_pe=999
for i in $(seq "$runs"); do
  t0=$(now)
  $py "$client" "$port" GET /v1/info --origin "$origin" --ctype application/json --token "$token" >/dev/null
  t1=$(now)
  echo BYE | $py "$src/tests/serve/pinentry-script" >/dev/null
  t2=$(now)
  best_info=$(awk -v a="$best_info" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
  best_pe=$(awk -v a="$best_pe" -v b="$(awk -v x="$t1" -v y="$t2" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
  t0=$(now)
  $py "$client" "$port" POST /v1/sign --origin "$origin" --ctype application/json --token "$token" \
    --body-file "$tmp/sign.json" >"$tmp/resp.json"
  t1=$(now)
  status=$($py -c "import json,sys; print(json.load(open(sys.argv[1]))['status'])" "$tmp/resp.json")
  [ "$status" = 200 ] || die "POST /v1/sign answered $status: $(head -c 400 "$tmp/resp.json")"
  t2=$(now)
  "$vbsig" sign "$pdf" -o "$tmp/cli-$i.pdf" --key "pkcs11:token=vbsig-test;object=rsa2048;type=private" \
    --module "$module" --pin env:TOKEN_PIN 2>"$tmp/cli.err" || die "vbsig sign failed: $(cat "$tmp/cli.err")"
  t3=$(now)
  best_serve=$(awk -v a="$best_serve" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
  best_cli=$(awk -v a="$best_cli" -v b="$(awk -v x="$t2" -v y="$t3" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
done
signed=$(grep -c 'POST /v1/sign status=200 outcome=signed' "$tmp/audit.log" || true)
[ "$signed" -eq "$runs" ] || die "only $signed of $runs POST /v1/sign signed: $(tail -3 "$tmp/audit.log")"
printf 'POST /v1/sign (100 KB PDF, SoftHSM2, scripted pinentry): best of %s %.1f ms\n' "$runs" "$(awk -v s="$best_serve" 'BEGIN{print s*1000}')"
printf 'vbsig sign (same file, same key, --pin env:):      best of %s %.1f ms\n' "$runs" "$(awk -v s="$best_cli" 'BEGIN{print s*1000}')"
printf 'floors: client + GET /v1/info %.1f ms; one scripted pinentry start %.1f ms (two per signature)\n' \
  "$(awk -v s="$best_info" 'BEGIN{print s*1000}')" "$(awk -v s="$best_pe" 'BEGIN{print s*1000}')"
net=$(awk -v a="$best_serve" -v i="$best_info" -v p="$best_pe" 'BEGIN{print a-i-2*p}')
printf 'POST /v1/sign without the floors: %.1f ms; ratio to vbsig sign %.2f (with them %.2f)\n' \
  "$(awk -v s="$net" 'BEGIN{print s*1000}')" "$(awk -v a="$net" -v b="$best_cli" 'BEGIN{print a/b}')" \
  "$(awk -v a="$best_serve" -v b="$best_cli" 'BEGIN{print a/b}')"
