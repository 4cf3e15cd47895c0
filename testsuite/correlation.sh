#!/bin/bash
# Correlated attack paths on real captures (read from $WT_TETRAGON_DATA; skipped with 77
# when unset): the 7z archive and the scp 13 minutes later in book-attack-chain, and the
# keystore read and the outbound nc in book-keystore-exfil-lifecycle, each exactly one
# correlation threat keyed by workspace with both steps as evidence. Their exec_ids are not
# consistent, so these paths do not depend on lineage.
. "$(dirname "$0")/lib.sh"
need_jq
if [ -z "${WT_TETRAGON_DATA:-}" ]; then
	echo "WT_TETRAGON_DATA is not set: real-capture correlation test skipped"
	exit 77
fi
rules=$(stdlib_wtb)
run() { # NAME
	"$WTD" --rules "$rules" --replay "$WT_TETRAGON_DATA/$1.jsonl" >"$TMP/$1.out" 2>"$TMP/$1.err" || fail "$1: exit status $?"
	jq -c 'select(.pipeline == "correlation")' "$TMP/$1.out" >"$TMP/$1.corr"
}
check() { # NAME 'jq condition on the one correlation record' WHAT
	local n
	n=$(grep -c '' "$TMP/$1.corr")
	if [ "$n" -eq 1 ] && jq -e "$2" "$TMP/$1.corr" >/dev/null; then
		pass "$1: exactly one correlated threat: $3"
	else
		fail "$1: $n correlated threats, expected one: $3"
		jq -c '{input_seq, rule, key, evidence}' "$TMP/$1.corr"
	fi
}
run book-attack-chain
check book-attack-chain '.rule == "exfiltration.archive_then_copy" and .key == "host:minikube" and
	(.evidence | length == 2) and
	(.evidence[0].step == "archive" and (.evidence[0].arguments | test("7z a ")) and (.evidence[0].binary | endswith("/sh"))) and
	(.evidence[1].step == "copy" and (.evidence[1].arguments | test("scp ")) and (.evidence[1].time | startswith("2022-01-19T12:18")))' \
	"7z archive (sh -c \"7z a ...\") then scp ~13 minutes later"
run book-keystore-exfil-lifecycle
check book-keystore-exfil-lifecycle '.rule == "credential_access.credential_read_then_connect" and
	(.key | test("elasticsearch")) and (.evidence | length == 2) and
	(.evidence[0].event_kind == "kprobe" and (.evidence[0].detail | endswith("elasticsearch.keystore"))) and
	(.evidence[1].binary | endswith("/nc"))' \
	"elasticsearch.keystore read then outbound nc"
for name in book-attack-chain book-keystore-exfil-lifecycle; do
	grep -qE " corr_threats=1( |$)" "$TMP/$name.err" && pass "$name: summary counts one correlated threat" ||
		{ fail "$name: summary"; cat "$TMP/$name.err"; }
done
finish
