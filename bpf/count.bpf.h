/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each hook counts, whatever the attach mode: the same keys and
 * values as the module (kmod/hook_*.c).  raw_tp and kprobe programs read
 * with CO-RE probe reads; tp_btf programs read the same fields, and follow
 * the same pointers under the same checks, with plain loads (READ_FIELD).
 */
#ifndef _SKBSTAT_COUNT_BPF_H
#define _SKBSTAT_COUNT_BPF_H

#include "errno.bpf.h"
#include "table.bpf.h"
#include "devices.bpf.h"

#define AF_INET6	10	/* vmlinux.h has no macros */

/*
 * tp_btf arguments are typed pointers that the verifier lets a program
 * read directly: plain loads at CO-RE offsets instead of one
 * bpf_probe_read_kernel() call per field.  @direct is a constant in each
 * program, so the other branch is never compiled.
 */
#define READ_FIELD(direct, p, field) ((direct) ? (p)->field : BPF_CORE_READ(p, field))
#define READ_BITFIELD(direct, p, field) \
	((direct) ? BPF_CORE_READ_BITFIELD(p, field) : BPF_CORE_READ_BITFIELD_PROBED(p, field))

/*
 * A row's netns: its cookie, which the kernel never gives to another netns,
 * tells whose row it is; its inode, which the kernel hands to the next
 * netns it makes once this one is gone, is only displayed.  Both are read
 * from the same struct net, and nothing behind it is followed.  The cookie
 * is a u64 set when the netns is made in 6.1 and later kernels; where
 * struct net has no such field (or one of another type, which the check
 * refuses too), rows keep cookie 0.  False, with neither read, when the
 * netns is being torn down: the event belongs in the netns gone row.
 */
static __always_inline bool net_ids_of(struct net *net, bool direct, __u32 *inum,
				       __u64 *cookie)
{
	if (!net)
		return true;
	if (!net_alive_of(net, direct))
		return false;
	*inum = READ_FIELD(direct, net, ns.inum);
	if (bpf_core_field_exists(struct net, net_cookie))
		*cookie = READ_FIELD(direct, net, net_cookie);
	return true;
}

static __always_inline bool net_ids(struct net *net, __u32 *inum, __u64 *cookie)
{
	return net_ids_of(net, false, inum, cookie);
}

/*
 * Once per row and CPU: the first event a CPU counts into it.  By cookie:
 * the same ifindex in a netns that reuses a dead one's inode is another
 * device.
 */
static __always_inline void note_dev_name(__u64 netns_cookie, struct net_device *dev)
{
	struct skbstat_dev_key key = {};
	struct skbstat_dev_name name = {};

	key.netns_cookie = netns_cookie;
	key.ifindex = BPF_CORE_READ(dev, ifindex);
	BPF_CORE_READ_STR_INTO(&name.name, dev, name);
	bpf_map_update_elem(&devnames, &key, &name, BPF_ANY);
}

/* Kernels before 6.9 keep a fragment's offset in the word of skb->sk. */
struct sk_buff___defrag {
	int ip_defrag_offset;
} __attribute__((preserve_access_index));

static __always_inline bool skb_sk_shares_defrag_offset(void)
{
	return bpf_core_field_exists(struct sk_buff___defrag, ip_defrag_offset) &&
	       bpf_core_field_offset(struct sk_buff___defrag, ip_defrag_offset) ==
	       bpf_core_field_offset(struct sk_buff, sk);
}

/*
 * The socket that places a dropped packet, as the module's skb_owner():
 * rx_sk, else skb->sk, which is NULL or a socket the skb keeps alive; where
 * skb->sk shares its word with ip_defrag_offset only a kernel address (the
 * upper half, x86-64 and arm64 alike) is a socket.  With @direct (tp_btf)
 * the words are BTF pointers, read with plain loads as probe reads would
 * read them: a load that faults reads 0.  The checks are the same in both
 * modes: a word that is not a socket is never followed.
 */
#define SKBSTAT_TCP_TIME_WAIT		6	/* vmlinux.h has no macros */
#define SKBSTAT_TCP_NEW_SYN_RECV	12

/*
 * A kernel socket (a full socket holding no reference on its netns) does
 * not place a packet: the ICMP and TCP control sockets are per CPU and
 * shared by every netns, switched to each sender's for one send.  Both
 * fields are in sock_common, which every kind of socket has.
 */
