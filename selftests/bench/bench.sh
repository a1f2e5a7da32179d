#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the overhead of every backend and attach mode per event,
#  1. in the lab VM under QEMU -icount (one vCPU; the guest clock counts
#     instructions), every configuration, with the trigger module;
#  2. on this machine's kernel in real time, the BPF backend against its
#     floor, with UDP that nftables drops in a network namespace;
#  3. each table's kernel memory, per backend, at the default and the
#     largest limits (memory.sh: the module's in the lab VM run, BPF's here);
# then results/bench.md, bench.json and the chart (bench.png, bench.svg).
#
# Environment: KVER (the lab kernel), BENCH_B (build/bench), and
#   SKBSTAT_BENCH_VM_ARGS / SKBSTAT_BENCH_HOST_ARGS  extra skbstat-bench options
#   SKBSTAT_BENCH_RESULTS                            where results go (results/)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
KVER=${KVER:?KVER must name the lab kernel}
BENCH_B=${BENCH_B:-$REPO/build/bench}
RESULTS=${SKBSTAT_BENCH_RESULTS:-$REPO/results}
SKBSTAT_BENCH=$BENCH_B/skbstat-bench
WORK=$BENCH_B/run
NETNS=skbstat-bench-$$

# Real time on a shared machine: many short rounds, so that the least
# disturbed run of each configuration is among them.
HOST_ARGS=(--events 20000 --rounds 15 --keys '' --settle 100 --dump-backends bpf)

log() { printf 'bench: %s\n' "$*" >&2; }

cleanup() {
	ip netns del "$NETNS" 2>/dev/null || true
}

run_vm() {
	local rc=0
	log "lab VM ($KVER, -icount): every configuration; log in $WORK/vm.log"
	# shellcheck disable=SC2086
	"$REPO/selftests/vm/run-vm.sh" --icount -k "$KVER" -o "$WORK" -t 1500 -- \
		"$HERE/guest.sh" "$BENCH_B" "$KVER" "$WORK/vm.json" \
		${SKBSTAT_BENCH_VM_ARGS:-} >"$WORK/vm.log" 2>&1 || rc=$?
	if ((rc)); then
		tail -n 40 "$WORK/vm.log" >&2
		log "the lab VM run failed ($rc)"
		return "$rc"
	fi
}

# The drop namespace: UDP to 127.0.0.1:9 dies in the output chain, so
# each datagram is one skb:kfree_skb (NETFILTER_DROP) and nothing else.
make_drop_netns() {
	ip netns add "$NETNS"
	ip -n "$NETNS" link set lo up
	ip netns exec "$NETNS" nft -f - <<-'NFT'
	table inet skbstat_bench {
		chain out {
			type filter hook output priority 0; policy accept;
			udp dport 9 drop
		}
	}
	NFT
}

run_host() {
	local configs=baseline,bpf-floor-tp_btf,bpf-tp_btf,bpf-floor-raw_tp,bpf-raw_tp
	if [[ ! -r /sys/kernel/btf/vmlinux ]]; then
		log "this kernel has no BTF: no real-time BPF numbers"
		return 0
	fi
	# Kernels without CONFIG_KPROBES (this machine's) have no kprobe PMU.
	[[ -d /sys/bus/event_source/devices/kprobe ]] &&
		configs+=,bpf-floor-kprobe,bpf-kprobe
	log "this machine ($(uname -r), real time): $configs"
	make_drop_netns
	# A private BPF filesystem: the dump's pins never meet anybody else's.
	# shellcheck disable=SC2086
	unshare --mount --propagation private sh -c \
		'mount -t bpf bpf /sys/fs/bpf && exec "$@"' sh \
		"$SKBSTAT_BENCH" -j --udp "$NETNS" --configs "$configs" \
		--bench-bpf "$BENCH_B" "${HOST_ARGS[@]}" \
		${SKBSTAT_BENCH_HOST_ARGS:-} >"$WORK/host.json.tmp" 2>"$WORK/host.log" || {
		tail -n 20 "$WORK/host.log" >&2
		return 1
	}
	mv "$WORK/host.json.tmp" "$WORK/host.json"
}

run_memory() {
	if [[ ! -r /sys/kernel/btf/vmlinux ]]; then
		log "this kernel has no BTF: no BPF memory figures"
		return 0
	fi
	log "this machine: the BPF tables' memory"
	"$HERE/memory.sh" bpf "$WORK/memory.jsonl"
}

main() {
	local start=$SECONDS
	trap cleanup EXIT
	mkdir -p "$WORK" "$RESULTS"
	rm -f "$WORK/vm.json" "$WORK/host.json" "$WORK/vm.json.memory" "$WORK/memory.jsonl"
	run_vm
	run_host
	cp "$WORK/vm.json.memory" "$WORK/memory.jsonl" 2>/dev/null || true
	run_memory
	log "report"
	"$HERE/report.sh" "$WORK/vm.json" "$WORK/host.json" "$RESULTS" "$KVER" \
		"$((SECONDS - start))" "$WORK/memory.jsonl"
	log "done in $((SECONDS - start)) s: $RESULTS/bench.md"
}

main "$@"
