#!/bin/bash
# Deduplication: global window and key, per-rule window and key (--dedup-rule), the record's
# count/first_seen/last_seen, and a threat never suppressed by one of lower severity.
. "$(dirname "$0")/lib.sh"
need_jq
cat >"$TMP/r.wt" <<'WT'
rule test.low { on exec when process.basename == "nc" severity low output "nc {process.args}" }
rule test.crit { on exec when process.basename == "nc" and process.args contains "-e" severity critical output "nc -e" }
WT
"$WTC" compile -o "$TMP/r.wtb" "$TMP/r.wt" || exit 99
ev() { # SECONDS ARGS
	printf '{"process_exec":{"process":{"exec_id":"ZTo%s","pid":%s,"binary":"/usr/bin/nc","arguments":"%s"}},"node_name":"n1","time":"2026-10-14T10:00:%02dZ"}\n' "$1" "$((100 + $1))" "$2" "$1"
}
run() { # EVENTS-FILE OPTIONS... -> one line per record: rule repeat count first_seen last_seen
	"$WTD" --rules "$TMP/r.wtb" --replay "$1" "${@:2}" 2>"$TMP/err" |
		jq -r '"\(.rule) \(.dedup.repeat) \(.dedup.count) \(.dedup.first_seen[17:19]) \(.dedup.last_seen[17:19])"'
}
expect() { # NAME WANT GOT
	[ "$2" = "$3" ] && pass "$1" || { fail "$1"; diff <(echo "$2") <(echo "$3"); }
}
{ ev 0 "-l 80"; ev 10 "-l 80"; ev 20 "-l 80"; } >"$TMP/same.jsonl"
expect "default window: first record, then one repeat counting 2 with first_seen/last_seen" \
	"test.low false 1 00 00
test.low true 2 00 20" "$(run "$TMP/same.jsonl")"
expect "--dedup-window 0: every occurrence written" \
	"test.low false 1 00 00
test.low false 1 10 10
test.low false 1 20 20" "$(run "$TMP/same.jsonl" --dedup-window 0)"
expect "--dedup-rule test.low=5: the rule's own window" \
	"test.low false 1 00 00
test.low false 1 10 10
test.low false 1 20 20" "$(run "$TMP/same.jsonl" --dedup-rule test.low=5)"
expect "--dedup-rule for another rule leaves test.low on the global window" \
	"test.low false 1 00 00
test.low true 2 00 20" "$(run "$TMP/same.jsonl" --dedup-rule test.crit=5)"
{ ev 0 "-l 80"; ev 10 "-l 81"; ev 20 "-l 82"; } >"$TMP/args.jsonl"
expect "default key: different arguments are different threats" \
	"test.low false 1 00 00
test.low false 1 10 10
test.low false 1 20 20" "$(run "$TMP/args.jsonl")"
expect "--dedup-key rule,workspace,process: arguments ignored" \
	"test.low false 1 00 00
test.low true 2 00 20" "$(run "$TMP/args.jsonl" --dedup-key rule,workspace,process)"
expect "--dedup-rule test.low=:rule,workspace: a per-rule key" \
	"test.low false 1 00 00
test.low true 2 00 20" "$(run "$TMP/args.jsonl" --dedup-rule test.low=:rule,workspace)"
# key without the rule: the critical threat inside the low one's window is written at once
{ ev 0 "-l 80"; ev 10 "-e /bin/sh"; ev 20 "-l 81"; } >"$TMP/esc.jsonl"
expect "higher severity is never suppressed by lower: critical written inside the low threat's window" \
	"test.low false 1 00 00
test.low true 1 00 10
test.crit false 1 10 10
test.low true 1 10 20" "$(run "$TMP/esc.jsonl" --dedup-key workspace)"
grep -q ' threats=2 suppressed=2 repeats=2 ' "$TMP/err" && pass "summary: threats=2 suppressed=2 repeats=2" || fail "summary: $(cat "$TMP/err")"
# refused values
for bad in "--dedup-key colour" "--dedup-key rule," "--dedup-rule test.low" "--dedup-rule =5" "--dedup-rule test.low=abc"; do
	# shellcheck disable=SC2086
	"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/same.jsonl" $bad >/dev/null 2>"$TMP/e"
	rc=$?
	[ $rc -eq 64 ] && grep -q "^worktraced: invalid value '.*' for --dedup-" "$TMP/e" && pass "refused: $bad" || fail "$bad: rc $rc $(cat "$TMP/e")"
done
# a per-rule setting for a name the ruleset does not have (a typo) is reported
"$WTD" --rules "$TMP/r.wtb" --replay /dev/null --dedup-rule no.such_rule=5 >/dev/null 2>"$TMP/e"
grep -qx "worktraced: dedup rule 'no.such_rule': no rule, path or rarity spec of the ruleset has this name" "$TMP/e" &&
	pass "--dedup-rule for an unknown rule is reported" || fail "unknown dedup rule: $(head -1 "$TMP/e")"
finish
