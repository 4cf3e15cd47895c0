#!/bin/bash
# Man pages render without warnings, and every example in wt(5) marked
#   .\" EXAMPLE accept             compiles without errors or warnings
#   .\" EXAMPLE accept-with stdlib  the same, next to the stdlib sources
#   .\" EXAMPLE reject CODE         fails with that diagnostic code
# so the language reference cannot drift from the compiler.
. "$(dirname "$0")/lib.sh"
M="$WT_SRCDIR/man"
# every page: CMD PAGE says nothing (groff -z and mandoc -T lint on either stream; man -l
# on standard error, and its rendering is not empty)
quiet_on_pages() {
	local what=$1 tool=$2 page out
	shift 2
	command -v "$tool" >/dev/null || { fail "$tool is not installed (tools/setup.sh installs it)"; return; }
	for page in "$M"/*.[158]; do
		if [ "$tool" = man ]; then
			out=$("$@" "$page" 2>&1 >"$TMP/rendered")
			[ -s "$TMP/rendered" ] || out="renders nothing $out"
		else
			out=$("$@" "$page" 2>&1)
		fi
		[ -z "$out" ] && pass "$(basename "$page"): $what" || fail "$(basename "$page"): $what: $out"
	done
}
quiet_on_pages "groff -ww renders without warnings" groff groff -t -man -ww -z
quiet_on_pages "mandoc -T lint (down to STYLE) is silent" mandoc mandoc -T lint -W style
quiet_on_pages "man -l renders at 80 columns without groff warnings" man \
	env MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings=w -l
mkdir -p "$TMP/ex"
awk -v dir="$TMP/ex" '
	/^\.\\" EXAMPLE / { n++; kind = $3; code = $4; file = sprintf("%s/ex%02d.wt", dir, n); print kind, code > (file ".kind"); want = 1; next }
	want && /^\.EX$/ { grab = 1; want = 0; next }
	grab && /^\.EE$/ { grab = 0; next }
	grab { gsub(/\\e/, "\\"); gsub(/\\-/, "-"); print > file }
' "$M/wt.5"
count=0
for f in "$TMP"/ex/ex*.wt; do
	count=$((count + 1))
	read -r kind code <"$f.kind"
	name=$(basename "$f")
	if [ "$kind" = accept-with ]; then
		"$WTC" lint "$WT_SRCDIR/stdlib-rules" "$f" >"$TMP/$name.out" 2>&1
	else
		"$WTC" lint "$f" >"$TMP/$name.out" 2>&1
	fi
	rc=$?
	case "$kind" in
	accept | accept-with)
		if [ $rc -eq 0 ] && ! grep -q 'warning\[' "$TMP/$name.out"; then pass "wt(5) example $name compiles cleanly"
		else fail "wt(5) example $name"; cat "$f" "$TMP/$name.out"; fi ;;
	reject)
		if [ $rc -eq 1 ] && grep -q "error\[$code\]" "$TMP/$name.out"; then pass "wt(5) example $name is rejected with $code"
		else fail "wt(5) example $name: expected $code"; cat "$TMP/$name.out"; fi ;;
	esac
done
[ "$count" -ge 5 ] && pass "$count examples found in wt(5)" || fail "only $count examples found in wt(5)"

# worktrace.yaml(5): its example is a valid file, and every key of the test's full file
# (testsuite/config/full.yaml, which sets every setting) is documented
awk '/^\.\\" EXAMPLE check-config/ { want = 1; next } want && /^\.EX$/ { grab = 1; next }
	grab && /^\.EE$/ { exit } grab { gsub(/\\-/, "-"); gsub(/\\\(aq/, "\047"); print }' "$M/worktrace.yaml.5" |
	sed "s|/etc/worktrace/rules.wtb|$(stdlib_wtb)|; s|/var/lib/worktrace|$TMP/state|" >"$TMP/example.yaml"
out=$("$WTD" --check-config "$TMP/example.yaml" 2>&1)
[ -s "$TMP/example.yaml" ] && [ "$out" = "$TMP/example.yaml: OK" ] && pass "worktrace.yaml(5) example passes --check-config" ||
	{ fail "worktrace.yaml(5) example: $out"; cat "$TMP/example.yaml"; }
keys=$(awk '
	/^sinks:/ { sinks = 1; next }
	/^ *#/ || !/^ *-? *[a-z_]+:/ { next }
	{ line = $0; ind = match(line, /[^ ]/) - 1; sub(/^ *- */, "", line); sub(/^ */, "", line)
	  k = line; sub(/:.*/, "", k)
	  if (sinks) { if (ind >= 4 && ind <= 4) print "sink " k; next }
	  depth = int(ind / 2); path[depth] = k; full = path[0]
	  for (i = 1; i <= depth; i++) full = full "." path[i]
	  if (line ~ /: *[^ ]/) print full }' "$WT_SRCDIR/testsuite/config/full.yaml" | sort -u)
