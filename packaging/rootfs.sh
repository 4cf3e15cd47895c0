#!/bin/bash
# Assemble the container image's runtime filesystem into a directory, without a container
# engine: what packaging/Dockerfile's runtime stage holds.
#   packaging/rootfs.sh BUILDDIR OUTDIR
# BUILDDIR is a configured and built tree. The result holds `make install` with the image's
# directories (prefix /usr, /etc, /var), the shared libraries wtc and worktraced load (as
# reported by ldd, copied from this machine), /etc/passwd and /etc/group with the
# worktrace user (uid/gid 65532) and its state directory. `chroot --userspec=65532:65532
# OUTDIR /usr/sbin/worktraced ...` runs the daemon from it.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BUILDDIR OUTDIR" >&2; exit 64; }
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
WT_UID=65532
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s -C "$build" install DESTDIR="$out" \
	prefix=/usr sysconfdir=/etc localstatedir=/var >/dev/null
rm -rf "$out/usr/share/man"
for prog in "$out/usr/bin/wtc" "$out/usr/sbin/worktraced"; do
	[ -x "$prog" ] || { echo "$0: $prog was not installed" >&2; exit 1; }
	ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u | while read -r lib; do
	mkdir -p "$out$(dirname "$lib")"
	cp -L "$lib" "$out$lib"
done
mkdir -p "$out/etc" "$out/tmp"
chmod 1777 "$out/tmp"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nworktrace:x:%s:%s:worktrace:/var/lib/worktrace:/usr/sbin/nologin\n' \
	"$WT_UID" "$WT_UID" >"$out/etc/passwd"
printf 'root:x:0:\nworktrace:x:%s:\n' "$WT_UID" >"$out/etc/group"
install -d -m 0750 "$out/var/lib/worktrace"
chown "$WT_UID:$WT_UID" "$out/var/lib/worktrace" 2>/dev/null || true
