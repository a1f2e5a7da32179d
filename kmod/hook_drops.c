// SPDX-License-Identifier: GPL-2.0
/*
 * skb:kfree_skb: one row per reason, caller, device, netns and protocol.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <trace/events/skb.h>
#include "compat.h"
#include "devices.h"
#include "hooks.h"
#include "kprobes.h"

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
 *    registered devices (devices.c), whose copies give ifindex and netns.
 *  - skb->sk is NULL or a socket that the skb keeps alive until its
 *    destructor runs, after the tracepoint.  Kernels that share the word with
 *    ip_defrag_offset (a fragment in a reassembly queue) store a small
 *    integer there: only a kernel address is a socket.
 *  - rx_sk (6.11+) is the receiving socket or NULL, valid for the call.
 *  - A kernel socket (a full socket that holds no reference on its netns)
 *    does not tell where a packet was: the ICMP and TCP control sockets are
 *    per CPU and shared by every netns, switched to each sender's netns for
 *    one send (icmp_xmit_lock(), tcp_v4_send_reset()), so a reply freed
 *    later names whichever netns sent last; and the netns of a kernel
 *    socket may be gone.  Its netns is never read.
 *
 * Attribution: a registered device gives device and netns; else a socket
 * gives the netns, and skb_iif (the device the packet came in on, in that
 * same netns; 0 for locally made packets) the device.  Else neither is
 * known: on kernels before 6.11 that is a datagram freed from a UDP
 * socket's queue, whose skb holds neither device nor socket.  A socket of
 * a netns being dismantled gives the netns gone row (skbstat_net_alive()).
 */
static __always_inline const struct sock *skb_owner(const struct sk_buff *skb,
						    const struct sock *rx_sk)
{
	const struct sock *sk;

	sk = rx_sk ? rx_sk : READ_ONCE(skb->sk);
#ifdef SKBSTAT_SKB_SK_SHARES_DEFRAG_OFFSET
	if ((unsigned long)sk < PAGE_OFFSET)
		return NULL;
#endif
	/* skc_state and skc_net_refcnt are in sock_common: any kind of socket has them. */
	if (sk && sk_fullsock(sk) && !sk->sk_net_refcnt)
		return NULL;
	return sk;
}

/*
 * Inline in each probe, as is count_drop(): a call costs the tracepoint
 * mode more than a tenth of its instructions.  No rcu_read_lock() around
 * skbstat_device_find(): the probes run with preemption off, which the
 * registry's kfree_rcu() waits for (devices.h says why that is enough).
 */
static __always_inline void drop_place(const struct sk_buff *skb, const struct sock *rx_sk,
				       struct skbstat_drop_key *key)
{
	const struct skbstat_device *dev;
	const struct sock *sk;
	const struct net *net;

	dev = skbstat_device_find(READ_ONCE(skb->dev_scratch));
	if (dev) {
		key->ifindex = dev->ifindex;
		key->netns = dev->netns;
		key->netns_cookie = dev->netns_cookie;
		return;
	}
	sk = skb_owner(skb, rx_sk);
	if (!sk)
		return;
	net = sock_net(sk);
	if (unlikely(!skbstat_net_alive(net))) {
		*key = (struct skbstat_drop_key){};
		return;
	}
	key->netns = net->ns.inum;
	key->netns_cookie = skbstat_net_cookie(net);
	key->ifindex = skb->skb_iif;
}

static __always_inline void count_drop(struct sk_buff *skb, void *location, u32 reason,
				       const struct sock *rx_sk)
{
	struct skbstat_table *t = rcu_dereference_sched(skbstat_drops_hook.table);
	struct skbstat_drop_key key = {
		.location = (unsigned long)location,
		.reason = reason,
		.proto = ntohs(skb->protocol),
	};
	struct skbstat_drop_count *count;
	/* Read once: the counters' stores may alias it for all the compiler knows. */
	u32 len = skb->len;

	drop_place(skb, rx_sk, &key);
	count = skbstat_table_hit(t, &key, count, len);
	if (!count)
		return;
	local64_inc(&count->packets);
	local64_add(len, &count->bytes);
}

