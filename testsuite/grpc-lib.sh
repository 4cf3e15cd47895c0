# Shared by the gRPC tests (testsuite/grpc-*.sh): the test Tetragon (tetragon-server.py on
# Debian's python3-grpcio), started on a unix socket or a free loopback port and always
# killed at exit, and the comparison of threat records without ingest metadata.
. "$(dirname "$0")/lib.sh"
need_jq
PY=/usr/bin/python3
if [ ! -x "$PY" ] || ! "$PY" -c 'import grpc, google.protobuf' 2>/dev/null; then
	echo "python3-grpcio / python3-protobuf are not installed: gRPC test skipped"
	exit 77
fi
command -v protoc >/dev/null || { echo "protoc (protobuf-compiler) is required for the test Tetragon"; exit 99; }
: "${WT_PROTO_INCLUDE:=/usr/include}"
SERVER="$WT_SRCDIR/testsuite/tetragon-server.py"
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap 'cleanup 2>/dev/null' EXIT

# tetragon NAME [server options] FILE...: start a test Tetragon, wait until it serves; sets
# SERVER_PID, ADDR (its address), SERVED (events it streams) and SKIPPED (lines not sent)
tetragon() {
	local name=$1 i
	shift
	rm -f "$TMP/$name.addr"
	"$PY" "$SERVER" --proto-dir "$WT_SRCDIR/proto" --gen-dir "$TMP/pb2" --proto-include "$WT_PROTO_INCLUDE" \
		--addr-file "$TMP/$name.addr" "$@" 2>"$TMP/$name.server.err" &
	SERVER_PID=$!
	PIDS="$PIDS $SERVER_PID"
	for i in $(seq 400); do
		[ -s "$TMP/$name.addr" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ ! -s "$TMP/$name.addr" ]; then
		cat "$TMP/$name.server.err"
		echo "the test Tetragon $name did not start"
		exit 99
	fi
	read -r ADDR SERVED SKIPPED <"$TMP/$name.addr"
}

stop_tetragon() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# wait_for COUNT CMD...: retry CMD every 0.1 s, at most COUNT times
wait_for() {
	local n=$1 i
	shift
	for i in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# exits_within_5s PID WHAT: PID ends within 5 s with status 0 (pass/fail say so)
exits_within_5s() {
	local rc
	if wait_for 50 sh -c "! kill -0 $1 2>/dev/null"; then
		wait "$1"
		rc=$?
		[ $rc -eq 0 ] && pass "$2: exit 0 within 5 s" || fail "$2: exit status $rc"
	else
		fail "$2: still running after 5 s"
	fi
}

# threat records with the ingest metadata (input_seq) removed, keys sorted, one a line,
# sorted
norm() { jq -S -c "del(.input_seq)" "$1" | sort; }

# summary counter NAME of an error log
counter() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$1" | head -1; }
