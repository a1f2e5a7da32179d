// SPDX-License-Identifier: GPL-2.0
/*
 * tcp:tcp_retransmit_skb: one row per TCP flow that retransmits, counting
 * the segments of attempts that went out (TcpRetransSegs less
 * TCPRetransFail) and of failed ones (TCPRetransFail, plus the early exits
 * described below).
 */
#include <linux/jiffies.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "compat.h"
#include "hooks.h"
#include "kprobes.h"
#include "tracepoints.h"

/*
 * What this hook may follow: tcp_retransmit_skb fires from
 * __tcp_retransmit_skb() with sk a full TCP socket that the caller owns
 * (socket lock or the retransmit timer's bh_lock_sock) and skb an skb of
 * its write or retransmit queue, both valid for the call.  Only sk's own
 * fields (addresses, ports, state, netns) and skb's scalars are read;
 * skb->dev and skb->sk are not used.  A kernel socket (NFS, iSCSI) may
 * retransmit while its netns is dismantled: that counts in the netns gone
 * row (skbstat_net_alive()), a key of all zeros.  The rule covers every
 * read in flow_key_in(), flow_key_other() and count_retransmit() below.
 */

/*
 * An IPv4 flow's key, every byte written (no zeroing of the whole key
 * first): its first SKBSTAT_FLOW_KEY_IN_SIZE bytes decide it, the rest are
 * zero (include/skbstat/tables.h).
 */
static __always_inline void flow_key_in(const struct sock *sk, const struct net *net,
					struct skbstat_flow_key *key)
{
	key->netns_cookie = skbstat_net_cookie(net);
	key->netns = net->ns.inum;
	key->family = AF_INET;
	key->pad = 0;
	key->sport = ntohs(inet_sk(sk)->inet_sport);
	key->dport = ntohs(sk->sk_dport);
	key->pad2 = 0;
	memcpy(key->addr, &sk->sk_rcv_saddr, 4);
	memcpy(key->addr + 4, &sk->sk_daddr, 4);
	memset(key->addr + 8, 0, sizeof(key->addr) - 8);
	key->pad3 = 0;
}

/* Any other flow's key (IPv6), or the netns gone row's (all zeros). */
static __always_inline void flow_key_other(const struct sock *sk, const struct net *net,
					   bool alive, struct skbstat_flow_key *key)
{
	*key = (struct skbstat_flow_key){};
	if (unlikely(!alive))
		return;
	key->netns_cookie = skbstat_net_cookie(net);
	key->netns = net->ns.inum;
	key->family = sk->sk_family;
	key->sport = ntohs(inet_sk(sk)->inet_sport);
	key->dport = ntohs(sk->sk_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(key->addr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(key->addr + 16, &sk->sk_v6_daddr, 16);
	}
#endif
}

/*
 * The row of @sk's flow.  An IPv4 flow's key is hashed and compared by its
 * first four words only: its own inline copy of the table's lookup.
 */
static __always_inline struct skbstat_flow_count *
flow_row(struct skbstat_table *t, const struct sock *sk, unsigned int bytes)
{
	const struct net *net = sock_net(sk);
	bool alive = skbstat_net_alive(net);
	/* Each path below writes every byte of it. */
	struct skbstat_flow_key key __uninitialized;

	if (likely(alive) && sk->sk_family == AF_INET) {
		flow_key_in(sk, net, &key);
		return __skbstat_table_hit(t, &key, sizeof(key), SKBSTAT_FLOW_KEY_IN_SIZE,
					   sizeof(struct skbstat_flow_count), bytes, true);
	}
	flow_key_other(sk, net, alive, &key);
	return __skbstat_table_hit(t, &key, sizeof(key), sizeof(key),
				   sizeof(struct skbstat_flow_count), bytes, true);
}

/* What the table hashes of a stored key: as flow_row() did. */
static unsigned int flow_key_hashed(const void *key)
{
	return skbstat_flow_key_hashed(key);
}

/*
 * How __tcp_retransmit_skb() ends (6.1 and 7.2 alike): it returns 0 when
 * the segment went to the IP layer, else an error.  Only the errors of the
 * transmit itself (a netfilter drop's -EPERM, a qdisc's NET_XMIT_DROP, no
 * route) come after it added the segments to TcpRetransSegs and then, but
 * for -EBUSY, to TCPRetransFail, both by tcp_skb_pcount() of the skb as it
 * stands at the return (trimmed and re-segmented for the current MSS).
 * Its early exits (-EBUSY: the last copy is still in a device queue;
 * -ENOMEM, -EAGAIN, -EHOSTUNREACH, -EINVAL before any transmit) count in
 * neither, and share error values with the transmit's, so no probe can tell
 * them apart at the return.  Hence: 0 counts in retransmits, -EBUSY (the
 * common early exit, a deferral rather than a failure) in nothing, any
 * other error in failed, by the same tcp_skb_pcount().  failed equals
 * TCPRetransFail as long as no early exit but -EBUSY happens, which needs
 * an allocation failure, a routing failure at the socket's rebuild_header()
 * or a peer that shrank its window; otherwise failed is the larger.  The
 * skb of a failed attempt stays queued for retransmission; its bytes were
 * not sent and are not counted.  events counts both kinds of calls.
 */
static __always_inline void count_retransmit(const struct sock *sk, const struct sk_buff *skb,
					     int err)
{
	struct skbstat_table *t = rcu_dereference_sched(skbstat_flows_hook.table);
	struct skbstat_flow_count *count;
	unsigned int bytes = err ? 0 : skb->len;
	u64 now;

	if (err == -EBUSY)
		return;
	count = flow_row(t, sk, bytes);
	if (!count)
		return;
	now = get_jiffies_64();
	atomic64_add(tcp_skb_pcount(skb), err ? &count->failed : &count->retransmits);
	atomic64_add(bytes, &count->bytes);
	atomic64_inc(&count->events);
	/* Only the first writer sets it; one that raced with it finds it set. */
	if (!atomic64_read(&count->first_jiffies))
		atomic64_cmpxchg(&count->first_jiffies, 0, now);
	/*
	 * A flow's retransmits are serialised by its socket lock, so its
	 * last_jiffies and state are those of its last one.  Only the netns gone
	 * row has many sockets, whose racing writers may leave last_jiffies a
	 * tick short of the latest: not worth a cmpxchg loop on every event.
	 */
	atomic64_set(&count->last_jiffies, now);
	WRITE_ONCE(count->state, sk->sk_state);
}

static void
skbstat_tcp_retransmit_skb(SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err))
{
	skbstat_tp_enter();
	count_retransmit(sk, skb, SKBSTAT_TCP_RETRANSMIT_ERR(err));
	skbstat_tp_exit();
}

