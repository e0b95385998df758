#!/usr/bin/env bash
# The journal under load: kill -9 loses no record of a reply that was sent,
# the chain has no gap and no duplicate, a restart continues the chain,
# SIGTERM finishes the requests in flight, and tampering is detected.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

for k in 1 2 3 4; do
  echo "client $k" >"$WORK/d$k"
  openssl ts -query -data "$WORK/d$k" -sha256 -out "$WORK/q$k.tsq" 2>/dev/null
done

# client K TAG [N]: posts until the server is gone (at most N times, default
# 400); keeps only complete HTTP 200 replies.
client() {
  local k=$1 tag=$2 i code
  for i in $(seq 1 "${3:-400}"); do
    code=$(ts_post "$WORK/q$k.tsq" "$WORK/tmp-$tag-$k") || break
    [ "$code" = 200 ] || break
    mv "$WORK/tmp-$tag-$k" "$WORK/$tag-$k-$i.tsr"
  done
}

# check_replies TAG DB: every reply received is granted and has its record.
check_replies() {
  local tag=$1 db=$2 f s missing=0 n=0
  for f in "$WORK/$tag"-*.tsr; do
    [ -e "$f" ] || continue
    s=$(reply_field "$f" "Serial number")
    [ -n "$s" ] || { fail "$f: not a granted reply"; continue; }
    echo "${s#0x}"
    n=$((n + 1))
  done >"$WORK/$tag.serials"
  python3 - "$db" "$WORK/$tag.serials" >"$WORK/$tag.missing" <<'PY'
import sqlite3, sys
have = {r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT serial FROM journal WHERE serial IS NOT NULL")}
for s in open(sys.argv[2]).read().split():
    if s not in have: print(s)
PY
  missing=$(grep -c . "$WORK/$tag.missing")
  [ "$missing" -eq 0 ] && pass || fail "$tag: $missing replies sent without a journal record"
  received=$(grep -c . "$WORK/$tag.serials")
  [ "$received" -ge 10 ] && pass || fail "$tag: only $received replies before the stop (load too light to prove anything)"
}

# 1. kill -9 in the middle of a bounded load.
tsa_start crash --allow-unsynced-clock --threads 2 || { fail "server did not start"; finish; }
clients=()
for k in 1 2 3 4; do client $k kill & clients+=($!); done
sleep 1.5
kill -KILL "$TSA_PID"
wait "$TSA_PID" 2>/dev/null
wait "${clients[@]}"
check_replies kill "$WORK/crash.db"
run "$TSA_BIN" journal verify --journal "$WORK/crash.db"
expect_rc 0 "journal verify after kill -9"
s=$(head -1 "$WORK/kill.serials")
run "$TSA_BIN" journal show --journal "$WORK/crash.db" --serial "$s"
expect_rc 0 "journal show after kill -9"
expect_in "outcome: granted" "$out" "record of a reply sent before the crash"
before=$("$TSA_BIN" journal verify --journal "$WORK/crash.db" | sed -n 's/^journal OK: \([0-9]*\) records.*/\1/p')

# 2. A restart continues the same chain; SIGTERM under load finishes in-flight work.
tsa_start crash --allow-unsynced-clock --threads 2 || { fail "restart failed"; finish; }
clients=()
for k in 1 2 3 4; do client $k term & clients+=($!); done
sleep 1.5
tsa_stop
wait "${clients[@]}"
[ "$stop_rc" -eq 0 ] && pass || fail "SIGTERM under load: exit $stop_rc"
check_replies term "$WORK/crash.db"
run "$TSA_BIN" journal verify --journal "$WORK/crash.db"
expect_rc 0 "journal verify after restart and SIGTERM"
after=$(sed -n 's/^journal OK: \([0-9]*\) records.*/\1/p' <<<"$out")
[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ] && pass || fail "chain did not grow across the restart ($before → $after)"
dups=$(cat "$WORK/kill.serials" "$WORK/term.serials" | sort | uniq -d | grep -c .)
[ "$dups" -eq 0 ] && pass || fail "$dups serials repeated across the restart"

# 3. Two instances appending to one journal form one chain, and their
#    random serials never collide.
tsa_start shared --allow-unsynced-clock || { fail "instance A did not start"; finish; }
pid_a=$TSA_PID url_a=$TSA_URL
tsa_start shared --allow-unsynced-clock || { fail "instance B did not start"; finish; }
pid_b=$TSA_PID url_b=$TSA_URL
clients=()
TSA_URL=$url_a; for k in 1 2; do client $k shared-a 25 & clients+=($!); done
TSA_URL=$url_b; for k in 3 4; do client $k shared-b 25 & clients+=($!); done
wait "${clients[@]}"
TSA_PID=$pid_a; tsa_stop; rc_a=$stop_rc
TSA_PID=$pid_b; tsa_stop; rc_b=$stop_rc
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ] && pass || fail "instances stopped with $rc_a/$rc_b"
check_replies shared-a "$WORK/shared.db"
check_replies shared-b "$WORK/shared.db"
run "$TSA_BIN" journal verify --journal "$WORK/shared.db"
expect_rc 0 "journal shared by two instances"
expect_in "journal OK: 100 records" "$out" "both instances' records in one chain"

