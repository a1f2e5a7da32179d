#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab VM's half of 'make bench': a dummy device for the queues
# workload, drop_monitor, the trigger module, then skbstat-bench with
# every configuration.  Run by bench.sh through run-vm.sh --icount.
# usage: guest.sh BENCH_BUILD_DIR KVER OUT.json [skbstat-bench options...]
set -euo pipefail

bench_b=$1 kver=$2 out=$3
shift 3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

modprobe dummy numdummies=0
ip link add skbbench0 type dummy
ip link set skbbench0 up
modprobe drop_monitor
insmod "$bench_b/$kver/skbstat_bench_trigger.ko" xmit_dev=skbbench0

"$bench_b/skbstat-bench" -j \
	--module "$repo/build/kmod/$kver/skbstat.ko" \
	--floor-module "$bench_b/$kver/skbstat_bench_floor.ko" \
	--bench-bpf "$bench_b" "$@" >"$out.tmp"
mv "$out.tmp" "$out"
rmmod skbstat_bench_trigger
# The module's memory at the default and the largest limits.
"$repo/selftests/bench/memory.sh" kmod "$repo/build/kmod/$kver/skbstat.ko" "$out.memory"
