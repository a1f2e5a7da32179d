#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of the lab VM: PID 1 in the overlay of the host's root.
#
# Sets up the usual kernel filesystems, runs the job prepared by run-vm.sh
# (skbvm.job=DIR on the kernel command line: DIR/conf and DIR/cmd.sh), checks
# the kernel log, prints "SKBSTAT_VM_STATUS=<n>" and powers off.

set -Eeuo pipefail

HERE=$(dirname "${BASH_SOURCE[0]}")
JOB=/run/skbvm			# private copy of the job directory
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb

# PID 1 must never exit (the kernel would panic), so every way out ends here.
power_off() {
	sync
	/bin/busybox poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger
	sleep 30
}
trap power_off EXIT

on_error() {
	echo "guest-init: setup failed at line $1" >&2
}
trap 'on_error $LINENO' ERR

# Builtins only: every fork+exec costs tens of ms under TCG.
is_mounted() {
	local dir rest
	while read -r _ dir rest; do
		[[ $dir == "$1" ]] && return 0
	done 2>/dev/null </proc/mounts
	return 1
}

# mount_fs TYPE DIR [OPTIONS] - mount unless something already is there.
mount_fs() {
	[[ -d $2 ]] || mkdir -p "$2"
	is_mounted "$2" || mount -t "$1" -o "${3:-defaults}" "$1" "$2"
}

cmdline_arg() {
	local arg
	for arg in $(</proc/cmdline); do
		[[ $arg == "$1="* ]] && { echo "${arg#*=}"; return; }
	done
	return 0
}

setup_filesystems() {
	mount_fs proc /proc
	mount_fs sysfs /sys
	mount_fs devtmpfs /dev
	mount_fs devpts /dev/pts gid=5,mode=620,ptmxmode=666
	mount_fs tmpfs /dev/shm mode=1777,nosuid,nodev
	# devtmpfs lacks these; bash process substitution needs /dev/fd.
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr
	mount_fs tmpfs /run mode=0755,nosuid,nodev
	mount_fs bpf /sys/fs/bpf mode=0700
	mount_fs debugfs /sys/kernel/debug
	mount_fs tracefs /sys/kernel/tracing
	mount_fs cgroup2 /sys/fs/cgroup nsdelegate
}

# The job directory lives in the host's /tmp: copy it to /run before a
# fresh tmpfs hides it.  conf sets CWD and OUTDIRS (printf %q quoted).
load_job() {
	cp -a "$(cmdline_arg skbvm.job)" "$JOB"
	# shellcheck source=/dev/null
	source "$JOB/conf"
}

# An empty /tmp, unless the command runs from the host's /tmp: then keep
# seeing that (writes still go to the RAM overlay).
setup_tmp() {
	[[ $CWD == /tmp || $CWD == /tmp/* ]] ||
		mount_fs tmpfs /tmp mode=1777,nosuid,nodev
}

# Mount the host directories shared read-write (run-vm.sh -o) at their
# host paths, over the overlay, so writes reach the host.
mount_outdirs() {
	local i
	for i in "${!OUTDIRS[@]}"; do
		mkdir -p "${OUTDIRS[i]}"
		mount -t 9p -o trans=virtio,version=9p2000.L,cache=mmap,msize=512000 \
			"skbout$i" "${OUTDIRS[i]}"
	done
}

# A lab kernel's modules live in lab-kernels.sh's cache, which the guest
# sees at the same path: link them where modprobe looks (in the RAM
# overlay, so the host's /lib/modules stays as it is).
link_modules() {
	local dir kver
	dir=$(cmdline_arg skbvm.moddir)
	[[ -n $dir ]] || return 0
	read -r kver </proc/sys/kernel/osrelease
	[[ -e /lib/modules/$kver ]] || { mkdir -p /lib/modules && ln -s "$dir" "/lib/modules/$kver"; }
}

setup_system() {
	link_modules
	echo skbvm >/proc/sys/kernel/hostname
	ip link set lo up
}

# On a kernel with kmemleak: two scans (an object is reported only once it
# has looked unreferenced for a whole scan), and every leak goes to the
# kernel log, where the check below finds it.
kmemleak_scan() {
	local f=/sys/kernel/debug/kmemleak
	[[ -w $f ]] || return 0
	echo scan >"$f" && echo scan >"$f"
	if [[ -s $f ]]; then
		echo "kmemleak: suspected memory leaks at the end of the run:" >/dev/kmsg
		head -c 16384 "$f" | sed 's/^/kmemleak: /' >/dev/kmsg
	fi
}

# Exit status policy: the command's, or 125 when it passed but the kernel
# complained.
report() {
	local rc=$1 log bad_lines bad=0
	kmemleak_scan
	log=$(dmesg)
	if ! bad_lines=$(bash "$HERE/check-kernel-log.sh" <<<"$log"); then
		bad=1
		echo "guest-init: kernel log shows problems:"
		echo "$bad_lines"
		((rc != 0)) || rc=125
	fi
	if ((bad)) || [[ $(cmdline_arg skbvm.dmesg) == 1 ]]; then
		echo "----- dmesg -----"
		echo "$log"
		echo "----- end of dmesg -----"
	fi
	echo "SKBSTAT_VM_STATUS=$rc"
	# Wait until the UART has sent everything: a tcsetattr(TCSADRAIN), done
	# by stty when asked to set anything, blocks until the output drained.
	stty -F /dev/console "$(stty -F /dev/console -g)" 2>/dev/null || sleep 1
}

main() {
	setup_filesystems
	load_job
	setup_tmp
	mount_outdirs
	setup_system
	trap - ERR
	set +e
	local rc=0
	(cd "$CWD" && exec bash "$JOB/cmd.sh" </dev/null) || rc=$?
	report "$rc"
}

main
