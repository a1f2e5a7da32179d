#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh COUNT [SUMMARY] - load the module, fuzz its generic-netlink family
# with COUNT messages (traffic and resets running), check it still answers
# and counts, unload it, and check the kernel log.  Root, on the kernel
# under test (the lab VM).  Ends with "fuzz: N passed, N failed".
#
# Environment: SKBSTAT_KO (default build/kmod/$(uname -r)/skbstat.ko),
# SKBSTAT_FUZZ (default build/selftests/fuzz/skbstat-fuzz), SKBSTAT_FUZZ_SEED.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
count=${1:?usage: run.sh COUNT [SUMMARY]}
summary=${2:-}
ko=${SKBSTAT_KO:-build/kmod/$(uname -r)/skbstat.ko}
fuzz=${SKBSTAT_FUZZ:-build/selftests/fuzz/skbstat-fuzz}
failed=0

fail() {
	echo "fuzz: $*"
	failed=1
}

# The fuzzer's summary, or a file of our own that is then thrown away.
out=${summary:-$(mktemp)}
if [ -n "$summary" ]; then
	mkdir -p "$(dirname "$summary")"
fi

[ -x "$fuzz" ] || { echo "fuzz: no $fuzz (build it first)"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
[ -f "$ko" ] || { echo "fuzz: no $ko (build it first)"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

# The kernel log is checked from here on only.
log_start=$(dmesg | wc -l)
if [ -d /sys/module/skbstat ]; then
	rmmod skbstat || fail "rmmod of a module loaded before the run failed"
fi
if ! insmod "$ko"; then
	echo "fuzz: insmod $ko failed"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi

args=(--count "$count" --summary "$out")
[ -n "${SKBSTAT_FUZZ_SEED:-}" ] && args+=(--seed "$SKBSTAT_FUZZ_SEED")
start=$SECONDS
"$fuzz" "${args[@]}"
rc=$?
echo "fuzz: skbstat-fuzz exited $rc after $((SECONDS - start)) s"
[ "$rc" -eq 0 ] || fail "skbstat-fuzz reported a failure (exit $rc)"

rmmod skbstat || fail "rmmod skbstat failed after the run"

bad=$(dmesg | tail -n +"$((log_start + 1))" | bash selftests/vm/check-kernel-log.sh)
log_rc=$?
{
	echo
	echo "## Kernel log"
	echo
	if [ "$log_rc" -eq 0 ]; then
		echo "- ok: no WARNING, BUG, Oops, KASAN, UBSAN or lockdep report since the module was loaded"
	else
		echo "- FAILED: the kernel log shows problems:"
		echo
		echo '```'
		printf '%s\n' "$bad"
		echo '```'
	fi
	echo "- module unloaded: $([ -d /sys/module/skbstat ] && echo no || echo yes)"
} >>"$out"
if [ "$log_rc" -ne 0 ]; then
	fail "the kernel log shows problems:"
	printf '%s\n' "$bad"
	dmesg | tail -n +"$((log_start + 1))" | tail -n 200
fi

if [ -n "$summary" ]; then
	echo "fuzz: summary in $summary"
else
	cat "$out"
	rm -f "$out"
fi
echo "fuzz: $((1 - failed)) passed, $failed failed"
exit "$failed"
