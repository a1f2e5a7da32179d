/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels skbstat builds against lives here,
 * decided by the features that kmod/features.kbuild finds in the kernel's
 * headers, never by version number (distributions backport).
 */
#ifndef _SKBSTAT_COMPAT_H
#define _SKBSTAT_COMPAT_H

#include <linux/kprobes.h>
#include <linux/preempt.h>
#include <net/net_namespace.h>
#include <uapi/linux/skbstat.h>
/*
 * Kernels built with CONFIG_INIT_STACK_ALL_ZERO (Debian's) zero every local
 * at function entry.  A key that its probe writes in full itself is exempt
 * from that second zeroing (a rep stos of the whole key, every event).
 * Before 5.17 the kernel has no name for the attribute.
 */
#ifndef __uninitialized
#if __has_attribute(__uninitialized__)
#define __uninitialized __attribute__((__uninitialized__))
#else
#define __uninitialized
#endif
#endif

#ifdef SKBSTAT_HAVE_DROP_REASONS
#include <net/dropreason.h>
#endif

/*
 * Drop reason names, as the kernel's own tables give them: one flat table
 * before subsystems, then one table per subsystem (the subsystem in the
 * upper 16 bits of the reason), each registered while its module is loaded.
 * skbstat_reason_find(&id) finds the first named reason at or after id and
 * returns its name, NULL past the last; call it under rcu_read_lock(), and
 * copy the name before unlocking (a subsystem's table goes with its module).
 */
#if defined(SKBSTAT_HAVE_REASON_SUBSYSTEMS)
static inline const char *skbstat_reason_find(u32 *id)
{
	const struct drop_reason_list *list;
	u32 subsys, i;

	for (;;) {
		subsys = *id >> SKB_DROP_REASON_SUBSYS_SHIFT;
		i = *id & ~SKB_DROP_REASON_SUBSYS_MASK;
		if (subsys >= SKB_DROP_REASON_SUBSYS_NUM)
			return NULL;
		list = rcu_dereference(drop_reasons_by_subsys[subsys]);
		for (; list && i < list->n_reasons; i++) {
			if (list->reasons[i]) {
				*id = subsys << SKB_DROP_REASON_SUBSYS_SHIFT | i;
				return list->reasons[i];
			}
		}
		*id = (subsys + 1) << SKB_DROP_REASON_SUBSYS_SHIFT;
	}
}
#elif defined(SKBSTAT_HAVE_DROP_REASONS)
static inline const char *skbstat_reason_find(u32 *id)
{
	for (; *id < SKB_DROP_REASON_MAX; ++*id) {
		if (drop_reasons[*id])
			return drop_reasons[*id];
	}
	return NULL;
}
#else
static inline const char *skbstat_reason_find(u32 *id)
{
	return NULL;
}
#endif

/*
 * skb:kfree_skb's arguments: the reason came with drop reasons, the
 * receiving socket later (const later still).  Without reasons every drop
 * is keyed SKBSTAT_REASON_NONE, which the CLI shows as "-".
 */
#if defined(SKBSTAT_HAVE_KFREE_SKB_RX_SK_CONST)
#define SKBSTAT_KFREE_SKB_ARGS(skb, location, reason) \
	void *data, struct sk_buff *skb, void *location, enum skb_drop_reason reason, \
	const struct sock *rx_sk
#define SKBSTAT_KFREE_SKB_REASON(reason) (reason)
#define SKBSTAT_KFREE_SKB_RX_SK rx_sk
#elif defined(SKBSTAT_HAVE_KFREE_SKB_RX_SK)
#define SKBSTAT_KFREE_SKB_ARGS(skb, location, reason) \
	void *data, struct sk_buff *skb, void *location, enum skb_drop_reason reason, \
	struct sock *rx_sk
#define SKBSTAT_KFREE_SKB_REASON(reason) (reason)
#define SKBSTAT_KFREE_SKB_RX_SK rx_sk
#elif defined(SKBSTAT_HAVE_DROP_REASONS)
#define SKBSTAT_KFREE_SKB_ARGS(skb, location, reason) \
	void *data, struct sk_buff *skb, void *location, enum skb_drop_reason reason
#define SKBSTAT_KFREE_SKB_REASON(reason) (reason)
#define SKBSTAT_KFREE_SKB_RX_SK NULL
#else
#define SKBSTAT_KFREE_SKB_ARGS(skb, location, reason) \
	void *data, struct sk_buff *skb, void *location
