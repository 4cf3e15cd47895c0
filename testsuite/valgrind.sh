#!/bin/bash
# valgrind memcheck on the daemon's replay path (example capture and the real captures):
# no invalid access, no definite or indirect leak. Skipped in sanitizer builds.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
[ -n "${WT_SAN_FLAGS:-}" ] && { echo "sanitizer build: valgrind does not combine with ASan"; exit 77; }
rules=$(stdlib_wtb)
inputs=("$WT_SRCDIR/examples/workspace-session.jsonl" "$WT_SRCDIR/stdlib-rules/tests/paths.jsonl")
[ -n "${WT_TETRAGON_DATA:-}" ] && [ -d "$WT_TETRAGON_DATA" ] && inputs+=("$WT_TETRAGON_DATA"/*.jsonl)
for f in "${inputs[@]}"; do
	if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
		"$WTD" --rules "$rules" --replay "$f" >/dev/null 2>"$TMP/vg"; then
		pass "valgrind clean: $(basename "$f")"
	else
		fail "valgrind: $(basename "$f")"; grep -v '^worktraced: summary' "$TMP/vg" | head -40
	fi
done
finish
