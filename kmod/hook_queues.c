// SPDX-License-Identifier: GPL-2.0
/*
 * net:net_dev_queue: one row per device transmit queue, with a log2
 * histogram of packet sizes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include "skbstat.h"

static u32 size_bucket(u32 len)
{
	if (len < 2)
		return 0;
	return min_t(u32, ilog2(len), SKBSTAT_HIST_BUCKETS - 1);
}

/*
 * What this hook may follow: net_dev_queue fires in __dev_queue_xmit(),
 * which has just used skb->dev itself to pick the TX queue, under
 * rcu_read_lock_bh(): skb->dev is the device the packet is queued to and
 * stays valid for the call (so do its netns and ifindex).  The kprobe mode
 * reads it at the return of netdev_core_pick_tx(), inside the same call.
 * A dying netns's devices are unregistered or moved (the devices' pernet
 * exits, which end with an RCU grace period) before the module's pernet
 * exit retires its rows: no row of it appears after.
 */
void skbstat_count_queue(const struct sk_buff *skb)
{
	struct skbstat_table *t = rcu_dereference_sched(skbstat_queues_hook.table);
	struct skbstat_queue_key key = {
		.netns = dev_net(skb->dev)->ns.inum,
		.netns_cookie = dev_net(skb->dev)->net_cookie,
		.ifindex = skb->dev->ifindex,
		.queue = skb_get_queue_mapping(skb),
	};
	struct skbstat_queue_count *count;

	count = skbstat_table_hit(t, &key, skb->len);
	if (!count)
		return;
	local64_inc(&count->packets);
	local64_add(skb->len, &count->bytes);
	local64_inc(&count->hist[size_bucket(skb->len)]);
}

static void skbstat_net_dev_queue(void *data, struct sk_buff *skb)
{
	skbstat_count_queue(skb);
}

static int queues_attach(struct skbstat_hook *hook)
{
	if (hook->mode == SKBSTAT_MODE_KPROBE)
		return skbstat_queues_kprobe_attach();
	return skbstat_tracepoint_attach("net_dev_queue", skbstat_net_dev_queue);
}

static void queues_detach(struct skbstat_hook *hook)
{
	if (hook->mode == SKBSTAT_MODE_KPROBE)
		skbstat_queues_kprobe_detach();
	else
		skbstat_tracepoint_detach("net_dev_queue", skbstat_net_dev_queue);
}

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
	.attach = queues_attach,
	.detach = queues_detach,
};
