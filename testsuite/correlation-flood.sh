#!/bin/bash
# Bounded correlation state: one million first-step events over 10,000 keys that never
# complete. The daemon's live partial matches stay at the configured bound (--corr-partials),
# its peak RSS stays under a fixed ceiling, evictions are counted in the summary, and a real
# sequence injected at the end is still detected.
. "$(dirname "$0")/lib.sh"
need_jq
cat >"$TMP/p.wt" <<'WT'
path flood.archive_then_copy {
  within 30m by workspace
  step archive: exec when process.basename == "tar"
  step copy: exec when process.basename == "scp"
  severity high
  output "archive then copy in {workspace.id}"
}
WT
"$WTC" compile -o "$TMP/p.wtb" "$TMP/p.wt" || { fail "compile"; finish; exit 1; }
BOUND=20000
gen() {
	awk 'BEGIN {
		for (i = 0; i < 1000000; i++) {
			k = i % 10000; s = int(i / 1000);
			printf "{\"process_exec\":{\"process\":{\"exec_id\":\"e%d\",\"binary\":\"/usr/bin/tar\",\"arguments\":\"cf /tmp/a%d.tar src\",\"pod\":{\"namespace\":\"ns-%d\",\"name\":\"p-%d\"}}},\"time\":\"2026-11-10T10:%02d:%02d.%06dZ\"}\n", i, i, k, k, int(s / 60) % 60, s % 60, i % 1000000
		}
		print "{\"process_exec\":{\"process\":{\"exec_id\":\"f1\",\"binary\":\"/usr/bin/tar\",\"arguments\":\"czf out.tgz .\",\"pod\":{\"namespace\":\"ns-final\",\"name\":\"p\"}}},\"time\":\"2026-11-10T10:17:00Z\"}"
		print "{\"process_exec\":{\"process\":{\"exec_id\":\"f2\",\"binary\":\"/usr/bin/scp\",\"arguments\":\"out.tgz u@198.51.100.1:\",\"pod\":{\"namespace\":\"ns-final\",\"name\":\"p\"}}},\"time\":\"2026-11-10T10:17:05Z\"}"
	}'
}
gen | /usr/bin/time -f "%M" -o "$TMP/rss" "$WTD" --rules "$TMP/p.wtb" --replay - --corr-partials $BOUND \
	>"$TMP/out" 2>"$TMP/err" || fail "worktraced exit status $?"
summary=$(grep 'summary:' "$TMP/err")
val() { echo "$summary" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
rss=$(tail -1 "$TMP/rss")
echo "# max RSS ${rss} KiB; $(echo "$summary" | grep -o 'corr_.*')"
[ "$(val events)" = 1000002 ] && pass "1000002 events read" || fail "events: $summary"
peak=$(val corr_peak)
[ -n "$peak" ] && [ "$peak" -le $BOUND ] && pass "live partial matches peaked at $peak <= $BOUND" || fail "peak $peak > $BOUND"
ev=$(val corr_evicted)
[ -n "$ev" ] && [ "$ev" -ge 900000 ] && pass "evictions counted in the summary: $ev" || fail "evictions: $summary"
# 20,000 partial matches of under 1 KiB each plus the daemon's fixed memory (queues, pools)
if [ -n "${WT_SAN_FLAGS:-}" ]; then
	pass "max RSS $rss KiB (not bounded in a sanitizer build: ASan keeps freed memory in quarantine)"
else
	[ -n "$rss" ] && [ "$rss" -lt 131072 ] && pass "max RSS $rss KiB < 128 MiB" || fail "max RSS $rss KiB"
fi
n=$(jq -c 'select(.rule == "flood.archive_then_copy" and .key == "ns-final/p")' "$TMP/out" | grep -c '')
[ "$n" -eq 1 ] && pass "the real sequence at the end is detected" || { fail "real sequence: $n threats"; head -3 "$TMP/out"; }
m=$(grep -c '' "$TMP/out")
[ "$m" -eq 1 ] && pass "no other threat" || fail "$m threats"
finish
