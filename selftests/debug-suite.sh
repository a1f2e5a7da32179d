#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What runs under the debug lab kernel (KASAN, lockdep, UBSAN, kmemleak,
# debug objects), in one boot because a boot costs about two minutes:
# the zoo of drop paths for both backends, the netlink fuzzer, lifecycle
# stress, and the counting suites.  run-vm.sh then fails the run on any
# report in the kernel log, kmemleak's final scan included.
# Ends with "debug suite: N passed, N failed".
#
# SKBSTAT_FUZZ_COUNT and SKBSTAT_STRESS_CYCLES size the fuzzer and stress,
# SKBSTAT_ZOO_PAIRS picks the zoo's pairs of attach modes (make check: the
# default modes of both backends, 100000 messages, 5 cycles of each kind, to
# fit its hour; make zoo-debug, make fuzz and make stress run everything).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
fuzz_count=${SKBSTAT_FUZZ_COUNT:-100000}
stress_cycles=${SKBSTAT_STRESS_CYCLES:-10}
passed=0
failed=0
. selftests/lib/tally.sh

# Each part starts from a kernel with no skbstat: stress insists on it.
clean_slate() {
	[ ! -d /sys/module/skbstat ] || rmmod skbstat 2>/dev/null
	build/user/skbstat -b bpf detach >/dev/null 2>&1
	return 0
}

# Adds the last "N passed, N failed" of a part's output to the totals.
part() {
	local name=$1 start=$SECONDS out rc line
	shift
	clean_slate
	echo "## $name"
	# Streamed as it comes: a long part shows where it is.
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	TALLY_MARK="##" tally "$name" "$out" "$rc"
	rm -f "$out"
	echo "## $name: $((SECONDS - start)) s"
}

# Arguments pick the parts (zoo, fuzz, stress), so that make check can run
# each in a VM of its own, two at once; none runs all three.
wanted() { [ $# -eq 0 ] || [[ " $* " == *" $part_name "* ]]; }
part_name=zoo; if wanted "$@"; then
	# config_test beside it: its failed-switch test needs this kernel's
	# fail_function.
	part "drop-path zoo" env SKBSTAT_TESTS="zoo_test config_test" selftests/lab-suite.sh
fi
part_name=fuzz; if wanted "$@"; then
	part "netlink fuzzer" selftests/fuzz/run.sh "$fuzz_count" \
		${SKBSTAT_FUZZ_SUMMARY:+"$SKBSTAT_FUZZ_SUMMARY"}
fi
part_name=stress; if wanted "$@"; then
	part "lifecycle stress" selftests/stress/run.sh "$stress_cycles" \
		${SKBSTAT_STRESS_SUMMARY:+"$SKBSTAT_STRESS_SUMMARY"}
fi

echo "debug suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
