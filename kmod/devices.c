// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of registered network devices.
 *
 * skb->dev shares its word with UDP's dev_scratch (a datagram waiting in a
 * socket queue) and with the rb_node of skbs parked in an rbtree (TCP's
 * out-of-order queue, netem, IP defragmentation), and a queued skb may keep
 * the address of a device that is gone.  So the drop hook never follows
 * skb->dev: it looks the word up here, by value.  An entry is added at
 * NETDEV_REGISTER and removed at NETDEV_UNREGISTER (a move to another netns
 * is both), always under RTNL; the probes read entries under RCU (devices.h
 * says which RCU).
 */
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include "compat.h"
#include "devices.h"

/* The registry itself: the probes read it through skbstat_device_find(). */
DEFINE_HASHTABLE(skbstat_devices, SKBSTAT_DEVICES_HASH_BITS);

/*
 * Names of devices that are gone, so that their rows keep the name they
 * were counted under (as the BPF backend's, recorded by its probes).
 * Bounded: the oldest name goes first.
 */
#define DEPARTED_MAX		1024

struct skbstat_departed {
	struct list_head node;
	u64 netns_cookie;
	u32 ifindex;
	char name[IFNAMSIZ];
};

static LIST_HEAD(departed);
static unsigned int departed_count;
static DEFINE_SPINLOCK(departed_lock);

static void departed_add(const struct skbstat_device *d)
{
	struct skbstat_departed *gone = kzalloc(sizeof(*gone), GFP_KERNEL), *oldest = NULL;

	if (!gone)
		return;
	gone->netns_cookie = d->netns_cookie;
	gone->ifindex = d->ifindex;
	memcpy(gone->name, d->name, IFNAMSIZ);
	spin_lock(&departed_lock);
	list_add(&gone->node, &departed);
	if (++departed_count > DEPARTED_MAX) {
		oldest = list_last_entry(&departed, struct skbstat_departed, node);
		list_del(&oldest->node);
		departed_count--;
	}
	spin_unlock(&departed_lock);
	kfree(oldest);
}

bool skbstat_departed_name(u64 cookie, u32 ifindex, char name[IFNAMSIZ])
{
	struct skbstat_departed *gone;
	bool found = false;

	spin_lock(&departed_lock);
	list_for_each_entry(gone, &departed, node) {
		if (gone->netns_cookie == cookie && gone->ifindex == ifindex) {
			memcpy(name, gone->name, IFNAMSIZ);
			found = true;
			break;
		}
	}
	spin_unlock(&departed_lock);
	return found;
}

static void departed_free(void)
{
	struct skbstat_departed *gone, *tmp;

	list_for_each_entry_safe(gone, tmp, &departed, node)
		kfree(gone);
	INIT_LIST_HEAD(&departed);
	departed_count = 0;
}

static struct skbstat_device *registry_find_rtnl(unsigned long addr)
{
	struct skbstat_device *d;

	hlist_for_each_entry(d, skbstat_device_bucket(addr), node)
		if (d->addr == addr)
			return d;
	return NULL;
}

static void registry_fill(struct skbstat_device *d, const struct net_device *dev)
{
	d->addr = (unsigned long)dev;
	d->ifindex = dev->ifindex;
	d->netns = dev_net(dev)->ns.inum;
	d->netns_cookie = skbstat_net_cookie(dev_net(dev));
	strscpy(d->name, dev->name, IFNAMSIZ);
}

/*
 * A device the registry cannot hold (no memory) is simply unknown to the
 * drop hook: its drops count without a device, never against another one.
 */
static void registry_add(const struct net_device *dev)
{
	struct skbstat_device *d;

	if (registry_find_rtnl((unsigned long)dev))
		return;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return;
	registry_fill(d, dev);
	hlist_add_head_rcu(&d->node, skbstat_device_bucket(d->addr));
}

static void registry_remove(const struct net_device *dev)
{
	struct skbstat_device *d = registry_find_rtnl((unsigned long)dev);

	if (!d)
		return;
	hlist_del_rcu(&d->node);
	kfree_rcu(d, rcu);
}

/* Unregistration, or the first half of a move to another netns. */
static void registry_depart(const struct net_device *dev)
{
	struct skbstat_device *d = registry_find_rtnl((unsigned long)dev);

	if (d)
		departed_add(d);
	registry_remove(dev);
}

/*
 * A rename replaces the entry whole, so that a reader never sees half a
 * name, and the old entry stays if there is no memory for the new one.
 */
static void registry_rename(const struct net_device *dev)
{
	struct skbstat_device *old = registry_find_rtnl((unsigned long)dev), *d;

	if (!old) {
		registry_add(dev);
		return;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return;
	registry_fill(d, dev);
	hlist_replace_rcu(&old->node, &d->node);
	kfree_rcu(old, rcu);
}

static int device_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	ASSERT_RTNL();
	switch (event) {
	case NETDEV_REGISTER:
		registry_add(dev);
		break;
	case NETDEV_UNREGISTER:
		registry_depart(dev);
		break;
	case NETDEV_CHANGENAME:
		registry_rename(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block device_notifier = {
	.notifier_call = device_event,
};

/* Registering replays NETDEV_REGISTER for every device of every netns. */
int skbstat_devices_init(void)
{
	return register_netdevice_notifier(&device_notifier);
}

/* Unregistering replays NETDEV_UNREGISTER: the registry ends up empty. */
void skbstat_devices_exit(void)
{
	struct skbstat_device *d;
	struct hlist_node *tmp;
	int bkt;

	unregister_netdevice_notifier(&device_notifier);
	departed_free();
	rtnl_lock();
	hash_for_each_safe(skbstat_devices, bkt, tmp, d, node) {
		hlist_del_rcu(&d->node);
		kfree_rcu(d, rcu);
	}
	rtnl_unlock();
	/* Entries still waiting for their grace period are freed all the same. */
	rcu_barrier();
}
