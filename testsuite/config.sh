#!/bin/bash
# worktrace.yaml(5): a file with ten different mistakes gets exactly ten precise
# FILE:LINE:COL messages (golden files, for the general keys and for sinks), a full file with
# every setting is accepted, the daemon refuses a bad file with the same messages (exit 78),
# flags override the file, and inputs or sinks this build cannot run are refused, not ignored.
. "$(dirname "$0")/lib.sh"
need_jq
C="$WT_SRCDIR/testsuite/config"
RULES=$(stdlib_wtb)

for f in bad bad-sinks; do
	(cd "$C" && "$WTD" --check-config "$f.yaml") >"$TMP/$f.out"; rc=$?
	if [ $rc -eq 1 ] && diff -u "$C/$f.expected" "$TMP/$f.out" >"$TMP/$f.diff"; then
		pass "$f.yaml: exit 1 and the $(wc -l <"$C/$f.expected") expected messages"
	else
		fail "$f.yaml: exit $rc, messages differ (- expected, + got)"; cat "$TMP/$f.diff"
	fi
	[ "$(wc -l <"$TMP/$f.out")" -eq 10 ] && [ "$(cut -d: -f2 "$TMP/$f.out" | sort -u | wc -l)" -eq 10 ] &&
		pass "$f.yaml: ten messages on ten different lines" || fail "$f.yaml: $(wc -l <"$TMP/$f.out") messages"
done
# every message names its own mistake's line (the files mark each with a numbered comment)
for f in bad bad-sinks; do
	bad_lines=$(grep -n '# [0-9]*:' "$C/$f.yaml" | cut -d: -f1 | tr '\n' ' ')
	got_lines=$(cut -d: -f2 "$TMP/$f.out" | tr '\n' ' ')
	# a missing key is reported where the sink's type is given, which is its marked line
	[ "$bad_lines" = "$got_lines" ] && pass "$f.yaml: each message points at its marked line" ||
		fail "$f.yaml: marked lines $bad_lines, reported $got_lines"
done

sed "s|/etc/worktrace/rules.wtb|$RULES|" "$C/full.yaml" >"$TMP/full.yaml"
out=$("$WTD" --check-config "$TMP/full.yaml"); rc=$?
[ $rc -eq 0 ] && [ "$out" = "$TMP/full.yaml: OK" ] && pass "a file with every setting is accepted" ||
	fail "full.yaml: exit $rc: $out"
printf 'rules: %s\n' "$TMP/broken.wtb" >"$TMP/badrules.yaml"
head -c 100 "$RULES" >"$TMP/broken.wtb"
out=$("$WTD" --check-config "$TMP/badrules.yaml"); rc=$?
[ $rc -eq 1 ] && grep -q "^$TMP/badrules.yaml: rules: ruleset refused: " <<<"$out" &&
	pass "--check-config also verifies the ruleset the file names" || fail "bad ruleset: exit $rc: $out"

# the daemon refuses a bad file with the same messages
(cd "$C" && "$WTD" --config bad.yaml) >/dev/null 2>"$TMP/daemon.err"; rc=$?
[ $rc -eq 78 ] && diff -q "$C/bad.expected" "$TMP/daemon.err" >/dev/null && pass "worktraced --config bad.yaml: exit 78, the same messages" ||
	{ fail "worktraced --config bad.yaml: exit $rc"; cat "$TMP/daemon.err"; }

# flags override the file
cat >"$TMP/over.yaml" <<YAML
rules: $TMP/missing.wtb
input:
  replay: $TMP/missing.jsonl
output: $TMP/from-file.jsonl
log:
  level: error
dedup:
  window: 0
YAML
# one direct rule over six repeats of one threat: deterministic record counts (4 with the
# default 60 s dedup window, as the apply case expects; 6 without dedup)
D="$WT_SRCDIR/testsuite/cases/apply/dedup-window"
"$WTC" compile -o "$TMP/dedup.wtb" "$D/rules.wt" || fail "dedup-window rules"
"$WTD" --config "$TMP/over.yaml" --rules "$TMP/dedup.wtb" --replay "$D/events.jsonl" \
	--output "$TMP/from-flag.jsonl" --log-level info --dedup-window 60 2>"$TMP/over.err"; rc=$?
[ $rc -eq 0 ] && [ ! -e "$TMP/from-file.jsonl" ] && [ -s "$TMP/from-flag.jsonl" ] && pass "--rules, --replay, --output override the file" ||
	{ fail "override: exit $rc"; cat "$TMP/over.err"; }
grep -q 'summary: ' "$TMP/over.err" && pass "--log-level info overrides log.level error (summary shown)" || fail "log level override"
[ "$(wc -l <"$TMP/from-flag.jsonl")" -eq "$(wc -l <"$D/expected.tsv")" ] &&
	pass "--dedup-window 60 overrides dedup.window 0 ($(wc -l <"$D/expected.tsv") records)" ||
	fail "dedup override: $(wc -l <"$TMP/from-flag.jsonl") records, expected $(wc -l <"$D/expected.tsv")"
