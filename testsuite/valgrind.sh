#!/bin/bash
# valgrind memcheck on the daemon's replay path (example capture and the real captures):
# no invalid access, no definite or indirect leak. Skipped in sanitizer builds.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
[ -n "${WT_SAN_FLAGS:-}" ] && { echo "sanitizer build: valgrind does not combine with ASan"; exit 77; }
rules=$(stdlib_wtb)
inputs=("$WT_SRCDIR/examples/workspace-session.jsonl" "$WT_SRCDIR/stdlib-rules/tests/paths.jsonl")
[ -n "${WT_TETRAGON_DATA:-}" ] && [ -d "$WT_TETRAGON_DATA" ] && inputs+=("$WT_TETRAGON_DATA"/*.jsonl)
for f in "${inputs[@]}"; do
	if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
		"$WTD" --rules "$rules" --replay "$f" >/dev/null 2>"$TMP/vg"; then
		pass "valgrind clean: $(basename "$f")"
	else
		fail "valgrind: $(basename "$f")"; grep -v '^worktraced: summary' "$TMP/vg" | head -40
	fi
done
# the sink threads too: a file, a webhook and a syslog receiver that answer, an Alertmanager
# port that does not (retries, then the flush deadline)
mkdir -p "$TMP/wh"
start_receiver http wh "$TMP/wh"; WH=$RECV_PORT
start_receiver udp udp "$TMP/udp.log"; UDP=$RECV_PORT
start_receiver closed closed -; CLOSED=$RECV_PORT
if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
	"$WTD" --rules "$rules" --replay "${inputs[0]}" --sink "file=$TMP/s.jsonl?max_size=8k&keep=2" \
	--sink "webhook=http://127.0.0.1:$WH/" --sink "syslog=udp://127.0.0.1:$UDP" \
	--sink "alertmanager=http://127.0.0.1:$CLOSED#backoff_ms=50" --sink-flush-timeout 2 >/dev/null 2>"$TMP/vg"; then
	pass "valgrind clean: replay with file, webhook, syslog and a dead Alertmanager sink"
else
	fail "valgrind with sinks"; grep -v '^worktraced: summary' "$TMP/vg" | head -40
fi
finish
