# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that run suites and add up their results
# (check.sh, debug-suite.sh, sanitizers.sh).
#
# tally NAME LOG RC: adds the last "N passed, N failed" of LOG to $passed
# and $failed, and puts it in $TALLY_LAST.  No such line, or a failed exit
# status RC with no failure counted, is one failure more.  Its messages
# start with $TALLY_MARK ("#" unless set).
tally() {
	local name=$1 log=$2 rc=$3 line mark=${TALLY_MARK:-#}

	line=$(tr -d '\r' <"$log" | grep -aE '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$mark $name: exit $rc, no result line"
		failed=$((failed + 1))
		return 1
	fi
	set -- $(echo "$line" | sed -E 's/.*\b([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')
	passed=$((passed + $1))
	failed=$((failed + $2))
	TALLY_LAST="$1 passed, $2 failed"
	if [ "$rc" -ne 0 ] && [ "$2" -eq 0 ]; then
		echo "$mark $name: exit $rc"
		failed=$((failed + 1))
	fi
	return 0
}
