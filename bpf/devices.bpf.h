/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry of registered network devices, as the module keeps it
 * (kmod/devices.c).
 *
 * skb->dev shares its word with UDP's dev_scratch (a datagram waiting in a
 * socket queue) and with the rb_node of skbs parked in an rbtree (TCP's
 * out-of-order queue, netem, IP defragmentation), and a queued skb may keep
 * the address of a device that is gone.  So the drop hook never follows
 * skb->dev blindly: it looks the word up here, by value, and follows it
 * only when it is the address of a device the registry holds.
 *
 * BPF cannot join the netdevice notifier chain the module uses, and some
 * kernels refuse fentry/fexit programs (lockdown) while their tracepoints
 * work.  The registry follows the qdisc tracepoints instead, on every
 * kernel that has them (not 5.10):
 *
 *  - qdisc:qdisc_create fires for every qdisc made, the default ones that
 *    a device gets when it first comes up included (noqueue for
 *    IFF_NO_QUEUE devices such as veth and lo, pfifo_fast, mq, fq_codel
 *    otherwise): its device is registered and listed then, and is added.
 *  - qdisc:qdisc_destroy fires under RTNL when a qdisc is destroyed.  Its
 *    device is removed when it is no longer NETREG_REGISTERED or no longer
 *    on its netns's device list: unregistration and a move to another
 *    netns both unlist the device, then destroy all its qdiscs
 *    (dev_shutdown()).  A qdisc replaced or deleted with tc on a listed,
 *    registered device leaves the device in.
 *
 * The rule: the registry holds devices that are registered and listed and
 * hold a qdisc, so that their removal is seen.  A moved device comes back
 * with its new qdiscs when it next comes up.  The gap: a device registered
 * after attach that has not come up yet (has no qdisc), or that moved and
 * stays down, is unknown.  Such a device receives nothing, and what it is
 * given to send, the noop qdisc drops (QDISC_DROP): only the kernel's own
 * timers send there (IGMP, MLD), in the instant between dev_open() setting
 * IFF_UP and dev_activate() attaching the first qdisc.  So this costs the
 * device of those drops (the drop hook falls back to the socket; they have
 * none, and are unknown), never a wrong attribution.  The module names the
 * device; the zoo's differential test accepts exactly this difference.
 *
 * An entry is the device's address and nothing else: ifindex, netns and
 * name are read from the device, live, on a hit, as a move or a rename may
 * change them.  A hit proves the device is there to read: a qdisc holds a
 * reference on its device, the removal comes before the device can be
 * freed (unregistration waits for a grace period, synchronize_net(),
 * between dev_shutdown() and the release of the device), and the drop
 * hook runs under the RCU read lock.  A move likewise waits for a grace
 * period (rcu_barrier(), after the qdiscs' RCU frees) between the removal
 * and the change of netns and ifindex: a hit never reads a half-moved
 * device.
 *
 * Devices that exist before the hooks were attached are found by
 * seed_devices(), which the loader runs once after attaching them.
 */
#ifndef _SKBSTAT_DEVICES_BPF_H
#define _SKBSTAT_DEVICES_BPF_H

#include "netns.bpf.h"

/* As many as the module would hold in practice; a device beyond is unknown. */
#define SKBSTAT_DEVICES_MAX	65536

#define TCQ_F_BUILTIN		1	/* noop_qdisc and the like: never destroyed */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEVICES_MAX);
	/* Entries come and go with devices: no memory for the unused ones. */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);	/* the address of the struct net_device */
	__type(value, __u8);	/* unused */
} devices SEC(".maps");

/*
 * The device at @dev, if @dev is the address of a registered device: only
 * then may it be followed.  Looked up by value, as the number it may be.
 */
static __always_inline struct net_device *device_find(struct net_device *dev)
{
	__u64 addr = (__u64)dev;

	if (!addr || !bpf_map_lookup_elem(&devices, &addr))
		return NULL;
	return dev;
}

static __always_inline bool device_registered(const struct net_device *dev)
{
	return BPF_CORE_READ(dev, reg_state) ==
	       bpf_core_enum_value(enum netdev_reg_state, NETREG_REGISTERED);
}

/*
 * Whether @dev is on its netns's device list.  list_del_rcu() leaves a
 * poison value in dev_list.prev, whose probe read fails (and reads 0).
 */
static __always_inline bool device_listed(const struct net_device *dev)
{
	struct list_head *self = (void *)dev + bpf_core_field_offset(struct net_device, dev_list);
	struct list_head *prev = BPF_CORE_READ(dev, dev_list.prev);

	return BPF_CORE_READ(prev, next) == self;
}

