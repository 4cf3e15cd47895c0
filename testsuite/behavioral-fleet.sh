#!/bin/bash
# The behavioral pipeline on a generated fleet: 200 workspaces x one day of developer
# sessions (testsuite/genfleet) with 5 rare malicious actions injected in 3 workspaces after
# hour 14. With the stdlib's rarity specs every injected action must be flagged by the
# spec it was injected for, and at most 1 in 10,000 benign events may be flagged.
. "$(dirname "$0")/lib.sh"
need_jq
GEN="$WT_BUILDDIR/testsuite/genfleet"
RULES=$(stdlib_wtb)
WORKSPACES=${WT_FLEET_WORKSPACES:-200}

"$GEN" --workspaces "$WORKSPACES" --hours 24 --seed 1 --labels "$TMP/labels.jsonl" |
	"$WTD" --rules "$RULES" --replay - >"$TMP/threats.jsonl" 2>"$TMP/err" || {
	fail "worktraced failed on the fleet"; cat "$TMP/err"; finish; exit; }
summary=$(grep 'summary:' "$TMP/err")
events=$(sed -n 's/.* events=\([0-9]*\) .*/\1/p' <<<"$summary")
flagged=$(sed -n 's/.* beh_flagged=\([0-9]*\) .*/\1/p' <<<"$summary")
echo "# $summary"
[ "$(jq -s length "$TMP/labels.jsonl")" = 5 ] && pass "the generator injected 5 actions" ||
	fail "the generator injected $(jq -s length "$TMP/labels.jsonl") actions, expected 5"
[ "$(sed -n 's/.* malformed=\([0-9]*\) .*/\1/p' <<<"$summary")" = 0 ] && pass "no malformed event" ||
	fail "malformed events in the generated fleet"

# every injected action: a behavioral threat of its spec on its line, in its workspace
jq -c 'select(.pipeline == "behavioral")' "$TMP/threats.jsonl" >"$TMP/beh.jsonl"
while read -r label; do
	spec=$(jq -r .spec <<<"$label")
	line=$(jq -r .line <<<"$label")
	ws=$(jq -r .workspace <<<"$label")
	hit=$(jq -c --arg r "behavioral.$spec" --argjson l "$line" --arg w "$ws" \
		'select(.rule == $r and .input_seq == $l and .workspace.id == $w) | .rarity' "$TMP/beh.jsonl")
	if [ -n "$hit" ]; then
		pass "injected $spec in $ws (line $line) flagged: $hit"
	else
		fail "injected $spec in $ws (line $line) not flagged by behavioral.$spec"
		jq -c --argjson l "$line" 'select(.input_seq == $l) | [.rule, .pipeline]' "$TMP/threats.jsonl"
	fi
done <"$TMP/labels.jsonl"

# false positives: every flagged benign event counts, deduplicated or not
attack_lines=$(jq -s '[.[].line]' "$TMP/labels.jsonl")
flagged_attacks=$(jq -s --argjson a "$attack_lines" \
	'[.[] | select(.dedup.repeat == false and (.input_seq as $s | $a | index($s)))] | length' "$TMP/beh.jsonl")
benign_flagged=$((flagged - flagged_attacks))
benign_events=$((events - 5))
echo "# benign events $benign_events, benign events flagged $benign_flagged (every occurrence), by spec:"
jq -r --argjson a "$attack_lines" 'select((.input_seq as $s | $a | index($s)) | not) | .rule' \
	"$TMP/beh.jsonl" | sort | uniq -c | sed 's/^/#   /'
if [ $((benign_flagged * 10000)) -le "$benign_events" ]; then
	pass "benign flag rate $benign_flagged / $benign_events <= 1 / 10000"
else
	fail "benign flag rate $benign_flagged / $benign_events > 1 / 10000"
	jq -c --argjson a "$attack_lines" 'select((.input_seq as $s | $a | index($s)) | not) |
		[.input_seq, .rule, .workspace.id, .rarity.key, .rarity.count, .rarity.workspaces]' "$TMP/beh.jsonl" | head -40
fi
finish
