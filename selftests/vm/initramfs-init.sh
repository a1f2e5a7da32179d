#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stage 1 of the lab VM, run by busybox as /init inside the initramfs.
#
# Mounts the host's / (read-only, virtio-9p tag "hostroot"), puts a tmpfs
# overlay on top so the guest may write anywhere (in RAM), and switch_roots
# into it to run stage 2 (guest-init.sh, path given as skbvm.init=).

set -eu

export PATH=/bin

fail() {
	echo "initramfs-init: $*" >&2
	# Power off rather than panic: the host reports the missing status marker.
	poweroff -f
	sleep 10
}

load_modules() {
	while read -r m; do
		insmod "/modules/$m.ko" || fail "insmod $m failed"
	done </modules/order
}

# Print the value of kernel command line parameter $1.
cmdline_arg() {
	for arg in $(cat /proc/cmdline); do  # words, not lines
		case $arg in
		"$1="*) echo "${arg#*=}"; return ;;
		esac
	done
}

mount_root() {
	# cache=loose: the host tree does not change under a test run, and it
	# makes exec-heavy scripts several times faster than cache=none.
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 \
		hostroot /lower || fail "cannot mount hostroot over 9p"
	mount -t tmpfs -o mode=0755 tmpfs /ovl
	mkdir /ovl/upper /ovl/work
	mount -t overlay -o lowerdir=/lower,upperdir=/ovl/upper,workdir=/ovl/work \
		overlay /newroot || fail "cannot mount the overlay"
}

main() {
	mount -t devtmpfs devtmpfs /dev
	exec </dev/console >/dev/console 2>&1
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys

	init=$(cmdline_arg skbvm.init)
	[ -n "$init" ] || fail "no skbvm.init= on the kernel command line"
	load_modules
	mount_root
	[ -f "/newroot$init" ] || fail "stage 2 $init not found in host root"

	# Keep the kernel filesystems: stage 2 only mounts what is missing.
	for d in dev proc sys; do
		mount --move "/$d" "/newroot/$d"
	done
	exec switch_root /newroot /bin/bash "$init"
}

main
