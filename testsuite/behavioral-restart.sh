#!/bin/bash
# Baselines survive a crash: worktraced with --state-dir replays the first 13 hours of a
# generated fleet, is killed with SIGKILL (no chance to save at exit), and a second daemon
# replays the rest from the same state directory. It must resume from the last periodic
# snapshot: the injected actions (after hour 14) are flagged at once although a fresh daemon
# would still be warming up, and benign threats do not burst compared with one uninterrupted
# run. Corrupt and incompatible snapshots are refused with a message, never a crash.
. "$(dirname "$0")/lib.sh"
need_jq
GEN="$WT_BUILDDIR/testsuite/genfleet"
RULES=$(stdlib_wtb)
FLEET=(--workspaces "${WT_RESTART_WORKSPACES:-60}" --hours 24 --seed 7)
STATE="$TMP/state"

"$GEN" "${FLEET[@]}" --labels "$TMP/labels.jsonl" >"$TMP/fleet.jsonl"
total=$(wc -l <"$TMP/fleet.jsonl")
# the cut: the first event at or after 13:00 of the generated day
cut=$(jq -r 'input_line_number as $n | (.time // "") | select(.[11:13] >= "13") | $n' "$TMP/fleet.jsonl" | head -1)
cut=$((cut - 1))
echo "# $total events, cut after line $cut"

# reference: one uninterrupted run, no state
"$WTD" --rules "$RULES" --replay "$TMP/fleet.jsonl" >"$TMP/ref.jsonl" 2>"$TMP/ref.err"
# control: a fresh daemon on the rest only (still warming up)
tail -n +$((cut + 1)) "$TMP/fleet.jsonl" | "$WTD" --rules "$RULES" --replay - >"$TMP/fresh.jsonl" 2>"$TMP/fresh.err"

# run 1: the first part through a pipe that stays open, then SIGKILL
mkfifo "$TMP/pipe"
"$WTD" --rules "$RULES" --replay - --state-dir "$STATE" <"$TMP/pipe" >"$TMP/run1.jsonl" 2>"$TMP/run1.err" &
daemon=$!
exec 3>"$TMP/pipe"
head -n "$cut" "$TMP/fleet.jsonl" >&3
# the pipe holds at most 64 KiB once the write returns: wait until the daemon's snapshots
# stop changing (the last one covers the events up to the last 5-minute boundary)
last=""
for _ in $(seq 1 120); do
	sleep 1
	now=$(stat -c %.9Y "$STATE/baseline.wtsnap" 2>/dev/null || true)
	[ -n "$now" ] && [ "$now" = "$last" ] && break
	last=$now
done
kill -KILL "$daemon"
wait "$daemon" 2>/dev/null
exec 3>&-
[ -s "$STATE/baseline.wtsnap" ] && pass "run 1 left a snapshot ($(stat -c %s "$STATE/baseline.wtsnap") bytes)" ||
	fail "run 1 left no snapshot"
ls "$STATE" | grep -v '^baseline.wtsnap$' && fail "temporary files left in the state directory" ||
	pass "no temporary file left in the state directory"

# run 2: the rest, resuming from the snapshot
tail -n +$((cut + 1)) "$TMP/fleet.jsonl" | "$WTD" --rules "$RULES" --replay - --state-dir "$STATE" \
	>"$TMP/run2.jsonl" 2>"$TMP/run2.err"
grep -qE 'beh_specs_loaded=5( |$)' "$TMP/run2.err" && pass "run 2 restored the 5 stdlib rarity baselines" ||
	{ fail "run 2 did not restore the baselines"; cat "$TMP/run2.err"; }

beh() { jq -c 'select(.pipeline == "behavioral" and .dedup.repeat == false)' "$1"; }
attack_lines=$(jq -s '[.[].line]' "$TMP/labels.jsonl")
while read -r label; do
	spec=$(jq -r .spec <<<"$label")
	line=$(jq -r .line <<<"$label")
	rest=$((line - cut))
	if beh "$TMP/run2.jsonl" | jq -se --arg r "behavioral.$spec" --argjson l "$rest" \
		'any(.[]; .rule == $r and .input_seq == $l)' >/dev/null; then
		pass "resumed daemon flags $spec (line $line) without a second warm-up"
	else
		fail "resumed daemon missed $spec (line $line)"
	fi
	if beh "$TMP/fresh.jsonl" | jq -se --arg r "behavioral.$spec" --argjson l "$rest" \
		'any(.[]; .rule == $r and .input_seq == $l)' >/dev/null; then
		fail "a fresh daemon also flags $spec: the test does not show the restore"
	fi
