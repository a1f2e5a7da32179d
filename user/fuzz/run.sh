#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz-user: every target of BUILD_DIR (build/fuzz) for
# FUZZ_USER_SECONDS each (and at most FUZZ_USER_RUNS runs when set;
# FUZZ_USER_JOBS at once, default one per CPU), on a
# working copy of its committed corpus, then a report in REPORT: per target
# the runs, libFuzzer's final coverage (cov: edges, ft: features), the
# corpus it grew and what it found.  A finding's input is kept beside the
# report's working files; it becomes a regression test and a seed.
#
# usage: run.sh BUILD_DIR REPORT
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
build=${1:?usage: run.sh BUILD_DIR REPORT}
report=${2:?usage: run.sh BUILD_DIR REPORT}
seconds=${FUZZ_USER_SECONDS:-600}
runs=${FUZZ_USER_RUNS:--1}
jobs=${FUZZ_USER_JOBS:-$(nproc)}
work=$build/fuzz-user
found=0

rm -rf "$work"
mkdir -p "$work" "$(dirname "$report")"
# A report of a leak or of undefined behaviour ends the run like a crash.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# "stat::number_of_executed_units: 123" and the like, from the final stats.
stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

{
	echo "# Userspace fuzzing: make fuzz-user"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), skbstat $(cat VERSION)," \
		"commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown);" \
		"$seconds s per target$([ "$runs" = -1 ] || echo ", at most $runs runs")," \
		"$jobs at once on $(nproc) CPUs, clang" \
		"$(clang --version | sed -n 's/.*clang version \([^ ]*\).*/\1/p'), ASan + UBSan."
	echo
	echo "| target | runs | cov | ft | corpus (files) | findings |"
	echo "| --- | ---: | ---: | ---: | ---: | --- |"
} >"$report.tmp"

# One target: its row of the report in $work/NAME.row, its findings counted
# by a "found" file beside it.
fuzz_one() {
	local t=$1 name=${1##*/fuzz_} corpus log rc done_line cov ft artifacts findings

	corpus=$work/corpus/$name
	log=$work/$name.log
	mkdir -p "$corpus"
	[ ! -d "user/fuzz/corpus/$name" ] || cp -r "user/fuzz/corpus/$name/." "$corpus/"
	echo "fuzz_$name: $seconds s"
	"$t" -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 \
		-artifact_prefix="$work/$name-" "$corpus" >"$log" 2>&1
	rc=$?
	done_line=$(grep -a '^#[0-9].*DONE\|^#[0-9]' "$log" | tail -n 1)
	cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	artifacts=$(ls "$work/$name-"* 2>/dev/null)
	if [ "$rc" -eq 0 ] && [ -z "$artifacts" ]; then
		findings=none
	else
		touch "$work/$name.found"
		findings="exit $rc: $(grep -a -m 1 -E 'ERROR|runtime error|SUMMARY' "$log" |
			tr '|' '/' | cut -c1-120); input: ${artifacts:-none}"
	fi
	echo "| fuzz_$name | $(stat number_of_executed_units "$log") | ${cov:-?} | ${ft:-?} |" \
		"$(ls "$corpus" | wc -l) | $findings |" >"$work/$name.row"
	echo "  $(cat "$work/$name.row")"
}

# FUZZ_USER_JOBS targets at once (default: one per CPU); each is one process.
targets=()
for t in "$build"/fuzz_*; do
	[ -x "$t" ] && [ "${t%.d}" = "$t" ] && targets+=("$t")
done
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	fuzz_one "$t" &
done
wait
for t in "${targets[@]}"; do
	name=${t##*/fuzz_}
	cat "$work/$name.row" >>"$report.tmp"
	[ ! -e "$work/$name.found" ] || found=$((found + 1))
done

{
	echo
	echo "cov and ft are libFuzzer's: edges and features covered at the end."
	echo "Each target's header comment (user/fuzz/fuzz_<target>.c) says what outside data it"
	echo "feeds; a finding's input is in $work."
} >>"$report.tmp"
mv "$report.tmp" "$report"
echo "wrote $report"
echo "fuzz-user: $(( $(grep -c '^| fuzz_' "$report") - found )) passed, $found failed"
[ "$found" -eq 0 ]
