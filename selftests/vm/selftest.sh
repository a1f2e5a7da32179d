#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh [KVER] - test the lab-VM runner itself: the kernel-log checker
# on fake logs, then exit-status propagation, environment, shared output
# directory and the guest facilities the skbstat tests rely on.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${VM_BUILD_DIR:-$REPO/build/vm}
KVER=${1:-$("$HERE/run-vm.sh" --print-kernel)}
FAILED=0
LOG=

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; FAILED=1; }

# expect_log WANT DESC <<<LOG - run the kernel-log checker on LOG.
expect_log() {
	local want=$1 desc=$2 rc=0
	"$HERE/check-kernel-log.sh" >/dev/null || rc=$?
	if ((rc == want)); then pass "log: $desc"; else fail "log: $desc (got $rc)"; fi
}

test_log_checker() {
	local line
	expect_log 0 "clean boot chatter" <<'EOF'
[    0.1] Spectre V2 : Mitigation: Retpolines
[    0.2] MDS: CPU bug present and SMT on, data leak possible.
[    0.3] x86/bugs: unknown
[    1.0] PCI: if necessary, use "pci=nocrs" and report a bug
[    2.0] skbstat: loading out-of-tree module taints kernel.
EOF
	while IFS= read -r line; do
		expect_log 1 "${line:15:40}" <<<"$line"
	done <<'EOF'
[   12.345678] WARNING: CPU: 0 PID: 42 at net/core/dev.c:1 f+0x1/0x2
[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008
[   12.345678] kernel BUG at mm/slub.c:435!
[   12.345678] Oops: 0000 [#1] PREEMPT SMP NOPTI
[   12.345678] WARNING: possible recursive locking detected
[   12.345678] INFO: task kworker/0:1:12 blocked for more than 120 seconds.
[   12.345678] general protection fault, probably for non-canonical address
[   12.345678] rcu: INFO: rcu_preempt self-detected stall on CPU
[   12.345678] rcu_sched self-detected stall on CPU
[   12.345678] BUG: sleeping function called from invalid context at x.c:1
[   12.345678] UBSAN: shift-out-of-bounds in net/x.c:12:3
[   12.345678] refcount_t: underflow; use-after-free.
EOF
}

# expect_vm WANT DESC [RUNNER OPTIONS] -- CMD... - boot, compare exit status.
expect_vm() {
	local want=$1 desc=$2 rc=0 t0=$SECONDS
	shift 2
	"$HERE/run-vm.sh" -k "$KVER" "$@" </dev/null >"$LOG" 2>&1 || rc=$?
	if ((rc == want)); then
		pass "vm: $desc ($((SECONDS - t0)) s)"
	else
		fail "vm: $desc (got $rc, want $want); console:"
		sed 's/^/    | /' "$LOG" | tail -n 40
	fi
}

# A module whose init hits WARN_ON(): the real thing, if it can be built.
build_warn_module() {
	local kver=$KVER dir=$BUILD/warnmod
	[[ -f /lib/modules/$kver/build/Makefile ]] || return 1
	mkdir -p "$dir"
	cat >"$dir/skbvm_warn.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

static int __init skbvm_warn_init(void)
{
	WARN_ON(1);
	return 0;
}
module_init(skbvm_warn_init);
MODULE_LICENSE("GPL");
EOF
	echo 'obj-m := skbvm_warn.o' >"$dir/Makefile"
	make -s -C "/lib/modules/$kver/build" M="$dir" modules >/dev/null 2>&1 &&
		echo "$dir/skbvm_warn.ko"
}

test_vm_status() {
	expect_vm 0 "true" -- true
	expect_vm 1 "false" -- false
	expect_vm 7 "exit 7" -- sh -c 'exit 7'
	expect_vm 0 "argument quoting" -- sh -c '[ "$1" = "a b'\''\"c" ]' x "a b'\"c"
	expect_vm 125 "fake WARNING in the kernel log" -- \
		sh -c 'echo "WARNING: CPU: 0 PID: 1 at fake.c:1 f+0x0/0x1" >/dev/kmsg'
	expect_vm 3 "failing command keeps its status despite a WARNING" -- \
		sh -c 'echo "BUG: fake" >/dev/kmsg; exit 3'
	expect_vm 126 "kernel panic" -- sh -c 'echo c >/proc/sysrq-trigger'
	expect_vm 124 "timeout" -t 15 -- sleep 600
}

test_vm_env() {
	local out=$BUILD/selftest-out token=$RANDOM$RANDOM
	SKBSTAT_T="it's a \$test" CI=ci-val V=1 \
		expect_vm 0 "environment forwarding" -- sh -c \
		'[ "$SKBSTAT_T" = "it'\''s a \$test" ] && [ "$CI" = ci-val ] && [ "$V" = 1 ]'
	pushd "$HERE" >/dev/null
	expect_vm 0 "working directory" -- sh -c "[ \"\$PWD\" = '$HERE' ]"
	popd >/dev/null
	rm -rf "$out"
	expect_vm 0 "write to -o DIR" -o "$out" -- sh -c "echo $token >'$out/f'"
	if [[ $(cat "$out/f" 2>/dev/null) == "$token" ]]; then
		pass "host sees the guest's write"
	else
		fail "host does not see the guest's write in $out"
	fi
	rm -rf "$out"
	expect_vm 0 "writes elsewhere stay in the guest" -- \
		sh -c "echo x >'$HERE/.skbvm-guest-only'"
	if [[ -e $HERE/.skbvm-guest-only ]]; then
		fail "guest write leaked to $HERE"
	else
		pass "host tree untouched"
	fi
}

test_vm_facilities() {
	local ko
	expect_vm 0 "netns, veth, nft, bpffs, tracefs, /dev/fd" -- bash -c '
		set -e
		ip netns add x
		modprobe veth
		ip link add va type veth peer name vb
		nft add table inet t
		mountpoint -q /sys/fs/bpf
		mountpoint -q /sys/kernel/tracing
		cat <(echo ok) >/dev/null'
	if ko=$(build_warn_module); then
		expect_vm 125 "real WARN_ON() from a module" -- insmod "$ko"
	else
		echo "skip vm: real WARN_ON() (no kernel headers)"
	fi
}

# With a terminal on stdin/stdout QEMU must not leave it in raw mode.
test_vm_tty() {
	local before after
	if ! command -v script >/dev/null; then
		echo "skip vm: tty (no script(1))"
		return
	fi
	script -qec "stty -g >'$LOG.1'; '$HERE/run-vm.sh' -k $KVER -- true;
		echo rc=\$? >'$LOG.3'; stty -g >'$LOG.2'" /dev/null </dev/null >"$LOG"
	before=$(<"$LOG.1") after=$(<"$LOG.2")
	if [[ $(<"$LOG.3") == rc=0 && $before == "$after" ]]; then
		pass "vm: run on a tty, terminal modes kept"
	else
		fail "vm: run on a tty ($(<"$LOG.3"), stty $before -> $after)"
	fi
	rm -f "$LOG".[123]
}

main() {
	LOG=$(mktemp)
	trap 'rm -f "$LOG" "$LOG".[123]' EXIT
	test_log_checker
	test_vm_status
	test_vm_env
	test_vm_facilities
	test_vm_tty
	if ((FAILED)); then
		echo "some tests FAILED"
		return 1
	fi
	echo "all passed"
}

main