# the inputs full.yaml cannot set beside its own (one input per file)
keys=$(printf '%s\n' "$keys" input.replay input.follow.path input.follow.from_start)
undoc=""
n=0
while read -r a b; do
	n=$((n + 1))
	if [ "$a" = sink ]; then grep -q "^\.BI $b: " "$M/worktrace.yaml.5" || undoc="$undoc sinks.$b"
	else grep -q "^\.BI $a: " "$M/worktrace.yaml.5" || undoc="$undoc $a"; fi
done <<<"$keys"
[ -z "$undoc" ] && [ "$n" -ge 41 ] && pass "worktrace.yaml(5) documents all $n keys of testsuite/config/full.yaml" ||
	fail "worktrace.yaml(5): $n keys found, undocumented:$undoc"

# the README's configuration example passes --check-config
awk '/^## Configuration/ { on = 1; next } on && /^## / { exit } on && /^```yaml$/ { grab = 1; next }
	grab && /^```$/ { exit } grab' "$WT_SRCDIR/README.md" |
	sed "s|/usr/share/worktrace/stdlib.wtb|$(stdlib_wtb)|; s|/var/lib/worktrace|$TMP/state|" >"$TMP/readme.yaml"
out=$("$WTD" --check-config "$TMP/readme.yaml" 2>&1)
[ -s "$TMP/readme.yaml" ] && [ "$out" = "$TMP/readme.yaml: OK" ] && pass "README configuration example passes --check-config" ||
	{ fail "README configuration example: $out"; cat "$TMP/readme.yaml"; }

# the README's rule and path examples compile cleanly next to the stdlib
awk '/^## Rule language in one example/ { on = 1; next } on && /^## / { exit } on && /^```$/ { grab = !grab; next } grab' \
	"$WT_SRCDIR/README.md" >"$TMP/readme.wt"
if [ -s "$TMP/readme.wt" ] && "$WTC" lint -Werror "$TMP/readme.wt" "$WT_SRCDIR/stdlib-rules" >"$TMP/readme.out" 2>&1; then
	pass "README rule example compiles with the stdlib"
else
	fail "README rule example"; cat "$TMP/readme.wt" "$TMP/readme.out"
fi
# the threat-record example in the docs has the daemon's fields, in the daemon's order
if command -v jq >/dev/null; then
	awk '/^```json$/ { grab = 1; next } grab && /^```$/ { exit } grab' "$WT_SRCDIR/docs/threat-record.md" >"$TMP/doc.json"
	"$WTD" --rules "$(stdlib_wtb)" --replay "$WT_SRCDIR/examples/workspace-session.jsonl" 2>/dev/null |
		jq -c 'select(.rule == "execution.reverse_shell_dev_tcp")' | head -1 >"$TMP/real.json"
	if [ -s "$TMP/real.json" ] && [ "$(jq -c '[paths | map(tostring) | join(".")]' "$TMP/doc.json")" = \
		"$(jq -c '[paths | map(tostring) | join(".")]' "$TMP/real.json")" ]; then
		pass "docs/threat-record.md example matches a real record's fields"
	else
		fail "docs/threat-record.md example differs from the daemon's record"; cat "$TMP/doc.json" "$TMP/real.json"
	fi
fi
finish
