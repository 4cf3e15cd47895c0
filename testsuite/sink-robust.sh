#!/bin/bash
# Event fields with quotes, backslashes, ']', newlines, tabs, control bytes, NUL, non-ASCII
# and over-long values (testsuite/data/odd-fields.jsonl) give valid JSON records whose
# strings decode to the event's values, valid RFC 5424 syslog messages, valid Falcosidekick
# payloads, and Alertmanager payloads a real Alertmanager accepts with the exact label values.
# (Invalid UTF-8 cannot come through the JSON decoder: test_sink and the record fuzz harness
# feed it to the renderers directly.)
. "$(dirname "$0")/lib.sh"
need_jq
D="$WT_SRCDIR/testsuite/data/odd-fields.jsonl"
cat >"$TMP/r.wt" <<'WT'
rule test.odd { on exec when process.binary startswith "/tmp/" severity high mitre "T1059" tags ["odd"] output "odd {process.binary} {process.args} in {workspace.id} by {workspace.owner}" }
WT
"$WTC" compile -o "$TMP/r.wtb" "$TMP/r.wt" || exit 99
PORT=$(free_port)
start_alertmanager "$PORT" "$TMP/am"
start_receiver udp udp "$TMP/udp.log"; UDP=$RECV_PORT
mkdir -p "$TMP/fsk"
start_receiver http fsk "$TMP/fsk"; FSK=$RECV_PORT
"$WTD" --rules "$TMP/r.wtb" --replay "$D" --sink "alertmanager=http://127.0.0.1:$PORT" \
	--sink "syslog=udp://127.0.0.1:$UDP?hostname=test-host" --sink "webhook-falcosidekick=http://127.0.0.1:$FSK/" \
	>"$TMP/out" 2>"$TMP/err" || fail "worktraced exit status $?"
[ "$(grep -c '' "$TMP/out")" -eq 2 ] && pass "two records, one line each" || fail "records: $(grep -c '' "$TMP/out") lines"
python3 - "$D" "$TMP/out" <<'PY' && pass "records are valid JSON; binary, arguments, workspace, owner, namespace, pod, node decode to the event's bytes (long values cut with ...)" || fail "record strings"
import json, sys
evs = [json.loads(l)["process_exec"]["process"] for l in open(sys.argv[1], encoding="utf-8")]
node = [json.loads(l)["node_name"] for l in open(sys.argv[1], encoding="utf-8")]
recs = [json.loads(l) for l in open(sys.argv[2], "rb").read().decode("utf-8", "strict").split("\n")[:-1]]
def cut(s):
    b = s.encode()
    return s if len(b) <= 4096 else b[:4096].decode("utf-8", "ignore") + "..."
for ev, n, r in zip(evs, node, recs):
    p = ev["pod"]
    assert r["process"]["binary"] == ev["binary"], r["process"]["binary"]
    assert r["process"]["arguments"] == cut(ev["arguments"]), "args"
    assert r["workspace"]["id"] == p["pod_labels"]["worktrace.io/workspace"]
    assert r["workspace"]["owner"] == p["pod_labels"]["worktrace.io/owner"]
    assert r["workspace"]["namespace"] == p["namespace"] and r["workspace"]["pod"] == p["name"]
    assert r["node"] == n
PY
grep -q ' sink0_alertmanager_delivered=2 sink0_alertmanager_retried=0 sink0_alertmanager_failed=0 ' "$TMP/err" &&
	pass "Alertmanager accepted the payload" || fail "Alertmanager: $(grep -o ' sink0[^ ]*' "$TMP/err" | tr -d '\n') $(grep refused "$TMP/err")"
curl -sf "http://127.0.0.1:$PORT/api/v2/alerts" >"$TMP/alerts.json"
python3 - "$TMP/alerts.json" "$TMP/out" <<'PY' && pass "Alertmanager lists both alerts with the exact workspace, owner, namespace, pod, node labels and the message annotation" || fail "Alertmanager labels"
import json, sys
alerts = json.load(open(sys.argv[1]))
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(alerts) == 2, len(alerts)
for r in recs:
    want = {"alertname": r["rule"], "severity": r["severity"], "workspace": r["workspace"]["id"], "owner": r["workspace"]["owner"],
            "namespace": r["workspace"]["namespace"], "pod": r["workspace"]["pod"], "node": r["node"], "pipeline": "direct"}
    got = [a for a in alerts if a["labels"] == want]
    assert len(got) == 1, (want, [a["labels"] for a in alerts])
    assert got[0]["annotations"]["message"] == r["message"]
PY
wait_for 10 test -s "$TMP/udp.log"
python3 "$WT_SRCDIR/testsuite/syslog-check.py" "$TMP/udp.log" >"$TMP/msgs" && [ "$(grep -c '' "$TMP/msgs")" -eq 2 ] &&
	pass "syslog: two valid RFC 5424 messages, one line each" || fail "syslog messages"
grep -qF 'workspace="ws \"quoted\"\nline2 \]\x1f" owner="élève 漢🙂" namespace="ws-\"q\"" pod="pod\nname\]" node="node\t7"' "$TMP/msgs" &&
	pass "syslog: PARAM-VALUEs escape '\"' ']' '\\' and show control bytes as \\n \\t \\xNN" || fail "syslog escaping: $(head -c 600 "$TMP/msgs")"
grep -qF 'odd /tmp/x"y]\\z -c "a\nb" \t\x01\x1b[31m\x7f ]\\ é漢🙂 \x00end in ws "quoted"\nline2 ]\x1f by élève 漢🙂' "$TMP/msgs" &&
	pass "syslog: MSG on one line, control bytes escaped" || fail "syslog MSG: $(head -c 900 "$TMP/msgs" | tail -c 300)"
ok=0
for f in "$TMP"/fsk/*.body; do
	jq -e --slurpfile r "$TMP/out" '.output_fields["proc.args"] as $a | any($r[]; .process.arguments == $a)' "$f" >/dev/null && ok=$((ok + 1))
done
[ "$ok" -eq 2 ] && pass "falcosidekick: both payloads valid JSON with the record's arguments" || fail "falcosidekick payloads: $ok"
finish
