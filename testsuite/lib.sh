# Shared setup of the shell tests: paths, a temp dir, pass/fail helpers.
set -u
: "${WT_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${WT_BUILDDIR:=$WT_SRCDIR}"
WTC="$WT_BUILDDIR/wtc"
WTD="$WT_BUILDDIR/worktraced"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wt-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C
failures=0
checks=0
pass() { checks=$((checks + 1)); echo "ok - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok - $*"; }
finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
need_jq() { command -v jq >/dev/null || { echo "jq is required for this test"; exit 99; }; }
# The compiled stdlib, built once per test run.
stdlib_wtb() {
	if [ ! -f "$TMP/stdlib.wtb" ]; then
		"$WTC" compile -o "$TMP/stdlib.wtb" "$WT_SRCDIR/stdlib-rules" >"$TMP/stdlib.log" 2>&1 || {
			cat "$TMP/stdlib.log"; echo "stdlib does not compile"; exit 99; }
	fi
	echo "$TMP/stdlib.wtb"
}
