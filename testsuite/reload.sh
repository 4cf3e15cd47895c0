#!/bin/bash
# SIGHUP while reading a live stream (a pipe): a corrupted ruleset is refused and the old
# rules keep detecting; a good new ruleset that renames and adds rules takes over for the
# events after it; a correlation partial match started before the reloads completes after
# them (rebinding by path name); the reloads are counted in /metrics. SIGTERM with the pipe
# still open drains, saves the baselines and exits 0.
. "$(dirname "$0")/lib.sh"
need_jq
command -v curl >/dev/null || { echo "curl is required for this test"; exit 99; }
daemon=""
cleanup() { [ -n "$daemon" ] && kill "$daemon" 2>/dev/null; exec 3>&- 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

cat >"$TMP/a.wt" <<'WT'
rule test.shadow_read {
  on kprobe
  when file.path == "/etc/shadow"
  severity high
  output "{process.binary} read {file.path}"
}
path test.fetch_run {
  within 10m by workspace
  step fetch: exec when process.basename == "curl"
  step run: exec when process.binary startswith "/tmp/"
  severity critical
  output "fetched and ran {process.binary} in {workspace.id}"
}
WT
# b: a path inserted before the old one (its index moves), the rule renamed, one rule
# added, the old path unchanged
cat >"$TMP/b.wt" <<'WT'
path test.true_false {
  within 1m by workspace
  step t: exec when process.basename == "true"
  step f: exec when process.basename == "false"
  severity low
  output "true then false"
}
WT
sed 's/test.shadow_read/test.shadow_read_v2/' "$TMP/a.wt" >>"$TMP/b.wt"
cat >>"$TMP/b.wt" <<'WT'
rule test.passwd_read {
  on kprobe
  when file.path == "/etc/passwd"
  severity medium
  output "{process.binary} read {file.path}"
}
WT
"$WTC" compile -o "$TMP/a.wtb" "$TMP/a.wt" && "$WTC" compile -o "$TMP/b.wtb" "$TMP/b.wt" || { echo "rules do not compile"; exit 99; }
cp "$TMP/a.wtb" "$TMP/rules.wtb"

pod='"pod":{"namespace":"ws-carol","name":"ws-carol-0","pod_labels":{"worktrace.io/workspace":"carol-web"}}'
kprobe() { # SECOND PATH
	printf '{"process_kprobe":{"process":{"exec_id":"cmVsb2FkOjE=","pid":200,"uid":0,"binary":"/usr/bin/cat","arguments":"%s",%s},"function_name":"security_file_permission","args":[{"file_arg":{"path":"%s"}},{"int_arg":4}],"action":"KPROBE_ACTION_POST"},"node_name":"node-7","time":"2026-10-14T10:00:%02dZ"}\n' "$2" "$pod" "$2" "$1"
}
exec_ev() { # SECOND ID BINARY
	printf '{"process_exec":{"process":{"exec_id":"%s","pid":30%d,"uid":1000,"cwd":"/","binary":"%s","arguments":"-o /tmp/x http://203.0.113.9/x","start_time":"2026-10-14T10:00:%02dZ",%s}},"node_name":"node-7","time":"2026-10-14T10:00:%02dZ"}\n' "$2" "$1" "$3" "$1" "$pod" "$1"
}
cat >"$TMP/wt.yaml" <<YAML
rules: $TMP/rules.wtb
input:
  replay: "-"
dedup:
  window: 0
metrics:
  listen: 127.0.0.1:0
YAML
"$WTD" --check-config "$TMP/wt.yaml" >"$TMP/check.out" && pass "the test's config file is valid" ||
	{ fail "the test's config file"; cat "$TMP/check.out"; }

# wait_for FILE PATTERN: up to 20 s for a line in FILE
wait_for() {
	for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
records() { jq -r '.rule' "$TMP/out.jsonl" 2>/dev/null | tr '\n' ' '; }
wait_records() { # N: up to 20 s for N records
	for _ in $(seq 1 200); do [ "$(wc -l <"$TMP/out.jsonl")" -ge "$1" ] && return 0; sleep 0.1; done
	return 1
}

mkfifo "$TMP/pipe"
"$WTD" --config "$TMP/wt.yaml" <"$TMP/pipe" >"$TMP/out.jsonl" 2>"$TMP/err.log" &
daemon=$!
exec 3>"$TMP/pipe"
wait_for "$TMP/err.log" 'metrics on http' || { fail "no metrics address"; cat "$TMP/err.log"; exit 1; }
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/err.log" | head -1 | sed 's/.*://')

kprobe 0 /etc/shadow >&3
exec_ev 5 ZmV0Y2g6MQ== /usr/bin/curl >&3
wait_records 1 && [ "$(records)" = "test.shadow_read " ] && pass "the first ruleset detects" ||
	fail "before any reload: $(records)"

# a corrupted ruleset: the bits of one byte in the middle inverted
off=$(($(stat -c %s "$TMP/a.wtb") / 2))
byte=$(od -An -tu1 -j"$off" -N1 "$TMP/a.wtb" | tr -d ' ')
cp "$TMP/a.wtb" "$TMP/rules.wtb"
printf "\\x$(printf %02x $((255 - byte)))" | dd of="$TMP/rules.wtb" bs=1 seek="$off" conv=notrunc status=none
cmp -s "$TMP/a.wtb" "$TMP/rules.wtb" && fail "the corruption changed nothing"
kill -HUP "$daemon"
wait_for "$TMP/err.log" 'reload refused: ruleset refused' && pass "a corrupted ruleset is refused on SIGHUP" ||
	{ fail "corrupted ruleset not refused"; cat "$TMP/err.log"; }
kill -0 "$daemon" 2>/dev/null && pass "the daemon keeps running after a refused reload" || fail "the daemon died"
kprobe 10 /etc/shadow >&3
wait_records 2 && [ "$(records)" = "test.shadow_read test.shadow_read " ] &&
	pass "after the refused reload the old rules still produce the threat" || fail "after the refused reload: $(records)"

# a config file with a mistake is refused as a whole
cp "$TMP/wt.yaml" "$TMP/wt.good"
echo "engine: {queue_size: 1}" >>"$TMP/wt.yaml"
kill -HUP "$daemon"
wait_for "$TMP/err.log" 'reload refused: .*engine.queue_size' && pass "a config mistake refuses the reload, with its position" ||
	{ fail "config mistake on reload"; cat "$TMP/err.log"; }
cp "$TMP/wt.good" "$TMP/wt.yaml"

# the good new ruleset
cp "$TMP/b.wtb" "$TMP/rules.wtb.new" && mv "$TMP/rules.wtb.new" "$TMP/rules.wtb"
kill -HUP "$daemon"
wait_for "$TMP/err.log" 'reloaded .*rules.wtb' && pass "a good ruleset is loaded on SIGHUP" ||
	{ fail "good ruleset not loaded"; cat "$TMP/err.log"; }
kprobe 20 /etc/shadow >&3
kprobe 21 /etc/passwd >&3
exec_ev 30 cnVuOjE= /tmp/x >&3
wait_records 5
[ "$(jq -r 'select(.time >= "2026-10-14T10:00:20") | .rule' "$TMP/out.jsonl" | sort | tr '\n' ' ')" = \
	"test.fetch_run test.passwd_read test.shadow_read_v2 " ] &&
	pass "after the reload: the renamed rule, the new rule, and the path completed" ||
	{ fail "after the good reload: $(records)"; cat "$TMP/err.log"; }
jq -se 'map(select(.rule == "test.fetch_run")) | length == 1 and (.[0].evidence | map(.step)) == ["fetch", "run"]' \
	"$TMP/out.jsonl" >/dev/null &&
	pass "the completed path carries the evidence of its step matched before the reloads" ||
	fail "path evidence: $(grep fetch_run "$TMP/out.jsonl")"

curl -s --max-time 10 "http://127.0.0.1:$port/metrics" >"$TMP/metrics.txt"
grep -qx 'worktrace_reloads_total{result="ok"} 1' "$TMP/metrics.txt" &&
	grep -qx 'worktrace_reloads_total{result="refused"} 2' "$TMP/metrics.txt" &&
	pass "/metrics counts 1 reload and 2 refused" || { fail "reload metrics"; grep reload "$TMP/metrics.txt"; }
grep -qx 'worktrace_reload_state_total{state="partials_kept"} 1' "$TMP/metrics.txt" &&
	pass "/metrics counts the partial match kept by the reload" || { fail "partials_kept"; grep reload_state "$TMP/metrics.txt"; }
grep -qx 'worktrace_threats_total{pipeline="direct",rule="test.shadow_read_v2",severity="high"} 1' "$TMP/metrics.txt" &&
	grep -qx 'worktrace_threats_total{pipeline="direct",rule="test.shadow_read",severity="high"} 2' "$TMP/metrics.txt" &&
	grep -qx 'worktrace_threats_total{pipeline="correlation",rule="test.fetch_run",severity="critical"} 1' "$TMP/metrics.txt" &&
	pass "/metrics counts threats by pipeline, rule and severity across the reload" ||
	{ fail "threats by rule"; grep threats_total "$TMP/metrics.txt"; }
crc=$(od -An -tx4 -j40 -N4 "$TMP/b.wtb" | tr -d ' ')
grep -q "worktrace_ruleset_info{checksum=\"$crc\"" "$TMP/metrics.txt" && pass "/metrics shows the new ruleset's checksum $crc" ||
	{ fail "ruleset checksum $crc"; grep ruleset_info "$TMP/metrics.txt"; }
exec 3>&-
wait "$daemon"; rc=$?
daemon=""
[ $rc -eq 0 ] && grep -q 'reloads=1 reloads_refused=2' "$TMP/err.log" && pass "end of input: exit 0, reloads in the summary" ||
	{ fail "exit $rc"; tail -3 "$TMP/err.log"; }

# twenty reloads back and forth with events in between: every one applies, retired rulesets
# are freed as their last holder lets go (the sanitized build checks), the stream goes on;
# event i is judged by the ruleset of reload i - 1 (a, b, a, ...): 11 by a, 10 by b
cp "$TMP/a.wtb" "$TMP/rules.wtb"
: >"$TMP/err.log"
"$WTD" --config "$TMP/wt.yaml" <"$TMP/pipe" >"$TMP/out3.jsonl" 2>"$TMP/err.log" &
daemon=$!
exec 3>"$TMP/pipe"
wait_for "$TMP/err.log" 'metrics on http' || fail "no metrics address"
for i in $(seq 1 20); do
	if [ $((i % 2)) -eq 1 ]; then cp "$TMP/b.wtb" "$TMP/rules.wtb"; else cp "$TMP/a.wtb" "$TMP/rules.wtb"; fi
	kprobe "$i" /etc/shadow >&3
	kill -HUP "$daemon"
	for _ in $(seq 1 100); do [ "$(grep -c 'reloaded ' "$TMP/err.log")" -ge "$i" ] && break; sleep 0.1; done
done
kprobe 30 /etc/shadow >&3
exec 3>&-
wait "$daemon"; rc=$?
daemon=""
[ $rc -eq 0 ] && grep -q 'reloads=20 reloads_refused=0' "$TMP/err.log" && [ "$(wc -l <"$TMP/out3.jsonl")" -eq 21 ] &&
	[ "$(jq -r .rule "$TMP/out3.jsonl" | sort | uniq -c | awk '{print $1}' | tr '\n' ' ')" = "11 10 " ] &&
	pass "20 reloads back and forth: each event judged by the ruleset of its time, exit 0" ||
	{ fail "reload storm: exit $rc, $(wc -l <"$TMP/out3.jsonl") records"; jq -r .rule "$TMP/out3.jsonl" | sort | uniq -c; tail -2 "$TMP/err.log"; }

# a path whose steps changed loses its partial matches (their evidence no longer fits)
sed 's/^  step run: exec when process.binary startswith "\/tmp\/"/  step mark: exec when process.basename == "chmod"\n&/' "$TMP/a.wt" >"$TMP/c.wt"
grep -q 'step mark' "$TMP/c.wt" && "$WTC" compile -o "$TMP/c.wtb" "$TMP/c.wt" || { fail "c.wt"; cat "$TMP/c.wt"; }
cp "$TMP/a.wtb" "$TMP/rules.wtb"
: >"$TMP/err.log"
"$WTD" --config "$TMP/wt.yaml" <"$TMP/pipe" >"$TMP/out2.jsonl" 2>"$TMP/err.log" &
daemon=$!
exec 3>"$TMP/pipe"
wait_for "$TMP/err.log" 'metrics on http' || fail "no metrics address"
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/err.log" | head -1 | sed 's/.*://')
exec_ev 5 ZmV0Y2g6Mg== /usr/bin/curl >&3
cp "$TMP/c.wtb" "$TMP/rules.wtb"
for _ in $(seq 1 100); do # the partial match exists before the reload
	curl -s --max-time 10 "http://127.0.0.1:$port/metrics" | grep -qx 'worktrace_correlation_partials 1' && break; sleep 0.1
done
kill -HUP "$daemon"
wait_for "$TMP/err.log" 'reloaded ' || fail "reload to c.wtb"
exec_ev 8 Y2htb2Q6MQ== /usr/bin/chmod >&3
exec_ev 9 cnVuOjI= /tmp/x >&3
kprobe 10 /etc/shadow >&3
exec 3>&-
wait "$daemon"
daemon=""
[ "$(jq -r .rule "$TMP/out2.jsonl" | tr '\n' ' ')" = "test.shadow_read " ] &&
	pass "a path whose steps changed starts over after the reload (no stale completion)" ||
	fail "changed path: $(jq -r .rule "$TMP/out2.jsonl" | tr '\n' ' ')"
grep -q 'reload: correlation dropped 1 partial match' "$TMP/err.log" && pass "the dropped partial match is reported" ||
	{ fail "no report of the dropped partial match"; cat "$TMP/err.log"; }

# baselines survive a reload: the stdlib's 5 rarity specs keep what they learned when the
# new ruleset puts a new spec (and a new path) before them
mkfifo "$TMP/pipe3"
cp "$(stdlib_wtb)" "$TMP/std.wtb"
cat >"$TMP/first.wt" <<'WT'
rarity aaa.rare_cwd {
  on exec
  when process.cwd exists
  key process.cwd
  population fleet
  rare when workspaces < 2
  warmup 10 events
  severity low
  output "rare cwd {process.cwd}"
}
WT
"$WTC" compile -o "$TMP/std2.wtb" "$TMP/first.wt" "$WT_SRCDIR/stdlib-rules" >/dev/null 2>&1 || fail "first.wt + stdlib"
"$WTC" dump "$TMP/std2.wtb" | grep -m1 '^rarity' | grep -q 'aaa.rare_cwd' && pass "the new spec comes first in the new ruleset" ||
	fail "spec order: $("$WTC" dump "$TMP/std2.wtb" | grep -m1 '^rarity')"
"$WTD" --rules "$TMP/std.wtb" --replay - --metrics-listen 127.0.0.1:0 <"$TMP/pipe3" >/dev/null 2>"$TMP/beh.err" &
daemon=$!
exec 3>"$TMP/pipe3"
wait_for "$TMP/beh.err" 'metrics on http' || fail "no metrics address"
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/beh.err" | head -1 | sed 's/.*://')
cat "$WT_SRCDIR/examples/workspace-session.jsonl" >&3
lines=$(wc -l <"$WT_SRCDIR/examples/workspace-session.jsonl")
scrape() { curl -s --max-time 10 "http://127.0.0.1:$port/metrics" >"$TMP/m.txt"; grep "^$1 " "$TMP/m.txt" | cut -d' ' -f2; }
for _ in $(seq 1 200); do
	[ "$(scrape 'worktrace_pipeline_events_total{pipeline="behavioral"}')" = "$lines" ] && break; sleep 0.1
done
keys=$(scrape worktrace_baseline_keys)
for _ in $(seq 1 20); do # settled: the same in two scrapes
	sleep 0.2; k2=$(scrape worktrace_baseline_keys); [ "$k2" = "$keys" ] && break; keys=$k2
done
cp "$TMP/std2.wtb" "$TMP/std.wtb"
kill -HUP "$daemon"
wait_for "$TMP/beh.err" 'reloaded ' || fail "stdlib reload"
for _ in $(seq 1 200); do
	[ "$(scrape 'worktrace_pipeline_ruleset_switches_total{pipeline="behavioral"}')" = 1 ] && break; sleep 0.1
done
[ "$(scrape 'worktrace_reload_state_total{state="baselines_kept"}')" = 5 ] &&
	[ "$(scrape 'worktrace_reload_state_total{state="baselines_reset"}')" = 1 ] &&
	[ -n "$keys" ] && [ "$keys" -gt 0 ] && [ "$(scrape worktrace_baseline_keys)" = "$keys" ] &&
	pass "a reload keeps the 5 stdlib baselines ($keys keys) and starts the new spec empty" ||
	{ fail "baselines across the reload: $keys keys before"; grep -E 'baseline|reload' "$TMP/m.txt"; }
exec 3>&-
wait "$daemon"
daemon=""

# SIGTERM with the pipe still open: drain, save the baselines, exit 0
mkfifo "$TMP/pipe2"
"$WTD" --rules "$(stdlib_wtb)" --replay - --state-dir "$TMP/state" <"$TMP/pipe2" >"$TMP/term.jsonl" 2>"$TMP/term.err" &
daemon=$!
exec 3>"$TMP/pipe2"
cat "$WT_SRCDIR/examples/workspace-session.jsonl" >&3
for _ in $(seq 1 200); do grep -q . "$TMP/term.jsonl" 2>/dev/null && break; sleep 0.1; done
kill -TERM "$daemon"
wait "$daemon"; rc=$?
daemon=""
exec 3>&-
[ $rc -eq 0 ] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit $rc"
grep -q 'stopping: draining the pipelines' "$TMP/term.err" && grep -q 'summary: ' "$TMP/term.err" &&
	pass "SIGTERM: drained and summarized" || { fail "SIGTERM messages"; cat "$TMP/term.err"; }
[ -s "$TMP/state/baseline.wtsnap" ] && pass "SIGTERM: the baselines were saved" || fail "SIGTERM: no baseline snapshot"
finish
