#!/bin/bash
# The stdlib's labeled test events (stdlib-rules/tests/*.jsonl): each line carries
# "_expect": the exact set of stdlib rules that must fire on it, and optionally "_quiet":
# rules it is a benign look-alike for. Every stdlib rule needs a positive and a negative line.
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
if "$WTC" lint -Werror "$WT_SRCDIR/stdlib-rules" >"$TMP/lint.log" 2>&1; then
	pass "stdlib lints without errors or warnings"
else
	fail "stdlib lint"; cat "$TMP/lint.log"
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
	jq -r '"\(.input_seq) \(.rule)"' "$TMP/$name.out" | sort -u >"$TMP/$name.got"
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