"$WTD" --config "$TMP/over.yaml" --rules "$TMP/dedup.wtb" --replay "$D/events.jsonl" \
	--output "$TMP/quiet.jsonl" 2>"$TMP/quiet.err"
[ ! -s "$TMP/quiet.err" ] && [ "$(wc -l <"$TMP/quiet.jsonl")" -gt "$(wc -l <"$D/expected.tsv")" ] &&
	[ "$(jq -s 'map(select(.dedup.repeat or .dedup.count != 1)) | length' "$TMP/quiet.jsonl")" = 0 ] &&
	pass "without the flags the file's log.level error and dedup.window 0 apply" ||
	{ fail "file settings: $(wc -l <"$TMP/quiet.jsonl") records"; cat "$TMP/quiet.err"; }
"$WTD" --config "$TMP/over.yaml" --rules "$RULES" --queue-size 0 --replay - </dev/null 2>"$TMP/flag.err"; rc=$?
[ $rc -eq 64 ] && grep -qx "worktraced: invalid value '0' for --queue-size (expected 2 to 16777216)" "$TMP/flag.err" &&
	pass "a bad flag after --config: exit 64 with the flag's message" || { fail "bad flag: exit $rc"; cat "$TMP/flag.err"; }

# log.level debug prints the effective settings: the file's, with the flags over them
"$WTD" --config "$TMP/over.yaml" --rules "$RULES" --replay - --log-level debug --cluster-cidr 10.1.0.0/16 \
	--cluster-cidr fd00::/8 </dev/null >/dev/null 2>"$TMP/debug.err"
grep -qx "worktraced: setting rules = $RULES" "$TMP/debug.err" && grep -qx 'worktraced: setting dedup.window = 0' "$TMP/debug.err" &&
	grep -qx 'worktraced: setting engine.queue_size = 4096' "$TMP/debug.err" &&
	grep -qx 'worktraced: setting cluster_cidrs = 10.1.0.0/16, fd00::/8' "$TMP/debug.err" &&
	grep -qx 'worktraced: setting log.level = debug' "$TMP/debug.err" &&
	pass "log.level debug prints the effective settings" || { fail "debug settings"; cat "$TMP/debug.err"; }

# mutants of the test files (bytes flipped, deleted, lines duplicated, truncation): each is
# either accepted or refused with FILE:LINE:COL messages only; never a crash
if command -v python3 >/dev/null; then
	mkdir -p "$TMP/mut"
	python3 - "$C/full.yaml" "$C/bad.yaml" "$C/bad-sinks.yaml" "$TMP/mut" <<'PY'
import random, sys
rng = random.Random(7)
srcs = [open(f, 'rb').read() for f in sys.argv[1:4]]
for i in range(300):
    b = bytearray(rng.choice(srcs))
    for _ in range(rng.randint(1, 4)):
        op, at = rng.randrange(4), rng.randrange(len(b))
        if op == 0:
            b[at] = rng.choice(b' :-[]{}"\'#&*!|>\t\n0\x00\xff')
        elif op == 1:
            del b[at:at + rng.randint(1, 8)]
        elif op == 2:
            lines = b.split(b'\n'); k = rng.randrange(len(lines)); lines.insert(k, lines[k]); b = bytearray(b'\n'.join(lines))
        else:
            b = b[:at]
    open('%s/m%03d.yaml' % (sys.argv[4], i), 'wb').write(b)
