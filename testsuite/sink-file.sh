#!/bin/bash
# File sink: JSON lines identical to stdout; size-based rotation keeps PATH.1 .. PATH.keep,
# no file over max_size, the newest records kept in order; bad --sink values are refused
# with a precise message (exit 64).
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
EX="$WT_SRCDIR/examples/workspace-session.jsonl"
"$WTD" --rules "$rules" --replay "$EX" --sink "file=$TMP/all.jsonl" --sink "file=$TMP/rot.jsonl?max_size=8k&keep=3" \
	>"$TMP/out" 2>"$TMP/err" || fail "worktraced exit status $?"
n=$(grep -c '' "$TMP/out")
cmp -s "$TMP/out" "$TMP/all.jsonl" && pass "file sink: the $n records, identical to stdout" || fail "file sink differs from stdout"
ls "$TMP" | grep '^rot\.jsonl' | sort >"$TMP/files"
[ "$(tr '\n' ' ' <"$TMP/files")" = "rot.jsonl rot.jsonl.1 rot.jsonl.2 rot.jsonl.3 " ] && pass "rotation keeps rot.jsonl.1 .. .3" ||
	fail "rotated files: $(tr '\n' ' ' <"$TMP/files")"
big=0
for f in "$TMP"/rot.jsonl*; do [ "$(stat -c %s "$f")" -le 8192 ] || big=1; done
[ $big -eq 0 ] && pass "no file exceeds max_size=8k" || fail "a file exceeds 8192 bytes: $(stat -c '%n %s' "$TMP"/rot.jsonl*)"
cat "$TMP/rot.jsonl.3" "$TMP/rot.jsonl.2" "$TMP/rot.jsonl.1" "$TMP/rot.jsonl" >"$TMP/kept"
k=$(grep -c '' "$TMP/kept")
[ "$k" -gt 4 ] && cmp -s "$TMP/kept" <(tail -n "$k" "$TMP/out") && pass "the kept files hold the newest $k records in order" ||
	fail "rotated content is not the tail of the records"
grep -q " sink1_file_delivered=$n sink1_file_retried=0 sink1_file_failed=0 sink1_file_dropped=0 " "$TMP/err" &&
	pass "rotation: all $n delivered (rotated away by keep=3 on purpose)" || fail "counters: $(grep -o ' sink1.*' "$TMP/err")"
# bad sink arguments
check_refused() { # ARG MESSAGE
	"$WTD" --rules "$rules" --replay "$EX" --sink "$1" >/dev/null 2>"$TMP/e"
	rc=$?
	[ $rc -eq 64 ] && [ "$(head -1 "$TMP/e")" = "$2" ] && pass "refused: --sink $1" || fail "--sink $1: rc $rc: $(head -1 "$TMP/e")"
}
check_refused "file=/x?max_size=1" "worktraced: invalid --sink 'file=/x?max_size=1': option max_size: '1' is not a size of at least 4096 bytes (suffix k, M, G)"
check_refused "mail=x" "worktraced: invalid --sink 'mail=x': expected TYPE=TARGET, TYPE one of file, alertmanager, webhook, webhook-falcosidekick, syslog"
check_refused "webhook=http://h/?queue=3#colour=red" "worktraced: invalid --sink 'webhook=http://h/?queue=3#colour=red': unknown option 'colour' for a webhook sink (options of an HTTP sink follow '#'; the query string belongs to the URL)"
check_refused "syslog=udp://localhost" "worktraced: syslog sink udp://localhost: expected udp://HOST:PORT or tcp://HOST:PORT"
check_refused "alertmanager=ftp://x" "worktraced: alertmanager sink ftp://x: not an http:// or https:// URL"
check_refused "syslog=tcp://h:1?min_severity=severe" "worktraced: invalid --sink 'syslog=tcp://h:1?min_severity=severe': option min_severity: 'severe' is not info, low, medium, high or critical"
check_refused "file=$TMP/no/such/dir/x" "worktraced: file sink $TMP/no/such/dir/x: $TMP/no/such/dir/x: No such file or directory"
# min_severity: only critical records reach the sink
"$WTD" --rules "$rules" --replay "$EX" --sink "file=$TMP/crit.jsonl?min_severity=critical" >"$TMP/out3" 2>/dev/null
cmp -s "$TMP/crit.jsonl" <(jq -c 'select(.severity == "critical")' "$TMP/out3") && [ -s "$TMP/crit.jsonl" ] &&
	pass "min_severity=critical: exactly the critical records" || fail "min_severity filter"

# the sink's counters on /metrics while the daemon reads a pipe
if command -v curl >/dev/null; then
	{ cat "$EX"; sleep 4; } | "$WTD" --rules "$rules" --replay - --sink "file=$TMP/m.jsonl" \
		--metrics-listen 127.0.0.1:0 >"$TMP/m.out" 2>"$TMP/m.err" &
	mpid=$!
	port=""
	for i in $(seq 50); do
		port=$(sed -n 's|.*metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$TMP/m.err")
		[ -n "$port" ] && break
		sleep 0.1
	done
	sleep 1.5
	line=$(curl -s "http://127.0.0.1:$port/metrics" | grep '^worktrace_sink_delivered_total{sink="sink0_file",type="file"} ')
	wait "$mpid"
	[ -n "$line" ] && [ "${line##* }" -gt 0 ] && pass "/metrics: $line" || fail "no sink counter on /metrics ($line)"
fi
finish
