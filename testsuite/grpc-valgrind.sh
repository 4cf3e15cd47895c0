#!/bin/bash
# valgrind memcheck on the gRPC path: a whole stream over TCP (a localhost: target, which
# worktraced maps to ipv4:127.0.0.1 to keep c-ares out of it), and the reconnect loop with
# nobody serving, stopped by SIGTERM: no invalid access, no definite or indirect leak
# ("possibly lost" is gRPC's background threads still alive at exit). Skipped in sanitizer
# builds.
. "$(dirname "$0")/grpc-lib.sh"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
[ -n "${WT_SAN_FLAGS:-}" ] && { echo "sanitizer build: valgrind does not combine with ASan"; exit 77; }
rules=$(stdlib_wtb)
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9)
tetragon vg "$WT_SRCDIR/examples/workspace-session.jsonl"
port=${ADDR##*:}
timeout 300 "${VG[@]}" "$WTD" --rules "$rules" --tetragon "localhost:$port" --tetragon-exit-on-end \
	>"$TMP/out" 2>"$TMP/vg"
rc=$?
if [ $rc -eq 0 ] && grep -q "summary: lines=$SERVED events=$SERVED " "$TMP/vg"; then
	pass "valgrind clean: $SERVED events over gRPC"
else
	fail "valgrind: stream (exit $rc)"; grep -v 'summary' "$TMP/vg" | head -40
fi
stop_tetragon "$SERVER_PID"
"${VG[@]}" "$WTD" --rules "$rules" --tetragon "unix://$TMP/nobody.sock" --tetragon-backoff 20:100 \
	>/dev/null 2>"$TMP/vg2" &
wtd=$!
PIDS="$PIDS $wtd"
retries() { [ "$(grep -c 'retrying in' "$TMP/vg2")" -ge 5 ]; }
wait_for 600 retries || fail "fewer than 5 retries under valgrind in 60 s"
kill -TERM "$wtd"
wait "$wtd"
rc=$?
[ $rc -eq 0 ] && pass "valgrind clean: $(grep -c 'retrying in' "$TMP/vg2") failed attempts, then SIGTERM" ||
	{ fail "valgrind: retry loop (exit $rc)"; grep -v 'retrying in' "$TMP/vg2" | head -40; }
finish
