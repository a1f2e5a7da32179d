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
PRINT_KERNEL=0
OUTDIRS=()
JOB=
BUILD=${VM_BUILD_DIR:-$REPO/build/vm}
DEBUG_DIR=
LAB=${SKBSTAT_CACHE:-/var/cache/skbstat}/lab-kernels	# lab-kernels.sh's cache
IMAGE=		# the kernel's bzImage
MODDIR=		# its modules: /lib/modules/KVER, or in LAB for a lab kernel

usage() {
	cat <<EOF
usage: $0 [options] -- CMD [ARGS...]
  -k KERNEL    guest kernel (default: \$VM_KERNEL or the newest installed):
               an installed KVER (6.1.0-57-amd64), or a lab kernel's KVER;
               6.1, 6.1-rt: the newest installed 6.1 -amd64 / -rt-amd64;
               5.10, 6.12, 6.12-rt, 7.2 (sid: whatever sid has): Debian's
               builds, fetched first by lab-kernels.sh fetch NAME;
               "debug": the debug lab kernel (KASAN, lockdep, UBSAN, kmemleak),
               built by debug-kernel.sh into its cache the first time
  -m MEM       guest memory (default: $MEM)
  -s SMP       virtual CPUs (default: $SMP)
  --icount     deterministic instruction counting (benchmarks; 1 vCPU)
  -o DIR       share host DIR read-write at the same path (repeatable)
  -t SECONDS   kill the VM after SECONDS (default: $TIMEOUT), exit 124
  --dmesg      print the guest kernel log after the command
  --print-kernel  print the KVER that would be used and exit
  -h           this help
CMD runs as root in the current directory; the guest sees the host's files
(writes stay in RAM) but a fresh, empty /tmp (unless the current directory
is under /tmp): put inputs elsewhere and collect outputs with -o.
Environment: SKBSTAT_*, CI and V are passed to CMD; SKBSTAT_VM_DMESG=1
is the same as --dmesg; VM_BUILD_DIR holds the cached initramfs/vmlinux.
Exit: CMD's status; 125 CMD passed but the kernel log is bad; 124 timeout;
126 no status from the guest (panic, setup error).
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

# The newest installed 6.1 kernel of a flavour (-amd64, -rt-amd64).
host_61() {	# rt|generic
	local k best=
	for k in /boot/vmlinuz-6.1.*-amd64; do
		k=${k#/boot/vmlinuz-}
		[[ -d /lib/modules/$k ]] || continue
		if [[ $k == *-rt-amd64 ]]; then
			[[ $1 == rt ]] || continue
		else
			[[ $1 != rt ]] || continue
		fi
		best+="$k"$'\n'
	done
	sort -V <<<"$best" | sed '/^$/d' | tail -n1
}

# KVER, IMAGE and MODDIR from lab-kernels.sh's info file $1.
lab_kernel() {	# INFO
	local v
	# shellcheck source=/dev/null
	v=$(. "$1" && printf '%s\n' "$KVER" "$IMAGE" "$MODULES") || die "bad $1"
	{ read -r KVER; read -r IMAGE; read -r MODDIR; } <<<"$v"
	[[ -s $IMAGE && -s $MODDIR/modules.dep ]] ||
		die "$1: no image or modules.dep (lab-kernels.sh fetch again)"
}

# -k: a name (6.1, 5.10, sid, ...) or a KVER -> KVER, IMAGE, MODDIR.
resolve_kernel() {
	local f name=$KVER
	case $KVER in
	6.1) KVER=$(host_61 generic) ;;
	6.1-rt) KVER=$(host_61 rt) ;;
	esac
	[[ -n $KVER ]] || die "no installed kernel for '$name'"
	if [[ -e /boot/vmlinuz-$KVER ]]; then
		[[ -d /lib/modules/$KVER ]] || die "no /lib/modules/$KVER"
		IMAGE=/boot/vmlinuz-$KVER MODDIR=/lib/modules/$KVER
		return
	fi
	if [[ $KVER =~ ^[0-9]+\.[0-9]+(-rt)?$|^sid$ ]]; then
		[[ -r $LAB/$KVER/info ]] ||
			die "lab kernel '$KVER' not fetched: $HERE/lab-kernels.sh fetch $KVER"
		lab_kernel "$LAB/$KVER/info"
		return
	fi
	for f in "$LAB"/*/info; do	# a lab kernel by its KVER
		if [[ -r $f ]] && grep -qxF "KVER=$KVER" "$f"; then
			lab_kernel "$f"
			return
		fi
	done
	die "no kernel image for '$KVER'"
}

parse_args() {
	while (($#)); do
		case $1 in
		-[kmsot]) (($# >= 2)) || die "$1 needs an argument" ;;
		esac
		case $1 in
		-k) KVER=$2; shift ;;
		-m) MEM=$2; shift ;;
		-s) SMP=$2; shift ;;
		--icount) ICOUNT=1 ;;
		-o) mkdir -p "$2"; OUTDIRS+=("$(realpath "$2")"); shift ;;
		-t) TIMEOUT=$2; shift ;;
		--dmesg) DMESG=1 ;;
		--print-kernel) PRINT_KERNEL=1 ;;
		-h|--help) usage; exit 0 ;;
		--) shift; break ;;
		*) usage >&2; exit 126 ;;
		esac
		shift
	done
	[[ -n $KVER ]] || KVER=$(default_kernel)
	if [[ $KVER == debug ]]; then
		DEBUG_DIR=$("$HERE/debug-kernel.sh") || die "no debug kernel"
		KVER=$(cat "$DEBUG_DIR/release")
	else
		resolve_kernel
	fi
	((!PRINT_KERNEL)) || { echo "$KVER"; exit 0; }
	(($#)) || { usage >&2; exit 126; }
	CMD=("$@")
	[[ ${SKBSTAT_VM_DMESG:-0} == 1 ]] && DMESG=1
	((ICOUNT)) && SMP=1
	# Paths go on the kernel command line, which splits on blanks.
	[[ $HERE$MODDIR != *[[:space:]]* ]] || die "path with blanks: $HERE $MODDIR"
}

# Build the initramfs unless a current one is cached (one file per kernel).
ensure_initramfs() {
	INITRD=$BUILD/initramfs-$KVER.cpio.gz
	if [[ -n $DEBUG_DIR ]]; then
		# Everything the VM needs is built in: no modules to stage.
		[[ -s $INITRD && $INITRD -nt $DEBUG_DIR/vmlinux &&
		   $INITRD -nt $HERE/initramfs-init.sh && $INITRD -nt $HERE/mkinitramfs.sh ]] ||
			"$HERE/mkinitramfs.sh" --no-modules "$KVER" "$INITRD"
		return
	fi
	# A reinstalled kernel of the same version needs matching modules.
	if [[ ! -s $INITRD || $HERE/mkinitramfs.sh -nt $INITRD ||
	      $HERE/initramfs-init.sh -nt $INITRD ||
	      $IMAGE -nt $INITRD || $MODDIR/modules.dep -nt $INITRD ]]; then
		"$HERE/mkinitramfs.sh" --moddir "$MODDIR" "$KVER" "$INITRD"
	fi
}

# Decompress the payload of bzImage $1 into $2, an ELF vmlinux; fail
# unless it has the PVH entry note QEMU needs to boot it directly.  Debian
# compresses with xz up to 6.1, with zstd since (6.12, 7.x).
extract_vmlinux() {
	local off
	command -v readelf >/dev/null || return 1
	off=$(LC_ALL=C grep -abo -m1 $'\xfd7zXZ' "$1" | head -n1 | cut -d: -f1)
	if [[ -n $off ]]; then
		# xz stops at the end of its stream; tail then gets SIGPIPE.
		tail -c +"$((off + 1))" "$1" | xz -dcq --single-stream >"$2" || true
	else
		off=$(LC_ALL=C grep -abo -m1 $'\x28\xb5\x2f\xfd' "$1" | head -n1 | cut -d: -f1)
		[[ -n $off ]] && command -v zstd >/dev/null || return 1
		# zstd complains about what follows the frame (the bzImage's
		# trailer) after it has written the whole vmlinux.
		tail -c +"$((off + 1))" "$1" | zstd -dcq 2>/dev/null >"$2" || true
	fi
	# XEN_ELFNOTE_PHYS32_ENTRY is note type 18.
	LC_ALL=C readelf -n "$2" 2>/dev/null | grep -qE 'Xen .*(0x00000012|PHYS32_ENTRY)'
}

# Booting an uncompressed vmlinux (PVH) saves ~2.5 s of in-guest xz
# decompression per boot under TCG.  Cached next to the initramfs; an
# empty file records that the bzImage has to be used.
ensure_kernel() {
	local bz=$IMAGE out=$BUILD/vmlinux-$KVER
	if [[ -n $DEBUG_DIR ]]; then
		# A KASAN vmlinux triple-faults at the PVH entry: boot the bzImage.
		KERNEL=$DEBUG_DIR/arch/x86/boot/bzImage
		return
	fi
	if [[ ! -e $out || $bz -nt $out || ($HERE/run-vm.sh -nt $out && ! -s $out) ]]; then
		mkdir -p "${out%/*}"
		if extract_vmlinux "$bz" "$out.tmp.$$"; then
			mv -f "$out.tmp.$$" "$out"
		else
			rm -f "$out.tmp.$$"
			: >"$out"
		fi
	fi
	KERNEL=$bz
	[[ ! -s $out ]] || KERNEL=$out
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
	# A lab kernel's modules are not in the host's /lib/modules: guest-init
	# links them there, for modprobe.
	[[ -z $MODDIR || $MODDIR == /lib/modules/"$KVER" ]] || append+=" skbvm.moddir=$MODDIR"
	# The debug kernel: 4-level paging.  With -cpu max's LA57, KASAN once
	# reported a wild access by an interrupt taken during identify_cpu()
	# at boot, before anything of ours ran (ff11... direct map).
	# Its ACPI interpreter also evaluates the PCI routing (_PRT) so slowly
	# that each evaluation hit the AML loop timeout (30 s, twice per boot):
	# the BIOS's routing table does the same job at once.
	local cpu=max
	if [[ -n $DEBUG_DIR ]]; then
		cpu=max,la57=off
		append+=" pci=noacpi"
	fi
	QEMU=(qemu-system-x86_64 -accel tcg -cpu "$cpu" -m "$MEM" -smp "$SMP"
	      -nodefaults -no-user-config -no-reboot
	      -display none -monitor none -serial stdio
	      -kernel "$KERNEL" -initrd "$INITRD" -append "$append"
	      -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap")
	for i in "${!OUTDIRS[@]}"; do
		QEMU+=(-virtfs "local,path=${OUTDIRS[i]},mount_tag=skbout$i,security_model=none,multidevs=remap")
	done
	((ICOUNT)) && QEMU+=(-icount "shift=0,align=off,sleep=off")
	return 0
}

cleanup() {
	[[ -z $JOB ]] || rm -rf "$JOB"
}

# On a signal, stop QEMU's process group and exit with $1 once it is gone.
on_signal() {
	INTERRUPTED=$1
	kill -TERM -- "-$QEMU_PGID" 2>/dev/null || true
}

# Run QEMU with stdin closed, so it never touches the terminal (no raw
# mode), console CRs stripped, output to stdout and $JOB/console.log.
# Runs in the background: bash only handles traps between commands.
run_qemu() {
	local rc=0
	# In its own process group (set -m) so that on_signal can stop it all.
	set -m
	(
		set +e
		timeout --foreground -k 10 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 |
			sed -u 's/\r$//' | tee "$JOB/console.log"
		exit "${PIPESTATUS[0]}"
	) &
	QEMU_PGID=$!
	set +m
	INTERRUPTED=0
	trap 'on_signal 130' INT
	trap 'on_signal 143' TERM
	trap 'on_signal 129' HUP
	while :; do
		rc=0
		wait "$QEMU_PGID" || rc=$?
		# wait returns >128 when a trapped signal interrupted it.
		kill -0 "$QEMU_PGID" 2>/dev/null || break
	done
	trap - INT TERM HUP
	QEMU_RC=$rc
}

# Exit status from the last marker line of the console log, if any.
guest_status() {
	{ grep -aoE 'SKBSTAT_VM_STATUS=[0-9]+' "$JOB/console.log" || true; } |
		tail -n1 | cut -d= -f2
}

main() {
	parse_args "$@"
	ensure_initramfs
	ensure_kernel
	trap cleanup EXIT
	write_job
	qemu_args

	local start status
	start=$SECONDS
	run_qemu
	status=$(guest_status)
	echo "run-vm: $KVER, $((SECONDS - start)) s, qemu exit $QEMU_RC," \
	     "guest status ${status:-none}" >&2
	if ((INTERRUPTED)); then
		exit "$INTERRUPTED"
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
