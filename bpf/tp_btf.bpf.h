/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The three tp_btf programs, named @prefix##drops_tp_btf and so on: the
 * backend's (no prefix), and the bench's, which compile the same programs
 * over tables of their own (selftests/bench/onerow.bpf.c).
 * Include after count.bpf.h.
 */
#ifndef _SKBSTAT_TP_BTF_BPF_H
#define _SKBSTAT_TP_BTF_BPF_H

#include "tp_args.bpf.h"

#define SKBSTAT_TP_BTF_PROGRAMS(prefix)							\
SEC("tp_btf/kfree_skb")									\
int BPF_PROG(prefix##drops_tp_btf, struct sk_buff *skb, void *location,			\
	     enum skb_drop_reason reason)						\
{											\
	count_drop_read(skb, (__u64)location, reason, kfree_skb_rx_sk(ctx), true);	\
	return 0;									\
}											\
											\
SEC("tp_btf/tcp_retransmit_skb")							\
int BPF_PROG(prefix##flows_tp_btf, const struct sock *sk, const struct sk_buff *skb)	\
{											\
	count_retransmit(sk, skb, true, retransmit_err(ctx));				\
	return 0;									\
}											\
											\
SEC("tp_btf/net_dev_queue")								\
int BPF_PROG(prefix##queues_tp_btf, struct sk_buff *skb)				\
{											\
	count_queue_read(skb, true);							\
	return 0;									\
}

#endif /* _SKBSTAT_TP_BTF_BPF_H */
