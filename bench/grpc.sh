#!/bin/bash
# gRPC ingest throughput, in one run on this machine: worktraced --tetragon (gRPC receive +
# protobuf decode + enrichment + the stdlib's direct rules) beside the same client receiving
# only (--tetragon-receive-only) from the same C core server (bench/grpc_server) over a unix
# socket, and protobuf-c unpack-only and decode loops over the same messages; then both
# clients again with the server paced at PACE events/s. CPU µs/ev is the client process's
# user + system time per event.
# Usage: bench/grpc.sh [EVENTS]  (default 300000; PACE default 50000)
set -euo pipefail
B="${WT_BUILDDIR:-.}"
S="${WT_SRCDIR:-.}"
N="${1:-${BENCH_GRPC_EVENTS:-300000}}"
PACE="${BENCH_GRPC_PACE:-50000}"
DIR="${BENCH_DIR:-$B/bench-data}"
mkdir -p "$DIR"
POOLJ="$DIR/grpc-pool.jsonl"
POOL="$DIR/grpc-pool.bin"
[ -s "$POOLJ" ] || "$B/bench/gencapture" 20 7 >"$POOLJ"
if [ ! -s "$POOL" ]; then
	/usr/bin/python3 "$S/testsuite/tetragon-server.py" --proto-dir "$S/proto" --gen-dir "$DIR/pb2" \
		--proto-include "${WT_PROTO_INCLUDE:-/usr/include}" --no-serve --dump "$POOL" "$POOLJ" >/dev/null
fi
RULES="$DIR/direct.wtb"
direct=$(ls "$S"/stdlib-rules/*.wt | grep -v -e '/paths.wt$' -e '/rarity.wt$')
"$B/wtc" compile -o "$RULES" $direct
now() { date +%s.%N; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
sock="$DIR/grpc-bench.$$.sock"
server=""
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null; fi; rm -f "$sock"' EXIT

# run MODE [RATE]: one timed worktraced run against a fresh server; prints events/s and
# the client's CPU time (user + system) per event in microseconds
run() {
	rm -f "$sock" "$DIR/grpc-server.out"
	"$B/bench/grpc_server" "unix:$sock" "$POOL" "$N" 1 "${2:-0}" >"$DIR/grpc-server.out" &
	server=$!
	for i in $(seq 100); do grep -q serving "$DIR/grpc-server.out" 2>/dev/null && break; sleep 0.05; done
	local a z extra=""
	[ "$1" = recv ] && extra=--tetragon-receive-only
	a=$(now)
	/usr/bin/time -o "$DIR/grpc-$1.time" -f '%U %S' \
		"$B/worktraced" --rules "$RULES" --tetragon "unix:$sock" --tetragon-exit-on-end $extra >/dev/null 2>"$DIR/grpc-$1.err"
	z=$(now)
	wait "$server"
	server=""
	grep -q "tetragon summary: messages=$N " "$DIR/grpc-$1.err" || { cat "$DIR/grpc-$1.err" >&2; exit 1; }
	read -r u s <"$DIR/grpc-$1.time"
	# full ingest counts the events that went through the direct rules: in live mode a
	# pipeline that cannot keep up drops (and counts) the rest
	local d
	d=$(sed -n 's/.* dropped_direct=\([0-9]*\).*/\1/p' "$DIR/grpc-$1.err")
	awk -v n="$N" -v d="$d" -v a="$a" -v b="$z" -v u="$u" -v s="$s" \
		'BEGIN { printf "%.0f %.1f\n", (n - d) / (b - a), (u + s) * 1e6 / n }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
echo "pool: $(grep -c '' "$POOLJ") generated events, $(stat -c %s "$POOL") bytes of protobuf; $N events a run; rules: $("$B/wtc" dump "$RULES" | sed -n 2p)"
r=(); f=(); rc=(); fc=(); fdrops=0
for i in 1 2 3; do
	read -r rate cpu < <(run recv)
	r+=("$rate"); rc+=("$cpu")
	read -r rate cpu < <(run full)
	f+=("$rate"); fc+=("$cpu")
	fdrops=$((fdrops + $(sed -n 's/.* dropped_direct=\([0-9]*\).*/\1/p' "$DIR/grpc-full.err")))
done
recv=$(median3 "${r[@]}")
full=$(median3 "${f[@]}")
read -r precv pcpu_recv < <(run recv "$PACE")
read -r pfull pcpu_full < <(run full "$PACE")
drops=$(sed -n 's/.*\( dropped_direct=[0-9]*\).*/\1/p' "$DIR/grpc-full.err")
threats=$(sed -n 's/.* threats=\([0-9]*\).*/\1/p' "$DIR/grpc-full.err")
copied=$(sed -n 's/.* copied_messages=\([0-9]*\).*/\1/p' "$DIR/grpc-full.err")
proto=$("$B/bench/bench_proto" "$POOL" "$N")
unpack=$(echo "$proto" | sed -n 's/^protobuf-c unpack only: .*s: \([0-9]*\) messages\/s.*/\1/p')
decode=$(echo "$proto" | sed -n 's/^wt_proto_decode.*s: \([0-9]*\) messages\/s.*/\1/p')
echo
printf '%-58s %12s %8s\n' "what (median of 3 where timed end to end)" "events/s" "CPU µs/ev"
printf '%-58s %12s %8s\n' "gRPC receive only (worktraced --tetragon-receive-only)" "$recv" "$(median3 "${rc[@]}")"
printf '%-58s %12s %8s\n' "full ingest: gRPC + protobuf decode + enrich + direct rules" "$full" "$(median3 "${fc[@]}")"
printf '%-58s %12s\n' "protobuf-c unpack only (1 thread, arena)" "$unpack"
printf '%-58s %12s\n' "wt_proto_decode: unpack + event model (1 thread)" "$decode"
echo
printf '%-58s %12s %8s\n' "server paced at $PACE events/s" "events/s" "CPU µs/ev"
printf '%-58s %12s %8s\n' "  gRPC receive only" "$precv" "$pcpu_recv"
printf '%-58s %12s %8s\n' "  full ingest" "$pfull" "$pcpu_full"
awk -v f="$full" -v r="$recv" -v pf="$pfull" -v pr="$precv" 'BEGIN { printf "\nfull ingest / receive only = %.0f %% unpaced, %.0f %% paced  (target >= 80 %%)\n", 100 * f / r, 100 * pf / pr }'
echo "events dropped by the direct pipeline in the 3 unpaced full runs (not counted in their rate): $fdrops"
echo "paced full run:$drops threats=$threats messages copied out of several slices=$copied; runs: recv ${r[*]}, full ${f[*]}"
