#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check, after the build: the CLI's unit tests, the selftest suite in
# the lab VM (both backends), then the BPF backend's suite on this machine's
# own kernel.  Ends with "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
KVER=${KVER:?KVER is set by the Makefile}
passed=0
failed=0

# Adds the last "N passed, N failed" of a stage's output to the totals; a
# stage that fails without such a line counts as one failure.
count() {
	local name=$1 log=$2 rc=$3 line
	line=$(tr -d '\r' <"$log" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		echo "== $name: exit $rc, no result line"
		failed=$((failed + 1))
		return
	fi
	set -- $(echo "$line" | sed -E 's/.*\b([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')
	passed=$((passed + $1))
	failed=$((failed + $2))
	if [ "$rc" -ne 0 ] && [ "$2" -eq 0 ]; then
		echo "== $name: exit $rc"
		failed=$((failed + 1))
	fi
	echo "== $name: $1 passed, $2 failed"
}

TIMES=()

stage() {
	local name=$1 log rc start=$SECONDS
	shift
	log=$(mktemp)
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count "$name" "$log" "$rc"
	rm -f "$log"
	TIMES+=("$(printf '%6d s  %s' $((SECONDS - start)) "$name")")
}

# A stage that runs beside the others, its output kept until stage_wait.
BG_PID=
BG_LOG=
BG_START=
stage_start() {
	BG_LOG=$(mktemp)
	BG_START=$SECONDS
	echo "== $1: started, beside the stages below"
	shift
	"$@" >"$BG_LOG" 2>&1 &
	BG_PID=$!
}

stage_wait() {
	local name=$1 rc=0
	echo "== $name"
	wait "$BG_PID" || rc=$?
	cat "$BG_LOG"
	count "$name" "$BG_LOG" "$rc"
	rm -f "$BG_LOG"
	TIMES+=("$(printf '%6d s  %s' $((SECONDS - BG_START)) "$name")")
}

# The debug lab kernel and the module for it.  The first time on a machine
# the kernel builds (about 41 min on 2 cores, at low priority) beside the
# stages below; then it is cached.
debug_build() {
	if make --no-print-directory kmod-debug >/dev/null; then
		echo "debug kernel build: 1 passed, 0 failed"
	else
		echo "debug kernel build: 0 passed, 1 failed"
		return 1
	fi
}

# The debug kernel's stage, after the others (three TCG VMs on two cores
# made the 6.1 suite overrun its time): the zoo for both backends' default
# modes in one VM, 100000 fuzzed messages in another.  Lifecycle stress is
# make stress only: under the debug kernel in TCG a cycle of each kind
# costs about two minutes (an rmmod alone 80 s), and two cycles beside the
# other VMs did not end within the hour.
debug_vms() {
	local zoo fs rc=0
	zoo=$(mktemp)
	fs=$(mktemp)
	selftests/vm/run-vm.sh -k debug -t 3600 -- env SKBSTAT_ZOO_PAIRS=tracepoint+tp_btf \
		selftests/debug-suite.sh zoo >"$zoo" 2>&1 &
	selftests/vm/run-vm.sh -k debug -t 3600 -- env SKBSTAT_FUZZ_COUNT=100000 \
		selftests/debug-suite.sh fuzz >"$fs" 2>&1 || rc=1
	wait $! || rc=1
	cat "$zoo" "$fs"
	# One result line for the two VMs: each says "debug suite: N passed, N failed".
	grep -hE '^debug suite: [0-9]+ passed, [0-9]+ failed' "$zoo" "$fs" | tr -d '\r' |
		awk '{ p += $3; f += $5 } END { printf "debug kernel: %d passed, %d failed\n", p, f + (NR < 2) }'
	rm -f "$zoo" "$fs"
	return "$rc"
}

stage_start "debug kernel build" debug_build
stage "unit tests" make --no-print-directory unit
# The zoo of drop paths runs on this machine (BPF) below; under the module it is make zoo-debug.
lab_tests=$(cd build/selftests && ls -1 *_test | grep -vx zoo_test | tr '\n' ' ')
stage "lab VM ($KVER)" selftests/vm/run-vm.sh -t 2700 -k "$KVER" -- \
	env SKBSTAT_TESTS="$lab_tests" selftests/lab-suite.sh
if [ -n "${KVER_RT:-}" ]; then
	# The module on PREEMPT_RT; BPF does not depend on the preemption model.
	stage "lab VM ($KVER_RT, module)" env SKBSTAT_BACKENDS=kmod \
		selftests/vm/run-vm.sh -t 1800 -k "$KVER_RT" -- \
		env SKBSTAT_TESTS="$lab_tests" selftests/lab-suite.sh
fi
stage "DKMS and packages" selftests/dkms-check.sh
# The benchmark's trigger, floors and dump work (make bench measures).
stage "bench smoke ($KVER)" selftests/vm/run-vm.sh -k "$KVER" -- \
	selftests/bench/smoke.sh build/bench "$KVER"

# The BPF backend on this machine's own kernel, which cannot load modules.
# The tests attach and detach: a BPF filesystem of their own (each mount is
# a new one) keeps them off whatever this machine has attached for good.
own_bpffs() {
	unshare -m --propagation private sh -c \
		'mount -t bpf -o mode=0700 bpf /sys/fs/bpf && exec "$@"' own_bpffs "$@"
}
stage "this machine ($(uname -r), BPF)" own_bpffs env SKBSTAT_BACKENDS=bpf \
	selftests/lab-suite.sh
# skbstat top in a real terminal; with nothing attached it counts through BPF
# for its own lifetime.
stage "top under tmux ($(uname -r))" own_bpffs user/tests/top_tmux.sh

stage_wait "debug kernel build"
stage "debug kernel (zoo | fuzzer)" debug_vms
echo "== stage times"
printf '%s\n' "${TIMES[@]}"
printf "%6d s  total\n" "$SECONDS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
