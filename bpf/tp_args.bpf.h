/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tracepoints pass beyond their first arguments, on the kernels
 * that have it: read the same way by the backend's programs and by the
 * bench's partial programs (selftests/bench/).
 */
#ifndef _SKBSTAT_TP_ARGS_BPF_H
#define _SKBSTAT_TP_ARGS_BPF_H

/*
 * tcp_retransmit_skb gained the transmit error in 6.17 and fires for failed
 * attempts too since then (count_retransmit() says how each counts); before,
 * it fired only for successful ones.  Its event record gained the field with it, which
 * CO-RE can see on any kernel; vmlinux.h of an older build host has no such
 * type, hence the local definition.
 */
struct trace_event_raw_tcp_retransmit_skb___err {
	int err;
} __attribute__((preserve_access_index));

/* kfree_skb gained the receiving socket in 6.11, and its event record with it. */
struct trace_event_raw_kfree_skb___rx_sk {
	void *rx_sk;
} __attribute__((preserve_access_index));

/* The attempt's error, 0 where the tracepoint has none (it fires only on success). */
static __always_inline int retransmit_err(__u64 *ctx)
{
	if (!bpf_core_field_exists(struct trace_event_raw_tcp_retransmit_skb___err, err))
		return 0;
	/* volatile: the load must stay behind the check, which the verifier prunes. */
	return (int)*(volatile __u64 *)&ctx[2];
}

/*
 * The tracepoint's rx_sk where it has one, else NULL.  A tp_btf program's
 * load gives the verifier's BTF pointer, which it may read directly.
 */
static __always_inline struct sock *kfree_skb_rx_sk(__u64 *ctx)
{
	if (!bpf_core_field_exists(struct trace_event_raw_kfree_skb___rx_sk, rx_sk))
		return NULL;
	/* volatile: the load must stay behind the check, which the verifier prunes. */
	return (struct sock *)*(volatile __u64 *)&ctx[3];
}

#endif /* _SKBSTAT_TP_ARGS_BPF_H */