#define SKBSTAT_KFREE_SKB_REASON(reason) SKBSTAT_REASON_NONE
#define SKBSTAT_KFREE_SKB_RX_SK NULL
#endif

/*
 * The function that fires skb:kfree_skb, for the kprobe mode, and where
 * its arguments are: the socket (NULL before 6.11), the skb and the reason.
 */
#if defined(SKBSTAT_HAVE_SK_SKB_REASON_DROP)
#define SKBSTAT_KFREE_SKB_FUNCTION "sk_skb_reason_drop"
#define SKBSTAT_KFREE_SKB_FUNCTION_SK(regs) \
	((const struct sock *)regs_get_kernel_argument(regs, 0))
#define SKBSTAT_KFREE_SKB_FUNCTION_SKB(regs) \
	((struct sk_buff *)regs_get_kernel_argument(regs, 1))
#define SKBSTAT_KFREE_SKB_FUNCTION_REASON(regs) ((u32)regs_get_kernel_argument(regs, 2))
#elif defined(SKBSTAT_HAVE_DROP_REASONS)
#define SKBSTAT_KFREE_SKB_FUNCTION "kfree_skb_reason"
#define SKBSTAT_KFREE_SKB_FUNCTION_SK(regs) NULL
#define SKBSTAT_KFREE_SKB_FUNCTION_SKB(regs) \
	((struct sk_buff *)regs_get_kernel_argument(regs, 0))
#define SKBSTAT_KFREE_SKB_FUNCTION_REASON(regs) ((u32)regs_get_kernel_argument(regs, 1))
#else
#define SKBSTAT_KFREE_SKB_FUNCTION "kfree_skb"
#define SKBSTAT_KFREE_SKB_FUNCTION_SK(regs) NULL
#define SKBSTAT_KFREE_SKB_FUNCTION_SKB(regs) \
	((struct sk_buff *)regs_get_kernel_argument(regs, 0))
#define SKBSTAT_KFREE_SKB_FUNCTION_REASON(regs) SKBSTAT_REASON_NONE
#endif

/* Whether the function above fires skb:kfree_skb for @reason (else consume_skb). */
#ifdef SKBSTAT_HAVE_SKB_CONSUMED
#define SKBSTAT_KFREE_SKB_FUNCTION_TRACES(reason) ((reason) != SKB_CONSUMED)
#else
#define SKBSTAT_KFREE_SKB_FUNCTION_TRACES(reason) true
#endif

/*
 * The list free.  skb:kfree_skb fires in it for each segment whose last
 * reference it drops: through the function above before 6.3, inline since
 * (so a probe on the function above never sees those).  Its reason is the
 * second argument where the kernel has reasons.
 */
/*
 * Before 6.3 the list free frees each skb through a real call of the single
 * free, whose probe sees it with the tracepoint's own location (inside the
 * list free); the list needs no probe of its own there.  6.3 made that step
 * inline, in the series that brought SKB_CONSUMED: the headers show no
 * inlining, so SKB_CONSUMED stands for it.
 */
#ifdef SKBSTAT_HAVE_SKB_CONSUMED
#define SKBSTAT_LIST_FREE_INLINE true
#else
#define SKBSTAT_LIST_FREE_INLINE false
#endif
#ifdef SKBSTAT_HAVE_KFREE_SKB_LIST_REASON
#define SKBSTAT_KFREE_SKB_LIST_FUNCTION "kfree_skb_list_reason"
#else
#define SKBSTAT_KFREE_SKB_LIST_FUNCTION "kfree_skb_list"
#endif
#ifdef SKBSTAT_HAVE_DROP_REASONS
#define SKBSTAT_KFREE_SKB_LIST_REASON(regs) ((u32)regs_get_kernel_argument(regs, 1))
#else
#define SKBSTAT_KFREE_SKB_LIST_REASON(regs) SKBSTAT_REASON_NONE
#endif

/*
 * The free from hard interrupts: it drops the last reference, queues the
 * skb to the CPU's completion queue with its reason, and net_tx_action()
 * fires skb:kfree_skb for it later, with itself as the location, unless
 * the reason says consumed.  SKBSTAT_IRQ_FREE_REASON() is the reason the
 * tracepoint will get, SKBSTAT_IRQ_FREE_TRACES() whether it fires.
 */
#if defined(SKBSTAT_HAVE_DEV_KFREE_SKB_IRQ_REASON)
#define SKBSTAT_IRQ_FREE_FUNCTION "dev_kfree_skb_irq_reason"
#define SKBSTAT_IRQ_FREE_REASON(regs) ((u32)regs_get_kernel_argument(regs, 1))
#define SKBSTAT_IRQ_FREE_TRACES(regs) \
	SKBSTAT_KFREE_SKB_FUNCTION_TRACES(SKBSTAT_IRQ_FREE_REASON(regs))
