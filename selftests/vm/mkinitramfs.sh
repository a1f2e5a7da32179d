#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh [--no-modules | --moddir DIR] KVER OUT - build the lab-VM
# initramfs (a gzipped newc cpio).
#
# It holds only what is needed to reach the host's root over virtio-9p:
# a static busybox, the virtio/9p/overlay modules of KVER (from
# /lib/modules/KVER, or DIR for a kernel that is not installed: the lab
# kernels' cache) and the stage-1 /init (initramfs-init.sh).  Everything
# else comes from the host at runtime.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}

# What reaching the root needs; their dependencies come from modules.dep,
# since they differ between kernels (fscache in 5.10, netfs since 6.x,
# virtio_pci built in since 6.12).
MODULES=(virtio_pci 9pnet_virtio 9p overlay)

die() { echo "mkinitramfs: $*" >&2; exit 1; }

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

# Stage module file $2 (a modules.dep path) once, and append it to the
# load order: busybox insmod does not resolve dependencies.
stage_one() {	# ROOT PATH
	local name=${2##*/}
	name=${name%%.ko*}
	[[ -z ${STAGED[$name]:-} ]] || return 0
	STAGED[$name]=1
	install_module "$MODDIR/$2" "$1/modules/$name.ko"
	echo "$name" >>"$1/modules/order"
}

# modules.dep lists a module's whole dependency closure, each entry before
# the ones it needs (modprobe loads it back to front).
stage_modules() {
	local root=$1 m line i
	local -a deps
	declare -gA STAGED=()
	: >"$root/modules/order"
	for m in "${MODULES[@]}"; do
		line=$(grep -E "(^|/)$m\.ko(\.[gx]z|\.zst)?:" "$MODDIR/modules.dep" || true)
		if [[ -z $line ]]; then
			grep -qE "/$m\.ko\$" "$MODDIR/modules.builtin" ||
				die "module $m not found in $MODDIR"
			continue	# built in
		fi
		read -ra deps <<<"${line#*:}"
		for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
			stage_one "$root" "${deps[i]}"
		done
		stage_one "$root" "${line%%:*}"
	done
}

main() {
	local with_modules=1
	MODDIR=
	case ${1:-} in
	--no-modules) with_modules=0; shift ;;	# a kernel with everything built in
	--moddir) MODDIR=${2:-}; shift 2 ;;
	esac
	[[ $# -eq 2 ]] || die "usage: $0 [--no-modules | --moddir DIR] KVER OUT"
	local kver=$1 out=$2
	[[ -n $MODDIR ]] || MODDIR=/lib/modules/$kver
	((!with_modules)) || [[ -d $MODDIR/kernel && -s $MODDIR/modules.dep ]] ||
		die "no modules (or no modules.dep) in $MODDIR"
	STAGE=$(mktemp -d "${TMPDIR:-/tmp}/skbvm-initramfs.XXXXXX")
	trap 'rm -rf "$STAGE"' EXIT
	local root=$STAGE
	chmod 0755 "$root"

	mkdir -p "$root"/{bin,dev,proc,sys,modules,lower,ovl,newroot}
	stage_busybox "$root"
	if ((with_modules)); then
		stage_modules "$root"
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
