// SPDX-License-Identifier: GPL-2.0
/*
 * The kprobe attach mode: probes on the functions behind the tracepoints,
 * filling the same tables.  Each probe counts exactly the events its
 * tracepoint would:
 *  - kfree_skb_reason() traces only when it drops the last reference;
 *  - __tcp_retransmit_skb() traces only when it returns 0; GCC may split it,
 *    inlining its head into callers that then call __tcp_retransmit_skb.part.0
 *    (same arguments) directly: the part that holds the tracepoint is probed;
 *  - net_dev_queue fires in __dev_queue_xmit() right after
 *    netdev_core_pick_tx() has set the queue, which other callers
 *    (netpoll, XFRM offload, generic XDP) also use: those are skipped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/error-injection.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/skbuff.h>
#include <linux/uaccess.h>
#include <net/sock.h>
#include <linux/slab.h>
#include "skbstat.h"

/* The caller's return address, read at function entry (x86-64: top of stack). */
static unsigned long entry_return_address(struct pt_regs *regs)
{
	return regs_get_kernel_stack_nth(regs, 0);
}

static int kfree_skb_reason_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 0);

	if (skb && refcount_read(&skb->users) == 1)
		skbstat_count_drop(skb, (void *)entry_return_address(regs),
				   regs_get_kernel_argument(regs, 1), NULL);
	return 0;
}

static const struct kprobe drops_kprobe_template = {
	.symbol_name = "kfree_skb_reason",
	.pre_handler = kfree_skb_reason_entry,
};

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
	if (!(int)regs_return_value(regs))
		skbstat_count_retransmit(call->sk, call->skb);
	return 0;
}

static const struct kretprobe flows_kretprobe_template = {
	.kp.symbol_name = "__tcp_retransmit_skb",
	.entry_handler = retransmit_entry,
	.handler = retransmit_return,
	.data_size = sizeof(struct retransmit_call),
	.maxactive = 0,		/* the kernel's default, scaled by the CPU count */
};

/* Where __dev_queue_xmit() lies, to recognise calls from it. */
static unsigned long dev_queue_xmit_start, dev_queue_xmit_end;

static int pick_tx_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(struct sk_buff **)ri->data = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	return 0;
}

/*
 * The caller is told at return, from the address the kretprobe saved: at
 * entry the stack may already hold another return probe's trampoline (a
 * BPF kprobe-mode program on the same function), not __dev_queue_xmit().
 */
static int pick_tx_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long caller = get_kretprobe_retaddr(ri);

	if (caller >= dev_queue_xmit_start && caller < dev_queue_xmit_end)
		skbstat_count_queue(*(struct sk_buff **)ri->data);
	return 0;
}

static const struct kretprobe queues_kretprobe_template = {
	.kp.symbol_name = "netdev_core_pick_tx",
	.entry_handler = pick_tx_entry,
	.handler = pick_tx_return,
	.data_size = sizeof(struct sk_buff *),
	.maxactive = 0,
};

/* Finds a function's text range: a kprobe resolves it, kallsyms sizes it. */
static int function_range(const char *name, unsigned long *start, unsigned long *end)
{
	struct kprobe kp = { .symbol_name = name };
	char sym[KSYM_SYMBOL_LEN], *size;
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	*start = (unsigned long)kp.addr - kp.offset;
	unregister_kprobe(&kp);

	sprint_symbol(sym, *start);
	size = strchr(sym, '/');
	if (!size || kstrtoul(strsep(&size, " ") + 1, 16, end))
		return -ENOENT;
	*end += *start;
	return 0;
}

/*
 * Each attach registers a fresh copy of the template: a kprobe or kretprobe
 * keeps state from its last registration that a new one must not inherit.
 */
static struct kprobe *drops_kprobe;
static struct kretprobe *flows_kretprobe, *queues_kretprobe;

static int kretprobe_attach(struct kretprobe **rp, const struct kretprobe *template)
{
	int err;

	*rp = kmemdup(template, sizeof(*template), GFP_KERNEL);
	if (!*rp)
		return -ENOMEM;
	err = register_kretprobe(*rp);
	if (err) {
		kfree(*rp);
		*rp = NULL;
	}
	return err;
}

static void kretprobe_detach(struct kretprobe **rp)
{
	if (!*rp)
		return;
	unregister_kretprobe(*rp);
	kfree(*rp);
	*rp = NULL;
}

int skbstat_drops_kprobe_attach(void)
{
	int err;

	drops_kprobe = kmemdup(&drops_kprobe_template, sizeof(*drops_kprobe), GFP_KERNEL);
	if (!drops_kprobe)
		return -ENOMEM;
	err = register_kprobe(drops_kprobe);
	if (err) {
		kfree(drops_kprobe);
		drops_kprobe = NULL;
	}
	return err;
}

void skbstat_drops_kprobe_detach(void)
{
	if (!drops_kprobe)
		return;
	unregister_kprobe(drops_kprobe);
	kfree(drops_kprobe);
	drops_kprobe = NULL;
}

int skbstat_flows_kprobe_attach(void)
{
	struct kretprobe split = flows_kretprobe_template;

	split.kp.symbol_name = "__tcp_retransmit_skb.part.0";
	if (!kretprobe_attach(&flows_kretprobe, &split))
		return 0;
	return kretprobe_attach(&flows_kretprobe, &flows_kretprobe_template);
}

void skbstat_flows_kprobe_detach(void)
{
	kretprobe_detach(&flows_kretprobe);
}

int skbstat_queues_kprobe_attach(void)
{
	int err = function_range("__dev_queue_xmit", &dev_queue_xmit_start, &dev_queue_xmit_end);

	if (err)
		return err;
	return kretprobe_attach(&queues_kretprobe, &queues_kretprobe_template);
}

/*
 * Kernels with fail_function (the debug lab kernel) can make this fail on
 * request: it is the last hook's attach, after the other hooks switched,
 * so a test proves that a failed SET_CONFIG puts every hook back.
 */
ALLOW_ERROR_INJECTION(skbstat_queues_kprobe_attach, ERRNO);

void skbstat_queues_kprobe_detach(void)
{
	kretprobe_detach(&queues_kretprobe);
}