static void skbstat_kfree_skb(SKBSTAT_KFREE_SKB_ARGS(skb, location, reason))
{
	skbstat_tp_enter();
	count_drop(skb, location, SKBSTAT_KFREE_SKB_REASON(reason), SKBSTAT_KFREE_SKB_RX_SK);
	skbstat_tp_exit();
}

static int drops_tracepoint_attach(void)
{
	return register_trace_kfree_skb(skbstat_kfree_skb, NULL);
}

static void drops_tracepoint_detach(void)
{
	unregister_trace_kfree_skb(skbstat_kfree_skb, NULL);
}

/*
 * The kprobe mode probes every function that fires skb:kfree_skb, at entry:
 *
 *  - kfree_skb_reason() (sk_skb_reason_drop() since 6.11, kfree_skb()
 *    without reasons) fires it for its skb when it drops the last
 *    reference, and not for SKB_CONSUMED (traced as consume_skb); its
 *    location is the caller, its socket the receiving one (valid for the
 *    call).  A call from the list free below is that free's, counted there.
 *  - kfree_skb_list_reason() (kfree_skb_list() without reasons) does the
 *    same for each skb of the list: through the function above before
 *    6.3, whose probe then counts them (the list has none), inline since,
 *    with its caller as the location and no socket.  The caller owns the
 *    list: every skb on it, and its ->next, stays valid until the function
 *    frees it, after the probe.
 *  - dev_kfree_skb_irq_reason() (__dev_kfree_skb_irq() before 6.3) drops
 *    the last reference and queues the skb for net_tx_action(), which
 *    fires the tracepoint for it later with itself as the location.  It is
 *    counted at the queueing: nothing in the skb changes on the queue but
 *    its ->next and ->cb.
 *
 * What each probe's pointers hold, on every path: the skb argument is NULL
 * (nothing freed, nothing traced) or an skb the caller holds a reference
 * on; a list is NULL-terminated through ->next and its skbs stay valid as
 * above.  Each skb's fields are then what the tracepoint would see: the
 * free has not begun, so skb->sk's destructor (which lets the socket go)
 * has not run, and the rules of drop_place() above hold for skb->dev and
 * skb->sk.  The list and hard-interrupt frees have no receiving socket.
 *
 * An skb with one reference is the caller's alone: the call drops the last
 * one, as the tracepoint needs.  An skb with more is counted never: the
 * call drops the last one only if every other holder lets go during the
 * call, before its own decrement, which a probe at entry cannot see.  That
 * race is the kprobe mode's one blind spot (GET_STATUS's GAPS says so).
 */

/* Where the list free lies, to recognise calls from it. */
static unsigned long list_free_start, list_free_end;

static bool drop_counted(const struct sk_buff *skb, u32 reason)
{
	return skb && refcount_read(&skb->users) == 1 && SKBSTAT_KFREE_SKB_FUNCTION_TRACES(reason);
}

static int kfree_skb_reason_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = SKBSTAT_KFREE_SKB_FUNCTION_SKB(regs);
	u32 reason = SKBSTAT_KFREE_SKB_FUNCTION_REASON(regs);
	unsigned long caller = skbstat_entry_return_address(regs);

	if (caller >= list_free_start && caller < list_free_end)
		return 0;
	if (drop_counted(skb, reason))
		count_drop(skb, (void *)caller, reason, SKBSTAT_KFREE_SKB_FUNCTION_SK(regs));
	return 0;
}

/*
 * The handler runs with preemption off, and a qdisc's purge may free its
 * whole queue as one list (tens of thousands): past this many skbs the rest
 * of a list is not walked but counted as missed, which status shows.
 */
#define LIST_WALK_MAX	1024

static atomic64_t list_unwalked = ATOMIC64_INIT(0);

static int kfree_skb_list_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 0);
	u32 reason = SKBSTAT_KFREE_SKB_LIST_REASON(regs);
	void *caller = (void *)skbstat_entry_return_address(regs);
	unsigned int walked = 0;
	u64 unwalked = 0;

	for (; skb; skb = skb->next) {
		if (walked++ == LIST_WALK_MAX) {
			for (; skb; skb = skb->next)
				unwalked++;
			atomic64_add(unwalked, &list_unwalked);
			break;
		}
		if (drop_counted(skb, reason))
			count_drop(skb, caller, reason, NULL);
	}
	return 0;
}

