#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A quick run of the benchmark's pieces in the lab VM, for make check: the
# trigger with nothing attached and under the module and the BPF backend,
# a small dump, the module's memory.  Checks that they work, not what they measure; the numbers
# mean nothing without -icount.  Ends with "N passed, N failed".
# usage (in the VM): smoke.sh BENCH_BUILD_DIR KVER
set -uo pipefail

bench_b=$1 kver=$2
out=$(mktemp -d /run/skbstat-smoke.XXXXXX)
if "$(dirname "${BASH_SOURCE[0]}")/guest.sh" "$bench_b" "$kver" "$out/smoke.json" \
	--configs baseline,kmod-tracepoint,bpf-tp_btf --events 2000 --rounds 1 --keys 10 --flow-keys 10 \
	--dump-rows 100 --settle 0 &&
   jq -e '(.overhead | length) == 15 and (.dumps | length) == 2 and
	  all(.dumps[]; .rows >= 100 and .scrape_bytes > 0 and .gzip_bytes > 0)' "$out/smoke.json" >/dev/null &&
   jq -se 'length == 6 and all(.[]; .bytes > .per_cpu_bytes and .per_cpu_bytes > 0)' \
	"$out/smoke.json.memory" >/dev/null; then
	echo "bench smoke: 1 passed, 0 failed"
	exit 0
fi
echo "bench smoke: 0 passed, 1 failed"
exit 1