PY
	bad=0
	for f in "$TMP"/mut/*.yaml; do
		out=$("$WTD" --check-config "$f" 2>&1); rc=$?
		if [ $rc -eq 0 ]; then
			[ "$out" = "$f: OK" ] || grep -q "^$f: rules: ruleset refused" <<<"$out" || bad=$((bad + 1))
		elif [ $rc -eq 1 ]; then
			grep -qv "^$f:" <<<"$out" && { bad=$((bad + 1)); echo "# $f: $out" | head -3; }
		else
			bad=$((bad + 1)); echo "# $f: exit $rc"
		fi
	done
	[ $bad -eq 0 ] && pass "300 mutated config files: each accepted, or refused with messages that all name the file" ||
		fail "$bad mutated config files misbehaved"
fi

# a config read from a pipe works (read once, in full); a directory or a device is refused
mkfifo "$TMP/fifo.yaml"
printf 'rules: %s\nbogus: 1\n' "$RULES" >"$TMP/fifo.yaml" &
out=$("$WTD" --check-config "$TMP/fifo.yaml" 2>&1); rc=$?
wait
[ $rc -eq 1 ] && [ "$out" = "$TMP/fifo.yaml:2:1: unknown key 'bogus' (expected rules, input, output, engine, dedup, workspace, correlation, behavioral, cluster_cidrs, metrics, log, sinks, sink_flush_timeout)" ] &&
	pass "a config from a pipe is read: $out" || fail "config from a pipe: exit $rc: $out"
for f in "$TMP" /dev/zero; do
	out=$("$WTD" --check-config "$f" 2>&1); rc=$?
	[ $rc -eq 1 ] && [ "$out" = "$f: not a regular file or a pipe" ] && pass "--check-config $f refused" ||
		fail "--check-config $f: exit $rc: $out"
done
printf 'rules: x\nfoo: [\n' >"$TMP/syntax.yaml"
out=$("$WTD" --check-config "$TMP/syntax.yaml" 2>&1)
[ "$out" = "$TMP/syntax.yaml:3:1: YAML: flow sequence without a closing bracket" ] && pass "YAML syntax error at its line" ||
	fail "YAML syntax error: $out"

# a Tetragon address that cannot be dialed, --tetragon-* options without --tetragon, and
# webhook headers that would break the request's framing are refused
out=$("$WTD" --rules "$RULES" --tetragon 127.0.0.1:99999 2>&1 </dev/null); rc=$?
[ $rc -eq 64 ] && [ "$out" = "worktraced: invalid --tetragon '127.0.0.1:99999': expected unix:///PATH or HOST:PORT with PORT 1 to 65535" ] &&
	pass "--tetragon 127.0.0.1:99999 refused" || fail "--tetragon port: exit $rc: $out"
out=$("$WTD" --rules "$RULES" --replay /dev/null --tetragon-allow-namespace ws 2>&1); rc=$?
[ $rc -eq 64 ] && [ "$out" = "worktraced: the --tetragon-* options (input.tetragon.*) need --tetragon" ] &&
	pass "--tetragon-allow-namespace without --tetragon refused" || fail "tetragon option alone: exit $rc: $out"
printf 'rules: %s\nsinks:\n  - type: webhook\n    url: http://127.0.0.1:1/\n    headers:\n      Content-Length: "0"\n' "$RULES" >"$TMP/hdr.yaml"
out=$("$WTD" --check-config "$TMP/hdr.yaml" 2>&1)
[ "$out" = "$TMP/hdr.yaml:6:7: sinks[0]: headers: 'Content-Length' is set by the sink itself" ] &&
	pass "a framing header is refused" || fail "framing header: $out"
# --output appends: a restart keeps the records of the run before
"$WTD" --rules "$RULES" --replay "$WT_SRCDIR/examples/workspace-session.jsonl" --output "$TMP/twice.jsonl" 2>/dev/null
n1=$(wc -l <"$TMP/twice.jsonl")
"$WTD" --rules "$RULES" --replay "$WT_SRCDIR/examples/workspace-session.jsonl" --output "$TMP/twice.jsonl" 2>/dev/null
n2=$(wc -l <"$TMP/twice.jsonl")
[ "$n1" -gt 20 ] && [ "$n2" -eq $((2 * n1)) ] && pass "--output appends ($n1 then $n2 records)" || fail "--output: $n1 then $n2"

# two inputs on the command line, and --from-start without --follow, are usage errors
"$WTD" --rules "$RULES" --replay - --tetragon unix:///run/t.sock </dev/null 2>"$TMP/two.err"; rc=$?
[ $rc -eq 64 ] && grep -q -- '--replay and --tetragon: only one input can be given' "$TMP/two.err" &&
	pass "two inputs on the command line refused" || { fail "two inputs: exit $rc"; cat "$TMP/two.err"; }
"$WTD" --rules "$RULES" --replay - --from-start </dev/null 2>"$TMP/fs.err"; rc=$?
[ $rc -eq 64 ] && grep -q -- '--from-start (input.follow.from_start) needs --follow' "$TMP/fs.err" &&
	pass "--from-start without --follow refused" || { fail "--from-start: exit $rc"; cat "$TMP/fs.err"; }
# the sinks of the file and of --sink deliver every record: a stdout sink beside an output
# file, a file sink from the file and one from the command line all hold what stdout holds
cat >"$TMP/sinks.yaml" <<EOF
rules: $RULES
input:
  replay: $WT_SRCDIR/examples/workspace-session.jsonl
output: $TMP/records.jsonl
sinks:
  - type: stdout
  - type: file
    path: $TMP/sink-yaml.jsonl
EOF
"$WTD" --config "$TMP/sinks.yaml" --sink "file=$TMP/sink-flag.jsonl" >"$TMP/sinks.out" 2>"$TMP/sinks.err"; rc=$?
n=$(wc -l <"$TMP/records.jsonl")
[ $rc -eq 0 ] && [ "$n" -gt 20 ] && cmp -s "$TMP/records.jsonl" "$TMP/sinks.out" && cmp -s "$TMP/records.jsonl" "$TMP/sink-yaml.jsonl" &&
	cmp -s "$TMP/records.jsonl" "$TMP/sink-flag.jsonl" &&
	grep -q 'sink2_file_delivered='"$n"' sink2_file_retried=0 sink2_file_failed=0 sink2_file_dropped=0 sink2_file_lost=0' "$TMP/sinks.err" &&
	pass "sinks from the file and --sink deliver all $n records" || { fail "sinks: exit $rc"; cat "$TMP/sinks.err"; }
finish
