#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make asan, a stage of make check: the CLI's unit tests and this machine's
# BPF suite with the build of build/asan/ (ASan, UBSan, LeakSanitizer),
# then each fuzz target of build/fuzz/ briefly: its committed corpus (the
# inputs of past findings among them) replayed, and a fixed number of runs
# from a fixed seed.  Every sanitized process writes its reports to a file
# of its own in build/asan/reports/, so that a test that runs skbstat with
# its output thrown away cannot hide one: each report is a failure.
# Ends with "sanitizers: N passed, N failed".  Root, for the BPF suite.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
ASAN_B=$PWD/build/asan
FUZZ_B=$PWD/build/fuzz
# A target's share: seconds on a busy 2-core machine.
FUZZ_CHECK_RUNS=${FUZZ_CHECK_RUNS:-20000}
# http_request makes a TCP connection to a real server per run (about 50 a
# second): as many seconds with far fewer runs.
FUZZ_CHECK_RUNS_HTTP=${FUZZ_CHECK_RUNS_HTTP:-500}
reports=$ASAN_B/reports
passed=0
failed=0

rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"

# Adds a step's "N passed, N failed" to the totals (lib/tally.sh).
. selftests/lib/tally.sh
count() {
	tally "$@"
}

step() {
	local name=$1 log rc start=$SECONDS
	shift
	log=$(mktemp)
	echo "# $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count "$name" "$log" "$rc"
	echo "# $name: $((SECONDS - start)) s"
	rm -f "$log"
}

# The tests attach and detach: a BPF filesystem of their own, as in check.sh.
own_bpffs() {
	unshare -m --propagation private sh -c \
		'mount -t bpf -o mode=0700 bpf /sys/fs/bpf && exec "$@"' own_bpffs "$@"
}

# Each target on a scratch copy of its corpus: libFuzzer adds to the
# directory it is given, and the committed one stays as committed.
fuzz_targets() {
	local t name corpus runs scratch=$FUZZ_B/check-corpus ok=0 bad=0

	rm -rf "$scratch"
	for t in "$FUZZ_B"/fuzz_*; do
		[ -x "$t" ] && [ "${t%.d}" = "$t" ] || continue
		name=${t##*/fuzz_}
		corpus=user/fuzz/corpus/$name
		mkdir -p "$scratch/$name"
		[ ! -d "$corpus" ] || cp -r "$corpus/." "$scratch/$name/"
		runs=$FUZZ_CHECK_RUNS
		[ "$name" != http_request ] || runs=$FUZZ_CHECK_RUNS_HTTP
		if "$t" -seed=1 -runs="$runs" -artifact_prefix="$scratch/$name-" \
			"$scratch/$name" >"$scratch/$name.log" 2>&1; then
			echo "ok   fuzz_$name:" \
				"$(grep -a '^#.*DONE' "$scratch/$name.log" | tail -n 1)"
			ok=$((ok + 1))
		else
			echo "FAIL fuzz_$name:"
			tail -n 40 "$scratch/$name.log"
			bad=$((bad + 1))
		fi
	done
	echo "fuzz targets: $ok passed, $bad failed"
	[ "$bad" -eq 0 ]
}

step "unit tests (ASan, UBSan, LSan)" "$ASAN_B/user/skbstat-tests" \
	--binary "$ASAN_B/user/skbstat" --golden user/tests/golden --scratch "$ASAN_B/user/tests"
step "this machine's BPF suite (ASan, UBSan, LSan)" own_bpffs env SKBSTAT_BACKENDS=bpf \
	SKBSTAT="$ASAN_B/user/skbstat" SKBSTAT_TEST_BIN="$ASAN_B/selftests" selftests/lab-suite.sh
step "fuzz targets, $FUZZ_CHECK_RUNS runs each ($FUZZ_CHECK_RUNS_HTTP for http_request)" \
	fuzz_targets

# A report of a process whose exit nobody checked fails the stage too.
n=$(find "$reports" -type f | wc -l)
if [ "$n" -gt 0 ]; then
	echo "# sanitizer reports: $n"
	for f in "$reports"/*; do
		echo "## $f"
		head -n 60 "$f"
	done
	failed=$((failed + n))
else
	echo "# sanitizer reports: none"
	passed=$((passed + 1))
fi
echo "sanitizers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
