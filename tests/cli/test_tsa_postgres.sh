#!/usr/bin/env bash
# vbsig-tsa with its journal in PostgreSQL: a cluster of its own (initdb in a
# temporary directory, Unix socket only), tokens that verify, journal
# verify|show on the database, kill -9 under load without a reply lacking
# its record, a restart and a second instance continuing one chain,
# tampering detected, and a database that goes away and comes back.
# PostgreSQL not starting is a failure, not a skip.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/tsa/tsa_lib.sh"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || { fail "PostgreSQL server not installed (scripts/install-deps.sh)"; finish; }
# A short path for the socket; initdb refuses to run as root, so the
# cluster belongs to nobody when the test runs as root.
PGDIR=$(mktemp -d /tmp/vbsig-pg.XXXXXX)
chmod 755 "$PGDIR"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown nobody "$PGDIR"; as_pg=(runuser -u nobody --); fi
PGPORT=$(( 20000 + RANDOM % 12000 )) # Unix socket only: the port just names the socket
pg_ctl() { "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" "$@"; }
pg_cleanup() {
  tsa_cleanup
  pg_ctl -m immediate stop >/dev/null 2>&1
  rm -rf "$PGDIR"
}
trap pg_cleanup EXIT

"${as_pg[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U tsa --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1 ||
  { fail "initdb: $(tail -3 "$WORK/initdb.log")"; finish; }
pg_start() { pg_ctl -w -o "-k $PGDIR -p $PGPORT -c listen_addresses=''" start >/dev/null 2>&1; }
pg_start || { fail "PostgreSQL did not start: $(tail -5 "$PGDIR/log")"; finish; }
pass
psql_q() { "$PGBIN/psql" -X -At -h "$PGDIR" -p "$PGPORT" -U tsa -d "$1" -c "$2"; }
psql_q postgres "CREATE DATABASE tsa" >/dev/null && pass || fail "CREATE DATABASE"
JOURNAL="postgresql:///tsa?host=$PGDIR&port=$PGPORT&user=tsa"

for k in 1 2 3 4; do
  echo "client $k" >"$WORK/d$k"
  openssl ts -query -data "$WORK/d$k" -sha256 -cert -out "$WORK/q$k.tsq" 2>/dev/null
done

# 1. Tokens that verify, and their records.
tsa_start pg --allow-unsynced-clock --journal "$JOURNAL" || { fail "server did not start"; finish; }
expect_in "journal=postgresql:///tsa?host=" "$(grep event=started "$TSA_LOG")" "started on the PostgreSQL journal"
code=$(ts_post "$WORK/q1.tsq" "$WORK/first.tsr")
[ "$code" = 200 ] && pass || fail "HTTP $code"
openssl ts -verify -in "$WORK/first.tsr" -queryfile "$WORK/q1.tsq" -CAfile "$PKI/root/root.pem" \
  -untrusted "$PKI/chain.pem" >/dev/null 2>&1 && pass || fail "openssl ts -verify"
