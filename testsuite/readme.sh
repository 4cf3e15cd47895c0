#!/bin/bash
# The README's "Write your own rules" walk-through works as written: its rule file and
# test events (the ```wt and ```json blocks of that section) lint cleanly with the stdlib,
# pass `wtc test`, raise no W0009 against the shipped policies, and replay to exactly the
# expected threat; the "Deploy on Kubernetes" section names files that exist.
. "$(dirname "$0")/lib.sh"
need_jq
R="$WT_SRCDIR/README.md"
section() { awk -v h="## $1" '$0 == h { on = 1; next } on && /^## / { exit } on' "$R"; }
block() { awk -v lang="$1" '$1 == "```" lang { grab = 1; next } grab && $1 == "```" { grab = 0; next } grab { sub(/^   /, ""); print }'; }
mkdir -p "$TMP/my-rules/tests"
section "Write your own rules" | block wt >"$TMP/my-rules/site.wt"
section "Write your own rules" | block json >"$TMP/my-rules/tests/site.jsonl"
[ -s "$TMP/my-rules/site.wt" ] && [ "$(grep -c '' "$TMP/my-rules/tests/site.jsonl")" -eq 2 ] &&
	pass "README: rule file and 2 test events extracted" || fail "README blocks not found"
S="$WT_SRCDIR/stdlib-rules"
"$WTC" lint -Werror "$S" "$TMP/my-rules" >"$TMP/lint.out" 2>&1 && pass "README rules: wtc lint -Werror with the stdlib" ||
	{ fail "README rules lint"; cat "$TMP/lint.out"; }
"$WTC" test "$S" "$TMP/my-rules" >"$TMP/test.out" 2>&1 && grep -q ' 0 failed' "$TMP/test.out" &&
	pass "README rules: wtc test passes ($(tail -1 "$TMP/test.out"))" || { fail "README rules: wtc test"; tail -5 "$TMP/test.out"; }
"$WTC" lint -Werror --policies "$WT_SRCDIR/packaging/tetragon" "$S" "$TMP/my-rules" >"$TMP/pol.out" 2>&1 &&
	pass "README rules: no W0009 against packaging/tetragon" || { fail "README rules against the policies"; cat "$TMP/pol.out"; }
if "$WTC" compile -o "$TMP/rules.wtb" "$S" "$TMP/my-rules" 2>"$TMP/compile.out"; then
	"$WTD" --rules "$TMP/rules.wtb" --replay "$TMP/my-rules/tests/site.jsonl" 2>"$TMP/replay.err" |
		jq -r '[.input_seq, .rule, .severity, .workspace.id] | @tsv' >"$TMP/replay.tsv"
	[ "$(cat "$TMP/replay.tsv")" = "$(printf '1\tsite.database_dump\tmedium\tws-dana/ws-dana-0')" ] &&
		pass "README rules: the replay raises site.database_dump on line 1 only" ||
		{ fail "README replay: $(cat "$TMP/replay.tsv")"; cat "$TMP/replay.err"; }
else
	fail "README rules compile"; cat "$TMP/compile.out"
fi
# every packaging path the deployment section names exists
for p in $(section "Deploy on Kubernetes" | grep -o 'packaging/[A-Za-z0-9_./-]*' | sed 's/[.]$//' | sort -u); do
	[ -e "$WT_SRCDIR/$p" ] && pass "README names $p, which exists" || fail "README names missing $p"
done
finish
