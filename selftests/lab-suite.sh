#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The selftest suite, run as root on the kernel under test (in the lab VM
# for the module).  Runs every test binary, prints each one's output and
# ends with "suite: N passed, N failed", counted from the harness totals.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
bin=${SKBSTAT_TEST_BIN:-build/selftests}
tests=${SKBSTAT_TESTS:-$(cd "$bin" && ls -1 *_test)}
passed=0
failed=0

log=$(mktemp)
for t in $tests; do
	start=$SECONDS
	# Streamed as it comes: a slow kernel shows where a test is.
	"$bin/$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	echo "# $t: $((SECONDS - start)) s"
	totals=$(sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\).*/\1 \2/p' "$log")
	if [ -z "$totals" ]; then
		echo "# $t: exited $rc without a harness summary"
		failed=$((failed + 1))
		continue
	fi
	set -- $totals
	passed=$((passed + $1))
	failed=$((failed + $2))
	# A crash after the summary, or a non-zero exit with no failed test.
	if [ "$rc" -ne 0 ] && [ "$2" -eq 0 ]; then
		echo "# $t: exited $rc"
		failed=$((failed + 1))
	fi
done

# Leave the kernel as we found it: the module unloaded.
if [ -d /sys/module/skbstat ] && ! rmmod skbstat; then
	echo "# rmmod skbstat failed"
	failed=$((failed + 1))
fi
rm -f "$log"
echo "suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
