/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each hook counts, whatever the attach mode: the same keys and
 * values as the module (kmod/hook_*.c).  Everything is read with CO-RE
 * probe reads, which work on tp_btf, raw_tp and kprobe pointers alike.
 */
#ifndef _SKBSTAT_COUNT_BPF_H
#define _SKBSTAT_COUNT_BPF_H

#include "table.bpf.h"

#define AF_INET6	10	/* vmlinux.h has no macros */

/*
 * tp_btf arguments are typed pointers that the verifier lets a program
 * read directly: plain loads at CO-RE offsets instead of one
 * bpf_probe_read_kernel() call per field.  @direct is a constant in each
 * program, so the other branch is never compiled.
 */
#define READ_FIELD(direct, p, field) ((direct) ? (p)->field : BPF_CORE_READ(p, field))

static __always_inline __u32 net_inum_of(struct net *net, bool direct)
{
	return net ? READ_FIELD(direct, net, ns.inum) : 0;
}

static __always_inline __u32 net_inum(struct net *net)
{
	return net_inum_of(net, false);
}

/* Once per row and CPU: the first event a CPU counts into it. */
static __always_inline void note_dev_name(__u32 netns, struct net_device *dev)
{
	struct skbstat_dev_key key = { .netns = netns };
	struct skbstat_dev_name name = {};

	key.ifindex = BPF_CORE_READ(dev, ifindex);
	BPF_CORE_READ_STR_INTO(&name.name, dev, name);
	bpf_map_update_elem(&devnames, &key, &name, BPF_ANY);
}

static __always_inline void count_drop_read(struct sk_buff *skb, __u64 location, __u32 reason,
					    bool direct)
{
	static const struct skbstat_drop_val zero;
	struct skbstat_drop_key key = {};
	struct skbstat_drop_val *val;
	struct net_device *dev;
	struct sock *sk;
	__u32 len;

	len = READ_FIELD(direct, skb, len);
	key.location = location;
	key.reason = reason;
	key.proto = bpf_ntohs(READ_FIELD(direct, skb, protocol));
	/* The device's netns, else the socket's: where the packet was. */
	dev = READ_FIELD(direct, skb, dev);
	if (dev) {
		key.ifindex = READ_FIELD(direct, dev, ifindex);
		key.netns = net_inum_of(READ_FIELD(direct, dev, nd_net.net), direct);
	} else {
		sk = READ_FIELD(direct, skb, sk);
		if (sk)
			key.netns = net_inum_of(READ_FIELD(direct, sk, __sk_common.skc_net.net),
						direct);
	}

	val = table_hit(&drops, SKBSTAT_HOOK_DROPS, &key, &zero, len);
	if (!val)
		return;
	if (dev && !val->packets)
		note_dev_name(key.netns, dev);
	val->packets++;
	val->bytes += len;
}

static __always_inline void count_drop(struct sk_buff *skb, __u64 location, __u32 reason)
{
	count_drop_read(skb, location, reason, false);
}

/* tcp_skb_pcount(): the segments of a (GSO) skb, from TCP's control block. */
static __always_inline __u32 tcp_skb_pcount(const struct sk_buff *skb)
{
	const struct tcp_skb_cb *cb = (const void *)skb->cb;

	return BPF_CORE_READ(cb, tcp_gso_segs);
}

static __always_inline void flow_key(const struct sock *sk, struct skbstat_flow_key *key)
{
	const struct inet_sock *inet = (const void *)sk;

	key->netns = net_inum(BPF_CORE_READ(sk, __sk_common.skc_net.net));
	key->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	key->sport = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
	key->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (key->family == AF_INET6) {
		BPF_CORE_READ_INTO(&key->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&key->daddr, sk, __sk_common.skc_v6_daddr);
		return;
	}
	BPF_CORE_READ_INTO((__u32 *)key->saddr, sk, __sk_common.skc_rcv_saddr);
	BPF_CORE_READ_INTO((__u32 *)key->daddr, sk, __sk_common.skc_daddr);
}

static __always_inline void count_retransmit(const struct sock *sk, const struct sk_buff *skb)
{
	static const struct skbstat_flow_val zero;
	struct skbstat_flow_key key = {};
	struct skbstat_flow_val *val;
	__u32 len = BPF_CORE_READ(skb, len);
	__u64 now;

	flow_key(sk, &key);
	val = table_hit(&flows, SKBSTAT_HOOK_FLOWS, &key, &zero, len);
	if (!val)
		return;
	now = bpf_ktime_get_ns();
	val->retransmits += tcp_skb_pcount(skb);
	val->bytes += len;
	val->events++;
	if (!val->first_ns)
		val->first_ns = now;
	val->last_ns = now;
	val->state = BPF_CORE_READ(sk, __sk_common.skc_state);
}

/* Log2 buckets as the module's size_bucket(): ilog2(len), 0 below 2, capped. */
static __always_inline __u32 size_bucket(__u32 len)
{
	__u32 b = 0;

	if (len < 2)
		return 0;
	if (len >= 1U << (SKBSTAT_HIST_BUCKETS - 1))
		return SKBSTAT_HIST_BUCKETS - 1;
	if (len >= 1U << 8) {
		len >>= 8;
		b += 8;
	}
	if (len >= 1U << 4) {
		len >>= 4;
		b += 4;
	}
	if (len >= 1U << 2) {
		len >>= 2;
		b += 2;
	}
	if (len >= 1U << 1)
		b += 1;
	return b;
}

static __always_inline void count_queue_read(const struct sk_buff *skb, bool direct)
{
	static const struct skbstat_queue_val zero;
	struct skbstat_queue_key key = {};
	struct skbstat_queue_val *val;
	struct net_device *dev;
	__u32 len, b;

	dev = READ_FIELD(direct, skb, dev);
	if (!dev)
		return;		/* never on this tracepoint; keeps the reads safe */
	len = READ_FIELD(direct, skb, len);
	key.netns = net_inum_of(READ_FIELD(direct, dev, nd_net.net), direct);
	key.ifindex = READ_FIELD(direct, dev, ifindex);
	key.queue = READ_FIELD(direct, skb, queue_mapping);

	val = table_hit(&queues, SKBSTAT_HOOK_QUEUES, &key, &zero, len);
	if (!val)
		return;
	if (!val->packets)
		note_dev_name(key.netns, dev);
	val->packets++;
	val->bytes += len;
	b = size_bucket(len);
	/* The verifier needs the bound it cannot derive from size_bucket(). */
	barrier_var(b);
	if (b < SKBSTAT_HIST_BUCKETS)
		val->hist[b]++;
}

static __always_inline void count_queue(const struct sk_buff *skb)
{
	count_queue_read(skb, false);
}

#endif /* _SKBSTAT_COUNT_BPF_H */