static int flows_tracepoint_attach(void)
{
	return skbstat_tracepoint_attach("tcp_retransmit_skb", skbstat_tcp_retransmit_skb);
}

static void flows_tracepoint_detach(void)
{
	skbstat_tracepoint_detach("tcp_retransmit_skb", skbstat_tcp_retransmit_skb);
}

/*
 * The kprobe mode: a return probe sees what __tcp_retransmit_skb() returns,
 * failures included, on every kernel (before 6.17 the tracepoint fired only
 * on success), and counts it as the tracepoint does.  GCC may split the function,
 * inlining its head into callers that then call __tcp_retransmit_skb.part.0
 * (same arguments) directly: the part that holds the tracepoint is probed.
 */
struct retransmit_call {
	const struct sock *sk;
	const struct sk_buff *skb;
};

/*
 * A GCC-split __tcp_retransmit_skb.part.0 may take its arguments in another
 * order or drop some, and nothing at run time says so.  Before trusting the
 * first two as (sk, skb), read through them without faulting and require a
 * TCP socket and an skb of plausible length; otherwise the call is skipped
 * (no return probe), never followed.
 */
static bool retransmit_args_plausible(const struct sock *sk, const struct sk_buff *skb)
{
	unsigned short family;
	u16 protocol;
	unsigned int len;

	if (get_kernel_nofault(family, &sk->sk_family) ||
	    get_kernel_nofault(protocol, &sk->sk_protocol) ||
	    get_kernel_nofault(len, &skb->len))
		return false;
	return protocol == IPPROTO_TCP && (family == AF_INET || family == AF_INET6) &&
	       len <= GSO_MAX_SIZE;
}

static int retransmit_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct retransmit_call *call = (void *)ri->data;

	call->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	call->skb = (const struct sk_buff *)regs_get_kernel_argument(regs, 1);
	return retransmit_args_plausible(call->sk, call->skb) ? 0 : 1;
}

static int retransmit_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct retransmit_call *call = (void *)ri->data;

	/* The skb stays queued for retransmission, under the socket lock. */
	count_retransmit(call->sk, call->skb, (int)regs_return_value(regs));
	return 0;
}

static const struct kretprobe flows_kretprobe_template = {
	.kp.symbol_name = "__tcp_retransmit_skb",
	.entry_handler = retransmit_entry,
	.handler = retransmit_return,
	.data_size = sizeof(struct retransmit_call),
	.maxactive = 0,		/* the kernel's default, scaled by the CPU count */
};

static struct kretprobe *flows_kretprobe;

static int flows_kprobe_attach(void)
{
	struct kretprobe split = flows_kretprobe_template;

	split.kp.symbol_name = "__tcp_retransmit_skb.part.0";
	if (!skbstat_kretprobe_attach(&flows_kretprobe, &split))
		return 0;
	return skbstat_kretprobe_attach(&flows_kretprobe, &flows_kretprobe_template);
}

static void flows_kprobe_detach(void)
{
	skbstat_kretprobe_detach(&flows_kretprobe);
}

static const struct skbstat_attach_ops flows_tracepoint_ops = {
	.attach = flows_tracepoint_attach,
	.detach = flows_tracepoint_detach,
	.gaps = SKBSTAT_RETRANSMIT_TP_SEES_FAILED ? NULL :
		"failed retransmits (the tracepoint reports them since 6.17)",
};

static u64 flows_kprobe_missed(void)
{
	return skbstat_kretprobe_missed(flows_kretprobe);
}

static const struct skbstat_attach_ops flows_kprobe_ops = {
	.attach = flows_kprobe_attach,
	.detach = flows_kprobe_detach,
	.missed = flows_kprobe_missed,
};

struct skbstat_hook skbstat_flows_hook = {
	.id = SKBSTAT_HOOK_FLOWS,
	.name = SKBSTAT_HOOK_NAME_FLOWS,
	.shape = {
		.limit = SKBSTAT_DEFAULT_FLOW_ROWS,
		.key_size = sizeof(struct skbstat_flow_key),
		.cookie_off = offsetof(struct skbstat_flow_key, netns_cookie),
		.val_size = sizeof(struct skbstat_flow_count),
		.counters = 4,
		.shared = true,
		.key_hashed = flow_key_hashed,
	},
	.events_counter = 2,
	.bytes_counter = 1,
	.mode = SKBSTAT_MODE_TRACEPOINT,
	.ops = {
		[SKBSTAT_MODE_TRACEPOINT] = &flows_tracepoint_ops,
		[SKBSTAT_MODE_KPROBE] = &flows_kprobe_ops,
	},
};
