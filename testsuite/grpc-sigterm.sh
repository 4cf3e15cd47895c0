#!/bin/bash
# SIGTERM while streaming: worktraced cancels the call, drains and exits 0 within 5 s, and
# every line it printed is a complete JSON record. The same on a stalled stream and while it
# waits to reconnect.
. "$(dirname "$0")/grpc-lib.sh"
rules=$(stdlib_wtb)
tetragon live --loop --rate 3000 "$WT_SRCDIR/examples/workspace-session.jsonl"
"$WTD" --rules "$rules" --tetragon "$ADDR" --dedup-window 0 >"$TMP/out" 2>"$TMP/err" &
wtd=$!
PIDS="$PIDS $wtd"
has_lines() { [ "$(grep -c '' "$TMP/out")" -ge "$1" ]; }
wait_for 300 has_lines 200 || fail "no threats streamed in 30 s"
kill -TERM "$wtd"
exits_within_5s "$wtd" "SIGTERM while streaming"
n=$(grep -c '' "$TMP/out")
good=$(jq -c -R 'fromjson? | select(.rule != null)' "$TMP/out" | grep -c '')
[ "$n" -ge 200 ] && [ "$good" -eq "$n" ] && [ -z "$(tail -c 1 "$TMP/out")" ] &&
	pass "all $n printed lines are complete threat records" || fail "$good of $n lines are complete records"
grep -q 'summary: lines=' "$TMP/err" && grep -q 'tetragon summary: messages=' "$TMP/err" &&
	pass "the summary is printed after the stop" || { fail "no summary"; cat "$TMP/err"; }
stop_tetragon "$SERVER_PID"

# a stalled stream (connected, nothing sent): no reconnect, no exit, until the signal
tetragon stall --stall-after 5 "$WT_SRCDIR/examples/workspace-session.jsonl"
"$WTD" --rules "$rules" --tetragon "$ADDR" >/dev/null 2>"$TMP/err3" &
wtd=$!
PIDS="$PIDS $wtd"
wait_for 100 test -e "$TMP/stall.addr.stalled" || fail "the server did not stall"
sleep 1
kill -0 "$wtd" 2>/dev/null && ! grep -q 'retrying' "$TMP/err3" && pass "a stalled stream is waited on, not dropped" ||
	{ fail "worktraced left the stalled stream"; cat "$TMP/err3"; }
kill -TERM "$wtd"
exits_within_5s "$wtd" "SIGTERM on a stalled stream"
grep -q 'summary: lines=5 events=5 ' "$TMP/err3" && pass "the 5 events before the stall were ingested" ||
	{ fail "events before the stall"; cat "$TMP/err3"; }
stop_tetragon "$SERVER_PID"

# nobody serves the socket: worktraced is in its backoff loop when the signal comes
"$WTD" --rules "$rules" --tetragon "unix://$TMP/nobody.sock" --tetragon-backoff 1000:5000 >"$TMP/out2" 2>"$TMP/err2" &
wtd=$!
PIDS="$PIDS $wtd"
has_retry() { grep -q 'retrying in' "$TMP/err2"; }
wait_for 100 has_retry || fail "no retry message"
kill -INT "$wtd"
exits_within_5s "$wtd" "SIGINT during the backoff wait"
grep -q "stream not available: UNAVAILABLE" "$TMP/err2" && pass "the unavailable server is reported" ||
	{ fail "no message for the missing server"; cat "$TMP/err2"; }
finish
