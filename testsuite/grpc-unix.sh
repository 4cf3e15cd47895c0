#!/bin/bash
# The unix socket target (Tetragon's Kubernetes default) in both spellings, the request's
# allow/deny filters as the server receives them, an event kind Worktrace does not detect
# on (process_loader) counted as unknown like in --replay, and a gzip-compressed stream.
. "$(dirname "$0")/grpc-lib.sh"
rules=$(stdlib_wtb)
cap="$WT_SRCDIR/examples/workspace-session.jsonl"
sock="$TMP/tetragon.sock"
{
	head -3 "$cap"
	echo '{"process_loader":{"process":{"binary":"/bin/x"},"path":"/lib/x.so","buildid":"AAAA"},"node_name":"n","time":"2026-11-03T09:00:00Z"}'
} >"$TMP/small.jsonl"
tetragon unix --listen "unix:$sock" --request-file "$TMP/requests" "$TMP/small.jsonl"
for target in "unix://$sock" "unix:$sock"; do
	timeout 60 "$WTD" --rules "$rules" --tetragon "$target" --tetragon-exit-on-end >"$TMP/out" 2>"$TMP/err"
	rc=$?
	grep -q 'summary: lines=4 events=3 .* malformed=0 unknown_kind=1 ' "$TMP/err" && [ $rc -eq 0 ] &&
		pass "$target: 3 events and 1 unknown kind over the unix socket" || { fail "$target: exit $rc"; cat "$TMP/err"; }
done
grep -q "unix:$sock:4: unknown event kind \"process_loader\" skipped" "$TMP/err" &&
	pass "the unknown kind is reported with its message number" || { fail "no unknown-kind message"; cat "$TMP/err"; }
"$WTD" --rules "$rules" --replay "$TMP/small.jsonl" 2>"$TMP/replay.err" >/dev/null
grep -q 'summary: lines=4 events=3 .* malformed=0 unknown_kind=1 ' "$TMP/replay.err" &&
	pass "--replay counts the same" || { fail "replay differs"; cat "$TMP/replay.err"; }
: >"$TMP/requests"
timeout 60 "$WTD" --rules "$rules" --tetragon "unix://$sock" --tetragon-exit-on-end \
	--tetragon-allow-namespace ws-a --tetragon-allow-namespace ws-b --tetragon-allow-event exec --tetragon-allow-event kprobe \
	--tetragon-deny-namespace kube-system --tetragon-deny-binary '^/usr/bin/kubelet$' --tetragon-deny-event exit \
	--tetragon-deny-pod '^prometheus-' >/dev/null 2>"$TMP/err"
want='{"allow_list":[{"event_set":["PROCESS_EXEC","PROCESS_KPROBE"],"namespace":["ws-a","ws-b"]}],"deny_list":[{"namespace":["kube-system"]},{"pod_regex":["^prometheus-"]},{"binary_regex":["^/usr/bin/kubelet$"]},{"event_set":["PROCESS_EXIT"]}]}'
got=$(jq -S -c . "$TMP/requests")
[ "$got" = "$(echo "$want" | jq -S -c .)" ] && pass "the GetEventsRequest carries the allow and deny filters" ||
	fail "request: $got"
stop_tetragon "$SERVER_PID"
# a gzip-compressed stream (gRPC decompresses; the messages arrive in several slices)
tetragon gz --listen "unix:$sock" --gzip --export "$TMP/gz.jsonl" "$cap"
timeout 60 "$WTD" --rules "$rules" --tetragon "unix://$sock" --tetragon-exit-on-end --dedup-window 0 >"$TMP/gz.out" 2>"$TMP/gz.err"
"$WTD" --rules "$rules" --replay "$TMP/gz.jsonl" --dedup-window 0 >"$TMP/gz.replay" 2>/dev/null
grep -q "summary: lines=$SERVED events=$SERVED " "$TMP/gz.err" &&
	pass "gzip stream: all $SERVED messages decoded" || { fail "gzip stream"; cat "$TMP/gz.err"; }
norm "$TMP/gz.out" >"$TMP/gz.g"
norm "$TMP/gz.replay" >"$TMP/gz.r"
cmp -s "$TMP/gz.g" "$TMP/gz.r" && pass "gzip stream: the same $(grep -c '' "$TMP/gz.r") threats as --replay" ||
	fail "gzip stream: threats differ"
"$WTD" --rules "$rules" --tetragon "unix://$sock" --tetragon-allow-event bogus 2>"$TMP/usage"
[ $? -eq 64 ] && grep -q "invalid value 'bogus' for --tetragon-allow-event" "$TMP/usage" &&
	pass "an unknown event kind in a filter is a usage error" || fail "filter usage: $(cat "$TMP/usage")"
"$WTD" --rules "$rules" --tetragon "unix://$sock" --replay "$cap" 2>/dev/null
[ $? -eq 64 ] && pass "--tetragon and --replay together are a usage error" || fail "--tetragon with --replay accepted"
finish
