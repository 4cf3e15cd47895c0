#!/bin/bash
# A real Alertmanager (Debian's prometheus-alertmanager) receives the threats of a replay of
# the example capture, and its API lists them with the labels and annotations worktraced
# sets. Then, while worktraced reads the capture from a pipe, Alertmanager is stopped for 60 s
# and restarted on the same port: the threats raised meanwhile reach it and nothing is lost.
. "$(dirname "$0")/lib.sh"
need_jq
command -v curl >/dev/null || { echo "curl is required for this test"; exit 99; }
rules=$(stdlib_wtb)
EX="$WT_SRCDIR/examples/workspace-session.jsonl"
PORT=$(free_port)
AM="http://127.0.0.1:$PORT"
start_alertmanager "$PORT" "$TMP/am"

alerts() { curl -sf "$AM/api/v2/alerts?active=true" >"$TMP/alerts.json" 2>/dev/null; }
# the label sets worktraced should have posted for records FILE (optionally only input_seq > N)
want_labels() {
	jq -c --argjson after "${2:-0}" 'select(.input_seq > $after) | {alertname: .rule, severity, workspace: .workspace.id,
		owner: .workspace.owner, namespace: .workspace.namespace, pod: .workspace.pod, node, pipeline}
		| with_entries(select(.value != null))' "$1" | jq -cS . | sort -u
}
have_labels() { jq -c '.[].labels' "$TMP/alerts.json" | jq -cS . | sort -u; }
# every label set of $1 is listed by Alertmanager
all_listed() { alerts && [ -z "$(comm -23 "$1" <(have_labels))" ]; }

# 1. replay: every record becomes an alert with the labels of its threat
"$WTD" --rules "$rules" --replay "$EX" --sink "alertmanager=$AM" >"$TMP/out" 2>"$TMP/err" || fail "worktraced exit status $?"
records=$(grep -c '' "$TMP/out")
grep -q " sink0_alertmanager_delivered=$records sink0_alertmanager_retried=0 sink0_alertmanager_failed=0 sink0_alertmanager_dropped=0 sink0_alertmanager_lost=0" "$TMP/err" &&
	pass "all $records records delivered in batches, none lost" || fail "sink counters: $(grep -o ' sink0.*' "$TMP/err")"
want_labels "$TMP/out" >"$TMP/want1"
if wait_for 20 all_listed "$TMP/want1" && [ "$(have_labels | grep -c '')" -eq "$(grep -c '' "$TMP/want1")" ]; then
	pass "Alertmanager lists the $(grep -c '' "$TMP/want1") distinct alerts with labels alertname, severity, workspace, owner, namespace, pod, node, pipeline"
else
	fail "alerts listed by Alertmanager differ"; diff <(have_labels) "$TMP/want1" | head
fi
# the annotations are those of the latest record posted for the alert's labels
shell=$(jq -c '.[] | select(.labels.alertname == "execution.reverse_shell_dev_tcp")' "$TMP/alerts.json")
last=$(jq -s -c 'map(select(.rule == "execution.reverse_shell_dev_tcp")) | last' "$TMP/out")
if [ "$(jq -c '.labels' <<<"$shell")" = '{"alertname":"execution.reverse_shell_dev_tcp","namespace":"ws-carol","node":"gke-devpool-3b9e1c-node-7","owner":"carol@example.com","pipeline":"direct","pod":"ws-carol-c41a9e-0","severity":"critical","workspace":"carol-web"}' ] &&
	[ "$(jq -r '.annotations.mitre' <<<"$shell")" = T1059.004 ] &&
	[ "$(jq -r '.annotations.event_time' <<<"$shell")" = "$(jq -r .time <<<"$last")" ] &&
	[ "$(jq -r '.annotations.evidence' <<<"$shell")" = "$(jq -r '"exec \(.process.binary) \(.process.arguments) (parent \(.parent.binary))"' <<<"$last")" ] &&
	[ "$(jq -r '.annotations.message' <<<"$shell")" = "$(jq -r .message <<<"$last")" ] &&
	[ "$(jq -r '.annotations.count' <<<"$shell")" = "$(jq -r .dedup.count <<<"$last")" ] &&
	[ "$(jq -r '.status.state' <<<"$shell")" = active ]; then
	pass "reverse shell alert: exact labels; message, mitre, evidence, event_time, count of its latest record; active"
else
	fail "reverse shell alert: $shell"
fi
# startsAt/endsAt are wall-clock at delivery (the events are from 2026-10-14): active now
now=$(date -u +%s)
if jq -e --argjson now "$now" 'all(.[]; (.startsAt | sub("\\.[0-9]+Z$"; "Z") | fromdate) > $now - 600 and
		(.endsAt | sub("\\.[0-9]+Z$"; "Z") | fromdate) > $now)' "$TMP/alerts.json" >/dev/null; then
	pass "startsAt and endsAt are wall-clock times at delivery: replayed threats show as active"
else
	fail "startsAt/endsAt: $(jq -c '[.[0].startsAt, .[0].endsAt]' "$TMP/alerts.json")"
