// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF floor of the benchmark: on each hook skbstat's BPF backend uses,
 * in each of its attach modes, a program that only increments one per-CPU
 * array slot.  What the backend costs above this is its own work.  The
 * bench loads the programs of one mode and attaches the kprobes itself,
 * to the function that the running kernel has.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "floor.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/kfree_skb")
int BPF_PROG(floor_drops_tp_btf)
{
	hit();
	return 0;
}

SEC("raw_tp/kfree_skb")
int floor_drops_raw_tp(void *ctx)
{
	hit();
	return 0;
}

SEC("kprobe")
int floor_drops_kprobe(struct pt_regs *ctx)
{
	hit();
	return 0;
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(floor_queues_tp_btf)
{
	hit();
	return 0;
}

SEC("raw_tp/net_dev_queue")
int floor_queues_raw_tp(void *ctx)
{
	hit();
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(floor_flows_tp_btf)
{
	hit();
	return 0;
}

SEC("raw_tp/tcp_retransmit_skb")
int floor_flows_raw_tp(void *ctx)
{
	hit();
	return 0;
}

/* The backend's kprobe mode for queues is an entry and a return probe. */
SEC("kprobe")
int floor_queues_kprobe(struct pt_regs *ctx)
{
	hit();
	return 0;
}

SEC("kretprobe")
int floor_queues_kretprobe(struct pt_regs *ctx)
{
	hit();
	return 0;
}
