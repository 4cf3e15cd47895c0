# Shared setup of the shell tests: paths, a temp dir, pass/fail helpers.
set -u
: "${WT_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${WT_BUILDDIR:=$WT_SRCDIR}"
WTC="$WT_BUILDDIR/wtc"
WTD="$WT_BUILDDIR/worktraced"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wt-test.XXXXXX")
# Servers and daemons a test starts are registered with `spawned PID` and killed at exit.
WT_PIDS=""
spawned() { WT_PIDS="$WT_PIDS $1"; }
trap 'for p in $WT_PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
export LC_ALL=C
failures=0
checks=0
pass() { checks=$((checks + 1)); echo "ok - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok - $*"; }
finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
need_jq() { command -v jq >/dev/null || { echo "jq is required for this test"; exit 99; }; }
# The compiled stdlib, built once per test run.
stdlib_wtb() {
	if [ ! -f "$TMP/stdlib.wtb" ]; then
		"$WTC" compile -o "$TMP/stdlib.wtb" "$WT_SRCDIR/stdlib-rules" >"$TMP/stdlib.log" 2>&1 || {
			cat "$TMP/stdlib.log"; echo "stdlib does not compile"; exit 99; }
	fi
	echo "$TMP/stdlib.wtb"
}
# A free TCP port on 127.0.0.1 (the kernel picks it; other test runs may be running).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds; fails after SECONDS.
wait_for() {
	local n=$(($1 * 5))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
# start_alertmanager PORT DIR: the Debian package's Alertmanager on 127.0.0.1:PORT, clustering
# off, config and storage in DIR (it inherits none of the test's fds 3-5, so a pipe the
# test holds open still ends when the test closes it); sets AM_PID (registered) and waits until it is ready.
start_alertmanager() {
	local am=${WT_ALERTMANAGER:-/usr/bin/prometheus-alertmanager}
	[ -x "$am" ] || { echo "prometheus-alertmanager is required for this test"; exit 99; }
	mkdir -p "$2"
	[ -f "$2/am.yml" ] || printf 'route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n' >"$2/am.yml"
	"$am" --config.file="$2/am.yml" --storage.path="$2/data" --web.listen-address="127.0.0.1:$1" \
		--cluster.listen-address= >>"$2/am.log" 2>&1 3>&- 4>&- 5>&- &
	AM_PID=$!
	spawned $AM_PID
	wait_for 30 curl -sf "http://127.0.0.1:$1/-/ready" -o /dev/null || { cat "$2/am.log"; echo "Alertmanager did not start"; exit 99; }
}
# start_receiver MODE NAME OUT [ARG]: testsuite/sink-receiver.py (http, udp, tcp, hang) on a
# port it picks; sets RECV_PORT (registered, waits for the port file).
start_receiver() {
	python3 "$WT_SRCDIR/testsuite/sink-receiver.py" "$1" "$TMP/$2.port" "$3" ${4:-} 3>&- 4>&- 5>&- &
	spawned $!
	wait_for 20 test -s "$TMP/$2.port" || { echo "receiver $2 did not start"; exit 99; }
	RECV_PORT=$(cat "$TMP/$2.port")
}
