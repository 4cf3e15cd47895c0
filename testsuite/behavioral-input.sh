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

finish
