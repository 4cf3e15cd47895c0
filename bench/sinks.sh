#!/bin/bash
# Sink costs (part of `make bench`, also runnable alone): the output thread's cost of handing
# 100,000 records to no sink, a file sink, a real Alertmanager (the Debian package, on a
# free loopback port) and a dead Alertmanager port, and how fast the live ones deliver.
set -euo pipefail
B="${WT_BUILDDIR:-.}"
S="${WT_SRCDIR:-.}"
RULES="$B/stdlib-rules/stdlib.wtb"
N=${BENCH_SINK_RECORDS:-100000}
T=$(mktemp -d "${TMPDIR:-/tmp}/wt-bench-sink.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"' EXIT
# run SPEC...: bench_sink three times; the median publishing rate and delivery rate
run() {
	local pub=() del=() last
	for _ in 1 2 3; do
		last=$("$B/bench/bench_sink" "$RULES" "$N" "$@" 2>/dev/null)
		pub+=("$(sed -n 's/^publish [0-9]* records: \([0-9]*\) records.*/\1/p' <<<"$last")")
		del+=("$(sed -n 's/.* = \([0-9]*\) records\/s;.*/\1/p' <<<"$last")")
	done
	printf '  publish (output thread) %10s records/s   delivered %8s records/s   %s\n' \
		"$(printf '%s\n' "${pub[@]}" | sort -n | sed -n 2p)" "$(printf '%s\n' "${del[@]}" | sort -n | sed -n 2p)" \
		"$(sed -n 's/.*records\/s; \(dropped [0-9]*\).*/\1/p' <<<"$last")"
}
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
echo
echo "sinks: $N records of one threat, published by one thread (bench/bench_sink), median of 3"
for spec in "" "file=$T/f.jsonl?queue=$N"; do
	echo "${spec:-no sink (building the records only)}" | sed "s#$T/##"
	run ${spec:+"$spec"}
done
AM=/usr/bin/prometheus-alertmanager
if [ -x "$AM" ]; then
	P=$(port)
	printf 'route:\n  receiver: b\nreceivers:\n  - name: b\n' >"$T/am.yml"
	"$AM" --config.file="$T/am.yml" --storage.path="$T/am" --web.listen-address="127.0.0.1:$P" \
		--cluster.listen-address= >"$T/am.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$P/-/ready" -o /dev/null && break; sleep 0.2; done
	echo "alertmanager (real, batch 64)"
	run "alertmanager=http://127.0.0.1:$P#queue=$N"
fi
python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True); time.sleep(60)' >"$T/closed" &
pids+=($!)
for _ in $(seq 50); do [ -s "$T/closed" ] && break; sleep 0.1; done
echo "alertmanager on a port that refuses (queue 4096: the rest dropped and counted)"
run "alertmanager=http://127.0.0.1:$(cat "$T/closed")"
