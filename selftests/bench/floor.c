// SPDX-License-Identifier: GPL-2.0
/*
 * The module's floor: probes that do nothing, on the hooks skbstat.ko
 * uses and attached the way it attaches (mode=tracepoint: probes on
 * skb:kfree_skb, net:net_dev_queue and tcp:tcp_retransmit_skb; mode=kprobe: a kprobe on
 * kfree_skb_reason() and a kretprobe on netdev_core_pick_tx()).  What
 * remains of skbstat's cost above this is its own work.  Lab use only.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/skb.h>
#include "compat.h"

static char *mode = "tracepoint";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "tracepoint or kprobe");

static bool kprobe_mode;
static struct tracepoint *net_dev_queue_tp, *retransmit_tp;

static void floor_kfree_skb(SKBSTAT_KFREE_SKB_ARGS(skb, location, reason))
{
}

static void floor_net_dev_queue(void *data, struct sk_buff *skb)
{
}

static void floor_tcp_retransmit_skb(SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err))
{
}

static int floor_kprobe_entry(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

static int floor_kretprobe_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static int floor_kretprobe_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe drops_kprobe = {
	.symbol_name = "kfree_skb_reason",
	.pre_handler = floor_kprobe_entry,
};

static struct kretprobe queues_kretprobe = {
	.kp.symbol_name = "netdev_core_pick_tx",
	.entry_handler = floor_kretprobe_entry,
	.handler = floor_kretprobe_return,
	.maxactive = 64,
};

static void find_tracepoints(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "net_dev_queue"))
		net_dev_queue_tp = tp;
	else if (!strcmp(tp->name, "tcp_retransmit_skb"))
		retransmit_tp = tp;
}

static int floor_tracepoints_attach(void)
{
	int err;

	for_each_kernel_tracepoint(find_tracepoints, NULL);
	if (!net_dev_queue_tp || !retransmit_tp)
		return -ENOENT;
	err = register_trace_kfree_skb(floor_kfree_skb, NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(net_dev_queue_tp, floor_net_dev_queue, NULL);
	if (err)
		goto err_unregister_kfree_skb;
	err = tracepoint_probe_register(retransmit_tp, floor_tcp_retransmit_skb, NULL);
	if (err)
		goto err_unregister_net_dev_queue;
	return 0;

err_unregister_net_dev_queue:
	tracepoint_probe_unregister(net_dev_queue_tp, floor_net_dev_queue, NULL);
err_unregister_kfree_skb:
	unregister_trace_kfree_skb(floor_kfree_skb, NULL);
	tracepoint_synchronize_unregister();
	return err;
}

static int floor_kprobes_attach(void)
{
	int err;

	err = register_kprobe(&drops_kprobe);
	if (err)
		return err;
	err = register_kretprobe(&queues_kretprobe);
	if (err)
		goto err_unregister_drops;
	return 0;

err_unregister_drops:
	unregister_kprobe(&drops_kprobe);
	return err;
}

static int __init bench_floor_init(void)
{
	int err;

	if (!strcmp(mode, "kprobe"))
		kprobe_mode = true;
	else if (strcmp(mode, "tracepoint"))
		return -EINVAL;
	err = kprobe_mode ? floor_kprobes_attach() : floor_tracepoints_attach();
	if (err)
		pr_err("cannot attach in %s mode: %d\n", mode, err);
	return err;
}

static void __exit bench_floor_exit(void)
{
	if (kprobe_mode) {
		unregister_kretprobe(&queues_kretprobe);
		unregister_kprobe(&drops_kprobe);
		return;
	}
	tracepoint_probe_unregister(retransmit_tp, floor_tcp_retransmit_skb, NULL);
	tracepoint_probe_unregister(net_dev_queue_tp, floor_net_dev_queue, NULL);
	unregister_trace_kfree_skb(floor_kfree_skb, NULL);
	tracepoint_synchronize_unregister();
}

module_init(bench_floor_init);
module_exit(bench_floor_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("skbstat lab benchmark: empty probes, the module's floor");
