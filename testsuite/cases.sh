#!/bin/bash
# Data-driven cases, one directory or file each:
#   cases/apply/NAME/   rules.wt (or a file named `stdlib`), events.jsonl, optional `args`
#                       (extra worktraced flags), expected.tsv: one line per threat record:
#                       input_seq rule pipeline severity workspace.id owner dedup.count dedup.repeat
#   cases/reject/NAME.wt + NAME.err   exact diagnostics of `wtc lint NAME.wt` (exit 1)
#   cases/warn/NAME.wt + NAME.err     exact warnings of `wtc lint NAME.wt` (exit 0)
#                       (reject and warn: optional NAME.args, extra wtc lint options)
#   cases/accept/NAME.wt + NAME.dump  exact `wtc dump` of the compiled file
. "$(dirname "$0")/lib.sh"
need_jq
C="$WT_SRCDIR/testsuite/cases"

for d in "$C"/apply/*/; do
	name=$(basename "$d")
	if [ -f "$d/stdlib" ]; then rules=$(stdlib_wtb); else
		rules="$TMP/$name.wtb"
		if ! "$WTC" compile -o "$rules" "$d/rules.wt" 2>"$TMP/$name.log"; then
			fail "apply/$name: rules do not compile"; cat "$TMP/$name.log"; continue
		fi
	fi
	args=()
	[ -f "$d/args" ] && read -r -a args <"$d/args"
	if ! "$WTD" --rules "$rules" --replay "$d/events.jsonl" "${args[@]}" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
		fail "apply/$name: worktraced failed"; cat "$TMP/$name.err"; continue
	fi
	jq -r '[.input_seq, .rule, .pipeline, .severity, .workspace.id, (.workspace.owner // "-"), .dedup.count, .dedup.repeat] | @tsv' \
		"$TMP/$name.out" >"$TMP/$name.tsv"
	if diff -u "$d/expected.tsv" "$TMP/$name.tsv" >"$TMP/$name.diff"; then
		pass "apply/$name"
	else
		fail "apply/$name"; cat "$TMP/$name.diff"
	fi
done

# diagnostics CLASS WANT_STATUS: every CLASS/NAME.wt linted from its directory must exit
# with WANT_STATUS and print exactly CLASS/NAME.err
diagnostics() {
	local class=$1 want=$2 f name rc
	for f in "$C/$class"/*.wt; do
		name=$(basename "$f" .wt)
		local extra=()
		[ -f "$C/$class/$name.args" ] && read -r -a extra <"$C/$class/$name.args"
		(cd "$C/$class" && "$WTC" lint "${extra[@]}" "$name.wt") >/dev/null 2>"$TMP/$name.got"
		rc=$?
		if [ $rc -ne "$want" ]; then
			fail "$class/$name: exit status $rc, expected $want"
		elif diff -u "$C/$class/$name.err" "$TMP/$name.got" >"$TMP/$name.diff"; then
			pass "$class/$name"
		else
			fail "$class/$name"; cat "$TMP/$name.diff"
		fi
	done
}
diagnostics reject 1
diagnostics warn 0

for f in "$C"/accept/*.wt; do
	name=$(basename "$f" .wt)
	if (cd "$C/accept" && "$WTC" compile -o "$TMP/$name.wtb" "$name.wt") 2>"$TMP/$name.log" &&
		"$WTC" dump "$TMP/$name.wtb" | grep -v '^; ruleset format' >"$TMP/$name.got" &&
		diff -u "$C/accept/$name.dump" "$TMP/$name.got" >"$TMP/$name.diff"; then
		pass "accept/$name"
	else
		fail "accept/$name"; cat "$TMP/$name.log" "$TMP/$name.diff" 2>/dev/null
	fi
done
finish
