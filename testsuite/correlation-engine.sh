#!/bin/bash
# Semantics of the correlation engine, through `wtc test` (which runs it over each labeled
# file in order): until, keys by process.tree and session, the window, events out of time
# order by up to 2 s, repetition with distinct values, exceptions reading captures.
. "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/e/tests"
cat >"$TMP/e/paths.wt" <<'WT'
path t.until {
  within 10m by workspace
  step a: exec when process.basename == "a"
  step b: exec when process.basename == "b"
  until exit when process.basename == "sshd"
  severity low
  output "x"
}
path t.tree {
  within 10m by process.tree
  step a: exec when process.basename == "ta"
  step b: exec when process.basename == "tb"
  severity low
  output "x"
}
path t.session {
  within 10m by session
  step a: exec when process.basename == "sa"
  step b: exec when process.basename == "sb"
  severity low
  output "x"
}
path t.window {
  within 10m by workspace
  step a: exec when process.basename == "wa"
  step b: exec when process.basename == "wb"
  severity low
  output "x"
}
path t.runs {
  within 1m by workspace
  step probe: kprobe when kprobe.function == "tcp_connect" runs 3 distinct sock.dport
  step then: exec when process.basename == "rb"
  severity low
  output "x"
}
path t.perkey {
  within 10m by workspace
  step a: exec when process.basename == "pa"
  step b: exec when process.basename == "pb"
  severity low
  output "x"
}
path t.except {
  within 10m by workspace
  step a: exec when process.basename == "xa" capture who = process.args
  step b: exec when process.basename == "xb"
  except $who == "allowed"
  severity low
  output "x"
}
WT
ex() { # WS EXEC_ID BASENAME PARENT_ID TIME EXPECT [QUIET] [ARGS]
	printf '{"process_exec":{"process":{"exec_id":"%s","binary":"/usr/bin/%s","arguments":"%s","parent_exec_id":"%s","in_init_tree":false,"pod":{"namespace":"%s","name":"p"}},"parent":{"exec_id":"%s","binary":"/bin/bash","parent_exec_id":"init"}},"time":"2026-11-10T%sZ","_expect":[%s],"_quiet":[%s]}\n' \
		"$2" "$3" "${8:-}" "$4" "$1" "$4" "$5" "$6" "${7:-}"
}
ext() { # WS EXEC_ID BASENAME TIME
	printf '{"process_exit":{"process":{"exec_id":"%s","binary":"/usr/sbin/%s","pod":{"namespace":"%s","name":"p"}}},"time":"2026-11-10T%sZ","_expect":[]}\n' "$2" "$3" "$1" "$4"
}
con() { # WS PORT TIME EXPECT
	printf '{"process_kprobe":{"process":{"exec_id":"k1","binary":"/usr/bin/python3","pod":{"namespace":"%s","name":"p"}},"function_name":"tcp_connect","args":[{"sock_arg":{"family":"AF_INET","daddr":"10.0.0.1","dport":%s,"saddr":"10.0.0.2","sport":1}}]},"time":"2026-11-10T%sZ","_expect":[%s]}\n' "$1" "$2" "$3" "$4"
}
{
	# until cancels the partial match of the key
	ex u1 1 a s1 10:00:00 ""
	ext u1 2 sshd 10:00:01
	ex u1 3 b s1 10:00:02 "" '"t.until"'
	ex u1 4 a s1 10:00:03 ""
	ex u1 5 b s1 10:00:04 '"t.until"'
	# process.tree: the second step must descend from the first step's parent (s2)
	ex tr 10 ta s2 10:01:00 ""
	ex tr 11 tb s3 10:01:01 "" '"t.tree"'
	ex tr 12 bash s2 10:01:02 ""
	ex tr 13 tb 12 10:01:03 '"t.tree"'
	# session: the topmost ancestor-or-self outside the init tree (here the parent shell)
	ex se 20 sa x1 10:02:00 ""
	ex se 21 sb x2 10:02:01 "" '"t.session"'
	ex se 22 sb x1 10:02:02 '"t.session"'
	# the window (10m), and 2 s of tolerated disorder
	ex wi 30 wa s4 10:03:00 ""
	ex wi 31 wb s4 10:13:30 "" '"t.window"'
	ex wi 32 wa s4 10:20:00 ""
	ex wi 33 wb s4 10:19:59 '"t.window"'
	ex wi 34 wa s4 10:30:00 ""
	ex wi 35 wb s4 10:29:55 "" '"t.window"'
	# runs 3 distinct sock.dport
	con ru 80 10:40:00 ""
	con ru 80 10:40:01 ""
	con ru 80 10:40:02 ""
	ex ru 40 rb s5 10:40:03 "" '"t.runs"'
	con ru 81 10:40:04 ""
	con ru 82 10:40:05 ""
	ex ru 41 rb s5 10:40:06 '"t.runs"'
	# at most 8 partial matches per key: the 9th evicts the oldest; one event completing
	# several partial matches makes one threat, with the oldest one's evidence
	for i in 0 1 2 3 4 5 6 7 8; do ex pk "6$i" pa s7 "10:45:0$i" ""; done
	ex pk 69 pb s7 10:45:10 '"t.perkey"'
	ex pk 70 pb s7 10:45:11 "" '"t.perkey"'
	# an exception reads the capture of the first step
	ex xc 50 xa s6 10:50:00 "" "" allowed
	ex xc 51 xb s6 10:50:01 "" '"t.except"'
	ex xc 52 xa s6 10:51:00 "" "" other
	ex xc 53 xb s6 10:51:01 '"t.except"'
	# process.tree across exits: the root (lS) and an intermediate process (lC) exit; 47 s
	# later, past the process cache's 30 s grace, a grandchild's step still finds the root
	# because exited processes with cached descendants are kept
	ex lt lS bash lX 11:00:00 ""
	ex lt lA ta lS 11:00:00 ""
	ex lt lC bash lS 11:00:01 ""
	ex lt lD sleep lC 11:00:02 ""
	ext lt lC bash 11:00:03
	ext lt lS bash 11:00:03
	ex lt lE tb lD 11:00:50 '"t.tree"'
} >"$TMP/e/tests/engine.jsonl"
if "$WTC" test --require-coverage "$TMP/e" >"$TMP/out" 2>&1; then
	pass "$(head -1 "$TMP/out")"
