#!/bin/bash
# Hostile input to the behavioral pipeline: over-long key parts, timestamps that jump years
# backwards or forwards, events without time. The daemon must keep its bounds and its clock
# and never crash.
. "$(dirname "$0")/lib.sh"
need_jq
ev() { # exec_id binary [time json member]
	printf '{"process_exec":{"process":{"exec_id":"%s","pid":1,"binary":"%s","arguments":"%s"}},"node_name":"n1"%s}\n' \
		"$1" "$2" "${4:-}" "${3:+,\"time\":\"$3\"}"
}

# 1. Key parts longer than the key buffer: the first part fills it, the others must not be
# written past its end (heap overflow found by the hostile test), the record shows the cut.
cat >"$TMP/long.wt" <<'WT'
rarity t.longkey {
  on exec
  key process.binary, process.args, process.basename
  rare when count < 3
  warmup 1 events
  severity low
  output "rare {process.basename}"
}
WT
"$WTC" compile -o "$TMP/long.wtb" "$TMP/long.wt" || exit 99
long=$(head -c 3000 /dev/zero | tr '\0' a)
for i in 1 2 3; do ev "e$i" "/$long$i" "2026-10-14T10:00:0${i}Z" "$long"; done >"$TMP/long.jsonl"
"$WTD" --rules "$TMP/long.wtb" --replay "$TMP/long.jsonl" >"$TMP/long.out" 2>"$TMP/long.err"
rc=$?
[ $rc -eq 0 ] && pass "over-long key parts: exit 0" || { fail "over-long key parts: exit $rc"; cat "$TMP/long.err"; }
got=$(jq -c '.rarity.key | [(.["process.binary"] | length), .["process.args"], .["process.basename"]]' "$TMP/long.out" 2>/dev/null | sort | uniq -c | tr -s ' ')
[ "$got" = ' 2 [1023,"",""]' ] && pass "over-long key: cut at 1023 bytes, later parts empty, 2 threats" ||
	fail "over-long key parts: got '$got'"

# 2. Clock errors. Time-based warm-up (1 h) must not end because of one event whose time is
# absent (time 0), in 1970 or a year behind the others: such times are judged at the latest
# time. Each input has 6 events within 6 s: nothing may be flagged.
cat >"$TMP/warm.wt" <<'WT'
rarity t.warm {
  on exec
  key process.binary
  rare when count < 3
  warmup 1000 events or 1h
  severity low
  output "rare {process.binary}"
}
WT
"$WTC" compile -o "$TMP/warm.wtb" "$TMP/warm.wt" || exit 99
five() { for i in 1 2 3 4 5; do ev "b$i" "/bin/b$i" "2026-10-14T10:00:0${i}Z"; done; }
{ ev a /bin/a; five; } >"$TMP/notime.jsonl"
{ ev a /bin/a 1970-01-01T00:00:00Z; five; } >"$TMP/epoch.jsonl"
{ ev a /bin/a 1970-01-02T00:00:00Z; five; } >"$TMP/epoch1.jsonl"
{ ev a /bin/a 2026-10-14T10:00:00Z; ev z /bin/z 2025-10-14T10:00:00Z; five; } >"$TMP/yearold.jsonl"
for f in notime epoch epoch1 yearold; do
	"$WTD" --rules "$TMP/warm.wtb" --replay "$TMP/$f.jsonl" >"$TMP/$f.out" 2>"$TMP/$f.err"
	n=$(grep -c '' "$TMP/$f.out")
	[ "$n" = 0 ] && pass "$f: warm-up by time not ended by one bad timestamp" ||
		fail "$f: $n threats during the warm-up ($(grep -o 'beh_warming=[0-9]*' "$TMP/$f.err"))"
done

# 3. A gap of more than a day (the first event far behind the rest, or a real pause): the
# clock must follow the stream once it has stayed there, not freeze at the old time (no
# periodic snapshot, no decay, no end of warm-up ever again).
awk 'BEGIN {
	printf "{\"process_exec\":{\"process\":{\"exec_id\":\"a\",\"pid\":1,\"binary\":\"/bin/a\"}},\"node_name\":\"n1\",\"time\":\"2026-10-11T10:00:00Z\"}\n"
	for (i = 0; i < 6000; i++)
		printf "{\"process_exec\":{\"process\":{\"exec_id\":\"e%d\",\"pid\":1,\"binary\":\"/bin/b%d\"}},\"node_name\":\"n1\",\"time\":\"2026-10-14T%02d:%02d:%02dZ\"}\n",
			i, i, 10 + int(i / 3600), int(i / 60) % 60, i % 60
}' >"$TMP/gap.jsonl"
mkdir "$TMP/gapstate"
"$WTD" --rules "$TMP/warm.wtb" --replay "$TMP/gap.jsonl" --state-dir "$TMP/gapstate" >/dev/null 2>"$TMP/gap.err"
snaps=$(grep -o 'beh_snapshots=[0-9]*' "$TMP/gap.err" | cut -d= -f2)
[ "${snaps:-0}" -ge 3 ] && pass "clock follows the stream after a 3-day gap ($snaps snapshots)" ||
	fail "clock frozen before a 3-day gap: ${snaps:-no} snapshots in 100 minutes of events"

finish
