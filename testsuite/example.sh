#!/bin/bash
# The project's example capture (examples/workspace-session.jsonl, labeled in
# workspace-session.labels and .md): every attack step raises a threat of severity medium or
# above, and no benign developer line raises any threat.
. "$(dirname "$0")/lib.sh"
need_jq
rules=$(stdlib_wtb)
EX="$WT_SRCDIR/examples/workspace-session"
"$WTD" --rules "$rules" --replay "$EX.jsonl" >"$TMP/out" 2>"$TMP/err" || fail "worktraced exit status $?"
lines=$(grep -c '' "$EX.jsonl")
grep -q "summary: lines=$lines events=$lines .* malformed=0 unknown_kind=0 " "$TMP/err" &&
	pass "all $lines lines read" || { fail "input problems"; cat "$TMP/err"; }
in_attack() { # LINE -> 0 when inside a labeled attack range
	awk -v n="$1" -F- '/^[0-9]/ { if (n >= $1 && n <= $2) found = 1 } END { exit !found }' "$EX.labels"
}
benign=0
for seq in $(jq -r '.input_seq' "$TMP/out" | sort -n | uniq); do
	if ! in_attack "$seq"; then
		benign=$((benign + 1))
		fail "threat on benign line $seq: $(jq -c "select(.input_seq == $seq) | {rule, message}" "$TMP/out" | head -1)"
	fi
done
[ $benign -eq 0 ] && pass "no threat on any benign developer line"
# step name : lines of which at least one must carry a threat of severity medium or above
while IFS=: read -r step seqs; do
	sel=$(for n in $seqs; do printf '.input_seq == %s or ' "$n"; done; printf false)
	if jq -e -s "map(select(($sel) and (.severity | IN(\"medium\", \"high\", \"critical\")))) | length > 0" "$TMP/out" >/dev/null; then
		pass "detected: $step"
	else
		fail "missed: $step (lines $seqs)"
	fi
done <<'STEPS'
dropper downloaded to /tmp and executed:206 209 211
service-account token read:221 222
API server contacted with the stolen token:224 225
reverse shell over /dev/tcp:227 228 229
/etc/shadow read:243 244 245
root's private key read:247 248 249
nsenter into the host namespaces:251 252 253 254 255 256
host cron persistence:262 263
archive exfiltrated with scp:273 274 275 276
crypto miner:293 294
history wiped:295 296
STEPS
finish
