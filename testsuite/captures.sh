#!/bin/bash
# Real Tetragon captures recorded by other people (read from $WT_TETRAGON_DATA, never
# copied into the project): every line is read and none is rejected, and the labeled
# attacks produce their threats while the benign capture produces none.
# WT_TETRAGON_DATA unset: skipped (77). Set but missing: failure.
. "$(dirname "$0")/lib.sh"
need_jq
if [ -z "${WT_TETRAGON_DATA:-}" ]; then
	echo "WT_TETRAGON_DATA is not set: real-capture test skipped"
	exit 77
fi
if [ ! -d "$WT_TETRAGON_DATA" ] || ! ls "$WT_TETRAGON_DATA"/*.jsonl >/dev/null 2>&1; then
	echo "WT_TETRAGON_DATA=$WT_TETRAGON_DATA has no *.jsonl captures"
	exit 1
fi
rules=$(stdlib_wtb)
for f in "$WT_TETRAGON_DATA"/*.jsonl; do
	name=$(basename "$f" .jsonl)
	"$WTD" --rules "$rules" --replay "$f" >"$TMP/$name.out" 2>"$TMP/$name.err" || fail "$name: exit status $?"
	lines=$(grep -c '' "$f")
	if grep -q "summary: lines=$lines events=$lines .* malformed=0 unknown_kind=0 too_long=0 " "$TMP/$name.err"; then
		pass "$name: all $lines lines read as events"
	else
		fail "$name: not every line was read"; cat "$TMP/$name.err"
	fi
done

# has NAME 'jq condition' 'what': at least one threat record of capture NAME satisfies it
has() {
	if jq -e -s "map(select($2)) | length > 0" "$TMP/$1.out" >/dev/null; then
		pass "$1: $3"
	else
		fail "$1: $3"
		jq -c '{input_seq, rule, severity, process: .process.binary, args: .process.arguments, hook}' "$TMP/$1.out"
	fi
}
HI='(.severity == "high" or .severity == "critical")'
has book-attack-chain "$HI and (.process.binary | endswith(\"/nsenter\"))" \
	"high/critical threat for nsenter into the host namespaces"
has book-attack-chain "$HI and (.process.arguments // \"\" | test(\"scp .*/root/.ssh/id_rsa|-i /root/.ssh/id_rsa .*scp|scp -i [^ ]*id_rsa\"))" \
	"high/critical threat for the scp exfiltration with root's private key"
has honeycluster-gke-nsenter-escape '((.process.binary | endswith("/nsenter")) or (.hook.function // "" | contains("setns")))' \
	"threat for the host-namespace escape"
has runtime-radar-detector-examples '((.hook.file // "") + ((.hook.strings // []) | join(" ")) | contains("kubernetes.io/serviceaccount"))' \
	"threat for the service-account token read"
has runtime-radar-detector-examples '(.hook.module != null or (.process.binary | endswith("insmod")))' \
	"threat for the kernel module load"
has runtime-radar-detector-examples '((.hook.file // "") | endswith("release_agent"))' \
	"threat for the release_agent write"
has honeycluster-kubehound-calibration '((.hook.file // "") + ((.hook.strings // []) | join(" ")) | test("serviceaccount|kube-api-access"))' \
	"threats for the service-account token reads"
n=$(grep -c '' "$TMP/tetragon-testdata-events.out")
[ "$n" -eq 0 ] && pass "tetragon-testdata-events: no threat" || { fail "tetragon-testdata-events: $n threats"; cat "$TMP/tetragon-testdata-events.out"; }
finish