#else
/* enum skb_free_reason: SKB_REASON_DROPPED is traced as NOT_SPECIFIED. */
#define SKBSTAT_IRQ_FREE_FUNCTION "__dev_kfree_skb_irq"
#define SKBSTAT_IRQ_FREE_TRACES(regs) \
	((u32)regs_get_kernel_argument(regs, 1) == SKB_REASON_DROPPED)
#ifdef SKBSTAT_HAVE_DROP_REASONS
#define SKBSTAT_IRQ_FREE_REASON(regs) SKB_DROP_REASON_NOT_SPECIFIED
#else
#define SKBSTAT_IRQ_FREE_REASON(regs) SKBSTAT_REASON_NONE
#endif
#endif

/* Whether the kernel has drop reasons (GET_STATUS says so). */
#ifdef SKBSTAT_HAVE_DROP_REASONS
#define SKBSTAT_KERNEL_HAS_DROP_REASONS true
#else
#define SKBSTAT_KERNEL_HAS_DROP_REASONS false
#endif

/*
 * tcp_retransmit_skb gained the transmit error in 6.17 and fires for failed
 * attempts too since then (hook_flows.c counts them as failed).  Before,
 * it fired only for successful ones and cannot see a failure at all.
 */
#ifdef SKBSTAT_RETRANSMIT_HAS_ERR
#define SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err) \
	void *data, const struct sock *sk, const struct sk_buff *skb, int err
#define SKBSTAT_TCP_RETRANSMIT_ERR(err) (err)
#define SKBSTAT_RETRANSMIT_TP_SEES_FAILED true
#else
#define SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err) \
	void *data, const struct sock *sk, const struct sk_buff *skb
#define SKBSTAT_TCP_RETRANSMIT_ERR(err) 0
#define SKBSTAT_RETRANSMIT_TP_SEES_FAILED false
#endif

/*
 * A netns's cookie, never given to another netns.  Where the kernel makes
 * it on first use (an atomic64_t that stays 0 until then, with no exported
 * way to make it), the module makes it the kernel's way: one cmpxchg from 0,
 * so whoever is first sets it for good.  Its values have the top bit set,
 * which the kernel's own counter (from 1, one per netns) never reaches.
 */
#ifdef SKBSTAT_NET_COOKIE_LAZY
u64 skbstat_net_cookie_make(const struct net *net);

static inline u64 skbstat_net_cookie(const struct net *net)
{
	u64 cookie = atomic64_read(&net->net_cookie);

	return likely(cookie) ? cookie : skbstat_net_cookie_make(net);
}
#else
static inline u64 skbstat_net_cookie(const struct net *net)
{
	return net->net_cookie;
}
#endif

#ifdef SKBSTAT_HAVE_KRETPROBE_RETADDR
#define skbstat_kretprobe_retaddr(ri) get_kretprobe_retaddr(ri)
#else
#define skbstat_kretprobe_retaddr(ri) ((unsigned long)(ri)->ret_addr)
#endif

/*
 * Strict validation of every command: what resv_start_op asks for where the
 * family has one, and what every command got before it existed.
 */
#ifdef SKBSTAT_HAVE_GENL_RESV_START_OP
#define SKBSTAT_GENL_ALL_STRICT(first_op) .resv_start_op = (first_op),
#else
#define SKBSTAT_GENL_ALL_STRICT(first_op)
#endif

/*
 * The tracepoint probes need preemption off: the tables count into this
 * CPU's rows with local64 operations (table.h), and the tables, their slot
 * arrays and the device registry are freed after a normal RCU grace period
 * (kfree_rcu(), synchronize_rcu()), which waits only for regions that run
 * with preemption off or under rcu_read_lock().  Kernels before 7.x call
 * every tracepoint probe with preemption off; since the tracepoints' own
 * readers became SRCU-fast, the kernel keeps it on, so there each probe
 * turns it off itself (kprobe handlers always run with it off).
 */
#ifdef SKBSTAT_TRACEPOINT_PREEMPTIBLE
#define skbstat_tp_enter()	preempt_disable_notrace()
#define skbstat_tp_exit()	preempt_enable_notrace()
#else
#define skbstat_tp_enter()	do { } while (0)
#define skbstat_tp_exit()	do { } while (0)
#endif

#endif /* _SKBSTAT_COMPAT_H */
