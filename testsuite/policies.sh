#!/bin/bash
# The shipped Tetragon TracingPolicies (packaging/tetragon/) against the stdlib:
#  - every rule, path step and rarity spec on hook events can be satisfied by a shipped
#    hook with the arguments it reads (wtc lint --policies reports no W0009);
#  - every policy file is needed: without it, some rule gets W0009;
#  - every hooked function is one a stdlib rule names (no event volume nobody reads);
#  - broken policy files are reported with file:line and exit status 2.
. "$(dirname "$0")/lib.sh"
P="$WT_SRCDIR/packaging/tetragon"
S="$WT_SRCDIR/stdlib-rules"
if "$WTC" lint -Werror --policies "$P" "$S" >"$TMP/lint.out" 2>&1; then
	pass "stdlib lints with -Werror against the shipped policies (no W0009)"
else
	fail "stdlib against the shipped policies"; cat "$TMP/lint.out"
fi
for f in "$P"/*.yaml; do
	rm -rf "$TMP/less" && mkdir "$TMP/less"
	for g in "$P"/*.yaml; do [ "$g" = "$f" ] || cp "$g" "$TMP/less/"; done
	"$WTC" lint --policies "$TMP/less" "$S" >"$TMP/less.out" 2>&1
	n=$(grep -c 'warning\[W0009\]' "$TMP/less.out")
	[ "$n" -gt 0 ] && pass "without $(basename "$f"): $n W0009 ($(grep -o "W0009\]: [a-z ]*'[^']*'" "$TMP/less.out" | head -3 | sed "s/W0009\]: //" | tr '\n' ' '))" ||
		fail "$(basename "$f") is needed by no stdlib rule"
done

# every hooked function appears as a string in the stdlib (syscall hooks as __x64_sys_*)
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
	python3 - "$P" >"$TMP/hooks" <<'PY' || fail "cannot list the policies' hooks"
import sys, glob, yaml
for f in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    for doc in yaml.safe_load_all(open(f)):
        if not doc or doc.get("kind") != "TracingPolicy":
            continue
        for k in doc["spec"].get("kprobes", []):
            name = k["call"]
            if k.get("syscall") and name.startswith("sys_"):
                name = "__x64_" + name
            print(f.rsplit("/", 1)[1], name)
PY
	while read -r file hook; do
		grep -qF "\"$hook\"" "$S"/*.wt && pass "$file: $hook is read by a stdlib rule" ||
			fail "$file: $hook is hooked but no stdlib rule names it"
	done <"$TMP/hooks"
	[ -s "$TMP/hooks" ] || fail "no hooks listed"
else
	fail "python3 with the yaml module is required (tools/setup.sh installs python3-yaml)"
fi

# broken policies: file:line and exit status 2
printf 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: x\nspec:\n  kprobes:\n  - call: [unclosed\n' >"$TMP/bad.yaml"
"$WTC" lint --policies "$TMP/bad.yaml" "$S" >"$TMP/bad.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "bad.yaml:[0-9]*:[0-9]*: error" "$TMP/bad.out" && grep -q "bad.yaml: not valid YAML" "$TMP/bad.out" &&
	pass "invalid YAML: exit 2 with file:line:col" || { fail "invalid YAML policy: exit $rc"; cat "$TMP/bad.out"; }
printf 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata: {}\nspec:\n  kprobes:\n  - syscall: true\n  - call: fd_install\n    args:\n    - index: 0\n' >"$TMP/incomplete.yaml"
"$WTC" lint --policies "$TMP/incomplete.yaml" "$S" >"$TMP/inc.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "incomplete.yaml:3: a TracingPolicy needs metadata.name" "$TMP/inc.out" &&
	grep -q "incomplete.yaml:6: hook without a name: kprobes" "$TMP/inc.out" &&
	grep -q "incomplete.yaml:[0-9]*: argument without a type" "$TMP/inc.out" &&
	pass "incomplete policy: each problem with its line, exit 2" || { fail "incomplete policy: exit $rc"; cat "$TMP/inc.out"; }
"$WTC" lint --policies "$TMP/nonexistent" "$S" >"$TMP/none.out" 2>&1
[ $? -eq 2 ] && grep -q 'no such file' "$TMP/none.out" && pass "missing --policies directory: exit 2" ||
	fail "missing --policies directory"; 
finish
