#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh - run a command as root in a throw-away QEMU VM (TCG) that sees
# the host's whole filesystem through a read-only 9p share with a RAM
# overlay, so the guest may load modules and break networking freely.
#
# The guest console is streamed to stdout; the exit status is the command's
# (125: it passed but the kernel log shows a WARNING/BUG/..., 124: timeout,
# 126: no status from the guest, e.g. a kernel panic).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

KVER=${VM_KERNEL:-}
MEM=2G
SMP=1
ICOUNT=0
TIMEOUT=600
DMESG=0
OUTDIRS=()
JOB=
QEMU_PID_FILE=

usage() {
	cat <<EOF
usage: $0 [options] -- CMD [ARGS...]
  -k KVER      guest kernel (default: \$VM_KERNEL or the newest installed)
  -m MEM       guest memory (default: $MEM)
  -s SMP       virtual CPUs (default: $SMP)
  --icount     deterministic instruction counting (benchmarks; 1 vCPU)
  -o DIR       share host DIR read-write at the same path (repeatable)
  -t SECONDS   kill the VM after SECONDS (default: $TIMEOUT), exit 124
  --dmesg      print the guest kernel log after the command
  -h           this help
Environment: SKBSTAT_*, CI and V are passed to CMD; SKBSTAT_VM_DMESG=1
is the same as --dmesg.
EOF
}

die() { echo "run-vm: $*" >&2; exit 126; }

# Newest kernel that has both modules and an image.  Among equal versions
# the generic flavour wins over -rt, so installing the rt kernel does not
# silently change what the default run tests.
default_kernel() {
	local d k
	for d in /lib/modules/*/; do
		k=$(basename "$d")
		[[ -e /boot/vmlinuz-$k ]] || continue
		printf '%s %d %s\n' "${k%%-[a-z]*}" "$([[ $k == *-rt-* ]] && echo 0 || echo 1)" "$k"
	done | sort -k1,1V -k2,2n | tail -n1 | cut -d' ' -f3
}

parse_args() {
	while (($#)); do
		case $1 in
		-k) KVER=$2; shift ;;
		-m) MEM=$2; shift ;;
		-s) SMP=$2; shift ;;
		--icount) ICOUNT=1 ;;
		-o) mkdir -p "$2"; OUTDIRS+=("$(realpath "$2")"); shift ;;
		-t) TIMEOUT=$2; shift ;;
		--dmesg) DMESG=1 ;;
		-h|--help) usage; exit 0 ;;
		--) shift; break ;;
		*) usage >&2; exit 126 ;;
		esac
		shift
	done
	(($#)) || { usage >&2; exit 126; }
	CMD=("$@")
	[[ ${SKBSTAT_VM_DMESG:-0} == 1 ]] && DMESG=1
	((ICOUNT)) && SMP=1
	[[ -n $KVER ]] || KVER=$(default_kernel)
	[[ -n $KVER && -e /boot/vmlinuz-$KVER ]] || die "no kernel image for '$KVER'"
	[[ -d /lib/modules/$KVER ]] || die "no /lib/modules/$KVER"
	# Paths go on the kernel command line, which splits on blanks.
	[[ $HERE != *[[:space:]]* ]] || die "path with blanks: $HERE"
}

# Build the initramfs unless a current one is cached (one file per kernel).
ensure_initramfs() {
	INITRD=$REPO/build/vm/initramfs-$KVER.cpio.gz
	if [[ ! -s $INITRD || $HERE/mkinitramfs.sh -nt $INITRD ||
	      $HERE/initramfs-init.sh -nt $INITRD ]]; then
		"$HERE/mkinitramfs.sh" "$KVER" "$INITRD"
	fi
}

# The job directory is on the host's / and so visible to the guest: conf
# for guest-init.sh and the command script itself.
write_job() {
	local name
	JOB=$(mktemp -d /tmp/skbvm.XXXXXX)
	{
		printf 'CWD=%q\n' "$PWD"
		printf 'OUTDIRS=(%s)\n' "${OUTDIRS[*]@Q}"
	} >"$JOB/conf"
	{
		echo '#!/bin/bash'
		for name in $(compgen -e); do
			[[ $name == SKBSTAT_* || $name == CI || $name == V ]] &&
				printf 'export %s=%q\n' "$name" "${!name}"
		done
		printf 'exec'
		printf ' %q' "${CMD[@]}"
		echo
	} >"$JOB/cmd.sh"
}

qemu_args() {
	local i append
	append="console=ttyS0 quiet panic=-1 mitigations=off printk.devkmsg=on"
	append+=" skbvm.init=$HERE/guest-init.sh skbvm.job=$JOB skbvm.dmesg=$DMESG"
	QEMU=(qemu-system-x86_64 -accel tcg -cpu max -m "$MEM" -smp "$SMP"
	      -nodefaults -no-user-config -no-reboot
	      -display none -monitor none -serial stdio
	      -pidfile "$QEMU_PID_FILE"
	      -kernel "/boot/vmlinuz-$KVER" -initrd "$INITRD" -append "$append"
	      -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap)
	for i in "${!OUTDIRS[@]}"; do
		QEMU+=(-virtfs "local,path=${OUTDIRS[i]},mount_tag=skbout$i,security_model=none,multidevs=remap")
	done
	((ICOUNT)) && QEMU+=(-icount shift=0,align=off,sleep=off)
	return 0
}

cleanup() {
	[[ -z $JOB ]] || rm -rf "$JOB"
}

# Forward a signal to QEMU and let the normal path finish.
on_signal() {
	[[ -s $QEMU_PID_FILE ]] && kill -TERM "$(<"$QEMU_PID_FILE")" 2>/dev/null
	INTERRUPTED=1
}

# Run QEMU with stdin closed, so it never touches the terminal (no raw
# mode), console CRs stripped, output to stdout and $JOB/console.log.
# Runs in the background: bash only handles traps between commands.
run_qemu() {
	local rc=0
	(
		set +e
		timeout --foreground -k 10 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 |
			sed -u 's/\r$//' | tee "$JOB/console.log"
		exit "${PIPESTATUS[0]}"
	) &
	local pid=$!
	INTERRUPTED=0
	trap on_signal INT TERM HUP
	while :; do
		rc=0
		wait "$pid" || rc=$?
		# wait returns >128 when a trapped signal interrupted it.
		kill -0 "$pid" 2>/dev/null || break
	done
	trap - INT TERM HUP
	QEMU_RC=$rc
}

# Exit status from the last marker line of the console log.
guest_status() {
	grep -aoE 'SKBSTAT_VM_STATUS=[0-9]+' "$JOB/console.log" | tail -n1 |
		cut -d= -f2
}

main() {
	parse_args "$@"
	ensure_initramfs
	trap cleanup EXIT
	write_job
	QEMU_PID_FILE=$JOB/qemu.pid
	qemu_args

	local start status
	start=$SECONDS
	run_qemu
	status=$(guest_status)
	echo "run-vm: $KVER, $((SECONDS - start)) s, qemu exit $QEMU_RC," \
	     "guest status ${status:-none}" >&2
	if ((INTERRUPTED)); then
		exit 130
	elif [[ -n $status ]]; then
		# The command finished even if shutting down then timed out.
		exit "$status"
	elif ((QEMU_RC == 124 || QEMU_RC == 137)); then
		echo "run-vm: timed out after $TIMEOUT s" >&2
		exit 124
	fi
	echo "run-vm: no status from the guest (kernel panic?)" >&2
	exit 126
}

main "$@"
