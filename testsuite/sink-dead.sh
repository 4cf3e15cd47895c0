#!/bin/bash
# Dead and slow sinks never slow detection: with an Alertmanager on a closed port, a webhook
# receiver that accepts and never answers, and a dead webhook with a 5-record queue, the
# stdout records are those of a run without sinks, threats are written while the input is
# still open, and every record a sink could not deliver is counted (failed or dropped).
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
EX="$WT_SRCDIR/examples/workspace-session.jsonl"
"$WTD" --rules "$rules" --replay "$EX" >"$TMP/out0" 2>/dev/null
n=$(grep -c '' "$TMP/out0")
start_receiver closed closed -; CLOSED=$RECV_PORT
start_receiver hang hang -; HANG=$RECV_PORT
sinks=(--sink "alertmanager=http://127.0.0.1:$CLOSED#backoff_ms=50&backoff_max=1"
	--sink "webhook=http://127.0.0.1:$HANG/#timeout=1"
	--sink "webhook=http://127.0.0.1:$CLOSED/#queue=5" --sink-flush-timeout 2)
mkfifo "$TMP/fifo"
"$WTD" --rules "$rules" --replay "$TMP/fifo" "${sinks[@]}" >"$TMP/out" 2>"$TMP/err" &
pid=$!
spawned $pid
exec 3>"$TMP/fifo"
cat "$EX" >&3
# every first occurrence is on stdout while the input is still open (repeat records are
# written when their windows close, here at the end of the input)
firsts() { [ "$(jq -s 'map(select(.dedup.repeat | not)) | length' "$TMP/out")" -eq "$(jq -s 'map(select(.dedup.repeat | not)) | length' "$TMP/out0")" ]; }
wait_for 30 firsts && pass "all first-occurrence records written while the sinks are dead and the input open" ||
	fail "records held back: $(grep -c '' "$TMP/out") of $n"
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 0 ] && pass "exit status 0 with dead sinks" || fail "exit status $rc"
# (the pipelines run in parallel: records of different pipelines may interleave differently)
cmp -s <(sort "$TMP/out0") <(sort "$TMP/out") && pass "stdout records identical to a run without sinks" || fail "stdout differs"
c() { grep -o " $1=[0-9]*" "$TMP/err" | cut -d= -f2; }
[ "$(c sink0_alertmanager_delivered)" = 0 ] && [ "$(c sink0_alertmanager_failed)" = "$n" ] && [ "$(c sink0_alertmanager_lost)" = "$n" ] &&
	[ "$(c sink0_alertmanager_retried)" -gt 0 ] && pass "closed Alertmanager port: retried, then $n failed at the flush deadline" ||
	fail "sink0: $(grep -o ' sink0[^ ]*' "$TMP/err" | tr -d '\n')"
[ "$(c sink1_webhook_delivered)" = 0 ] && [ "$(c sink1_webhook_lost)" = "$n" ] &&
	pass "receiver that never answers: all $n counted as lost" || fail "sink1: $(grep -o ' sink1[^ ]*' "$TMP/err" | tr -d '\n')"
d=$(c sink2_webhook_dropped); f=$(c sink2_webhook_failed)
[ "$d" -gt 0 ] && [ $((d + f)) -eq "$n" ] && [ "$f" -le 6 ] && [ "$(c sink2_webhook_lost)" = "$n" ] &&
	pass "5-record queue: $d oldest dropped, $f failed, all $n counted" || fail "sink2: $(grep -o ' sink2[^ ]*' "$TMP/err" | tr -d '\n')"
grep -q "^worktraced: sink0_alertmanager: $n record(s) not delivered before the flush deadline: POST http://127.0.0.1:$CLOSED/api/v2/alerts: Couldn't connect to server" "$TMP/err" &&
	pass "what was not delivered is reported at exit" || fail "exit report: $(grep sink0 "$TMP/err" | head -3)"
# SIGTERM while a sink is dead: the input stops, the sinks get the flush timeout, exit 0
mkfifo "$TMP/fifo2"
"$WTD" --rules "$rules" --replay "$TMP/fifo2" --sink "webhook=http://127.0.0.1:$CLOSED/#backoff_ms=20" \
	--sink-flush-timeout 1 >"$TMP/out3" 2>"$TMP/err3" &
pid=$!
spawned $pid
exec 3>"$TMP/fifo2"
head -n 230 "$EX" >&3
some() { [ -s "$TMP/out3" ]; }
wait_for 20 some || fail "no record before SIGTERM"
kill -TERM $pid
wait $pid
rc=$?
exec 3>&-
m=$(grep -c '' "$TMP/out3")
[ $rc -eq 0 ] && grep -q " sink0_webhook_delivered=0 sink0_webhook_retried=[1-9][0-9]* sink0_webhook_failed=$m sink0_webhook_dropped=0 sink0_webhook_lost=$m" "$TMP/err3" &&
	pass "SIGTERM with a dead sink: exit 0 after the flush timeout, all $m records counted as failed" ||
	fail "SIGTERM: rc $rc $(grep -o ' sink0.*' "$TMP/err3")"
# a request in flight is cut at the flush deadline, not at its own (longer) timeout
SECONDS=0
"$WTD" --rules "$rules" --replay "$EX" --sink "webhook=http://127.0.0.1:$HANG/#timeout=60" --sink-flush-timeout 1 \
	>/dev/null 2>"$TMP/err4"
rc=$? took=$SECONDS
[ $rc -eq 0 ] && [ "$took" -lt 30 ] && grep -q 'sink0_webhook_delivered=0 .*sink0_webhook_lost=[1-9]' "$TMP/err4" &&
	pass "a hanging request is cut at the 1 s flush deadline (exit after ${took} s, not 60), its records counted lost" ||
	fail "flush deadline: rc $rc after $took s: $(grep -o ' sink0.*' "$TMP/err4")"
finish