/* net_tx_action(), the location of the drops queued from hard interrupts. */
static unsigned long tx_action;

static int irq_free_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 0);

	if (skb && refcount_read(&skb->users) == 1 && SKBSTAT_IRQ_FREE_TRACES(regs))
		count_drop(skb, (void *)tx_action, SKBSTAT_IRQ_FREE_REASON(regs), NULL);
	return 0;
}

static const struct kprobe drops_kprobe_templates[] = {
	{ .symbol_name = SKBSTAT_KFREE_SKB_FUNCTION, .pre_handler = kfree_skb_reason_entry },
	{ .symbol_name = SKBSTAT_KFREE_SKB_LIST_FUNCTION, .pre_handler = kfree_skb_list_entry },
	{ .symbol_name = SKBSTAT_IRQ_FREE_FUNCTION, .pre_handler = irq_free_entry },
};

static struct kprobe *drops_kprobes[ARRAY_SIZE(drops_kprobe_templates)];

static void drops_kprobe_detach(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(drops_kprobes); i++)
		skbstat_kprobe_detach(&drops_kprobes[i]);
}

/* The list free has a probe of its own only where it frees inline (compat.h). */
static bool drops_kprobe_wanted(int i)
{
	return drops_kprobe_templates[i].pre_handler != kfree_skb_list_entry ||
	       SKBSTAT_LIST_FREE_INLINE;
}

static int drops_kprobe_attach(void)
{
	unsigned long tx_action_end;
	int i, err = 0;

	list_free_start = 0;
	list_free_end = 0;
	atomic64_set(&list_unwalked, 0);
	if (SKBSTAT_LIST_FREE_INLINE)
		err = skbstat_function_range(SKBSTAT_KFREE_SKB_LIST_FUNCTION, &list_free_start,
					     &list_free_end);
	if (!err)
		err = skbstat_function_range("net_tx_action", &tx_action, &tx_action_end);
	/* Each probe counts from its registration: the last ones may see a drop the first missed. */
	for (i = 0; !err && i < ARRAY_SIZE(drops_kprobes); i++) {
		if (drops_kprobe_wanted(i))
			err = skbstat_kprobe_attach(&drops_kprobes[i],
						    &drops_kprobe_templates[i]);
	}
	if (err)
		drops_kprobe_detach();
	return err;
}

static u64 drops_kprobe_missed(void)
{
	u64 missed = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(drops_kprobes); i++)
		missed += skbstat_kprobe_missed(drops_kprobes[i]);
	return missed + atomic64_read(&list_unwalked);
}

static const struct skbstat_attach_ops drops_tracepoint_ops = {
	.attach = drops_tracepoint_attach,
	.detach = drops_tracepoint_detach,
};

static const struct skbstat_attach_ops drops_kprobe_ops = {
	.attach = drops_kprobe_attach,
	.detach = drops_kprobe_detach,
	.missed = drops_kprobe_missed,
	.gaps = "a drop of a shared skb whose other references go during the free",
};

struct skbstat_hook skbstat_drops_hook = {
	.id = SKBSTAT_HOOK_DROPS,
	.name = SKBSTAT_HOOK_NAME_DROPS,
	.shape = {
		.limit = SKBSTAT_DEFAULT_DROP_ROWS,
		.key_size = sizeof(struct skbstat_drop_key),
		.cookie_off = offsetof(struct skbstat_drop_key, netns_cookie),
		.val_size = sizeof(struct skbstat_drop_count),
		.counters = 2,
	},
	.events_counter = 0,
	.bytes_counter = 1,
	.mode = SKBSTAT_MODE_TRACEPOINT,
	.ops = {
		[SKBSTAT_MODE_TRACEPOINT] = &drops_tracepoint_ops,
		[SKBSTAT_MODE_KPROBE] = &drops_kprobe_ops,
	},
};
