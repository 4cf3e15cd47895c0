#!/bin/bash
# Restart drill: the test Tetragon stops halfway through a stream and is killed (SIGKILL),
# stays down for a second, and comes back on the same address with the rest of the events.
# worktraced retries with delays inside its backoff bound, reconnects, processes the rest,
# logs and counts one gap, and reports exactly the threats of the whole capture.
. "$(dirname "$0")/grpc-lib.sh"
rules=$(stdlib_wtb)
cap="$WT_SRCDIR/examples/workspace-session.jsonl"
tetragon first --stall-after 173 --export "$TMP/all.jsonl" "$cap"
total=$SERVED
first=$SERVER_PID
timeout 60 "$WTD" --rules "$rules" --tetragon "$ADDR" --tetragon-exit-on-end --tetragon-backoff 50:400 \
	--dedup-window 0 --metrics-listen 127.0.0.1:0 >"$TMP/out" 2>"$TMP/err" &
wtd=$!
PIDS="$PIDS $wtd"
wait_for 200 test -e "$TMP/first.addr.stalled" || fail "the first server never reached the middle of the stream"
sleep 1 # the 173 events sent before the stall reach worktraced
port=$(sed -n 's|.*metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$TMP/err")
ready() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz"; }
if command -v curl >/dev/null && [ -n "$port" ]; then
	[ "$(ready)" = 200 ] && pass "/readyz 200 while the stream delivers" || fail "/readyz $(ready) while streaming"
fi
{ kill -9 "$first"; wait "$first"; } 2>/dev/null
sleep 1 # Tetragon is down: worktraced retries
if command -v curl >/dev/null && [ -n "$port" ]; then
	[ "$(ready)" = 503 ] && pass "/readyz 503 while Tetragon is down" || fail "/readyz $(ready) during the gap"
fi
tetragon second --listen "$ADDR" --skip 173 "$cap"
wait "$wtd"
rc=$?
[ $rc -eq 0 ] && pass "worktraced ended normally after the restart" || { fail "exit status $rc"; cat "$TMP/err"; }
grep -q "summary: lines=$total events=$total .* dropped_direct=0 dropped_correlation=0 dropped_behavioral=0 " "$TMP/err" &&
	pass "all $total events ingested across the restart" || { fail "events missing"; cat "$TMP/err"; }
gaps=$(counter "$TMP/err" gaps)
reconnects=$(counter "$TMP/err" reconnects)
streams=$(counter "$TMP/err" streams)
[ "$gaps" = 1 ] && [ "$streams" = 2 ] && pass "one gap counted between two streams" || fail "gaps=$gaps streams=$streams"
[ "${reconnects:-0}" -ge 2 ] && pass "$reconnects reconnect attempts while Tetragon was down" || fail "reconnects=$reconnects"
grep -q "tetragon $ADDR: stream broken: UNAVAILABLE" "$TMP/err" && pass "the broken stream is logged" ||
	{ fail "no message for the broken stream"; cat "$TMP/err"; }
gap=$(sed -n 's/.*events again after a gap of \([0-9.]*\) s$/\1/p' "$TMP/err")
gs=$(counter "$TMP/err" gap_seconds)
[ -n "$gap" ] && [ "$gap" = "$gs" ] && pass "the gap is logged with its duration ($gap s) and summed in the summary" ||
	fail "gap log '$gap', gap_seconds $gs"
delays=$(sed -n 's/.*retrying in \([0-9]*\) ms$/\1/p' "$TMP/err")
over=$(echo "$delays" | awk '$1 > 400 || $1 < 25' | grep -c '')
[ -n "$delays" ] && [ "$over" -eq 0 ] && pass "every retry delay within 25..400 ms: $(echo $delays)" || fail "delays: $(echo $delays)"
"$WTD" --rules "$rules" --replay "$TMP/all.jsonl" --dedup-window 0 >"$TMP/replay" 2>"$TMP/replay.err"
norm "$TMP/out" >"$TMP/g"
norm "$TMP/replay" >"$TMP/r"
n=$(grep -c '' "$TMP/r")
[ "$n" -gt 20 ] && cmp -s "$TMP/g" "$TMP/r" && pass "the same $n threats as a replay of the whole capture" ||
	{ fail "threats differ from the replay ($n)"; diff "$TMP/r" "$TMP/g" | head -6; }

# the same when the server dies by itself (like a crash) after 100 events, and comes back
tetragon crash --exit-after 100 "$cap"
timeout 60 "$WTD" --rules "$rules" --tetragon "$ADDR" --tetragon-exit-on-end --tetragon-backoff 50:400 \
	--dedup-window 0 >"$TMP/out2" 2>"$TMP/err2" &
wtd=$!
PIDS="$PIDS $wtd"
wait_for 200 sh -c "! kill -0 $SERVER_PID 2>/dev/null" || fail "the server did not exit after 100 events"
tetragon back --listen "$ADDR" --skip 100 "$cap"
wait "$wtd"
rc=$?
[ $rc -eq 0 ] && grep -q "summary: lines=$total events=$total " "$TMP/err2" && [ "$(counter "$TMP/err2" gaps)" = 1 ] &&
	pass "server crash after 100 events: all $total events, one gap" || { fail "crash drill (exit $rc)"; cat "$TMP/err2"; }
norm "$TMP/out2" >"$TMP/g2"
cmp -s "$TMP/g2" "$TMP/r" && pass "crash drill: the same $n threats as the replay" || fail "crash drill: threats differ"
finish
