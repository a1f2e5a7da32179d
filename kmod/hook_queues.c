// SPDX-License-Identifier: GPL-2.0
/*
 * net:net_dev_queue: one row per device transmit queue, with a log2
 * histogram of packet sizes.
 */
#include <linux/bitops.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <linux/error-injection.h>
#include "compat.h"
#include "hooks.h"
#include "kprobes.h"
#include "tracepoints.h"

/*
 * The log2 bucket of @len (hooks.h): __fls() of len | 1, so that 0 and 1
 * both give 0 without a branch (__fls() of 0 is undefined: bsr leaves its
 * destination as it was), clamped to the last bucket.
 */
static __always_inline u32 size_bucket(u32 len)
{
	return min_t(u32, __fls(len | 1), SKBSTAT_HIST_BUCKETS - 1);
}

/*
 * What this hook may follow: net_dev_queue fires in __dev_queue_xmit(),
 * which has just used skb->dev itself to pick the TX queue, under
 * rcu_read_lock_bh(): skb->dev is the device the packet is queued to and
 * stays valid for the call (so do its netns and ifindex).  The kprobe mode
 * reads it at the return of netdev_core_pick_tx(), inside the same call.
 * A dying netns's devices are unregistered or moved (the devices' pernet
 * exits, which end with an RCU grace period) before the module's pernet
 * exit retires its rows: no row of it appears after.  Inline in each probe:
 * the call was a tenth of the tracepoint mode's cost.
 */
static __always_inline void count_queue(const struct sk_buff *skb)
{
	struct skbstat_table *t = rcu_dereference_sched(skbstat_queues_hook.table);
	struct skbstat_queue_key key = {
		.netns = dev_net(skb->dev)->ns.inum,
		.netns_cookie = skbstat_net_cookie(dev_net(skb->dev)),
		.ifindex = skb->dev->ifindex,
		.queue = skb_get_queue_mapping(skb),
	};
	struct skbstat_queue_count *count;
	/* Read once: the counters' stores may alias it for all the compiler knows. */
	u32 len = skb->len;

	count = skbstat_table_hit(t, &key, count, len);
	if (!count)
		return;
	local64_inc(&count->packets);
	local64_add(len, &count->bytes);
	local64_inc(&count->hist[size_bucket(len)]);
}

static void skbstat_net_dev_queue(void *data, struct sk_buff *skb)
{
	skbstat_tp_enter();
	count_queue(skb);
	skbstat_tp_exit();
}

static int queues_tracepoint_attach(void)
{
	return skbstat_tracepoint_attach("net_dev_queue", skbstat_net_dev_queue);
}

static void queues_tracepoint_detach(void)
{
	skbstat_tracepoint_detach("net_dev_queue", skbstat_net_dev_queue);
}

/*
 * The kprobe mode: net_dev_queue fires in __dev_queue_xmit() right after
 * netdev_core_pick_tx() has set the queue, so a return probe on that
 * counts; its other callers (netpoll, XFRM offload, generic XDP) are
 * skipped.
 */

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
	unsigned long caller = skbstat_kretprobe_retaddr(ri);

	if (caller >= dev_queue_xmit_start && caller < dev_queue_xmit_end)
		count_queue(*(struct sk_buff **)ri->data);
	return 0;
}

static const struct kretprobe queues_kretprobe_template = {
	.kp.symbol_name = "netdev_core_pick_tx",
	.entry_handler = pick_tx_entry,
	.handler = pick_tx_return,
	.data_size = sizeof(struct sk_buff *),
	.maxactive = 0,
};

static struct kretprobe *queues_kretprobe;

static int skbstat_queues_kprobe_attach(void)
{
	int err = skbstat_function_range("__dev_queue_xmit", &dev_queue_xmit_start,
					 &dev_queue_xmit_end);

	if (err)
		return err;
	return skbstat_kretprobe_attach(&queues_kretprobe, &queues_kretprobe_template);
}

/*
 * Kernels with fail_function (the debug lab kernel) can make this fail on
 * request: it is the last hook's attach, after the other hooks switched,
 * so a test proves that a failed SET_CONFIG puts every hook back.
 */
ALLOW_ERROR_INJECTION(skbstat_queues_kprobe_attach, ERRNO);

static void queues_kprobe_detach(void)
{
	skbstat_kretprobe_detach(&queues_kretprobe);
}

static const struct skbstat_attach_ops queues_tracepoint_ops = {
	.attach = queues_tracepoint_attach,
	.detach = queues_tracepoint_detach,
};

static u64 queues_kprobe_missed(void)
{
	return skbstat_kretprobe_missed(queues_kretprobe);
}

static const struct skbstat_attach_ops queues_kprobe_ops = {
	.attach = skbstat_queues_kprobe_attach,
	.detach = queues_kprobe_detach,
	.missed = queues_kprobe_missed,
};

struct skbstat_hook skbstat_queues_hook = {
	.id = SKBSTAT_HOOK_QUEUES,
	.name = SKBSTAT_HOOK_NAME_QUEUES,
	.shape = {
		.limit = SKBSTAT_DEFAULT_QUEUE_ROWS,
		.key_size = sizeof(struct skbstat_queue_key),
		.cookie_off = offsetof(struct skbstat_queue_key, netns_cookie),
		.val_size = sizeof(struct skbstat_queue_count),
		.counters = 2 + SKBSTAT_HIST_BUCKETS,
	},
	.events_counter = 0,
	.bytes_counter = 1,
	.mode = SKBSTAT_MODE_TRACEPOINT,
	.ops = {
		[SKBSTAT_MODE_TRACEPOINT] = &queues_tracepoint_ops,
		[SKBSTAT_MODE_KPROBE] = &queues_kprobe_ops,
	},
};
