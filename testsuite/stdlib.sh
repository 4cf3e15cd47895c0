#!/bin/bash
# The stdlib's labeled test events (stdlib-rules/tests/*.jsonl): each line carries
# "_expect": the exact set of stdlib rules that must fire on it, and optionally "_quiet":
# rules it is a benign look-alike for. Every stdlib rule needs a positive and a negative line.
# Rarity specs are not judged here (single labeled events make no baseline): their threats
# are left out; testsuite/behavioral-fleet.sh tests them on a generated fleet.
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
if "$WTC" lint -Werror "$WT_SRCDIR/stdlib-rules" >"$TMP/lint.log" 2>&1; then
	pass "stdlib lints without errors or warnings"
else
	fail "stdlib lint"; cat "$TMP/lint.log"
fi
if "$WTC" test --require-coverage "$WT_SRCDIR/stdlib-rules" >"$TMP/wtctest.out" 2>&1; then
	pass "wtc test: $(head -1 "$TMP/wtctest.out")"
else
	fail "wtc test"; cat "$TMP/wtctest.out"
fi
# wtc test reports a wrong expectation and a rule without cases, and fails
mkdir -p "$TMP/own/tests"
cat >"$TMP/own/r.wt" <<'WT'
rule own.nc { on exec when process.basename == "nc" severity high output "nc" }
rule own.untested { on exec when process.basename == "socat" severity high output "socat" }
WT
printf '%s\n' '{"process_exec":{"process":{"exec_id":"e1","binary":"/usr/bin/nc","arguments":"-l 80"}},"time":"2026-10-14T10:00:00Z","_expect":[]}' \
	'{"process_exec":{"process":{"exec_id":"e2","binary":"/usr/bin/ls"}},"time":"2026-10-14T10:00:01Z","_expect":[],"_quiet":["own.nc"]}' >"$TMP/own/tests/t.jsonl"
"$WTC" test --require-coverage "$TMP/own" >"$TMP/own.out" 2>"$TMP/own.err"
rc=$?
sed "s#$TMP/##" "$TMP/own.err" >"$TMP/own.msgs"
printf '%s\n' 'own/tests/t.jsonl:1: expected [], fired [own.nc]' \
	'error: rule own.nc has no positive (_expect) test line' \
	'error: rule own.untested has no positive (_expect) or negative (_quiet) test line' >"$TMP/own.want"
if [ $rc -eq 1 ] && diff -u "$TMP/own.want" "$TMP/own.msgs"; then
	pass "wtc test reports failing cases and missing coverage"
else
	fail "wtc test on failing cases: exit $rc"; cat "$TMP/own.err"
fi
"$WTC" dump "$rules" | awk '/^rule /{print $2}' | sort >"$TMP/all-rules"
n=$(wc -l <"$TMP/all-rules")
[ "$n" -ge 15 ] && pass "stdlib has $n rules (>= 15)" || fail "stdlib has only $n rules"
: >"$TMP/expected-all"
: >"$TMP/quiet-all"
for f in "$WT_SRCDIR"/stdlib-rules/tests/*.jsonl; do
	name=$(basename "$f")
	jq -r '._expect // ["<missing _expect>"] | .[]' "$f" >/dev/null 2>&1 || { fail "$name: not JSON lines"; continue; }
	# expected "line rule" pairs, sorted
	jq -c '._expect // ["<missing _expect>"]' "$f" | awk '{ gsub(/[\[\]"]/, ""); n = split($0, a, ","); for (i = 1; i <= n; i++) if (a[i] != "") print NR " " a[i] }' |
		sort >"$TMP/$name.want"
	jq -c '._quiet // []' "$f" | tr -d '[]"' | tr ',' '\n' | grep -v '^$' >>"$TMP/quiet-all"
	cut -d' ' -f2 "$TMP/$name.want" >>"$TMP/expected-all"
	"$WTD" --rules "$rules" --replay "$f" --dedup-window 0 >"$TMP/$name.out" 2>"$TMP/$name.err" || { fail "$name: worktraced failed"; continue; }
	grep -q ' malformed=0 unknown_kind=0 ' "$TMP/$name.err" || { fail "$name: input problems"; cat "$TMP/$name.err"; }
	jq -r 'select(.pipeline != "behavioral") | "\(.input_seq) \(.rule)"' "$TMP/$name.out" | sort -u >"$TMP/$name.got"
	if diff -u "$TMP/$name.want" "$TMP/$name.got" >"$TMP/$name.diff"; then
		pass "$name: $(wc -l <"$TMP/$name.want") expected threats, no others"
	else
		fail "$name: threats differ from _expect (- expected, + got; 'LINE RULE')"; cat "$TMP/$name.diff"
	fi
done
while read -r r; do
	grep -qx "$r" "$TMP/expected-all" && grep -qx "$r" "$TMP/quiet-all" && continue
	fail "rule $r lacks a positive (_expect) or a negative (_quiet) test line"
done <"$TMP/all-rules"
pass "coverage checked for $n rules"
finish
