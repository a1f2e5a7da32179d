#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The memory half of 'make bench': each table's kernel memory, as
# 'skbstat -j status' reports it, per backend, at the default limits and at
# the largest (LARGEST rows in every table: attach's most; the module takes
# up to 16 times more, and its memory grows with the rows).
#
#   memory.sh kmod SKBSTAT.KO OUT.jsonl   the module (in the lab VM: it loads it)
#   memory.sh bpf OUT.jsonl               BPF on this kernel (in a private bpffs)
#   memory.sh report IN.jsonl             the section of results/bench.md
#
# Each line of OUT.jsonl: {backend, limits, table, bytes, per_cpu_bytes,
# possible_cpus}.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SKBSTAT=${SKBSTAT:-$REPO/build/user/skbstat}
LARGEST=1048576
# Room for the largest limits, which the default cap (a 32nd of the RAM) refuses.
CAP_MIB=65536

# status_rows BACKEND LIMITS: this backend's memory rows, one JSON object a line.
status_rows() {
	"$SKBSTAT" -b "$1" -j status |
		jq -c --arg b "$1" --arg l "$2" '.memory[] | {backend: $b, limits: $l} + .'
}

kmod() {
	local ko=$1 out=$2 rows=$LARGEST
	rmmod skbstat 2>/dev/null || true
	insmod "$ko"
	status_rows kmod default >>"$out"
	rmmod skbstat
	insmod "$ko" drop_rows=$rows flow_rows=$rows queue_rows=$rows max_memory_mib=$CAP_MIB
	status_rows kmod largest >>"$out"
	rmmod skbstat
}

bpf_in_own_bpffs() {
	local out=$1 rows=$LARGEST
	"$SKBSTAT" -b bpf detach
	"$SKBSTAT" -b bpf attach
	status_rows bpf default >>"$out"
	"$SKBSTAT" -b bpf detach
	"$SKBSTAT" -b bpf attach --drop-rows $rows --flow-rows $rows --queue-rows $rows \
		--max-memory-mib $CAP_MIB
	status_rows bpf largest >>"$out"
	"$SKBSTAT" -b bpf detach
}

bpf() {
	unshare --mount --propagation private sh -c \
		'mount -t bpf -o mode=0700 bpf /sys/fs/bpf && exec "$@"' sh \
		"${BASH_SOURCE[0]}" bpf-in-own-bpffs "$1"
}

report() {
	jq -rs --argjson largest "$LARGEST" '
		def kib: . / 1024 | if . < 1 then . * 100 | round / 100 else . * 10 | round / 10 end;
		def mib: . / 1048576 | . * 100 | round / 100;
		def sum(f): map(f) | add;
		"## Kernel memory of the tables",
		"",
		"Each table'"'"'s memory as `skbstat -j status` reports it: the module, what its",
		"allocations took (a part of up to a page its kmalloc cache, a larger part its pages;",
		"the flows table keeps one copy of its rows for all CPUs, its totals per CPU);",
		"BPF, its maps as the kernel accounts them (fdinfo memlock since 6.5; two generations",
		"of every table, the bases, and *other*: the maps of no one table).  *Per possible",
		"CPU* is the copy each possible CPU has (BPF'"'"'s flow rows: one copy for all CPUs);",
		"*all* adds the shared part for the possible CPUs of that machine (the module: the lab",
		"VM; BPF: this machine).  Largest:",
		"\($largest) rows in every table (attach'"'"'s most; the module takes up to 16 times more).",
		"",
		"| backend | limits | table | per possible CPU (KiB) | all (MiB) | possible CPUs |",
		"|---|---|---|---:|---:|---:|",
		(group_by(.backend + .limits)[] as $g
		 | ($g[] | "| \(.backend) | \(.limits) | \(.table) | \(.per_cpu_bytes | kib) | \(.bytes | mib) | \(.possible_cpus) |"),
		   "| \($g[0].backend) | \($g[0].limits) | **total** | **\($g | sum(.per_cpu_bytes) | kib)** | **\($g | sum(.bytes) | mib)** | \($g[0].possible_cpus) |")
	' "$1"
}

case ${1:-} in
kmod) kmod "$2" "$3" ;;
bpf) bpf "$2" ;;
bpf-in-own-bpffs) bpf_in_own_bpffs "$2" ;;
report) report "$2" ;;
*)
	echo "usage: memory.sh kmod SKBSTAT.KO OUT | bpf OUT | report IN" >&2
	exit 2
	;;
esac
