/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels skbstat builds against lives here.
 */
#ifndef _SKBSTAT_COMPAT_H
#define _SKBSTAT_COMPAT_H

#include <linux/version.h>
#include <net/dropreason.h>

/*
 * The drop reason names: one flat table up to 6.3, per-subsystem tables
 * since 6.4.  The module only names the core subsystem's reasons.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
static inline const char *skbstat_reason_name(u32 id)
{
	if (id >= SKB_DROP_REASON_MAX)
		return NULL;
	return drop_reasons[id];
}

static inline u32 skbstat_reason_count(void)
{
	return SKB_DROP_REASON_MAX;
}
#else
static inline const char *skbstat_reason_name(u32 id)
{
	const struct drop_reason_list *list = drop_reasons_by_subsys[0];

	if (!list || id >= list->n_reasons)
		return NULL;
	return list->reasons[id];
}

static inline u32 skbstat_reason_count(void)
{
	const struct drop_reason_list *list = drop_reasons_by_subsys[0];

	return list ? list->n_reasons : 0;
}
#endif

/* kfree_skb gained the receiving socket in 6.11. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
#define SKBSTAT_KFREE_SKB_ARGS(skb, location, reason) \
	void *data, struct sk_buff *skb, void *location, enum skb_drop_reason reason
#define SKBSTAT_KFREE_SKB_RX_SK NULL
#else
#define SKBSTAT_KFREE_SKB_ARGS(skb, location, reason) \
	void *data, struct sk_buff *skb, void *location, enum skb_drop_reason reason, \
	struct sock *rx_sk
#define SKBSTAT_KFREE_SKB_RX_SK rx_sk
#endif

/*
 * tcp_retransmit_skb gained the transmit error in 6.17 and fires for failed
 * attempts too since then; only successful ones are counted, as before.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err) \
	void *data, const struct sock *sk, const struct sk_buff *skb
#define SKBSTAT_TCP_RETRANSMIT_FAILED(err) false
#else
#define SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err) \
	void *data, const struct sock *sk, const struct sk_buff *skb, int err
#define SKBSTAT_TCP_RETRANSMIT_FAILED(err) ((err) != 0)
#endif

#endif /* _SKBSTAT_COMPAT_H */