# 4. Replies wait for the journal: while another process holds the
#    journal's write lock no reply leaves, and requests in flight beyond
#    --max-queue get 503 at once.
tsa_start locked --allow-unsynced-clock --max-queue 2 || { fail "server did not start"; finish; }
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(3)
db.execute("ROLLBACK")' "$WORK/locked.db" "$WORK/lock-held" &
locker=$!
for _ in $(seq 1 100); do [ -e "$WORK/lock-held" ] && break; sleep 0.05; done
clients=()
for k in 1 2; do (ts_post "$WORK/q$k.tsq" "$WORK/locked-$k.tsr" >"$WORK/locked-$k.code") & clients+=($!); done
sleep 0.7
code=$(ts_post "$WORK/q3.tsq" "$WORK/locked-3.tsr")
[ "$code" = 503 ] && pass || fail "third request in flight: HTTP $code, expected 503"
[ ! -s "$WORK/locked-1.code" ] && [ ! -s "$WORK/locked-2.code" ] && pass || fail "a reply left before its journal record was written"
wait "${clients[@]}" "$locker"
for k in 1 2; do
  [ "$(cat "$WORK/locked-$k.code")" = 200 ] && pass || fail "request $k after the lock: HTTP $(cat "$WORK/locked-$k.code")"
done
tsa_stop
s=$(reply_field "$WORK/locked-1.tsr" "Serial number")
run "$TSA_BIN" journal show --journal "$WORK/locked.db" --serial "$s"
expect_rc 0 "record of a reply delayed by the lock"
run "$TSA_BIN" journal verify --journal "$WORK/locked.db"
expect_in "journal OK: 2 records" "$out" "both delayed requests journaled once"

# 5. A journal that cannot be written (locked beyond SQLite's 5 s busy wait)
#    means no token: the client gets systemFailure, /health turns 503, and
#    both recover once the journal can be written again.
tsa_start stuck --allow-unsynced-clock || { fail "server did not start"; finish; }
rm -f "$WORK/lock-held"
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(8)
db.execute("ROLLBACK")' "$WORK/stuck.db" "$WORK/lock-held" &
locker=$!
for _ in $(seq 1 100); do [ -e "$WORK/lock-held" ] && break; sleep 0.05; done
ts_post "$WORK/q1.tsq" "$WORK/stuck-1.tsr" >/dev/null
expect_in "Rejected" "$(reply_field "$WORK/stuck-1.tsr" Status)" "no token without a journal record"
expect_in "system failure" "$(reply_field "$WORK/stuck-1.tsr" 'Failure info')" "journal failure → systemFailure"
health=$(curl -s -w ' %{http_code}' "$TSA_URL/health")
expect_in '"journal":"not-writable"' "$health" "health names the journal"
expect_in ' 503' "$health" "health 503 while the journal fails"
wait "$locker"
ts_post "$WORK/q1.tsq" "$WORK/stuck-2.tsr" >/dev/null
expect_in "Granted" "$(reply_field "$WORK/stuck-2.tsr" Status)" "granted again once the journal is writable"
expect_in ' 200' "$(curl -s -w ' %{http_code}' "$TSA_URL/health")" "health recovers"
tsa_stop
expect_in "event=journal-write-failed" "$(cat "$TSA_LOG")" "journal failure logged"
run "$TSA_BIN" journal verify --journal "$WORK/stuck.db"
expect_in "journal OK: 1 records (1 granted" "$out" "only the token that was sent is journaled"

# 6. Tampering: an altered field, a removed record, a re-hashed record.
tamper() { # tamper NAME PYTHON-STATEMENTS
  cp "$WORK/crash.db" "$WORK/$1.db"
  python3 - "$WORK/$1.db" "$2" <<'PY'
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
def rehash(seq):
    row = db.execute("SELECT seq, received, outcome, failure, serial, policy, hash_alg, imprint,"
                     " nonce, peer, token, prev_hash FROM journal WHERE seq = ?", (seq,)).fetchone()
    h = hashlib.sha256()
    def f(b):
        h.update(struct.pack('>I', len(b))); h.update(b)
    f(b"vbsig-tsa-journal/1"); f(struct.pack('>Q', row[0]))
    for x in row[1:10]: f((x or '').encode())
    f(row[10] or b''); f(row[11])
    db.execute("UPDATE journal SET hash = ? WHERE seq = ?", (h.digest(), seq))
exec(sys.argv[2])
db.commit()
PY
  run "$TSA_BIN" journal verify --journal "$WORK/$1.db"
}
tamper altered 'db.execute("UPDATE journal SET peer = \"10.0.0.1:1\" WHERE seq = 3")'
expect_rc 1 "altered record"
expect_in "record 3" "$err" "altered record located"
tamper removed 'db.execute("DELETE FROM journal WHERE seq = 5")'
expect_rc 1 "removed record"
expect_in "record 6" "$err" "gap located"
tamper rehashed 'db.execute("UPDATE journal SET imprint = \"00\" WHERE seq = 4"); rehash(4)'
expect_rc 1 "re-hashed record"
expect_in "record 5" "$err" "broken link located"
finish