else
	fail "correlation engine semantics"; cat "$TMP/out"
fi
# the daemon agrees with wtc test, and records the evidence of each step
"$WTC" compile -o "$TMP/e.wtb" "$TMP/e/paths.wt" && "$WTD" --rules "$TMP/e.wtb" --replay "$TMP/e/tests/engine.jsonl" \
	--dedup-window 0 >"$TMP/d.out" 2>"$TMP/d.err"
want=$(jq -r 'select(._expect | length > 0) | ._expect[]' "$TMP/e/tests/engine.jsonl" | tr '\n' ' ')
got=$(jq -r '.rule' "$TMP/d.out" | tr '\n' ' ')
[ "$want" = "$got" ] && pass "worktraced fires the same paths: $got" || fail "worktraced: want '$want' got '$got'"
jq -e -s '.[0].evidence | length == 2 and .[0].step == "a" and .[1].step == "b" and .[1].exec_id == "5"' "$TMP/d.out" >/dev/null &&
	pass "evidence names each step" || { fail "evidence"; head -1 "$TMP/d.out"; }
jq -e -s 'map(select(.rule == "t.runs"))[0].evidence[0].count == 3' "$TMP/d.out" >/dev/null &&
	pass "a repeated step reports its count" || fail "runs count"
grep -q "corr_cancelled=1 " "$TMP/d.err" && pass "until counted" || { fail "until counter"; cat "$TMP/d.err"; }
grep -q "corr_evicted=1 " "$TMP/d.err" && pass "the per-key eviction is counted" || { fail "eviction counter"; cat "$TMP/d.err"; }
jq -e -s 'map(select(.rule == "t.perkey")) | length == 1 and .[0].evidence[0].exec_id == "61"' "$TMP/d.out" >/dev/null &&
	pass "per-key bound: oldest evicted, one threat for the 8 completed partial matches" || { fail "per-key bound"; jq -c 'select(.rule == "t.perkey")' "$TMP/d.out"; }
# the out-of-order tolerance is a daemon option: step b 3 s before step a
"$WTC" compile -o "$TMP/e.wtb" "$TMP/e/paths.wt" 2>/dev/null
ev() { printf '{"process_exec":{"process":{"exec_id":"%s","binary":"/usr/bin/%s","pod":{"namespace":"ws","name":"p"}}},"node_name":"n","time":"2026-10-14T10:00:%sZ"}\n' "$1" "$2" "$3"; }
{ ev t1 wa 10; ev t2 wb 07; } >"$TMP/skew.jsonl"
n2=$("$WTD" --rules "$TMP/e.wtb" --replay "$TMP/skew.jsonl" 2>/dev/null | grep -c '"t.window"')
n5=$("$WTD" --rules "$TMP/e.wtb" --replay "$TMP/skew.jsonl" --corr-tolerance 5 2>/dev/null | grep -c '"t.window"')
[ "$n2" -eq 0 ] && [ "$n5" -eq 1 ] && pass "--corr-tolerance: 3 s out of order is refused at 2 s, matched at 5 s" ||
	fail "--corr-tolerance: default $n2, at 5 s $n5"
finish
