#!/bin/bash
# `make bench`: replay throughput of the stdlib over a generated capture of realistic
# events, beside a parse-only loop of the same decoder and jq with an equivalent filter,
# in one run on this machine, the correlation engine with 10,000 active keys, and the
# baseline (rarity) engine with 1,000,000 keys, and the behavioral pipeline over a
# generated fleet.
# Usage: bench/run.sh [MEGABYTES]  (default 100)
set -euo pipefail
B="${WT_BUILDDIR:-.}"
S="${WT_SRCDIR:-.}"
MB="${1:-${BENCH_MB:-400}}"
DIR="${BENCH_DIR:-$B/bench-data}"
mkdir -p "$DIR"
CAP="$DIR/capture-${MB}mb.jsonl"
[ -s "$CAP" ] || "$B/bench/gencapture" "$MB" 1 >"$CAP"
RULES="$B/stdlib-rules/stdlib.wtb"
lines=$(wc -l <"$CAP")
bytes=$(stat -c %s "$CAP")
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
echo "capture: $CAP: $lines lines, $((bytes / 1048576)) MB; rules: $("$B/wtc" dump "$RULES" | sed -n 2p)"

p=()
for i in 1 2 3; do p+=("$("$B/bench/bench_decode" "$CAP" | sed 's/.*s: \([0-9]*\) lines\/s.*/\1/')"); done
parse=$(median3 "${p[@]}")
r=()
for i in 1 2 3; do
	a=$(now); "$B/worktraced" --rules "$RULES" --replay "$CAP" >/dev/null 2>"$DIR/replay.err"; z=$(now)
	r+=("$(rate "$lines" "$a" "$z")")
done
replay=$(median3 "${r[@]}")
threats=$(sed -n 's/.* threats=\([0-9]*\).*/\1/p' "$DIR/replay.err")
a=$(now)
jq -c 'select((.process_exec.process.arguments // "") | test("/dev/tcp/|stratum\\+tcp://| -e /bin/"))' "$CAP" >/dev/null
z=$(now)
jqr=$(rate "$lines" "$a" "$z")
a=$(now)
jq -c -f "$S/bench/equivalent.jq" "$CAP" >/dev/null
z=$(now)
jqe=$(rate "$lines" "$a" "$z")
echo
printf '%-44s %12s\n' "what" "lines/s"
printf '%-44s %12s\n' "parse-only (simdjson decoder, median of 3)" "$parse"
printf '%-44s %12s\n' "full replay (decode+enrich+3 pipelines+out)" "$replay"
printf '%-44s %12s\n' "jq with one trivial filter" "$jqr"
printf '%-44s %12s\n' "jq with bench/equivalent.jq (core rules)" "$jqe"
awk -v r="$replay" -v p="$parse" -v j="$jqr" -v e="$jqe" 'BEGIN { printf "\nreplay / parse-only = %.0f %%   replay / jq trivial = %.1fx   replay / jq equivalent = %.1fx\n", 100 * r / p, r / j, r / e }'
echo "threats in the replay: $threats"

# rule scaling: the same capture with 100, 1,000 and 10,000 generated rules (10 % of them
# cannot be indexed by a literal key)
echo
printf '%-44s %12s %10s\n' "generated rules (10 % unindexable)" "lines/s" "time (s)"
declare -A secs
for n in 100 1000 10000; do
	bash "$S/bench/genrules.sh" "$n" >"$DIR/rules-$n.wt"
	"$B/wtc" compile -o "$DIR/rules-$n.wtb" "$DIR/rules-$n.wt"
	t=()
	for i in 1 2 3; do
		a=$(now); "$B/worktraced" --rules "$DIR/rules-$n.wtb" --replay "$CAP" >/dev/null 2>&1; z=$(now)
		t+=("$(awk -v a="$a" -v b="$z" 'BEGIN { printf "%.3f", b - a }')")
	done
	secs[$n]=$(median3 "${t[@]}")
	printf '%-44s %12s %10s\n' "$n rules" "$(awk -v n="$lines" -v s="${secs[$n]}" 'BEGIN { printf "%.0f", n / s }')" "${secs[$n]}"
done
awk -v a="${secs[100]}" -v b="${secs[1000]}" -v c="${secs[10000]}" \
	'BEGIN { printf "\n1,000 rules / 100 rules = %.2fx time   10,000 / 100 = %.2fx\n", b / a, c / a }'

# correlation: the engine alone (one thread) over the stdlib's paths, 1,000,000 events spread
# over 10,000 keys that all hold live partial matches; prints events/s and bytes per match
echo
"$B/bench/bench_corr" "$RULES" 1000000 10000

# baseline: the rarity engine alone (one thread), one fleet spec bounded at 1,048,576 keys:
# 1,000,000 distinct keys, 4,000,000 Zipf-like events over them from 200 workspaces, then
# 1,000,000 new keys past the bound; prints events/s per phase, evictions and memory
echo
"$B/bench/bench_baseline" 1000000 4000000 200

# behavioral pipeline: the generated fleet (testsuite/genfleet: 200 workspaces x 24 h) replayed
# with only the stdlib's rarity specs (the direct and correlation threads idle) and with the
# whole stdlib, beside the parse-only decoder over the same file; median of 3, peak RSS
FLEET="$DIR/fleet.jsonl"
[ -s "$FLEET" ] || "$B/testsuite/genfleet" >"$FLEET"
"$B/wtc" compile -o "$DIR/rarity.wtb" "$S/stdlib-rules/common.wt" "$S/stdlib-rules/rarity.wt" 2>/dev/null
fl=$(wc -l <"$FLEET")
echo
echo "fleet: $FLEET: $fl lines, $(($(stat -c %s "$FLEET") / 1048576)) MB"
printf '%-44s %12s %10s\n' "what" "lines/s" "max RSS"
p=()
for i in 1 2 3; do p+=("$("$B/bench/bench_decode" "$FLEET" | sed 's/.*s: \([0-9]*\) lines\/s.*/\1/')"); done
printf '%-44s %12s %10s\n' "parse-only" "$(median3 "${p[@]}")" "-"
for what in rarity stdlib; do
	rules="$DIR/rarity.wtb"
	[ "$what" = stdlib ] && rules="$RULES"
	r=()
	for i in 1 2 3; do
		a=$(now)
		"$B/worktraced" --rules "$rules" --replay "$FLEET" >/dev/null 2>"$DIR/fleet-$what.err"
		z=$(now)
		r+=("$(rate "$fl" "$a" "$z")")
	done
	# the daemon's own memory: read through a pipe (a mapped input file would count as resident)
	cat "$FLEET" | /usr/bin/time -f '%M' -o "$DIR/fleet-$what.rss" "$B/worktraced" --rules "$rules" --replay - \
		>/dev/null 2>/dev/null
	printf '%-44s %12s %7s MB\n' "replay, $what ($(sed -n 's/.* beh_learned=\([0-9]*\).*/\1/p' "$DIR/fleet-$what.err") judged)" \
		"$(median3 "${r[@]}")" "$(($(tail -1 "$DIR/fleet-$what.rss") / 1024))"
done

# sinks: the output thread's cost per record and delivery rates (bench/sinks.sh)
bash "$S/bench/sinks.sh"
