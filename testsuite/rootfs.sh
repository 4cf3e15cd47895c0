#!/bin/bash
# The container image's runtime filesystem (packaging/rootfs.sh, the same layout as
# packaging/Dockerfile's runtime stage): the programs, ruleset, configuration, the loaded
# shared libraries and the non-root user are there; every library belongs to a package
# the Dockerfile's runtime stage installs; the daemon runs from it as uid 65532 under
# chroot (as root; otherwise, and in sanitizer builds that need /proc, through the copied
# dynamic loader with only the copied libraries) and replays the example capture to the
# same threats as the build tree.
. "$(dirname "$0")/lib.sh"
need_jq
R="$TMP/rootfs"
DF="$WT_SRCDIR/packaging/Dockerfile"
if bash "$WT_SRCDIR/packaging/rootfs.sh" "$WT_BUILDDIR" "$R" >"$TMP/rootfs.log" 2>&1; then pass "packaging/rootfs.sh"
else fail "packaging/rootfs.sh"; cat "$TMP/rootfs.log"; finish; exit; fi
for f in /usr/bin/wtc /usr/sbin/worktraced /usr/share/worktrace/stdlib.wtb /usr/share/worktrace/rules/common.wt \
	/usr/share/worktrace/tetragon/file-access.yaml \
	/etc/worktrace/worktrace.yaml; do
	[ -s "$R$f" ] && pass "rootfs has $f" || fail "rootfs lacks $f"
done
grep -qx 'rules: /usr/share/worktrace/stdlib.wtb' "$R/etc/worktrace/worktrace.yaml" &&
	pass "configuration names /usr/share/worktrace/stdlib.wtb" || fail "configuration rules path"
grep -q '^worktrace:x:65532:65532:' "$R/etc/passwd" && grep -q '^worktrace:x:65532:' "$R/etc/group" &&
	pass "user worktrace is uid/gid 65532" || fail "no worktrace user in /etc/passwd, /etc/group"
[ ! -e "$R/usr/share/man" ] && [ -z "$(find "$R" -name '*.h' -o -name '*.a' -o -name '*.o')" ] &&
	pass "no man pages, headers or archives in the runtime filesystem" || fail "build leftovers in the rootfs"

# the Dockerfile: two stages on Debian 12, non-root fixed user, the daemon as entry point
[ "$(grep -c '^FROM debian:12' "$DF")" -eq 2 ] && grep -q '^FROM debian:12[^ ]* AS build' "$DF" &&
	pass "Dockerfile: multi-stage, Debian 12" || fail "Dockerfile stages"
grep -qx 'USER 65532:65532' "$DF" && grep -qx 'ENTRYPOINT \["/usr/sbin/worktraced"\]' "$DF" &&
	grep -q 'COPY --from=build /out/ /' "$DF" && pass "Dockerfile: USER 65532, ENTRYPOINT worktraced" ||
	fail "Dockerfile user/entrypoint"
# runtime packages: the apt-get install of the last stage
runtime_pkgs=" $(awk '/^FROM/ { n++ } n == 2' "$DF" | sed -n '/apt-get install/,/rm -rf/p' |
	tr ' \\&' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | grep -vE '^(apt-get|install|rm|rf|y|no|recommends)$' | tr '\n' ' ') libc6 "
if command -v dpkg >/dev/null; then
	for lib in $(cd "$R" && find lib lib64 usr/lib -type f 2>/dev/null); do
		case "$lib" in *libasan* | *libubsan* | *liblsan* | *libtsan*) continue ;; esac # sanitizer builds only
		pkg=$(dpkg -S "/$lib" 2>/dev/null || dpkg -S "/usr/$lib" 2>/dev/null || dpkg -S "$(readlink -f "/$lib")" 2>/dev/null)
		pkg=${pkg%%:*}
		if [ -n "$pkg" ] && [[ "$runtime_pkgs" == *" $pkg "* ]]; then pass "/$lib comes from $pkg, in the runtime stage"
		else fail "/$lib (package '${pkg:-?}') is not installed by the Dockerfile's runtime stage [$runtime_pkgs]"; fi
	done
else
	echo "dpkg not available: Dockerfile package check skipped"
fi

# the daemon from the runtime filesystem
cp "$WT_SRCDIR/examples/workspace-session.jsonl" "$R/tmp/in.jsonl"
# the distinct (rule, pipeline, severity, workspace) set: which occurrence of a repeat opens a
# new dedup entry depends on how the pipeline threads interleave at the output stage
proj='[.rule, .pipeline, .severity, .workspace.id] | @tsv'
"$WTD" --rules "$(stdlib_wtb)" --replay "$R/tmp/in.jsonl" 2>/dev/null | jq -r "$proj" | sort -u >"$TMP/build.tsv"
args=(--rules /usr/share/worktrace/stdlib.wtb --replay /tmp/in.jsonl --state-dir /var/lib/worktrace)
if [ "$(id -u)" = 0 ] && [ -z "${WT_SAN_FLAGS:-}" ] && command -v chroot >/dev/null; then
	how="chroot as uid 65532"
	chroot --userspec=65532:65532 "$R" /usr/sbin/worktraced "${args[@]}" >"$TMP/out" 2>"$TMP/err"
	rc=$?
else
	how="the copied loader and libraries"
	mkdir -p "$TMP/state"
	loader=$(cd "$R" && ls lib64/ld-linux-*.so.* lib/ld-linux-*.so.* 2>/dev/null | head -1)
	"$R/$loader" --library-path "$(dirname "$(find "$R/lib" -name 'libc.so.*' | head -1)")" "$R/usr/sbin/worktraced" \
		--rules "$R/usr/share/worktrace/stdlib.wtb" --replay "$R/tmp/in.jsonl" --state-dir "$TMP/state" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
fi
jq -r "$proj" "$TMP/out" 2>/dev/null | sort -u >"$TMP/root.tsv"
n=$(grep -c '' "$TMP/root.tsv")
if [ $rc -eq 0 ] && [ "$n" -gt 0 ] && diff -u "$TMP/build.tsv" "$TMP/root.tsv" >"$TMP/diff"; then
	pass "worktraced from the rootfs ($how): the build tree's $n distinct threats (rule, pipeline, severity, workspace) on the example"
else
	fail "worktraced from the rootfs ($how): exit $rc, $n threats"; cat "$TMP/err"; cat "$TMP/diff" 2>/dev/null
fi
finish
