// SPDX-License-Identifier: GPL-2.0
/*
 * The lone lookup of the benchmark: on each tracepoint skbstat's BPF
 * backend uses (tp_btf), the floor's program plus one lookup of a constant
 * key in a hash map keyed and sized as the backend's table of that hook
 * (the first event inserts the row, every later one finds it and adds
 * one).  Above floor.bpf.o this is what a single hash map lookup costs
 * (the key's jhash, the bucket walk and the key compare): the part of a
 * BPF hook's cost that no program with a hash map can shed, whatever else
 * it does.  Lab use only; results/overhead-accounting.md uses it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "floor.bpf.h"
#include <skbstat/tables.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_DROP_ROWS);
	__type(key, struct skbstat_drop_key);
	__type(value, __u64);
} drop_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_QUEUE_ROWS);
	__type(key, struct skbstat_queue_key);
	__type(value, __u64);
} queue_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_FLOW_ROWS);
	__type(key, struct skbstat_flow_key);
	__type(value, __u64);
} flow_rows SEC(".maps");

static __always_inline void lookup(void *map, const void *key)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(map, key);

	if (n)
		(*n)++;
	else
		bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(lookup_drops_tp_btf)
{
	struct skbstat_drop_key key = { .location = 1, .netns_cookie = 1 };

	hit();
	lookup(&drop_rows, &key);
	return 0;
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(lookup_queues_tp_btf)
{
	struct skbstat_queue_key key = { .netns_cookie = 1, .ifindex = 1 };

	hit();
	lookup(&queue_rows, &key);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(lookup_flows_tp_btf)
{
	struct skbstat_flow_key key = { .netns_cookie = 1, .family = 2, .sport = 1 };

	hit();
	lookup(&flow_rows, &key);
	return 0;
}
