#!/bin/bash
# Install the Debian 12 packages Worktrace builds and tests with (as root; skipped when
# they are already present or when not root), then configure and build.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs="build-essential autoconf automake pkg-config flex bison libsimdjson-dev libjson-c-dev
libpcre2-dev libcmocka-dev jq valgrind libgrpc-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
libprotobuf-dev python3-grpcio python3-protobuf time"
missing=$(for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "missing packages (install them as root): $missing" >&2
		exit 1
	fi
fi
[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
[ -f Makefile ] || ./configure -q ${WT_CONFIGURE_FLAGS:-}
make -s -j"$(nproc)" >/dev/null