done <"$TMP/labels.jsonl"
fresh_beh=$(beh "$TMP/fresh.jsonl" | wc -l)
[ "$fresh_beh" = 0 ] && pass "control: a fresh daemon on the rest is still warming up (0 behavioral threats)" ||
	fail "control: a fresh daemon on the rest flagged $fresh_beh"

# no burst: benign behavioral threats after the cut, resumed vs uninterrupted
ref_after=$(beh "$TMP/ref.jsonl" | jq -s --argjson c "$cut" --argjson a "$attack_lines" \
	'[.[] | select(.input_seq > $c and ((.input_seq as $s | $a | index($s)) | not))] | length')
run2_benign=$(beh "$TMP/run2.jsonl" | jq -s --argjson c "$cut" --argjson a "$attack_lines" \
	'[.[] | select(((.input_seq + $c) as $s | $a | index($s)) | not)] | length')
echo "# benign behavioral threats after the cut: uninterrupted $ref_after, resumed $run2_benign"
[ "$run2_benign" -le $((ref_after + 3)) ] && pass "no burst after the restart ($run2_benign <= $ref_after + 3)" ||
	{ fail "burst after the restart: $run2_benign benign threats vs $ref_after"; beh "$TMP/run2.jsonl" | head -20; }

# a corrupt snapshot is refused with a message, learning starts over, exit 0
cp "$STATE/baseline.wtsnap" "$TMP/good.wtsnap"
printf '\x55' | dd of="$STATE/baseline.wtsnap" bs=1 seek=200 conv=notrunc status=none
head -n 2000 "$TMP/fleet.jsonl" | "$WTD" --rules "$RULES" --replay - --state-dir "$STATE" >/dev/null 2>"$TMP/c.err"
rc=$?
grep -q 'baseline snapshot refused, learning starts over' "$TMP/c.err" && grep -qE 'beh_specs_loaded=0( |$)' "$TMP/c.err" &&
	[ $rc = 0 ] && pass "corrupt snapshot refused: $(grep refused "$TMP/c.err")" ||
	{ fail "corrupt snapshot not refused cleanly (exit $rc)"; cat "$TMP/c.err"; }
# the refusing daemon saved a new, valid snapshot at exit
head -n 10 "$TMP/fleet.jsonl" | "$WTD" --rules "$RULES" --replay - --state-dir "$STATE" >/dev/null 2>"$TMP/c2.err"
grep -qE 'beh_specs_loaded=5( |$)' "$TMP/c2.err" && pass "after a refused snapshot the next one is valid again" ||
	{ fail "no valid snapshot after the refused one"; cat "$TMP/c2.err"; }
# a changed key definition: that spec starts over, the others are restored
cp "$TMP/good.wtsnap" "$STATE/baseline.wtsnap"
sed 's/key basename(parent.binary), basename(process.binary)/key parent.binary, basename(process.binary)/' \
	"$WT_SRCDIR/stdlib-rules/rarity.wt" >"$TMP/rarity.wt"
mkdir -p "$TMP/changed" && cp "$WT_SRCDIR"/stdlib-rules/*.wt "$TMP/changed/" && cp "$TMP/rarity.wt" "$TMP/changed/rarity.wt"
"$WTC" compile -o "$TMP/changed.wtb" "$TMP/changed" 2>/dev/null
head -n 10 "$TMP/fleet.jsonl" | "$WTD" --rules "$TMP/changed.wtb" --replay - --state-dir "$STATE" >/dev/null 2>"$TMP/ch.err"
grep -qE 'beh_specs_loaded=4( |$)' "$TMP/ch.err" && pass "a changed key definition restores 4 of 5 specs: $(grep -v summary "$TMP/ch.err" | head -1)" ||
	{ fail "changed key definition"; cat "$TMP/ch.err"; }
# garbage instead of a snapshot
head -c 4096 /dev/urandom >"$STATE/baseline.wtsnap"
head -n 10 "$TMP/fleet.jsonl" | "$WTD" --rules "$RULES" --replay - --state-dir "$STATE" >/dev/null 2>"$TMP/g.err"
[ $? = 0 ] && grep -q 'refused' "$TMP/g.err" && pass "garbage snapshot refused" || { fail "garbage snapshot"; cat "$TMP/g.err"; }
# an unwritable state directory is a clear start-up error
"$WTD" --rules "$RULES" --replay /dev/null --state-dir /proc/version 2>"$TMP/u.err"
[ $? = 73 ] && pass "unusable state directory refused: $(cat "$TMP/u.err")" || fail "unusable state directory accepted"
finish
