#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [--print] - build (once) and print the directory of the
# debug lab kernel: Debian's linux-source-6.1 with KASAN, lockdep, UBSAN,
# kmemleak, debug objects and atomic-sleep checks (selftests/vm/debug.config).
#
# The build lives outside the clone, keyed by the source package's version
# and a hash of the config fragment and this script, so a machine builds it
# once: $SKBSTAT_CACHE (default /var/cache/skbstat)/debug-kernel/KEY/.
# The directory holds the kernel tree (KDIR for skbstat.ko), vmlinux (the
# image QEMU boots) and "release" (its uname -r).
# --print only prints the directory it would use, built or not.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${SKBSTAT_CACHE:-/var/cache/skbstat}
TAR=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
FRAGMENT=$HERE/debug.config

die() { echo "debug-kernel: $*" >&2; exit 1; }

[[ -r $TAR ]] || die "$TAR is missing: run 'make deps'"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %Y "$TAR")
key=$(cat "$FRAGMENT" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
DIR=$CACHE/debug-kernel/$srcver-$key

if [[ ${1:-} == --print ]]; then
	echo "$DIR"
	exit 0
fi
if [[ -s $DIR/release && -s $DIR/vmlinux ]]; then
	echo "$DIR"
	exit 0
fi

# One builder at a time; a second caller waits and then finds it built.
mkdir -p "$CACHE/debug-kernel"
exec 9>"$CACHE/debug-kernel/.lock"
flock 9
if [[ -s $DIR/release && -s $DIR/vmlinux ]]; then
	echo "$DIR"
	exit 0
fi

start=$SECONDS
tmp=$DIR.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
echo "debug-kernel: building $srcver ($key) in $tmp" >&2
tar -xJf "$TAR" -C "$tmp" --strip-components=1
cd "$tmp"
make -s x86_64_defconfig kvm_guest.config >&2
scripts/kconfig/merge_config.sh -m .config "$FRAGMENT" >&2
make -s olddefconfig >&2
# Every option of the fragment must have survived olddefconfig: a
# dependency that silently drops KASAN would make a clean run worthless.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=n) opt=${line%%=*}
		grep -q "^$opt=" .config && { echo "lost: $line" >&2; missing=1; } ;;
	CONFIG_*) grep -qxF "$line" .config || { echo "lost: $line" >&2; missing=1; } ;;
	esac
done <"$FRAGMENT"
((!missing)) || die "the config lost options of $FRAGMENT"
nice make -j"$(nproc)" vmlinux bzImage modules_prepare >&2
make -s kernelrelease >release
rm -rf "$DIR"
mv "$tmp" "$DIR"
echo "debug-kernel: built $(cat "$DIR/release") in $((SECONDS - start)) s" >&2
echo "$DIR"
