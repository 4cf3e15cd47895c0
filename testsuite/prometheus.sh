#!/bin/bash
# A real Prometheus (Debian package) scrapes worktraced's /metrics while the daemon reads
# events from a pipe; its query API must return worktrace_events_total > 0. Also /healthz,
# /readyz (503 until the input is open, 200 after) and promtool's lint of the exposition.
. "$(dirname "$0")/lib.sh"
need_jq
PROM=${WT_PROMETHEUS:-/usr/bin/prometheus}
[ -x "$PROM" ] || { echo "prometheus is not installed (Debian package prometheus)"; exit 77; }
command -v curl >/dev/null || { echo "curl is required for this test"; exit 99; }
command -v python3 >/dev/null || { echo "python3 is required for this test"; exit 99; }
daemon="" prom=""
cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null
	[ -n "$prom" ] && kill "$prom" 2>/dev/null
	exec 3>&- 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# the daemon opens its input (a named pipe) only once a writer comes: /readyz says so
mkfifo "$TMP/pipe"
"$WTD" --rules "$(stdlib_wtb)" --replay "$TMP/pipe" --metrics-listen 127.0.0.1:0 >"$TMP/out.jsonl" 2>"$TMP/err.log" &
daemon=$!
for _ in $(seq 1 200); do grep -qs 'metrics on http' "$TMP/err.log" && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/err.log" | head -1 | sed 's/.*://')
[ -n "$port" ] && pass "worktraced serves metrics on 127.0.0.1:$port" || { fail "no metrics address"; cat "$TMP/err.log"; exit 1; }
code=$(curl -s -o "$TMP/ready0" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/readyz")
[ "$code" = 503 ] && grep -qx 'not ready: input not open' "$TMP/ready0" && pass "/readyz is 503 before the input is open" ||
	fail "/readyz before the input: $code $(cat "$TMP/ready0")"
[ "$(curl -s --max-time 10 "http://127.0.0.1:$port/healthz")" = ok ] && pass "/healthz says ok" || fail "/healthz"
exec 3>"$TMP/pipe"
head -200 "$WT_SRCDIR/examples/workspace-session.jsonl" >&3
code=""
for _ in $(seq 1 100); do
	code=$(curl -s -o "$TMP/ready1" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/readyz")
	[ "$code" = 200 ] && break
	sleep 0.1
done
[ "$code" = 200 ] && grep -qx ready "$TMP/ready1" && pass "/readyz is 200 once the input is open" || fail "/readyz after: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/nothing")
[ "$code" = 404 ] && pass "other paths are 404" || fail "/nothing: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -d x "http://127.0.0.1:$port/metrics")
[ "$code" = 405 ] && pass "POST is 405" || fail "POST /metrics: $code"

curl -s --max-time 10 "http://127.0.0.1:$port/metrics" >"$TMP/metrics.txt"
if command -v promtool >/dev/null; then
	promtool check metrics <"$TMP/metrics.txt" >"$TMP/lint.txt" 2>&1 && pass "promtool check metrics accepts the exposition" ||
		{ fail "promtool check metrics"; cat "$TMP/lint.txt"; }
fi
for m in worktrace_events_total worktrace_input_rejected_total worktrace_pipeline_dropped_total \
	worktrace_pipeline_queue_depth worktrace_threats_total worktrace_correlation_partials \
	worktrace_correlation_evictions_total worktrace_baseline_keys worktrace_ruleset_info \
	worktrace_ruleset_load_timestamp_seconds worktrace_ingest_lag_seconds; do
	grep -q "^$m[ {]" "$TMP/metrics.txt" || fail "/metrics lacks $m"
done
pass "/metrics has every metric family the test lists"
# the documentation lists every family the daemon exposes
missing=$(grep '^# TYPE ' "$TMP/metrics.txt" | awk '{print $3}' | while read -r m; do
	grep -q "^| \`$m\`" "$WT_SRCDIR/docs/metrics.md" || echo "$m"; done)
[ -z "$missing" ] && pass "docs/metrics.md documents every metric family" || fail "undocumented in docs/metrics.md: $missing"

pport=$(free_port)
cat >"$TMP/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: worktrace
    static_configs:
      - targets: ['127.0.0.1:$port']
YAML
"$PROM" --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
	--web.listen-address="127.0.0.1:$pport" >"$TMP/prom.log" 2>&1 &
prom=$!
value=""
for _ in $(seq 1 120); do
	kill -0 "$prom" 2>/dev/null || break
	value=$(curl -s --max-time 5 "http://127.0.0.1:$pport/api/v1/query?query=sum(worktrace_events_total)" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
	[ -n "$value" ] && [ "$value" != 0 ] && break
	sleep 0.5
done
[ -n "$value" ] && [ "$value" -gt 0 ] 2>/dev/null && pass "Prometheus scraped worktrace_events_total = $value" ||
	{ fail "Prometheus query returned '$value'"; tail -20 "$TMP/prom.log"; }
up=$(curl -s --max-time 5 "http://127.0.0.1:$pport/api/v1/query?query=up" | jq -r '.data.result[0].value[1] // empty')
[ "$up" = 1 ] && pass "Prometheus sees the target up" || fail "up = '$up'"
kill "$prom"; wait "$prom" 2>/dev/null; prom=""

exec 3>&-
wait "$daemon"; rc=$?
daemon=""
[ $rc -eq 0 ] && pass "worktraced exits 0 at the end of the input" || fail "worktraced exit $rc"
finish
