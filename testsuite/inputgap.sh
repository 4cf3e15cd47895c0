#!/bin/bash
# Tetragon's loss signals: process_throttle and rate_limit_info counted per node and cgroup
# (exact report lines and summary counters), and the input_gap member of threat records
# (exact values for every threat of a crafted timeline: throttled container, another
# container of the same workspace, an unthrottled workspace, rate limiting on the node and
# on another node, episodes ending before the window, a host session, a stop whose start was
# never seen); the table's bound; the throttle events of a real capture.
. "$(dirname "$0")/lib.sh"
need_jq
D="$WT_SRCDIR/testsuite/cases/apply/input-gap"
"$WTC" compile -o "$TMP/r.wtb" "$D/rules.wt" || { echo "rules do not compile"; exit 99; }
"$WTD" --rules "$TMP/r.wtb" --replay "$D/events.jsonl" >"$TMP/out" 2>"$TMP/err" || fail "worktraced failed"
jq -r '[.input_seq, .workspace.id, (.input_gap|tostring)]|@tsv' "$TMP/out" >"$TMP/gap.tsv"
diff -u "$D/expected-gap.tsv" "$TMP/gap.tsv" && pass "input_gap of each threat" || fail "input_gap"
grep -v summary "$TMP/err" >"$TMP/loss.txt"
diff -u "$D/expected-loss.txt" "$TMP/loss.txt" && pass "loss signals per node and cgroup" || fail "loss report"
grep -qE 'throttled=2 .* throttle_stops=2 rate_limit_reports=2 rate_limited=49 loss_entries=5 loss_overflow=0 input_gap_events=7( |$)' "$TMP/err" &&
	pass "summary loss counters" || fail "summary: $(grep summary "$TMP/err")"
# record layout: input_gap sits before input_seq, and records without a gap have none
[ "$(jq -r 'select(.input_seq == 8) | keys_unsorted | join(",") | endswith(",parent,input_gap,input_seq,dedup")' "$TMP/out")" = true ] &&
	[ "$(jq -c 'select(.input_gap == null) | has("input_gap")' "$TMP/out" | sort -u)" = false ] &&
	pass "input_gap only on records with a gap, before input_seq" || fail "input_gap placement"
# --dedup-window sets the window: with 10 s, only the throttles in progress or just before count
"$WTD" --rules "$TMP/r.wtb" --replay "$D/events.jsonl" --dedup-window 10 2>/dev/null |
	jq -r 'select(.input_gap) | "\(.input_seq) \(.input_gap.throttled) \(.input_gap.rate_limited) \(.input_gap.window_s)"' >"$TMP/w10"
printf '2 1 0 10\n4 1 0 10\n7 0 42 10\n11 0 7 10\n13 1 0 10\n15 1 0 10\n' | diff -u - "$TMP/w10" && pass "--dedup-window 10: a 10 s gap window" || fail "10 s window"

# the bound: 1100 throttled cgroups, 1024 tracked, the rest counted
for i in $(seq 1100); do
	printf '{"process_throttle":{"type":"THROTTLE_START","cgroup":"session-%d.scope"},"node_name":"n1","time":"2026-10-14T10:00:00Z"}\n' "$i"
done >"$TMP/many.jsonl"
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/many.jsonl" >/dev/null 2>"$TMP/many.err"
grep -qE 'throttled=1100 .* loss_entries=1024 loss_overflow=76 ' "$TMP/many.err" &&
	[ "$(grep -c 'input loss: node=n1 cgroup=' "$TMP/many.err")" = 50 ] &&
	grep -q 'input loss: 974 more nodes and cgroups with loss signals not listed' "$TMP/many.err" &&
	grep -q 'input loss: 76 signals of further nodes or cgroups counted in the totals only' "$TMP/many.err" &&
	pass "1024 cgroups tracked, 76 past the bound counted, 50 listed" || fail "bound: $(grep -v 'cgroup=' "$TMP/many.err")"

if [ -n "${WT_TETRAGON_DATA:-}" ] && [ -f "$WT_TETRAGON_DATA/tetragon-docs-samples.jsonl" ]; then
	"$WTD" --rules "$(stdlib_wtb)" --replay "$WT_TETRAGON_DATA/tetragon-docs-samples.jsonl" >/dev/null 2>"$TMP/real.err"
	grep -qx 'worktraced: input loss: node=ubuntu-22 cgroup=session-429.scope workspace=host:ubuntu-22 throttle_starts=1 throttle_stops=1' "$TMP/real.err" &&
		pass "real capture: the session cgroup's throttle episode" || fail "real capture: $(grep 'input loss' "$TMP/real.err")"
else
	echo "# WT_TETRAGON_DATA not set: real capture check skipped"
fi
finish