static __always_inline bool qdisc_real(const struct Qdisc *q)
{
	return q && !(BPF_CORE_READ(q, flags) & TCQ_F_BUILTIN);
}

/* Whether @dev holds a qdisc whose destruction qdisc_destroy will see. */
static __always_inline bool device_has_qdisc(const struct net_device *dev)
{
	struct netdev_queue *ingress = BPF_CORE_READ(dev, ingress_queue);

	if (qdisc_real(BPF_CORE_READ(dev, qdisc)))
		return true;
	return ingress && qdisc_real(BPF_CORE_READ(ingress, qdisc_sleeping));
}

/*
 * Records @dev.  @flags: BPF_ANY from the hooks; BPF_NOEXIST from the
 * seeding walk.  Returns the map's answer; a full registry leaves the
 * device unknown, as the module does when it cannot allocate.
 */
static __always_inline long device_record(const struct net_device *dev, __u64 flags)
{
	__u64 addr = (__u64)dev;
	__u8 present = 1;

	return bpf_map_update_elem(&devices, &addr, &present, flags);
}

static __always_inline void device_forget(const struct net_device *dev)
{
	__u64 addr = (__u64)dev;

	bpf_map_delete_elem(&devices, &addr);
}

/* qdisc:qdisc_create: see the rule above. */
static __always_inline void device_qdisc_created(const struct net_device *dev)
{
	if (device_registered(dev))
		device_record(dev, BPF_ANY);
}

/* qdisc:qdisc_destroy: see the rule above. */
static __always_inline void device_qdisc_destroyed(const struct Qdisc *q)
{
	const struct net_device *dev = BPF_CORE_READ(q, dev_queue, dev);
	const struct Qdisc *root;

	if (!dev || (device_registered(dev) && device_listed(dev)))
		return;
	/*
	 * dev_shutdown() destroys the TX queues' and the ingress qdiscs
	 * before the root (dev->qdisc still points to it meanwhile): a drop
	 * made while the root's queue is purged still finds the device.
	 */
	root = BPF_CORE_READ(dev, qdisc);
	if (root == q || !qdisc_real(root))
		device_forget(dev);
}

/*
 * The walk of seed_devices(): every device of every netns, as one flat
 * loop (no nested bpf_loop), under the RCU read lock that the test run of
 * the program holds, as for_each_net_rcu() and for_each_netdev_rcu() are.
 */
struct device_walk {
	struct list_head *nets;		/* net_namespace_list */
	struct net *net;
	struct list_head *node;		/* in net->dev_base_head */
	bool done;
};

static long walk_step(__u64 i, void *ctx)
{
	struct device_walk *w = ctx;
	/* Plain copies: CO-RE must not relocate the accesses to our own struct. */
	struct list_head *node = w->node, *next;
	struct net *net = w->net;
	struct net_device *dev;

	if (node != &net->dev_base_head) {
		dev = list_entry_of(node, struct net_device, dev_list);
		/*
		 * Only a device whose removal the hooks will see: one with a
		 * qdisc.  A hook may have removed the device between our
		 * reading it and this insertion; the device was unlisted (or
		 * unregistered) before, and lost its qdiscs before it was
		 * listed again, so the check after the insertion catches it.
		 */
		if (device_has_qdisc(dev) && !device_record(dev, BPF_NOEXIST) &&
		    (!device_registered(dev) || !device_listed(dev) || !device_has_qdisc(dev)))
			device_forget(dev);
		w->node = BPF_CORE_READ(node, next);
		return 0;
	}
	next = BPF_CORE_READ(net, list.next);
	if (next == w->nets) {
		w->done = true;
		return 1;
	}
	net = list_entry_of(next, struct net, list);
	w->net = net;
	w->node = BPF_CORE_READ(net, dev_base_head.next);
	return 0;
}

static __always_inline void record_init_netns(const struct net *init_net)
{
	__u32 key = SKBSTAT_LAYOUT_INIT_NETNS;
	__u64 inode = BPF_CORE_READ(init_net, ns.inum);

	bpf_map_update_elem(&layout, &key, &inode, BPF_ANY);
}

static __always_inline int seed_registry(void)
{
	struct device_walk w = {};
	struct net *init_net;

	init_net = find_init_net();
	if (!init_net)
		return SEED_NO_INIT_NET;
	record_init_netns(init_net);
	w.nets = net_list_head(init_net);
	if (!w.nets)
		return SEED_NO_INIT_NET;
	w.net = init_net;
	w.node = BPF_CORE_READ(init_net, dev_base_head.next);
	bpf_loop(WALK_MAX_STEPS, walk_step, &w, 0);
	return w.done ? SEED_OK : SEED_TOO_MANY;
}

#endif /* _SKBSTAT_DEVICES_BPF_H */
