#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab-matrix.sh NAME... - skbstat on lab kernels other than the host's own
# 6.1 (make check's lab VM stages cover that; the Makefile's LAB_KERNELS
# lists the others): for each NAME, the kernel from lab-kernels.sh's cache
# (fetched the first time), skbstat.ko built against its headers with
# -Werror, and in its VM the truth tests of the three hooks (drops, flows,
# queues) and netlink's for the module in both attach modes and for BPF in
# all three (tp_btf, raw_tp, kprobe), and the differential test of the two
# backends' default modes; on a kernel without
# drop reasons, which drops_test and netlink_test key on,
# selftests/no-reasons-smoke.sh and the module's flows and queues tests.
# Ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LAB=$HERE/lab-kernels.sh
TESTS="drops_test flows_test queues_test netlink_test differential_test"
passed=0
failed=0
TIMES=()

. "$REPO/selftests/lib/tally.sh"

# A kernel not fetched yet is fetched; one that is stays as it is, so that
# a new upload to sid does not change what a check runs.
ensure_kernel() {	# NAME
	"$LAB" info "$1" >/dev/null 2>&1 || "$LAB" fetch "$1"
}

build_module() {	# NAME
	local KVER HEADERS KBUILD_MAKE_ARGS
	# shellcheck source=/dev/null
	. <("$LAB" info "$1") || return 1
	# shellcheck disable=SC2086
	make -C "$REPO" --no-print-directory -s kmod KVER="$KVER" KDIR="$HEADERS" \
		$KBUILD_MAKE_ARGS
}

# Whether the kernel has drop reasons, which drops_test and netlink_test
# key their checks on: its headers declare enum skb_drop_reason (5.10's do
# not).  Debian's per-flavour headers include the common ones' Makefile.
has_drop_reasons() {	# NAME
	local HEADERS common
	# shellcheck source=/dev/null
	. <("$LAB" info "$1") || return 1
	common=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$HEADERS/Makefile")
	grep -qs 'enum skb_drop_reason {' "${common:-$HEADERS}"/include/linux/skbuff.h \
		"${common:-$HEADERS}"/include/net/dropreason*.h
}

# One VM run, tallied on its own.
vm_step() {	# NAME WHAT CMD...
	local name=$1 what=$2 log rc
	shift 2
	log=$(mktemp)
	(cd "$REPO" && "$HERE/run-vm.sh" -t 1800 -k "$name" -- "$@") 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	TALLY_MARK="==" tally "lab kernel $name, $what" "$log" "$rc" &&
		echo "== lab kernel $name, $what: $TALLY_LAST"
	rm -f "$log"
}

run_one() {	# NAME
	local name=$1
	echo "== lab kernel $name"
	if ! { ensure_kernel "$name" && build_module "$name"; }; then
		echo "== lab kernel $name: 0 passed, 1 failed (no kernel or no module)"
		failed=$((failed + 1))
		return
	fi
	if ! has_drop_reasons "$name"; then
		# The suites that key on reason names cannot run: a smoke test of
		# drops without them, and the other hooks' truth tests.
		vm_step "$name" "drops without reasons" selftests/no-reasons-smoke.sh
		vm_step "$name" "flows, queues" env SKBSTAT_BACKENDS=kmod \
			SKBSTAT_TESTS="flows_test queues_test" selftests/lab-suite.sh
		return
	fi
	vm_step "$name" "suites" env SKBSTAT_BACKENDS="kmod bpf" SKBSTAT_TESTS="$TESTS" \
		selftests/lab-suite.sh
}

(($#)) || { echo "usage: $0 NAME... (make lab-matrix: all of them)" >&2; exit 2; }
for name in "$@"; do
	start=$SECONDS
	run_one "$name"
	TIMES+=("$(printf '%6d s  lab kernel %s' $((SECONDS - start)) "$name")")
done
printf '%s\n' "${TIMES[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
