#!/bin/bash
# Smoke test of the fleet generator: deterministic output, valid JSON lines that worktraced
# replays without a malformed line, and a labels file pointing at the five attack events.
. "$(dirname "$0")/lib.sh"
need_jq
GEN="$WT_BUILDDIR/testsuite/genfleet"
small="--workspaces 20 --hours 6"
"$GEN" $small --seed 7 --labels "$TMP/labels.jsonl" >"$TMP/a.jsonl" || fail "genfleet exited with $?"
"$GEN" $small --seed 7 >"$TMP/b.jsonl"
"$GEN" $small --seed 8 >"$TMP/c.jsonl"
a=$(sha256sum <"$TMP/a.jsonl") b=$(sha256sum <"$TMP/b.jsonl") c=$(sha256sum <"$TMP/c.jsonl")
[ "$a" = "$b" ] && pass "same seed, same output" || fail "same seed gave different output"
[ "$a" != "$c" ] && pass "another seed, other output" || fail "seeds 7 and 8 gave the same output"
lines=$(wc -l <"$TMP/a.jsonl")
[ "$lines" -gt 1000 ] && pass "$lines lines for 20 workspaces x 6 h" || fail "only $lines lines"
parsed=$(jq -c 'select(.process_exec or .process_exit or .process_kprobe) | .time' "$TMP/a.jsonl" 2>"$TMP/jq.err" | wc -l)
[ "$parsed" -eq "$lines" ] && pass "every line parses with jq as a Tetragon event" || fail "jq parsed $parsed of $lines lines: $(head -3 "$TMP/jq.err")"
sorted=$(jq -r .time "$TMP/a.jsonl" | LC_ALL=C sort -c 2>&1 | head -1)
[ -z "$sorted" ] && pass "event times never decrease" || fail "time goes back: $sorted"
"$WTD" --rules "$(stdlib_wtb)" --replay - <"$TMP/a.jsonl" >"$TMP/threats.jsonl" 2>"$TMP/wtd.err"
if grep -q "summary: lines=$lines events=$lines .* malformed=0 " "$TMP/wtd.err"; then
	pass "worktraced replays every line, malformed=0"
else
	fail "worktraced replay: $(tail -2 "$TMP/wtd.err")"
fi
[ "$(wc -l <"$TMP/labels.jsonl")" -eq 5 ] && pass "labels file has 5 entries" || fail "labels: $(cat "$TMP/labels.jsonl")"
ok=0
while read -r n line id; do
	sed -n "${line}p" "$TMP/a.jsonl" | grep -qF "\"exec_id\":\"$id\"" && ok=$((ok + 1)) || echo "label $n: line $line lacks $id"
done < <(jq -r '"\(.n) \(.line) \(.exec_id)"' "$TMP/labels.jsonl")
[ "$ok" -eq 5 ] && pass "each label's line holds its exec_id" || fail "$ok of 5 labels point at their exec_id"
"$GEN" $small --no-attacks --labels "$TMP/none.jsonl" | grep -q '203\.0\.113\.7\|kworkerd\|nsenter' && fail "--no-attacks still injects" || pass "--no-attacks injects nothing"
[ ! -s "$TMP/none.jsonl" ] && pass "--no-attacks writes an empty labels file" || fail "labels with --no-attacks: $(cat "$TMP/none.jsonl")"
finish
