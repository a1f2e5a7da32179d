#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check, after the build: the CLI's unit tests, the selftest suite in
# the lab VM (both backends, 6.1 and 6.1-rt), DKMS, the BPF backend's suite
# on this machine's own kernel, the same and the unit tests again under
# ASan, UBSan and LeakSanitizer with short runs of the userspace fuzz
# targets, under the debug lab kernel the zoo, lifecycle stress and the
# netlink fuzzer, and on each other lab kernel (5.10, 6.12, 6.12-rt, sid's)
# the hooks' truth tests for both backends.  Prints each stage's time and
# ends with "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
KVER=${KVER:?KVER is set by the Makefile}
passed=0
failed=0

. selftests/lib/tally.sh
TALLY_MARK="=="

# Adds a stage's "N passed, N failed" to the totals (lib/tally.sh).
count() {
	tally "$@" && echo "== $1: $TALLY_LAST"
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

# The VM jobs run in two lanes, one per core: lane D starts at once in the
# background with the debug lab kernel's build (the first time on a machine,
# 17 min alone on 2 cores, at low priority, then cached), lane M is the
# stages below in the foreground.  Then each lane that is free takes the
# next job not yet taken (longest first): the debug kernel's (zoo, stress,
# fuzz) once it is built, and one per lab kernel (lab-matrix.sh), which a
# lane takes while the build still runs.  With a warm cache the zoo runs
# beside the 6.1 suite and nothing waits for a core.
LAB_KERNELS=${LAB_KERNELS:?LAB_KERNELS is set by the Makefile}
JOBS=(debug:zoo debug:stress debug:fuzz)
for k in $LAB_KERNELS; do
	JOBS+=("lab:$k")
done
DQ=$(mktemp -d)
trap 'rm -rf "$DQ"' EXIT

debug_build() {
	if make --no-print-directory kmod-debug >"$DQ/build.log" 2>&1; then
		echo "debug kernel build: 1 passed, 0 failed" >>"$DQ/build.log"
		touch "$DQ/built"
	else
		echo "debug kernel build: 0 passed, 1 failed" >>"$DQ/build.log"
		touch "$DQ/unbuilt"
	fi
}

# The index of the next job this lane may take, or nothing: before the
# build has ended, only lab kernels' jobs.
job_next() {
	(
		flock 9
		local i ended=
		[ ! -e "$DQ/built" ] && [ ! -e "$DQ/unbuilt" ] || ended=1
		for i in "${!JOBS[@]}"; do
			[ ! -e "$DQ/$i.taken" ] || continue
			[ -n "$ended" ] || [ "${JOBS[i]%%:*}" = lab ] || continue
			touch "$DQ/$i.taken"
			echo "$i"
			return
		done
	) 9>"$DQ/lock"
}

jobs_left() {
	local i
	for i in "${!JOBS[@]}"; do
		[ -e "$DQ/$i.taken" ] || return 0
	done
	return 1
}

# make check's share of each debug job: the zoo for both backends' default
# modes; 5 lifecycle cycles of each kind; 100000 fuzzed messages.  A debug
# job whose kernel did not build fails without running.
run_job() {
	local i=$1 kind=${JOBS[$1]%%:*} job=${JOBS[$1]#*:} start=$SECONDS
	local -a env=()
	case $job in
	zoo) env=(SKBSTAT_ZOO_PAIRS=tracepoint+tp_btf) ;;
	fuzz) env=(SKBSTAT_FUZZ_COUNT=100000) ;;
	stress) env=(SKBSTAT_STRESS_CYCLES=5) ;;
	esac
	if [ "$kind" = lab ]; then
		selftests/vm/lab-matrix.sh "$job" >"$DQ/$i.log" 2>&1
	elif [ -e "$DQ/built" ]; then
		selftests/vm/run-vm.sh -k debug -t 3600 -- env "${env[@]}" \
			selftests/debug-suite.sh "$job" >"$DQ/$i.log" 2>&1
	else
		echo "never ran: the debug kernel did not build" >"$DQ/$i.log"
		false
	fi
	echo $? >"$DQ/$i.rc"
	printf '%6d s  %s (lane %s)\n' $((SECONDS - start)) "$(job_name "$i")" "$2" \
		>"$DQ/$i.time"
}

job_name() {
	case ${JOBS[$1]} in
	lab:*) echo "lab kernel ${JOBS[$1]#lab:}" ;;
	*) echo "debug kernel: ${JOBS[$1]#debug:}" ;;
	esac
}

# Takes jobs until none is left; waits for the build while only debug
# jobs are.
job_worker() {
	local i
	while jobs_left; do
		if i=$(job_next) && [ -n "$i" ]; then
			run_job "$i" "$1"
		else
			sleep 5
		fi
	done
}

# Lane D: the build, timed from the start, then jobs.
debug_lane() {
	local start=$SECONDS
	debug_build
	printf '%6d s  debug kernel build (lane D)\n' $((SECONDS - start)) >"$DQ/build.time"
	job_worker D
}

# Lane M's turn, after its stages: jobs too, then wait for lane D.
lane_m() {
	job_worker M
	wait "$D_PID"
}

# Each job's output and result, as a stage of its own.
jobs_report() {
	local i rc name
	echo "== debug kernel build"
	cat "$DQ/build.log"
	count "debug kernel build" "$DQ/build.log" 0
	TIMES+=("$(cat "$DQ/build.time")")
	for i in "${!JOBS[@]}"; do
		name=$(job_name "$i")
		echo "== $name"
		cat "$DQ/$i.log"
		rc=$(cat "$DQ/$i.rc")
		count "$name" "$DQ/$i.log" "$rc"
		TIMES+=("$(cat "$DQ/$i.time")")
	done
}

echo "== VM jobs: lane D (the debug kernel's build, then jobs) starts beside the stages below"
debug_lane &
D_PID=$!

stage "unit tests" make --no-print-directory unit
stage "service files (unit, alert rules)" user/serve/service/check.sh build/user/skbstat
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
# The CLI, its unit tests and the selftests built again with ASan, UBSan
# and LeakSanitizer: the unit tests and the BPF suite above, then each
# userspace fuzz target briefly; any sanitizer report fails it.
stage "sanitizers ($(uname -r), BPF; fuzz targets)" make --no-print-directory asan
# skbstat top in a real terminal; with nothing attached it counts through BPF
# for its own lifetime.
stage "top under tmux ($(uname -r))" own_bpffs user/tests/top_tmux.sh

# Lane M takes jobs as well; then both lanes' reports.
echo "== VM jobs: lane M joins"
lane_m
jobs_report
echo "== stage times"
printf '%s\n' "${TIMES[@]}"
printf "%6d s  total\n" "$SECONDS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
