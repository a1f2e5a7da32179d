#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER OUT - build the lab-VM initramfs (a gzipped newc cpio).
#
# It holds only what is needed to reach the host's root over virtio-9p:
# a static busybox, the virtio/9p/overlay modules of KVER and the stage-1
# /init (initramfs-init.sh).  Everything else comes from the host at runtime.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}

# Load order matters: busybox insmod does not resolve dependencies.
MODULES=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev
	 virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay)

die() { echo "mkinitramfs: $*" >&2; exit 1; }

# Print the path of module $2 of kernel $1, or nothing if it is built in.
find_module() {
	local moddir=/lib/modules/$1 name=$2 f
	f=$(find "$moddir/kernel" -name "$name.ko" -o -name "$name.ko.[gx]z" \
		-o -name "$name.ko.zst" | head -n1)
	if [[ -n $f ]]; then
		echo "$f"
	elif ! grep -q "/$name.ko\$" "$moddir/modules.builtin"; then
		die "module $name not found for $1"
	fi
}

# Copy module file $1 to $2 uncompressed: busybox insmod wants plain ELF.
install_module() {
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.gz) gzip -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

stage_busybox() {
	local root=$1 applet
	install -m 0755 "$BUSYBOX" "$root/bin/busybox"
	for applet in $("$BUSYBOX" --list); do
		[[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
	done
}

stage_modules() {
	local root=$1 kver=$2 m f
	: >"$root/modules/order"
	for m in "${MODULES[@]}"; do
		f=$(find_module "$kver" "$m")
		[[ -n $f ]] || continue
		install_module "$f" "$root/modules/$m.ko"
		echo "$m" >>"$root/modules/order"
	done
}

main() {
	local with_modules=1
	if [[ ${1:-} == --no-modules ]]; then
		with_modules=0	# a kernel with everything built in
		shift
	fi
	[[ $# -eq 2 ]] || die "usage: $0 [--no-modules] KVER OUT"
	local kver=$1 out=$2
	((!with_modules)) || [[ -d /lib/modules/$kver/kernel ]] || die "no /lib/modules/$kver"
	STAGE=$(mktemp -d "${TMPDIR:-/tmp}/skbvm-initramfs.XXXXXX")
	trap 'rm -rf "$STAGE"' EXIT
	local root=$STAGE
	chmod 0755 "$root"

	mkdir -p "$root"/{bin,dev,proc,sys,modules,lower,ovl,newroot}
	stage_busybox "$root"
	if ((with_modules)); then
		stage_modules "$root" "$kver"
	else
		: >"$root/modules/order"
	fi
	install -m 0755 "$HERE/initramfs-init.sh" "$root/init"
	echo "$kver" >"$root/kver"
	# The kernel opens /dev/console before running /init; without the node
	# early errors are lost.  Needs root; /init reopens it anyway.
	mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true

	mkdir -p "$(dirname "$out")"
	# Write next to the target and rename, so concurrent runners never see
	# a half-written file.
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --quiet --null -o -H newc -R 0:0) | gzip -1 >"$out.tmp.$$"
	mv -f "$out.tmp.$$" "$out"
}

main "$@"
