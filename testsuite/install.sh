#!/bin/bash
# `make install` into a DESTDIR: the programs, the compiled stdlib and its sources, the
# default configuration, the state directory and the man pages land in the configured
# directories; the installed wtc and worktraced run on their own (the installed ruleset
# replays the example capture to the same threats as the build tree); `make uninstall`
# removes every file again.
. "$(dirname "$0")/lib.sh"
need_jq
D="$TMP/dest"
# a make of its own: not a job of the make check that runs this test
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s -C "$WT_BUILDDIR" "$@"; }
eval "$(mk print-installdirs 2>/dev/null)" || { echo "cannot read the installation directories"; exit 99; }
if mk install DESTDIR="$D" >"$TMP/install.log" 2>&1; then pass "make install DESTDIR"
else fail "make install"; cat "$TMP/install.log"; finish; exit; fi

for f in "$bindir/wtc" "$sbindir/worktraced"; do
	[ -x "$D$f" ] && pass "installed $f" || fail "missing program $f"
done
for f in "$pkgdatadir/stdlib.wtb" "$sysconfdir/worktrace/worktrace.yaml" \
	"$mandir/man1/wtc.1" "$mandir/man8/worktraced.8" "$mandir/man5/wt.5" "$mandir/man5/worktrace-bytecode.5"; do
	[ -s "$D$f" ] && pass "installed $f" || fail "missing $f"
done
[ -d "$D$localstatedir/lib/worktrace" ] && pass "state directory $localstatedir/lib/worktrace" ||
	fail "no state directory"
want=$(cd "$WT_SRCDIR/stdlib-rules" && ls ./*.wt | sort)
got=$(cd "$D$pkgdatadir/rules" 2>/dev/null && ls ./*.wt | sort)
[ -n "$want" ] && [ "$want" = "$got" ] && pass "stdlib sources in $pkgdatadir/rules ($(echo "$want" | wc -l) files)" ||
	fail "stdlib sources: want [$want] got [$got]"
for f in $want; do
	cmp -s "$WT_SRCDIR/stdlib-rules/$f" "$D$pkgdatadir/rules/$f" || fail "installed $f differs from the source"
done
pols=$(cd "$WT_SRCDIR/packaging/tetragon" && ls ./*.yaml | sort)
[ -n "$pols" ] && [ "$pols" = "$(cd "$D$pkgdatadir/tetragon" 2>/dev/null && ls ./*.yaml | sort)" ] &&
	pass "TracingPolicies in $pkgdatadir/tetragon" || fail "TracingPolicies not installed"
# the installed configuration names the installed ruleset and state directory
conf="$D$sysconfdir/worktrace/worktrace.yaml"
grep -qx "rules: $pkgdatadir/stdlib.wtb" "$conf" && grep -qx "  state_dir: $localstatedir/lib/worktrace" "$conf" &&
	pass "worktrace.yaml points at $pkgdatadir/stdlib.wtb and $localstatedir/lib/worktrace" ||
	{ fail "installed worktrace.yaml paths"; grep -E '^ *(rules|state_dir):' "$conf"; }
# ... and is a valid configuration once its paths are those of this DESTDIR
sed -e "s|$pkgdatadir|$D$pkgdatadir|g" -e "s|$localstatedir/lib/worktrace|$D$localstatedir/lib/worktrace|g" "$conf" >"$TMP/conf.yaml"
out=$("$D$sbindir/worktraced" --check-config "$TMP/conf.yaml" 2>&1) && pass "the installed worktrace.yaml passes --check-config" ||
	fail "installed worktrace.yaml: $out"
# man finds the installed pages
for p in wtc worktraced wt worktrace-bytecode; do
	[ "$(MANPATH="$D$mandir" man -w "$p" 2>/dev/null | head -1)" != "" ] && pass "man -w $p finds the installed page" ||
		fail "man -w $p"
done

# the installed programs, on the installed files only
IWTC="$D$bindir/wtc"
IWTD="$D$sbindir/worktraced"
if "$IWTC" lint "$D$pkgdatadir/rules" >"$TMP/lint.out" 2>&1; then pass "installed wtc lints the installed rules"
else fail "installed wtc lint"; cat "$TMP/lint.out"; fi
if "$IWTC" lint -Werror --policies "$D$pkgdatadir/tetragon" "$D$pkgdatadir/rules" >"$TMP/pol.out" 2>&1; then
	pass "installed wtc: installed rules against the installed policies, no W0009"
else fail "installed wtc lint --policies"; cat "$TMP/pol.out"; fi
"$IWTC" compile -o "$TMP/re.wtb" "$D$pkgdatadir/rules" 2>"$TMP/re.log" &&
	"$IWTC" dump "$TMP/re.wtb" | grep -v '^; ' | sed 's|  *; .*||' >"$TMP/re.dump" &&
	"$IWTC" dump "$D$pkgdatadir/stdlib.wtb" | grep -v '^; ' | sed 's|  *; .*||' >"$TMP/inst.dump" &&
	diff -q "$TMP/re.dump" "$TMP/inst.dump" >/dev/null &&
	pass "installed stdlib.wtb is the compiled installed sources" || fail "installed stdlib.wtb differs from its sources"
EX="$WT_SRCDIR/examples/workspace-session.jsonl"
# the distinct (rule, pipeline, severity, workspace) set: which occurrence of a repeat opens a
# new dedup entry depends on how the pipeline threads interleave at the output stage
proj='[.rule, .pipeline, .severity, .workspace.id] | @tsv'
"$WTD" --rules "$(stdlib_wtb)" --replay "$EX" 2>/dev/null | jq -r "$proj" | sort -u >"$TMP/build.tsv"
if "$IWTD" --rules "$D$pkgdatadir/stdlib.wtb" --replay "$EX" >"$TMP/inst.out" 2>"$TMP/inst.err"; then
	jq -r "$proj" "$TMP/inst.out" | sort -u >"$TMP/inst.tsv"
	n=$(grep -c '' "$TMP/inst.tsv")
	[ "$n" -gt 0 ] && diff -u "$TMP/build.tsv" "$TMP/inst.tsv" >"$TMP/replay.diff" &&
		pass "installed worktraced + installed ruleset: the build tree's $n distinct threats (rule, pipeline, severity, workspace) on the example" ||
		{ fail "installed replay differs ($n threats)"; head -20 "$TMP/replay.diff"; }
else
	fail "installed worktraced failed"; cat "$TMP/inst.err"
fi

if mk uninstall DESTDIR="$D" >"$TMP/uninstall.log" 2>&1; then
	left=$(find "$D" -type f | sed "s|^$D||")
	[ -z "$left" ] && pass "make uninstall removes every installed file" || fail "left after uninstall: $left"
else
	fail "make uninstall"; cat "$TMP/uninstall.log"
fi
finish
