// SPDX-License-Identifier: GPL-2.0
/*
 * skb:kfree_skb: one row per reason, caller, device, netns and protocol.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <trace/events/skb.h>
#include "compat.h"
#include "skbstat.h"

static struct net *skb_netns(const struct sk_buff *skb)
{
	if (skb->dev)
		return dev_net(skb->dev);
	if (skb->sk)
		return sock_net(skb->sk);
	return NULL;
}

void skbstat_count_drop(struct sk_buff *skb, void *location, u32 reason)
{
	struct skbstat_table *t = rcu_dereference_sched(skbstat_drops_hook.table);
	struct skbstat_drop_key key = {
		.location = (unsigned long)location,
		.reason = reason,
		.ifindex = skb->dev ? skb->dev->ifindex : 0,
		.proto = ntohs(skb->protocol),
	};
	struct skbstat_drop_count *count;
	struct net *net = skb_netns(skb);

	if (net)
		key.netns = net->ns.inum;
	count = skbstat_table_hit(t, &key, skb->len);
	if (!count)
		return;
	local64_inc(&count->packets);
	local64_add(skb->len, &count->bytes);
}

static void skbstat_kfree_skb(SKBSTAT_KFREE_SKB_ARGS(skb, location, reason))
{
	skbstat_count_drop(skb, location, reason);
}

static int drops_attach(struct skbstat_hook *hook)
{
	if (hook->mode == SKBSTAT_MODE_KPROBE)
		return skbstat_drops_kprobe_attach();
	return register_trace_kfree_skb(skbstat_kfree_skb, NULL);
}

static void drops_detach(struct skbstat_hook *hook)
{
	if (hook->mode == SKBSTAT_MODE_KPROBE)
		skbstat_drops_kprobe_detach();
	else
		unregister_trace_kfree_skb(skbstat_kfree_skb, NULL);
}

struct skbstat_hook skbstat_drops_hook = {
	.id = SKBSTAT_HOOK_DROPS,
	.name = SKBSTAT_HOOK_NAME_DROPS,
	.shape = {
		.limit = SKBSTAT_DEFAULT_DROP_ROWS,
		.key_size = sizeof(struct skbstat_drop_key),
		.netns_off = offsetof(struct skbstat_drop_key, netns),
		.val_size = sizeof(struct skbstat_drop_count),
		.counters = 2,
	},
	.events_counter = 0,
	.bytes_counter = 1,
	.mode = SKBSTAT_MODE_TRACEPOINT,
	.attach = drops_attach,
	.detach = drops_detach,
};
