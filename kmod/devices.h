/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which values of skb->dev are devices: a registry of the network devices
 * registered right now, kept by a netdevice notifier.
 */
#ifndef _SKBSTAT_DEVICES_H
#define _SKBSTAT_DEVICES_H

#include <linux/hash.h>
#include <linux/if.h>
#include <linux/rculist.h>
#include <linux/types.h>

/* What the drop hook may know of a device: copies, never the device itself. */
struct skbstat_device {
	struct hlist_node node;
	unsigned long addr;	/* the net_device's address: the lookup key only */
	u64 netns_cookie;	/* of the device's netns: rows are keyed by it */
	u32 netns;		/* inode of the device's netns, for display */
	u32 ifindex;
	char name[IFNAMSIZ];
	struct rcu_head rcu;
};

int skbstat_devices_init(void);
void skbstat_devices_exit(void);

#define SKBSTAT_DEVICES_HASH_BITS	12

/* The registry: written under RTNL only (devices.c), read here. */
extern struct hlist_head skbstat_devices[1 << SKBSTAT_DEVICES_HASH_BITS];

static inline struct hlist_head *skbstat_device_bucket(unsigned long addr)
{
	return &skbstat_devices[hash_long(addr, SKBSTAT_DEVICES_HASH_BITS)];
}

/*
 * The registered device at @addr, or NULL: @addr is compared, never
 * followed.  Inline, for the drop probe.
 *
 * Call under rcu_read_lock(), or with preemption disabled: the probes call
 * it from tracepoint and kprobe handlers, which run with preemption off
 * (the rule the tables rely on too, table.h), and take no rcu_read_lock()
 * of their own.  That is enough because an entry is only ever freed with
 * kfree_rcu() after hlist_del_rcu() or hlist_replace_rcu() (devices.c),
 * and the module's exit waits for those with rcu_barrier(): since 4.20
 * (so on every kernel we build for, 5.10 on) a normal RCU grace period
 * also waits for every region that runs with preemption disabled.  The
 * entry stays valid until that region, or the rcu_read_unlock(), ends.
 * Whoever frees an entry in another way (kfree() after an SRCU or tasks
 * RCU grace period, or with no grace period) must give the probes their
 * rcu_read_lock() back.  The bucket walk's lockdep check
 * (CONFIG_PROVE_RCU_LIST) accepts both: rcu_read_lock_any_held().
 */
static __always_inline const struct skbstat_device *skbstat_device_find(unsigned long addr)
{
	struct skbstat_device *d;

	if (!addr)
		return NULL;
	hlist_for_each_entry_rcu(d, skbstat_device_bucket(addr), node)
		if (d->addr == addr)
			return d;
	return NULL;
}

/* The name device @ifindex of the netns with @cookie had when it went away. */
bool skbstat_departed_name(u64 cookie, u32 ifindex, char name[IFNAMSIZ]);

#endif /* _SKBSTAT_DEVICES_H */
