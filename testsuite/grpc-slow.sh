#!/bin/bash
# Slow-pipeline drill over gRPC: with the behavioral pipeline slowed (test hook), live
# --tetragon ingest still takes every event off the stream, only the slow pipeline drops,
# and it counts its drops; the direct pipeline reports a threat for every exec.
. "$(dirname "$0")/grpc-lib.sh"
cat >"$TMP/r.wt" <<'WT'
rule test.every_exec { on exec when process.exec_id exists severity info output "{process.binary}" }
WT
"$WTC" compile -o "$TMP/r.wtb" "$TMP/r.wt" || exit 99
"$WT_BUILDDIR/bench/gencapture" 6 3 >"$TMP/gen.jsonl"
# paced at 1,000 events/s: the direct and correlation pipelines keep up with that even on a
# machine loaded by a parallel test run (unpaced, they dropped there too); the slowed
# behavioral one (5 ms an event: 200/s) cannot
tetragon slow --rate 1000 "$TMP/gen.jsonl"
n=$SERVED
execs=$(grep -c '^{"process_exec"' "$TMP/gen.jsonl")
timeout 120 "$WTD" --rules "$TMP/r.wtb" --tetragon "$ADDR" --tetragon-exit-on-end --dedup-window 0 --queue-size 512 \
	--slow-pipeline behavioral:5000 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] && pass "worktraced ended normally" || { fail "exit status $rc"; cat "$TMP/err"; }
grep -q "summary: lines=$n events=$n " "$TMP/err" && pass "ingest took all $n events off the stream" ||
	{ fail "ingest lost events"; cat "$TMP/err"; }
dropped=$(counter "$TMP/err" dropped_behavioral)
direct=$(counter "$TMP/err" dropped_direct)
corr=$(counter "$TMP/err" dropped_correlation)
# 5 ms per event and 512 slots: the behavioral pipeline cannot take the stream's ~2400
# events at 1,000 a second
[ "${dropped:-0}" -ge $((n / 4)) ] && pass "slow behavioral pipeline dropped $dropped of $n events, counted" ||
	fail "behavioral drops: $dropped of $n"
[ "${direct:-$n}" -le $((n / 20)) ] && [ "${corr:-$n}" -le $((n / 20)) ] &&
	pass "direct ($direct) and correlation ($corr) pipelines kept up" || fail "direct dropped $direct, correlation $corr"
got=$(grep -c '' "$TMP/out")
[ "$direct" = 0 ] && { [ "$got" -eq "$execs" ] && pass "direct reported all $execs exec threats" || fail "$got of $execs exec threats"; }
finish
