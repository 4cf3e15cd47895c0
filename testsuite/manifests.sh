#!/bin/bash
# The deployment manifests: YAML well-formed (yamllint, strict), required fields and the
# DaemonSet's hardening present, the pieces consistent with each other (testsuite/manifests.py:
# plain manifests, the Helm chart rendered with its defaults and with the unix-socket
# transport, the TracingPolicies, the default configuration), the site rules shipped in
# the ConfigMaps compile with the stdlib, and a weakened DaemonSet is caught.
. "$(dirname "$0")/lib.sh"
K="$WT_SRCDIR/packaging"
python3 -c 'import yaml' 2>/dev/null || { echo "python3 with the yaml module is required (python3-yaml)"; exit 99; }
relay() { # run manifests.py, pass/fail its lines; a failing run without a failed check fails too
	local line rc
	python3 "$WT_SRCDIR/testsuite/manifests.py" "$@" >"$TMP/relay.out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) pass "${line#ok - }" ;;
		"not ok - "*) fail "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$TMP/relay.out"
	[ $rc -eq 0 ] || grep -q '^not ok' "$TMP/relay.out" || fail "manifests.py $* exited with $rc"
}
if command -v yamllint >/dev/null; then
	if yamllint -s -c "$WT_SRCDIR/.yamllint" "$K/kubernetes" "$K/tetragon" "$K/helm/worktrace/Chart.yaml" \
		"$K/helm/worktrace/values.yaml" "$K/worktrace.yaml" "$WT_SRCDIR/testsuite/cases/warn/policies" \
		"$WT_SRCDIR/testsuite/cases/warn/policies-kinds" >"$TMP/yamllint" 2>&1; then
		pass "yamllint -s: packaging YAML is clean"
	else
		fail "yamllint"; cat "$TMP/yamllint"
	fi
else
	fail "yamllint is not installed (tools/setup.sh installs it)"
fi
relay config "$K/worktrace.yaml"
relay policies "$K/tetragon"
relay k8s "$K/kubernetes" --emit-rules "$TMP/rules-k8s"
relay helm "$K/helm/worktrace" --emit-rules "$TMP/rules-helm"
relay helm "$K/helm/worktrace" --set tetragon.transport=unix --set state.hostPath=/var/lib/worktrace
for d in rules-k8s rules-helm; do
	if ls "$TMP/$d"/*.wt >/dev/null 2>&1 && "$WTC" lint -Werror "$WT_SRCDIR/stdlib-rules" "$TMP/$d" >"$TMP/$d.out" 2>&1; then
		pass "$d: the ConfigMap's site rules compile with the stdlib"
	else
		fail "$d: site rules"; cat "$TMP/$d.out" 2>/dev/null
	fi
done
# the Kubernetes API schemas (tools/k8s-validate: kubernetes-models from npm, installed by
# tools/setup.sh; offline once installed)
V="$WT_SRCDIR/tools/k8s-validate"
if [ -d "$V/node_modules/kubernetes-models" ] && command -v node >/dev/null; then
	for src in "k8s $K/kubernetes" "helm $K/helm/worktrace" "helm $K/helm/worktrace --set tetragon.transport=unix"; do
		# shellcheck disable=SC2086
		python3 "$WT_SRCDIR/testsuite/manifests.py" json $src >"$TMP/docs.json" 2>/dev/null &&
			(cd "$V" && node validate.js <"$TMP/docs.json") >"$TMP/schema.out" 2>&1
		while IFS= read -r line; do
			case "$line" in
			"ok - "*) pass "schema: ${line#ok - }" ;;
			"not ok - "*) fail "schema: ${line#not ok - }" ;;
			esac
		done <"$TMP/schema.out"
		grep -q '^ok - .*DaemonSet' "$TMP/schema.out" || { fail "schema validation of $src did not run"; cat "$TMP/schema.out"; }
	done
	sed 's/containerPort: 9498/containerPort: "9498x"/' "$K/kubernetes/daemonset.yaml" >"$TMP/badport.yaml"
	python3 -c 'import sys, yaml, json; print(json.dumps([["bad", d] for d in yaml.safe_load_all(open(sys.argv[1])) if d]))' \
		"$TMP/badport.yaml" | (cd "$V" && node validate.js) >"$TMP/badport.out" 2>&1
	grep -q 'not ok - bad: DaemonSet/worktrace: .*containerPort must be integer' "$TMP/badport.out" &&
		pass "schema validation rejects a string containerPort" || { fail "schema validation accepted a bad port"; cat "$TMP/badport.out"; }
else
	echo "kubernetes-models not installed in tools/k8s-validate (tools/setup.sh): schema validation skipped"
fi
# the checker rejects a DaemonSet that gives up its hardening
cp -r "$K/kubernetes" "$TMP/weak"
sed -i 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/; s/drop: \["ALL"\]/add: ["SYS_ADMIN"]/; s|path: /readyz|path: /|' \
	"$TMP/weak/daemonset.yaml"
python3 "$WT_SRCDIR/testsuite/manifests.py" k8s "$TMP/weak" >"$TMP/weak.out" 2>&1
bad=$(grep -c '^not ok' "$TMP/weak.out")
grep -q '^not ok - weak: .* readOnlyRootFilesystem' "$TMP/weak.out" && grep -q '^not ok - weak: .*capabilities' "$TMP/weak.out" &&
	grep -q '^not ok - weak: readinessProbe' "$TMP/weak.out" && pass "a weakened DaemonSet fails $bad checks" ||
	{ fail "the checker accepted a weakened DaemonSet"; cat "$TMP/weak.out"; }
finish
