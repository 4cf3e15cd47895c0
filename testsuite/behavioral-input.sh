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

# 4. A clock far ahead, then the real time: one first event in 2100, or a snapshot saved by
# a daemon whose input was dated 2100. The real events (7 binaries, 6,000 events 1 s apart)
# must still be learned (a handful of first sightings flagged, not every event: weights of
# events 74 years before the baseline's clock are nothing), and the clock must come back to
# the real time (periodic snapshots again).
cat >"$TMP/common.wt" <<'WT'
rarity t.common {
  on exec
  key process.binary
  rare when count < 3
  warmup 5 events
  severity low
  output "rare {process.binary}"
}
WT
"$WTC" compile -o "$TMP/common.wtb" "$TMP/common.wt" || exit 99
seven() { # FIRST_ID TIME_PREFIX: 6,000 events over 7 binaries, 1 s apart from hour 10
	awk -v id="$1" -v day="$2" 'BEGIN { for (i = 0; i < 6000; i++)
		printf "{\"process_exec\":{\"process\":{\"exec_id\":\"%s%d\",\"pid\":1,\"binary\":\"/bin/%s%d\"}},\"node_name\":\"n1\",\"time\":\"%sT%02d:%02d:%02dZ\"}\n",
			id, i, id, i % 7, day, 10 + int(i / 3600), int(i / 60) % 60, i % 60 }'
}
{ ev f /bin/f 2100-01-01T00:00:00Z; seven r 2026-10-14; } >"$TMP/ahead1.jsonl"
mkdir "$TMP/a1"
"$WTD" --rules "$TMP/common.wtb" --replay "$TMP/ahead1.jsonl" --state-dir "$TMP/a1" >/dev/null 2>"$TMP/a1.err"
flagged=$(grep -o 'beh_flagged=[0-9]*' "$TMP/a1.err" | cut -d= -f2)
snaps=$(grep -o 'beh_snapshots=[0-9]*' "$TMP/a1.err" | cut -d= -f2)
[ "${flagged:-9999}" -le 30 ] && pass "first event in 2100: the real events are still learned ($flagged flagged)" ||
	fail "first event in 2100: $flagged of 6000 real events flagged"
[ "${snaps:-0}" -ge 3 ] && pass "first event in 2100: the clock comes back ($snaps snapshots)" ||
	fail "first event in 2100: clock stuck in 2100 (${snaps:-no} snapshots)"
mkdir "$TMP/a2"
seven x 2100-01-01 | "$WTD" --rules "$TMP/common.wtb" --replay - --state-dir "$TMP/a2" >/dev/null 2>"$TMP/a2.err"
seven r 2026-10-14 | "$WTD" --rules "$TMP/common.wtb" --replay - --state-dir "$TMP/a2" >/dev/null 2>"$TMP/a2b.err"
flagged=$(grep -o 'beh_flagged=[0-9]*' "$TMP/a2b.err" | cut -d= -f2)
snaps=$(grep -o 'beh_snapshots=[0-9]*' "$TMP/a2b.err" | cut -d= -f2)
grep -q 'beh_specs_loaded=1' "$TMP/a2b.err" && [ "${flagged:-9999}" -le 30 ] &&
	pass "snapshot dated 2100: the real events are still learned ($flagged flagged)" ||
	fail "snapshot dated 2100: $flagged of 6000 real events flagged"
[ "${snaps:-0}" -ge 3 ] && pass "snapshot dated 2100: the clock comes back ($snaps snapshots)" ||
	fail "snapshot dated 2100: clock stuck in 2100 (${snaps:-no} snapshots)"

# 5. A snapshot whose checksum is right but whose clock is absurd (INT64_MAX, INT64_MIN: a
# flipped byte in a file rewritten with a fixed checksum, or another writer): the daemon
# starts its clock from the snapshot's, and computing "a day ahead of it" overflowed.
crc32c() { # FILE: CRC-32C (Castagnoli) of its bytes, as the snapshot's checksum
	local c=$((0xffffffff)) b k
	for b in $(od -An -tu1 -v "$1"); do
		c=$((c ^ b))
		for k in 1 2 3 4 5 6 7 8; do c=$(((c >> 1) ^ ((c & 1) * 0x82F63B78))); done
	done
	echo $((c ^ 0xffffffff))
}
le() { # VALUE BYTES: little-endian bytes as printf escapes
	local v=$1 i out=""
	for ((i = 0; i < $2; i++)); do out+=$(printf '\\%03o' $(((v >> (8 * i)) & 255))); done
	printf '%s' "$out"
}
set_snapshot_time() { # FILE TIME: the first spec's latest time, checksum fixed
	local f=$1 hdr
	hdr=$(od -An -tu4 -j12 -N4 "$1" | tr -d ' ')
	printf "$(le "$2" 8)" | dd of="$f" bs=1 seek=$((hdr + 64)) conv=notrunc status=none
	printf '\0\0\0\0' | dd of="$f" bs=1 seek=24 conv=notrunc status=none
	printf "$(le "$(crc32c "$f")" 4)" | dd of="$f" bs=1 seek=24 conv=notrunc status=none
}
for crafted in 9223372036854775807 -9223372036854775808; do
	rm -rf "$TMP/cr"; mkdir "$TMP/cr"
	seven x 2026-10-13 | "$WTD" --rules "$TMP/common.wtb" --replay - --state-dir "$TMP/cr" >/dev/null 2>&1
	set_snapshot_time "$TMP/cr/baseline.wtsnap" "$crafted"
	seven r 2026-10-14 | "$WTD" --rules "$TMP/common.wtb" --replay - --state-dir "$TMP/cr" >/dev/null 2>"$TMP/cr.err"
	rc=$?
	flagged=$(grep -o 'beh_flagged=[0-9]*' "$TMP/cr.err" | cut -d= -f2)
	snaps=$(grep -o 'beh_snapshots=[0-9]*' "$TMP/cr.err" | cut -d= -f2)
	if [ $rc = 0 ] && grep -q 'beh_specs_loaded=1' "$TMP/cr.err" && ! grep -q 'runtime error' "$TMP/cr.err" &&
		[ "${flagged:-9999}" -le 30 ] && [ "${snaps:-0}" -ge 3 ]; then
		pass "snapshot clock $crafted: real events learned ($flagged flagged), clock back ($snaps snapshots)"
	else
		fail "snapshot clock $crafted: exit $rc, $flagged flagged, $snaps snapshots"; grep 'runtime error' "$TMP/cr.err"
	fi
done

finish
