#!/bin/bash
# Parity of the gRPC input with the JSON input: every real capture ($WT_TETRAGON_DATA),
# the project's example capture and the stdlib's test events are served by the test
# Tetragon as protobuf; (1) every event decoded from protobuf equals, field by field, the
# JSON decode of its line (an empty string and an absent one are alike: proto3 has only
# one of them), and (2) the threats worktraced reports from --tetragon equal those from
# --replay of the same messages as Tetragon's JSON export writes them (protojson). Lines of
# legacy kinds the API has no message for (process_connect, ...) cannot be sent and are
# checked to be the only ones left out. Deduplication is off on both sides: which repeat
# a record absorbs depends on how the three pipelines' threats interleave at the output
# stage, not on the input.
. "$(dirname "$0")/grpc-lib.sh"
rules=$(stdlib_wtb)
files=()
if [ -n "${WT_TETRAGON_DATA:-}" ]; then
	ls "$WT_TETRAGON_DATA"/*.jsonl >/dev/null 2>&1 || { echo "WT_TETRAGON_DATA=$WT_TETRAGON_DATA has no captures"; exit 1; }
	files+=("$WT_TETRAGON_DATA"/*.jsonl)
else
	echo "WT_TETRAGON_DATA is not set: only the project's captures are compared"
fi
files+=("$WT_SRCDIR/examples/workspace-session.jsonl" "$WT_SRCDIR"/stdlib-rules/tests/*.jsonl)
KNOWN='["process_exec","process_exit","process_kprobe","process_tracepoint","process_uprobe","process_lsm","process_throttle","rate_limit_info","process_loader","process_usdt"]'
total=0
for f in "${files[@]}"; do
	name=$(basename "$(dirname "$f")")-$(basename "$f" .jsonl)
	tetragon "$name" --sent "$TMP/$name.sent" --export "$TMP/$name.export" --dump "$TMP/$name.bin" "$f"
	want=$(jq -R -c --argjson k "$KNOWN" 'fromjson? | select([keys[] | select(IN($k[]))] | length > 0)' "$f" | grep -c '')
	[ "$SERVED" -eq "$want" ] && [ "$(grep -c '' "$TMP/$name.sent")" -eq "$SERVED" ] ||
		fail "$name: served $SERVED events, the capture has $want of kinds the API carries"
	if [ -x "$WT_BUILDDIR/testsuite/unit/test_decode_proto" ]; then
		if "$WT_BUILDDIR/testsuite/unit/test_decode_proto" "$TMP/$name.sent" "$TMP/$name.bin" >"$TMP/$name.cmp" 2>&1; then
			pass "$name: $SERVED events decode from protobuf exactly as from JSON"
		else
			fail "$name: protobuf and JSON decodes differ"; head -20 "$TMP/$name.cmp"
		fi
	fi
	timeout 60 "$WTD" --rules "$rules" --tetragon "$ADDR" --tetragon-exit-on-end --dedup-window 0 >"$TMP/$name.grpc" 2>"$TMP/$name.grpc.err"
	rc=$?
	stop_tetragon "$SERVER_PID"
	"$WTD" --rules "$rules" --replay "$TMP/$name.export" --dedup-window 0 >"$TMP/$name.replay" 2>"$TMP/$name.replay.err"
	if [ "$SERVED" -eq 0 ]; then
		grep -q "summary: lines=0 events=0 " "$TMP/$name.grpc.err" && [ $rc -eq 0 ] &&
			pass "$name: nothing to serve, nothing ingested" || fail "$name: exit $rc with nothing served"
		continue
	fi
	if [ $rc -ne 0 ] || ! grep -q "summary: lines=$SERVED events=$SERVED .* malformed=0 unknown_kind=0 too_long=0 dropped_direct=0 dropped_correlation=0 dropped_behavioral=0 " "$TMP/$name.grpc.err"; then
		fail "$name: --tetragon exit $rc, not all $SERVED events ingested"; cat "$TMP/$name.grpc.err"
		continue
	fi
	norm "$TMP/$name.grpc" >"$TMP/$name.g"
	norm "$TMP/$name.replay" >"$TMP/$name.r"
	n=$(grep -c '' "$TMP/$name.r")
	total=$((total + n))
	if cmp -s "$TMP/$name.g" "$TMP/$name.r"; then
		pass "$name: the same $n threats through gRPC as through --replay"
	else
		fail "$name: threats differ between gRPC and --replay"; diff "$TMP/$name.r" "$TMP/$name.g" | head -10
	fi
done
[ "$total" -gt 50 ] && pass "$total threats compared in all" || fail "only $total threats compared: the comparison proves little"
finish