static __always_inline bool kernel_socket(const struct sock *sk, bool direct)
{
	const struct sock_common *common = &sk->__sk_common;
	__u8 state = READ_FIELD(direct, sk, __sk_common.skc_state);

	if (state == SKBSTAT_TCP_TIME_WAIT || state == SKBSTAT_TCP_NEW_SYN_RECV)
		return false;
	return !READ_BITFIELD(direct, common, skc_net_refcnt);
}

static __always_inline struct sock *skb_owner(struct sk_buff *skb, struct sock *rx_sk,
					      bool direct)
{
	struct sock *sk = rx_sk;

	if (!sk)
		sk = READ_FIELD(direct, skb, sk);
	if (skb_sk_shares_defrag_offset() && (__s64)(__u64)sk >= 0)
		return NULL;
	if (sk && kernel_socket(sk, direct))
		return NULL;
	return sk;
}

/*
 * What this hook may follow.  The tracepoint (and the kprobe on the function
 * that fires it) guarantees the skb itself: its scalar fields are the
 * packet's.  Its pointer words are not all what their names say:
 *
 *  - skb->dev shares its word with UDP's dev_scratch while a datagram waits
 *    in a socket queue, and with skb->rbnode while an skb sits in an rbtree
 *    (TCP's out-of-order queue, netem, IP defragmentation); and an skb
 *    queued to a socket may keep the address of a device since gone.  So
 *    skb->dev is never followed: its value is looked up in the registry of
 *    registered devices (devices.bpf.h), and followed (for ifindex, netns
 *    and name) only when it is there.
 *  - skb->sk is NULL or a socket that the skb keeps alive until its
 *    destructor runs, after the tracepoint.  Kernels that share the word with
 *    ip_defrag_offset (a fragment in a reassembly queue) store a small
 *    integer there: only a kernel address is a socket.
 *  - rx_sk (6.11+) is the receiving socket or NULL, valid for the call.
 *  - A kernel socket's netns is never read (see kernel_socket()).
 *
 * Attribution, the module's (kmod/hook_drops.c): a registered device gives
 * device and netns; else a socket gives the netns, and skb_iif (the device
 * the packet came in on, in that same netns; 0 for locally made packets)
 * the device.  Else neither is known: on kernels before 6.11 that is a
 * datagram freed from a UDP socket's queue, whose skb holds neither device
 * nor socket.
 */
static __always_inline bool drop_place(struct sk_buff *skb, struct sock *rx_sk, bool direct,
				       struct skbstat_drop_key *key,
				       struct net_device **dev)
{
	struct sock *sk;

	/*
	 * A registered device: read live, as a move or rename changes it.
	 * The word is read as the BTF pointer skb->dev with @direct, and
	 * followed only once the registry holds its value.
	 */
	*dev = device_find(READ_FIELD(direct, skb, dev));
	if (*dev) {
		key->ifindex = READ_FIELD(direct, *dev, ifindex);
		if (!net_ids_of(READ_FIELD(direct, *dev, nd_net.net), direct, &key->netns,
				&key->netns_cookie))
			goto gone;
		return true;
	}
	sk = skb_owner(skb, rx_sk, direct);
	if (sk) {
		if (!net_ids_of(READ_FIELD(direct, sk, __sk_common.skc_net.net), direct,
				&key->netns, &key->netns_cookie))
			goto gone;
		key->ifindex = READ_FIELD(direct, skb, skb_iif);
	}
	return false;

gone:
	/* The netns gone row's key: all zeros, as the module's. */
	__builtin_memset(key, 0, sizeof(*key));
	*dev = NULL;
	return false;
}

static __always_inline void count_drop_read(struct sk_buff *skb, __u64 location, __u32 reason,
					    struct sock *rx_sk, bool direct)
{
	struct skbstat_drop_key key = {};
	struct skbstat_drop_val *val;
	struct net_device *dev;
	bool known;
	__u32 len;

	len = READ_FIELD(direct, skb, len);
	key.location = location;
	key.reason = reason;
	key.proto = bpf_ntohs(READ_FIELD(direct, skb, protocol));
	known = drop_place(skb, rx_sk, direct, &key, &dev);

	val = table_hit(SKBSTAT_HOOK_DROPS, &key, len, key.netns_cookie);
	if (!val)
		return;
	if (known && !val->packets)
		note_dev_name(key.netns_cookie, dev);
	val->packets++;
	val->bytes += len;
}

