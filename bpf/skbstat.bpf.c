// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend: the module's three hooks, each in three attach modes
 * that fill the same maps.  The loader loads the programs of one mode:
 *  - tp_btf: BTF-typed tracepoints (the default);
 *  - raw_tp: raw tracepoints, the same arguments untyped;
 *  - kprobe: probes on the functions behind the tracepoints, which count
 *    exactly the events the tracepoints would (as the module's kprobe
 *    modes in kmod/hook_*.c do).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "count.bpf.h"
#include "tp_args.bpf.h"
#include "tp_btf.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Since 6.3 a freed skb with reason SKB_CONSUMED is traced as consume_skb. */
enum skb_drop_reason___consumed {
	SKB_CONSUMED___consumed = 1,
};

/* Set by the loader for the kprobe mode, from /proc/kallsyms. */
const volatile __u64 dev_queue_xmit_start;
const volatile __u64 dev_queue_xmit_end;
/* 1 when the drop probe is on sk_skb_reason_drop(sk, skb, reason) (6.11+). */
const volatile __u32 drop_fn_has_sk;

/* ---- tp_btf ---- */

SKBSTAT_TP_BTF_PROGRAMS()

/* ---- raw_tp ---- */

SEC("raw_tp/kfree_skb")
int BPF_PROG(drops_raw_tp, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	count_drop(skb, (__u64)location, reason, kfree_skb_rx_sk(ctx));
	return 0;
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(flows_raw_tp, const struct sock *sk, const struct sk_buff *skb)
{
	count_retransmit(sk, skb, false, retransmit_err(ctx));
	return 0;
}

SEC("raw_tp/net_dev_queue")
int BPF_PROG(queues_raw_tp, struct sk_buff *skb)
{
	count_queue(skb);
	return 0;
}

/* ---- kprobe ---- */

/* The caller's return address, at function entry the top of the stack (x86-64). */
static __always_inline __u64 entry_return_address(struct pt_regs *regs)
{
	__u64 ret = 0;

	bpf_probe_read_kernel(&ret, sizeof(ret), (void *)PT_REGS_SP(regs));
	return ret;
}

/*
 * The key of a call, the same at entry and at return: the return probe
 * runs after the return address was popped, one word above the entry's
 * stack pointer.
 */
static __always_inline struct call_key entry_call(struct pt_regs *regs)
{
	struct call_key key = {
		.pid_tgid = bpf_get_current_pid_tgid(),
		.sp = PT_REGS_SP(regs),
	};

	return key;
}

static __always_inline struct call_key return_call(struct pt_regs *regs)
{
	struct call_key key = {
		.pid_tgid = bpf_get_current_pid_tgid(),
		.sp = PT_REGS_SP(regs) - sizeof(__u64),
	};

	return key;
}

/*
 * kfree_skb_reason() (sk_skb_reason_drop() since 6.11) traces only when it
 * drops the last reference, and not for SKB_CONSUMED, which is traced as
 * consume_skb.
 */
SEC("kprobe")
int drops_kprobe(struct pt_regs *ctx)
{
	__u64 arg1 = PT_REGS_PARM1(ctx), arg2 = PT_REGS_PARM2(ctx), arg3 = PT_REGS_PARM3(ctx);
	struct sk_buff *skb;
	__u32 reason;

	/* Choose among loaded values: the verifier rejects a computed ctx offset. */
	barrier_var(arg1);
	barrier_var(arg2);
	barrier_var(arg3);
	skb = (struct sk_buff *)(drop_fn_has_sk ? arg2 : arg1);
	reason = drop_fn_has_sk ? arg3 : arg2;
	if (!skb || BPF_CORE_READ(skb, users.refs.counter) != 1)
		return 0;
	if (bpf_core_enum_value_exists(enum skb_drop_reason___consumed, SKB_CONSUMED___consumed) &&
	    reason == bpf_core_enum_value(enum skb_drop_reason___consumed,
					  SKB_CONSUMED___consumed))
		return 0;
	/* sk_skb_reason_drop() passes its socket to the tracepoint as rx_sk. */
	count_drop(skb, entry_return_address(ctx), reason,
		   (struct sock *)(drop_fn_has_sk ? arg1 : 0));
	return 0;
}

/*
 * The return probe sees every attempt's result, failures included, on every
 * kernel (before 6.17 the tracepoint fired only on success).  The loader probes
 * __tcp_retransmit_skb.part.0 instead where GCC split the function: its
 * callers then call that part, with the same arguments, directly.
 */
SEC("kprobe")
int flows_kp_entry(struct pt_regs *ctx)
{
	struct call_key key = entry_call(ctx);
	struct retransmit_call call = {
		.sk = (struct sock *)PT_REGS_PARM1(ctx),
		.skb = (struct sk_buff *)PT_REGS_PARM2(ctx),
	};

	bpf_map_update_elem(&retx_calls, &key, &call, BPF_ANY);
	return 0;
}

SEC("kretprobe")
int flows_kp_ret(struct pt_regs *ctx)
{
	struct call_key key = return_call(ctx);
	struct retransmit_call *call;

	call = bpf_map_lookup_elem(&retx_calls, &key);
	if (!call)
		return 0;
	/* The skb stays queued for retransmission, under the socket lock. */
	/* An int: the upper half of rax is undefined. */
	count_retransmit(call->sk, call->skb, false, (int)PT_REGS_RC(ctx));
	bpf_map_delete_elem(&retx_calls, &key);
	return 0;
}

/*
 * net_dev_queue fires in __dev_queue_xmit() right after netdev_core_pick_tx()
 * has set the queue; other callers of netdev_core_pick_tx() are skipped.
 * The caller is known at return: the entry probe may run after the return
 * probe's own entry handler has replaced the return address on the stack,
 * but the return probe sees the real one as its instruction pointer.
 */
SEC("kprobe")
int queues_kp_entry(struct pt_regs *ctx)
{
	struct call_key key = entry_call(ctx);
	struct sk_buff *skb = (struct sk_buff *)PT_REGS_PARM2(ctx);

	bpf_map_update_elem(&pick_tx_calls, &key, &skb, BPF_ANY);
	return 0;
}

SEC("kretprobe")
int queues_kp_ret(struct pt_regs *ctx)
{
	struct call_key key = return_call(ctx);
	__u64 caller = PT_REGS_IP(ctx);
	struct sk_buff **skb;

	skb = bpf_map_lookup_elem(&pick_tx_calls, &key);
	if (!skb)
		return 0;
	if (caller >= dev_queue_xmit_start && caller < dev_queue_xmit_end)
		count_queue(*skb);
	bpf_map_delete_elem(&pick_tx_calls, &key);
	return 0;
}

/*
 * ---- the registry of registered devices (devices.bpf.h), in every mode ----
 *
 * Rule: qdisc_create adds the qdisc's device (registered then); qdisc_destroy
 * removes it once it is unregistering or unlisted (a move to another netns),
 * both of which destroy every qdisc of the device.  Gap: a device registered
 * after attach that never comes up has no qdisc and stays unknown; a down
 * device sends and receives nothing, so that costs at most the device of a
 * drop on it, never a wrong attribution.  tp_btf in tp_btf mode, raw_tp
 * otherwise.
 */

SEC("tp_btf/qdisc_create")
int BPF_PROG(device_create_tp_btf, const struct Qdisc_ops *ops, struct net_device *dev,
	     u32 parent)
{
	device_qdisc_created(dev);
	return 0;
}

SEC("raw_tp/qdisc_create")
int BPF_PROG(device_create_raw_tp, const struct Qdisc_ops *ops, struct net_device *dev,
	     u32 parent)
{
	device_qdisc_created(dev);
	return 0;
}

SEC("tp_btf/qdisc_destroy")
int BPF_PROG(device_destroy_tp_btf, struct Qdisc *q)
{
	device_qdisc_destroyed(q);
	return 0;
}

SEC("raw_tp/qdisc_destroy")
int BPF_PROG(device_destroy_raw_tp, struct Qdisc *q)
{
	device_qdisc_destroyed(q);
	return 0;
}

/*
 * Run once by the loader (BPF_PROG_TEST_RUN) after the hooks above are
 * attached: records the devices there before them.  Never attached.
 */
SEC("raw_tp")
int seed_devices(void *ctx)
{
	return seed_registry();
}

/*
 * Run by userspace (BPF_PROG_TEST_RUN) before it retires rows: marks in
 * netns_check each cookie whose netns is alive (bpf/netns.bpf.h).  Never
 * attached.
 */
SEC("raw_tp")
int mark_live_netns(void *ctx)
{
	return mark_live();
}
