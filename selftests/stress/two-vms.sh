#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# two-vms.sh CYCLES SUMMARY - make stress: run.sh's kinds in two debug lab
# VMs at once, the module's (kmod-load, kmod-mode) in one and BPF's (whose
# attach runs the verifier under KASAN, the longest kind) in the other, so a
# 2-core machine finishes in about half the time of one VM.  Each VM has its
# own flood, readers, exact count, kmemleak scan and log check; SUMMARY gets
# both reports.  Ends with "stress: N passed, N failed" over both.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
(($# == 2)) || { echo "usage: $0 CYCLES SUMMARY.md" >&2; exit 2; }
cycles=$1
summary=$(realpath -m "$2")
parts=$(mktemp -d "$(dirname "$summary")/.stress.XXXXXX") || exit 1
trap 'rm -rf "$parts"' EXIT

# One VM: its lines prefixed with its name, its result line in $parts.
vm() {
	local name=$1 phases=$2
	selftests/vm/run-vm.sh -k debug -t 21600 -o "$parts" -- \
		env SKBSTAT_STRESS_PHASES="$phases" \
		selftests/stress/run.sh "$cycles" "$parts/$name.md" 2>&1 |
		tee "$parts/$name.log" | sed -u "s/^/[$name] /"
}

vm kmod "kmod-load kmod-mode" &
vm bpf bpf
wait

passed=0
failed=0
for name in kmod bpf; do
	line=$(grep -E '^stress: [0-9]+ passed, [0-9]+ failed' "$parts/$name.log" | tail -n 1)
	if [[ -z $line ]]; then
		echo "stress ($name VM): no result line"
		failed=$((failed + 1))
		continue
	fi
	set -- $(sed -E 's/^stress: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$line")
	passed=$((passed + $1))
	failed=$((failed + $2))
done

{
	echo "# skbstat lifecycle stress"
	echo
	echo "$cycles cycles of each kind, in two debug lab VMs at once" \
	     "(selftests/stress/two-vms.sh): **$passed passed, $failed failed**."
	echo
	echo "$(date -u '+%Y-%m-%d'), commit $(git rev-parse --short HEAD 2>/dev/null ||
		echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' with changes'),"
	echo "$(nproc) CPUs; each VM's wall time is below."
	for name in kmod bpf; do
		echo
		if [[ -s $parts/$name.md ]]; then
			sed -e 's/^## /### /' \
			    -e "s/^# skbstat lifecycle stress/## The $name VM/" "$parts/$name.md"
		else
			echo "## The $name VM"
			echo
			echo "No report: the VM did not finish (see make stress's output)."
		fi
	done
} >"$summary"
echo "summary: $summary"
echo "stress: $passed passed, $failed failed"
((failed == 0))