static __always_inline void count_drop(struct sk_buff *skb, __u64 location, __u32 reason,
				       struct sock *rx_sk)
{
	count_drop_read(skb, location, reason, rx_sk, false);
}

/*
 * tcp_skb_pcount(): the segments of a (GSO) skb, from TCP's control block.
 * The verifier lets a tp_btf program read skb->cb[] directly at any offset.
 */
static __always_inline __u32 tcp_skb_pcount(const struct sk_buff *skb, bool direct)
{
	const struct tcp_skb_cb *cb = (const void *)skb->cb;

	return READ_FIELD(direct, cb, tcp_gso_segs);
}

/*
 * inet_sport, in inet_sock beyond struct sock: the verifier checks a tp_btf
 * program's plain loads against the type it knows the pointer to have,
 * struct sock here, and bpf_skc_to_tcp_sock() is the checked way to the
 * rest (the socket of a retransmit is a full TCP socket).
 */
static __always_inline __u16 flow_sport(const struct sock *sk, bool direct)
{
	const struct inet_sock *inet = (const void *)sk;
	struct tcp_sock *tp;

	if (direct) {
		tp = bpf_skc_to_tcp_sock((void *)sk);
		if (tp)
			return tp->inet_conn.icsk_inet.inet_sport;
	}
	return BPF_CORE_READ(inet, inet_sport);
}

