#!/bin/bash
# The drop path: with --drop-when-full (live behaviour) a slow pipeline drops events and
# counts them, while ingest and the other pipelines go on; lossless replay drops nothing.
. "$(dirname "$0")/lib.sh"
need_jq
cat >"$TMP/r.wt" <<'WT'
rule test.every_exec { on exec when process.exec_id exists severity info output "{process.binary}" }
WT
cat >"$TMP/quiet.wt" <<'WT'
rule test.never { on exec when process.binary == "/nonexistent" severity info output "{process.binary}" }
WT
"$WTC" compile -o "$TMP/r.wtb" "$TMP/r.wt" || exit 99
"$WTC" compile -o "$TMP/quiet.wtb" "$TMP/quiet.wt" || exit 99
"$WT_BUILDDIR/bench/gencapture" 6 3 >"$TMP/gen.jsonl"
n=$(grep -c '' "$TMP/gen.jsonl")
execs=$(grep -c '^{"process_exec"' "$TMP/gen.jsonl")
"$WTD" --rules "$TMP/quiet.wtb" --replay "$TMP/gen.jsonl" --dedup-window 0 --drop-when-full --queue-size 1024 \
	--slow-pipeline behavioral:1000 >"$TMP/out" 2>"$TMP/err"
sum=$(grep summary "$TMP/err")
dropped=$(echo "$sum" | sed -n 's/.* dropped_behavioral=\([0-9]*\).*/\1/p')
direct=$(echo "$sum" | sed -n 's/.* dropped_direct=\([0-9]*\).*/\1/p')
# the slow pipeline (1 ms per event, 1024 slots) must lose a large part of the ~2400 events;
# the direct pipeline keeps up (a scheduler stall on a loaded machine may cost it a few,
# hence the 5 % margin)
[ "${dropped:-0}" -ge $((n / 4)) ] && pass "slow behavioral pipeline dropped $dropped of $n events, counted" || fail "drops not counted: $sum"
[ "${direct:-$n}" -le $((n / 20)) ] && pass "direct pipeline kept up ($direct dropped)" || fail "direct dropped $direct"
"$WTD" --rules "$TMP/r.wtb" --replay "$TMP/gen.jsonl" --dedup-window 0 --queue-size 4 \
	--slow-pipeline behavioral:20 >"$TMP/out2" 2>"$TMP/err2"
got=$(grep -c '' "$TMP/out2")
[ "$got" -eq "$execs" ] && pass "lossless replay reported all $execs exec threats" || fail "lossless: $got of $execs threats"
grep -q ' dropped_direct=0 dropped_correlation=0 dropped_behavioral=0 ' "$TMP/err2" &&
	pass "lossless replay waits instead of dropping" || fail "lossless replay dropped: $(cat "$TMP/err2")"
finish
