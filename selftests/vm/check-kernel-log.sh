#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kernel-log.sh - scan a kernel log (dmesg text) on stdin for signs
# that the kernel is unhappy: warnings, BUGs, oopses, lockdep splats, hung
# tasks, RCU stalls, sanitizer reports.
#
# Exit 0 when clean, 1 when bad (offending lines are printed on stdout).
# Kept separate from guest-init.sh so the patterns can be tested on fake logs.

set -euo pipefail

# One ERE per line.  Anchored on the exact wording the kernel uses so that
# harmless boot chatter ("x86/bugs", "MDS CPU bug present") does not match.
bad_patterns() {
	cat <<'PAT'
WARNING:
BUG:
kernel BUG at
Oops
lockdep is turned off
DEBUG_LOCKS_WARN_ON
possible recursive locking
possible circular locking
INFO: task .* blocked
general protection
rcu_sched self-detected stall
rcu_preempt self-detected stall
rcu: INFO
INFO: rcu_
UBSAN:
refcount_t:
list_(add|del) corruption
Kernel panic
suspected memory leaks
unreferenced object
ODEBUG:
PAT
}

main() {
	local pat rc=0
	pat=$(bad_patterns | paste -sd "|")
	# grep: 0 = something matched (bad), 1 = nothing matched (good).
	grep -E -- "$pat" || rc=$?
	case $rc in
	0) return 1 ;;
	1) return 0 ;;
	*) echo "check-kernel-log: grep failed ($rc)" >&2; return 2 ;;
	esac
}

main "$@"