static __always_inline void flow_key(const struct sock *sk, bool direct,
				     struct skbstat_flow_key *key)
{
	/* A netns being torn down: the netns gone row, whose key is all zeros. */
	if (!net_ids_of(READ_FIELD(direct, sk, __sk_common.skc_net.net), direct, &key->netns,
			&key->netns_cookie))
		return;
	key->family = READ_FIELD(direct, sk, __sk_common.skc_family);
	key->sport = bpf_ntohs(flow_sport(sk, direct));
	key->dport = bpf_ntohs(READ_FIELD(direct, sk, __sk_common.skc_dport));
	/* Addresses side by side: source, then destination (include/skbstat/tables.h). */
	if (key->family == AF_INET6) {
		if (direct) {
			__builtin_memcpy(key->addr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
			__builtin_memcpy(key->addr + 16, &sk->__sk_common.skc_v6_daddr, 16);
			return;
		}
		BPF_CORE_READ_INTO((struct in6_addr *)key->addr, sk,
				   __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)(key->addr + 16), sk,
				   __sk_common.skc_v6_daddr);
		return;
	}
	if (direct) {
		__builtin_memcpy(key->addr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(key->addr + 4, &sk->__sk_common.skc_daddr, 4);
		return;
	}
	BPF_CORE_READ_INTO((__u32 *)key->addr, sk, __sk_common.skc_rcv_saddr);
	BPF_CORE_READ_INTO((__u32 *)(key->addr + 4), sk, __sk_common.skc_daddr);
}

/*
 * @err is what __tcp_retransmit_skb() returned.  The kernel (6.1 to 7.2)
 * adds tcp_skb_pcount() of the skb, as it stands at the return, to
 * TcpRetransSegs once it transmits, and to TCPRetransFail too when that
 * transmit fails (a netfilter drop's -EPERM, a qdisc's NET_XMIT_DROP, no
 * route), unless with -EBUSY.  Its early exits (-EBUSY: the last copy is
 * still in a device queue; -ENOMEM, -EAGAIN, -EHOSTUNREACH, -EINVAL) count
 * in neither and share error values with the transmit's, so no probe tells
 * them apart.  Hence: 0 counts in retransmits, -EBUSY (a deferral) nowhere,
 * any other error in failed, which equals TCPRetransFail unless an early
 * exit but -EBUSY happened (then failed is the larger).  The skb of a failed
 * attempt stays queued; its bytes were not sent and are not counted.
 */
/*
 * The flow's row is shared by all CPUs (maps.bpf.h): a new row is inserted
 * with this event in it, else the event's counts are added with atomic
 * adds, whose results are not used (the form 5.10's verifier knows, one
 * locked add on x86-64): exact however many CPUs retransmit into the same
 * row.  The time and state of the last retransmit are plain stores of
 * whole words; one socket's retransmits are serialized by its lock, so
 * they are in order for a flow, and of two sockets of one row (the netns
 * gone row) the last to store wins.
 */
static __always_inline void count_retransmit(const struct sock *sk, const struct sk_buff *skb,
					     bool direct, int err)
{
	struct skbstat_flow_key key = {};
	struct skbstat_flow_val *val;
	__u32 len = err ? 0 : READ_FIELD(direct, skb, len);
	struct table_walk w;
	__u32 segs, state;
	__u64 now;

	if (err == -EBUSY)
		return;
	flow_key(sk, direct, &key);
	now = bpf_ktime_get_ns();
	segs = tcp_skb_pcount(skb, direct);
	state = READ_FIELD(direct, sk, __sk_common.skc_state);
	/* An IPv4 flow is decided by its first four words: a lookup of its own. */
	if (key.family == SKBSTAT_FAMILY_INET)
		val = shared_row_find(SKBSTAT_HOOK_FLOWS, &key, SKBSTAT_FLOW_KEY_IN_SIZE / 8, &w);
	else
		val = shared_row_find(SKBSTAT_HOOK_FLOWS, &key, sizeof(key) / 8, &w);
	if (!val) {
		struct skbstat_flow_val first = {
			.retransmits = err ? 0 : segs,
			.failed = err ? segs : 0,
			.bytes = len,
			.events = 1,
			.first_ns = now,
			.last_ns = now,
			.state = state,
		};

		val = shared_row_insert(SKBSTAT_HOOK_FLOWS, &key, &w, &first, sizeof(first), len,
					key.netns_cookie);
		if (!val)
			return;
	}
	if (err)
		__sync_fetch_and_add(&val->failed, segs);
	else
		__sync_fetch_and_add(&val->retransmits, segs);
	if (len)
		__sync_fetch_and_add(&val->bytes, len);
	__sync_fetch_and_add(&val->events, 1);
	val->last_ns = now;
	val->state = state;
}

/*
 * ilog2() of a byte, 0 for 0 and 1, from a table in .rodata: one load
 * where a binary search takes some thirty instructions on every packet.
 * Entry n is the bit length of n less one.
 */
#define LOG2_RUN2(n)	n, n
#define LOG2_RUN4(n)	LOG2_RUN2(n), LOG2_RUN2(n)
#define LOG2_RUN8(n)	LOG2_RUN4(n), LOG2_RUN4(n)
#define LOG2_RUN16(n)	LOG2_RUN8(n), LOG2_RUN8(n)
#define LOG2_RUN32(n)	LOG2_RUN16(n), LOG2_RUN16(n)
#define LOG2_RUN64(n)	LOG2_RUN32(n), LOG2_RUN32(n)
#define LOG2_RUN128(n)	LOG2_RUN64(n), LOG2_RUN64(n)

static const __u8 log2_byte[256] = {
	0, 0, LOG2_RUN2(1), LOG2_RUN4(2), LOG2_RUN8(3), LOG2_RUN16(4), LOG2_RUN32(5),
	LOG2_RUN64(6), LOG2_RUN128(7),
};

/* Log2 buckets as the module's size_bucket(): ilog2(len), 0 below 2, capped. */
static __always_inline __u32 size_bucket(__u32 len)
{
	_Static_assert(SKBSTAT_HIST_BUCKETS - 1 <= 16, "two bytes of length reach every bucket");

	if (len >= 1U << (SKBSTAT_HIST_BUCKETS - 1))
		return SKBSTAT_HIST_BUCKETS - 1;
	if (len >= 1U << 8)
		return 8 + log2_byte[(len >> 8) & 0xff];
	return log2_byte[len & 0xff];
}

static __always_inline void count_queue_read(const struct sk_buff *skb, bool direct)
{
	struct skbstat_queue_key key = {};
	struct skbstat_queue_val *val;
	struct net_device *dev;
	__u32 len, b;

	dev = READ_FIELD(direct, skb, dev);
	if (!dev)
		return;		/* never on this tracepoint; keeps the reads safe */
	len = READ_FIELD(direct, skb, len);
	/* A netns being torn down: the netns gone row, whose key is all zeros. */
	if (net_ids_of(READ_FIELD(direct, dev, nd_net.net), direct, &key.netns,
		       &key.netns_cookie)) {
		key.ifindex = READ_FIELD(direct, dev, ifindex);
		key.queue = READ_FIELD(direct, skb, queue_mapping);
	}

	val = table_hit(SKBSTAT_HOOK_QUEUES, &key, len, key.netns_cookie);
	if (!val)
		return;
	if (!val->packets && key.ifindex)
		note_dev_name(key.netns_cookie, dev);
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