fi
# a recurring threat is re-posted: where the last record of an alert's labels is a dedup
# repeat record, Alertmanager shows its count and last_seen
python3 - "$TMP/alerts.json" "$TMP/out" <<'PY' && pass "recurring threats re-posted: $(cat "$TMP/nrep") alerts show their repeat record's count and last_seen" || fail "repeat records not re-posted"
import json, sys
alerts = {json.dumps(a["labels"], sort_keys=True): a for a in json.load(open(sys.argv[1]))}
last = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    w = r["workspace"]
    labels = {"alertname": r["rule"], "severity": r["severity"], "workspace": w["id"], "owner": w["owner"],
              "namespace": w["namespace"], "pod": w["pod"], "node": r["node"], "pipeline": r["pipeline"]}
    last[json.dumps({k: v for k, v in labels.items() if v is not None}, sort_keys=True)] = r
reps = [(k, r) for k, r in last.items() if r["dedup"]["repeat"]]
assert reps
for k, r in reps:
    a = alerts[k]["annotations"]
    assert a["count"] == str(r["dedup"]["count"]) and a["last_seen"] == r["dedup"]["last_seen"], (a, r["dedup"])
open(sys.argv[1].replace("alerts.json", "nrep"), "w").write(str(len(reps)))
PY
# endsAt: delivery + resolve (300 s) + the dedup window (60 s) after a first record (its
# repeat, if the threat recurs, comes when the window closes); Alertmanager keeps the latest
# endsAt of the posts it merged, and every alert here had a first record
python3 - "$TMP/alerts.json" <<'PY' && pass "endsAt = delivery + resolve 300 s + dedup window 60 s" || fail "endsAt"
import datetime, json, sys
def t(s):
    return datetime.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").timestamp()
for a in json.load(open(sys.argv[1])):
    assert abs(t(a["endsAt"]) - t(a["updatedAt"]) - 360) <= 5, (a["labels"], a["endsAt"], a["updatedAt"])
PY
corr=$(jq -r '[.[] | select(.labels.pipeline == "correlation") | .annotations.details | fromjson | .evidence | length > 0] | all' "$TMP/alerts.json")
[ "$corr" = true ] && pass "correlation alerts carry their evidence steps in the details annotation" || fail "correlation details: $corr"

# 2. outage: Alertmanager stopped for 60 s while threats are raised, then restarted (a fresh
# Alertmanager first: it keeps alerts in memory only, so what it lists comes from this run)
kill "$AM_PID"
wait "$AM_PID" 2>/dev/null
start_alertmanager "$PORT" "$TMP/am"
alerts && [ "$(jq length "$TMP/alerts.json")" -eq 0 ] || fail "restarted Alertmanager still lists alerts"
mkfifo "$TMP/fifo"
"$WTD" --rules "$rules" --replay "$TMP/fifo" --sink "alertmanager=$AM#backoff_max=2" >"$TMP/out2" 2>"$TMP/err2" &
WTPID=$!
spawned $WTPID
exec 3>"$TMP/fifo"
head -n 215 "$EX" >&3
before_out() { [ "$(jq -s 'map(select(.input_seq >= 206 and .input_seq <= 215)) | length' "$TMP/out2")" -gt 0 ]; }
wait_for 20 before_out || fail "no threat from the first part of the capture"
want_labels "$TMP/out2" >"$TMP/want2a"
wait_for 20 all_listed "$TMP/want2a" && pass "threats before the outage delivered" || fail "threats before the outage not listed"
kill "$AM_PID"
wait "$AM_PID" 2>/dev/null
down_at=$(date +%s)
tail -n +216 "$EX" >&3
after_out() { [ "$(jq -s 'map(select(.input_seq >= 260)) | length' "$TMP/out2")" -gt 0 ]; }
wait_for 20 after_out || fail "no threat from the rest of the capture"
want_labels "$TMP/out2" 215 >"$TMP/want2b"
n_meanwhile=$(jq -s 'map(select(.input_seq > 215)) | length' "$TMP/out2")
[ "$n_meanwhile" -gt 10 ] && pass "$n_meanwhile threats raised while Alertmanager is down" || fail "only $n_meanwhile threats during the outage"
left=$((60 - ($(date +%s) - down_at)))
[ "$left" -gt 0 ] && sleep "$left"
start_alertmanager "$PORT" "$TMP/am"
if wait_for 30 all_listed "$TMP/want2b"; then
	pass "after the restart Alertmanager lists the $(grep -c '' "$TMP/want2b") alerts raised during the 60 s outage"
else
	fail "alerts raised during the outage missing"; comm -23 "$TMP/want2b" <(have_labels) | head
fi
exec 3>&-
wait "$WTPID"
rc=$?
[ $rc -eq 0 ] && pass "worktraced exits 0 at the end of the pipe" || fail "worktraced exit status $rc"
records2=$(grep -c '' "$TMP/out2")
retried=$(grep -o 'sink0_alertmanager_retried=[0-9]*' "$TMP/err2" | cut -d= -f2)
if grep -q " sink0_alertmanager_delivered=$records2 .*sink0_alertmanager_failed=0 sink0_alertmanager_dropped=0 sink0_alertmanager_lost=0" "$TMP/err2" &&
	[ "${retried:-0}" -gt 0 ]; then
	pass "all $records2 records delivered after $retried retried attempts, loss counter 0"
else
	fail "outage counters: $(grep -o ' sink0.*' "$TMP/err2")"
fi
grep -q 'sink0_alertmanager: delivery failed, retrying with backoff' "$TMP/err2" && grep -q 'sink0_alertmanager: delivering again' "$TMP/err2" &&
	pass "one message when delivery starts failing, one when it recovers" || fail "failure messages: $(grep -v summary "$TMP/err2")"
finish
