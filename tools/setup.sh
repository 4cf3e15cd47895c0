#!/bin/bash
# Install the Debian 12 packages Worktrace builds and tests with (as root; skipped when
# they are already present or when not root), then configure and build.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs="build-essential autoconf automake pkg-config flex bison libsimdjson-dev libjson-c-dev
libpcre2-dev libcmocka-dev jq valgrind mandoc man-db groff-base yamllint python3-yaml libfyaml-dev
libcurl4-openssl-dev libmicrohttpd-dev curl prometheus-alertmanager prometheus python3
libgrpc-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libprotobuf-dev python3-grpcio python3-protobuf time"
missing=$(for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
# npm (with Debian's nodejs) for tools/k8s-validate, unless some node/npm is installed already
command -v npm >/dev/null || missing="$missing npm"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "missing packages (install them as root): $missing" >&2
		exit 1
	fi
fi
# Kubernetes schema validation of packaging/ (testsuite/manifests.sh): kubernetes-models
# from npm, pinned by tools/k8s-validate/package-lock.json. Without the registry the
# schema part of that test is skipped; the structural checks still run.
if [ ! -d tools/k8s-validate/node_modules/kubernetes-models ] && command -v npm >/dev/null; then
	(cd tools/k8s-validate && npm ci --no-audit --no-fund --silent) ||
		echo "npm ci in tools/k8s-validate failed: Kubernetes schema validation will be skipped" >&2
fi
[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
[ -f Makefile ] || ./configure -q ${WT_CONFIGURE_FLAGS:-}
make -s -j"$(nproc)" >/dev/null
