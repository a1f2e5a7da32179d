// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend: the same tables as the module, in BPF maps.  Per-CPU
 * hash maps hold the rows, a per-CPU array the per-hook totals; a map that
 * is full refuses new keys, which counts as table_full.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <linux/skbstat.h>
#include <skbstat/tables.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_DROP_ROWS);
	__type(key, struct skbstat_drop_key);
	__type(value, struct skbstat_drop_val);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SKBSTAT_HOOK_COUNT);
	__type(key, __u32);
	__type(value, struct skbstat_totals);
} totals SEC(".maps");

/* Returns this CPU's row for @key, creating it; NULL when the map is full. */
static __always_inline void *table_hit(void *map, const void *key, const void *zero,
				       __u32 hook, __u32 bytes)
{
	struct skbstat_totals *t = bpf_map_lookup_elem(&totals, &hook);
	void *row;

	if (!t)
		return NULL;
	t->events++;
	t->bytes += bytes;
	row = bpf_map_lookup_elem(map, key);
	if (row)
		return row;
	if (bpf_map_update_elem(map, key, zero, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(map, key)) {
		t->table_full++;
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

static __always_inline __u32 skb_netns(struct sk_buff *skb)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	return BPF_CORE_READ(skb, sk, __sk_common.skc_net.net, ns.inum);
}

static __always_inline void count_drop(struct sk_buff *skb, void *location, __u32 reason)
{
	static const struct skbstat_drop_val zero;
	struct skbstat_drop_key key = {};
	struct skbstat_drop_val *val;
	__u32 len = BPF_CORE_READ(skb, len);

	key.location = (__u64)location;
	key.reason = reason;
	key.ifindex = BPF_CORE_READ(skb, dev, ifindex);
	key.netns = skb_netns(skb);
	key.proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));

	val = table_hit(&drops, &key, &zero, SKBSTAT_HOOK_DROPS, len);
	if (!val)
		return;
	val->packets++;
	val->bytes += len;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(drops_tp_btf, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	count_drop(skb, location, reason);
	return 0;
}
