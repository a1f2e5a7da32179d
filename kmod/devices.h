/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which values of skb->dev are devices: a registry of the network devices
 * registered right now, kept by a netdevice notifier.
 */
#ifndef _SKBSTAT_DEVICES_H
#define _SKBSTAT_DEVICES_H

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

/*
 * The registered device at @addr, or NULL: @addr is compared, never
 * followed.  Call under rcu_read_lock(); the entry stays valid until
 * rcu_read_unlock().
 */
const struct skbstat_device *skbstat_device_find(unsigned long addr);

/* The name device @ifindex of the netns with @cookie had when it went away. */
bool skbstat_departed_name(u64 cookie, u32 ifindex, char name[IFNAMSIZ]);

#endif /* _SKBSTAT_DEVICES_H */
