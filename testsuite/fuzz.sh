#!/bin/bash
# Seeds and kept crash reproducers of the fuzz harnesses, replayed with the ordinary
# (possibly sanitized) build: the compiler front end over rule sources, the loader over
# compiled rulesets (checksums rewritten by the harness so the verifier judges them), the
# threat-record renderer and sink formatters over event strings of arbitrary bytes, and the
# protobuf event decoder over GetEventsResponse messages.
. "$(dirname "$0")/lib.sh"
F="$WT_SRCDIR/testsuite/fuzz"
B="$WT_BUILDDIR/testsuite/fuzz"
if "$B/replay_compile" "$F/seeds-compile" "$F/regressions-compile" "$WT_SRCDIR/stdlib-rules" >"$TMP/c.out" 2>&1; then
	pass "compiler harness: $(tail -1 "$TMP/c.out")"
else
	fail "compiler harness"; cat "$TMP/c.out"
fi
mkdir -p "$TMP/wtb"
cp "$(stdlib_wtb)" "$TMP/wtb/stdlib.wtb"
for d in "$WT_SRCDIR"/testsuite/cases/apply/*/; do
	[ -f "$d/rules.wt" ] && "$WTC" compile -o "$TMP/wtb/$(basename "$d").wtb" "$d/rules.wt" 2>/dev/null
done
head -c 100 "$TMP/wtb/stdlib.wtb" >"$TMP/wtb/truncated.wtb"
if "$B/replay_loader" "$TMP/wtb" "$F/regressions-loader" >"$TMP/l.out" 2>&1; then
	pass "loader harness: $(tail -1 "$TMP/l.out")"
else
	fail "loader harness"; cat "$TMP/l.out"
fi
if "$B/replay_record" "$F/seeds-record" "$F/regressions-record" >"$TMP/r.out" 2>&1; then
	pass "record harness: $(tail -1 "$TMP/r.out")"
else
	fail "record harness"; cat "$TMP/r.out"
fi
if "$B/replay_proto" "$F/seeds-proto" "$F/regressions-proto" >"$TMP/p.out" 2>&1; then
	pass "protobuf decoder harness: $(tail -1 "$TMP/p.out")"
else
	fail "protobuf decoder harness"; cat "$TMP/p.out"
fi
finish
