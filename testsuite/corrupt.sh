#!/bin/bash
# Every truncation and every single-byte flip of the compiled stdlib, with and without the
# checksum rewritten: refused with a message, or loaded and run safely (see corrupt.c).
. "$(dirname "$0")/lib.sh"
rules=$(stdlib_wtb)
if "$WT_BUILDDIR/testsuite/corrupt" "$rules" "$WT_SRCDIR/examples/workspace-session.jsonl" "${WT_CORRUPT_STRIDE:-1}"; then
	pass "corrupted rulesets are refused or run safely"
else
	fail "corrupted ruleset handling"
fi
# the daemon's own refusal: exit status 2 and a message naming the file and the problem
head -c 200 "$rules" >"$TMP/trunc.wtb"
"$WTD" --rules "$TMP/trunc.wtb" --replay /dev/null 2>"$TMP/refuse.err"
rc=$?
if [ $rc -eq 2 ] && grep -q "ruleset refused: $TMP/trunc.wtb: file is 200 bytes but its header says" "$TMP/refuse.err"; then
	pass "worktraced refuses a truncated ruleset with exit status 2"
else
	fail "worktraced on a truncated ruleset: exit $rc: $(cat "$TMP/refuse.err")"
fi
finish