der_request sha256 20 >"$WORK/qbad.tsq"
ts_post "$WORK/qbad.tsq" "$WORK/bad.tsr" >/dev/null
expect_in "wrong format" "$(reply_field "$WORK/bad.tsr" 'Failure info')" "rejection answered"
expect_in '"journal":"ok"' "$(curl -s "$TSA_URL/health")" "health: journal ok"
s=$(reply_field "$WORK/first.tsr" "Serial number"); s=${s#0x}
run "$TSA_BIN" journal show --journal "$JOURNAL" --serial "$s"
expect_rc 0 "journal show on PostgreSQL"
expect_in "outcome: granted" "$out" "shown record"
token=$(printf '%s\n' "$out" | sed -n 's/^token: //p' | base64 -d | sha256sum)
openssl ts -reply -in "$WORK/first.tsr" -token_out -out "$WORK/first.der" 2>/dev/null
[ "$token" = "$(sha256sum <"$WORK/first.der")" ] && pass || fail "journal token differs from the one sent"
run "$TSA_BIN" journal verify --journal "$JOURNAL"
expect_rc 0 "journal verify on PostgreSQL"
expect_in "journal OK: 2 records (1 granted, 1 rejections)" "$out" "record counts"
sync_commit=$(psql_q tsa "SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'")
[ "$sync_commit" = on ] && pass || fail "synchronous_commit is '$sync_commit'"

# 2. kill -9 under load: every reply received has its record.
client() { # client K TAG: posts until the server is gone (at most 400 times)
  local k=$1 tag=$2 i code
  for i in $(seq 1 400); do
    code=$(ts_post "$WORK/q$k.tsq" "$WORK/tmp-$tag-$k") || break
    [ "$code" = 200 ] || break
    mv "$WORK/tmp-$tag-$k" "$WORK/$tag-$k-$i.tsr"
  done
}
check_replies() { # check_replies TAG
  local tag=$1 f s
  for f in "$WORK/$tag"-*.tsr; do
    [ -e "$f" ] || continue
    s=$(reply_field "$f" "Serial number")
    [ -n "$s" ] || { fail "$f: not a granted reply"; continue; }
    echo "${s#0x}"
  done | sort >"$WORK/$tag.serials"
  psql_q tsa "SELECT serial FROM journal WHERE serial IS NOT NULL" | sort >"$WORK/$tag.have"
  missing=$(comm -23 "$WORK/$tag.serials" "$WORK/$tag.have" | grep -c .)
  [ "$missing" -eq 0 ] && pass || fail "$tag: $missing replies sent without a journal record"
  received=$(grep -c . "$WORK/$tag.serials")
  [ "$received" -ge 10 ] && pass || fail "$tag: only $received replies (load too light to prove anything)"
}
# wait_replies TAG N: until N replies of TAG have arrived (at most 60 s), so
# the kill lands under load however slow the machine (an ASan build on two
# busy cores managed 9 replies in a fixed 1.5 s).
wait_replies() {
  local tag=$1 n=$2 t
  for t in $(seq 1 600); do
    [ "$(find "$WORK" -maxdepth 1 -name "$tag-*.tsr" | wc -l)" -ge "$n" ] && return 0
    sleep 0.1
  done
  return 1
}
clients=()
for k in 1 2 3 4; do client $k kill & clients+=($!); done
wait_replies kill 12 || fail "kill: fewer than 12 replies in 60 s"
kill -KILL "$TSA_PID"
wait "$TSA_PID" 2>/dev/null
wait "${clients[@]}"
check_replies kill
run "$TSA_BIN" journal verify --journal "$JOURNAL"
expect_rc 0 "journal verify after kill -9"
before=$(sed -n 's/^journal OK: \([0-9]*\) records.*/\1/p' <<<"$out")

# 3. A restart and a second instance continue the one chain.
tsa_start pg --allow-unsynced-clock --journal "$JOURNAL" || { fail "restart failed"; finish; }
pid_a=$TSA_PID url_a=$TSA_URL
tsa_start pg2 --allow-unsynced-clock --journal "$JOURNAL" || { fail "second instance did not start"; finish; }
pid_b=$TSA_PID url_b=$TSA_URL
clients=()
TSA_URL=$url_a; for k in 1 2; do client $k two-a & clients+=($!); done
TSA_URL=$url_b; for k in 3 4; do client $k two-b & clients+=($!); done
wait_replies two-a 12 || fail "two-a: fewer than 12 replies in 60 s"
wait_replies two-b 12 || fail "two-b: fewer than 12 replies in 60 s"
TSA_PID=$pid_b; tsa_stop; rc_b=$stop_rc
TSA_PID=$pid_a; tsa_stop; rc_a=$stop_rc
wait "${clients[@]}"
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ] && pass || fail "instances stopped with $rc_a/$rc_b"
check_replies two-a
check_replies two-b
run "$TSA_BIN" journal verify --journal "$JOURNAL"
expect_rc 0 "journal verify after two instances"
after=$(sed -n 's/^journal OK: \([0-9]*\) records.*/\1/p' <<<"$out")
[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ] && pass || fail "chain did not grow ($before → $after)"
dups=$(cat "$WORK"/kill.serials "$WORK"/two-a.serials "$WORK"/two-b.serials | sort | uniq -d | grep -c .)
[ "$dups" -eq 0 ] && pass || fail "$dups serials repeated"

# 4. The database goes away: no token without a record, health says so;
#    when it is back the server reconnects.
tsa_start pg3 --allow-unsynced-clock --journal "$JOURNAL" || { fail "server did not start"; finish; }
pg_ctl -m fast stop >/dev/null 2>&1 && pass || fail "stopping PostgreSQL"
ts_post "$WORK/q1.tsq" "$WORK/down.tsr" >/dev/null
expect_in "Rejected" "$(reply_field "$WORK/down.tsr" Status)" "no token while the journal is down"
expect_in "system failure" "$(reply_field "$WORK/down.tsr" 'Failure info')" "journal down → systemFailure"
expect_in ' 503' "$(curl -s -w ' %{http_code}' "$TSA_URL/health")" "health 503 while the journal is down"
pg_start && pass || fail "PostgreSQL did not restart: $(tail -5 "$PGDIR/log")"
ts_post "$WORK/q1.tsq" "$WORK/back.tsr" >/dev/null
expect_in "Granted" "$(reply_field "$WORK/back.tsr" Status)" "granted again after reconnecting"
expect_in ' 200' "$(curl -s -w ' %{http_code}' "$TSA_URL/health")" "health recovers"
tsa_stop
s=$(reply_field "$WORK/back.tsr" "Serial number")
run "$TSA_BIN" journal show --journal "$JOURNAL" --serial "$s"
expect_rc 0 "record of the token after the reconnection"

# 5. Tampering is found; a database without the table is not a journal.
run "$TSA_BIN" journal verify --journal "$JOURNAL"
expect_rc 0 "journal verify before tampering"
psql_q tsa "UPDATE journal SET peer = '10.0.0.1:1' WHERE seq = 3" >/dev/null
run "$TSA_BIN" journal verify --journal "$JOURNAL"
expect_rc 1 "altered record"
expect_in "record 3" "$err" "altered record located"
run "$TSA_BIN" journal verify --journal "postgresql:///postgres?host=$PGDIR&port=$PGPORT&user=tsa"
expect_rc 65 "database without a journal table"
run "$TSA_BIN" journal verify --journal "postgresql://tsa:secret@/tsa?host=$PGDIR/nowhere&port=$PGPORT"
expect_rc 69 "unreachable database"
case "$err" in *secret*) fail "the password is printed: $err" ;; *) pass ;; esac
finish
