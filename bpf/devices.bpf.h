/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry of registered network devices, as the module keeps it
 * (kmod/devices.c).
 *
 * skb->dev shares its word with UDP's dev_scratch (a datagram waiting in a
 * socket queue) and with the rb_node of skbs parked in an rbtree (TCP's
 * out-of-order queue, netem, IP defragmentation), and a queued skb may keep
 * the address of a device that is gone.  So the drop hook never follows
 * skb->dev: it looks the word up here, by value, and uses the copies the
 * entry holds.
 *
 * BPF cannot join the netdevice notifier chain the module uses, and the
 * function that walks it (call_netdevice_notifiers_info) is static and
 * inlined on 6.1.  The registry follows the functions around the chain's
 * NETDEV_REGISTER, NETDEV_UNREGISTER and NETDEV_CHANGENAME calls instead,
 * all of them global functions called from another translation unit or
 * too big to inline, so every call goes through their trampolines:
 *
 *  - register_netdevice() returning 0: the device is registered (its
 *    NETDEV_REGISTER went out just before);
 *  - netdev_unregister_kobject(): called once per device by
 *    unregister_netdevice_many_notify(), right after the device's
 *    NETDEV_UNREGISTER, which the module's notifier, registered last,
 *    sees after every other notifier too; drops made by those notifiers
 *    (neighbour queues, say) still count against the device, as with the
 *    module;
 *  - __dev_change_net_namespace(): a move to another netns (the module's
 *    UNREGISTER + REGISTER) gives a new ifindex and netns, maybe a new name;
 *  - dev_change_name() (netif_change_name() since 6.15, which the loader
 *    picks where it exists): a rename, rolled back on failure.
 *
 * All of them run under RTNL with a live device, so its fields are read
 * there and nowhere else.  Each update replaces the entry whole: a reader
 * copies either the old or the new one.
 *
 * Devices registered before the hooks were attached are found by
 * seed_devices(), which the loader runs once after attaching them.
 */
#ifndef _SKBSTAT_DEVICES_BPF_H
#define _SKBSTAT_DEVICES_BPF_H

/* As many as the module would hold in practice; a device beyond is unknown. */
#define SKBSTAT_DEVICES_MAX	65536

struct registered_device {
	__u64 addr;		/* the key again: see device_find() */
	__u32 ifindex;
	__u32 netns;
	char name[SKBSTAT_IFNAMSIZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEVICES_MAX);
	/* Entries come and go with devices: no memory for the unused ones. */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);	/* the address of the struct net_device */
	__type(value, struct registered_device);
} devices SEC(".maps");

/*
 * Copies the entry of the device at @addr into @copy; false when @addr is
 * no registered device.  A hash map may hand a deleted entry's memory to
 * the next insertion at once; the address kept in the value tells when a
 * copy caught an entry that another device took over meanwhile.
 */
static __always_inline bool device_find(__u64 addr, struct registered_device *copy)
{
	const struct registered_device *d;

	if (!addr)
		return false;
	d = bpf_map_lookup_elem(&devices, &addr);
	if (!d)
		return false;
	__builtin_memcpy(copy, d, sizeof(*copy));
	return copy->addr == addr;
}

static __always_inline bool device_registered(const struct net_device *dev)
{
	return BPF_CORE_READ(dev, reg_state) ==
	       bpf_core_enum_value(enum netdev_reg_state, NETREG_REGISTERED);
}

/*
 * Records @dev as it is now.  @flags: BPF_ANY from the hooks, which run
 * under RTNL and know the device's current state; BPF_NOEXIST from the
 * seeding walk, whose copy may be older than a hook's.  Returns the map's
 * answer; a full registry leaves the device unknown, as the module does
 * when it cannot allocate.
 */
static __always_inline long device_record(const struct net_device *dev, __u64 flags)
{
	struct registered_device d = { .addr = (__u64)dev };

	d.ifindex = BPF_CORE_READ(dev, ifindex);
	d.netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	BPF_CORE_READ_STR_INTO(&d.name, dev, name);
	return bpf_map_update_elem(&devices, &d.addr, &d, flags);
}

static __always_inline void device_forget(const struct net_device *dev)
{
	__u64 addr = (__u64)dev;

	bpf_map_delete_elem(&devices, &addr);
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

/* Seeding limits: deeper process trees or more devices fail the attach. */
#define WALK_MAX_ANCESTORS	(1U << 16)
#define WALK_MAX_STEPS		(1U << 20)

#define list_entry_of(ptr, type, member) \
	((type *)((void *)(ptr) - bpf_core_field_offset(type, member)))

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
		 * A hook may have removed the device between our reading it
		 * and this insertion; it has then marked it unregistering,
		 * before, so the check after the insertion catches it.
		 */
		if (!device_record(dev, BPF_NOEXIST) && !device_registered(dev))
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

/* Up the process tree to init_task, whose namespaces are the initial ones. */
static long ancestor_step(__u64 i, void *ctx)
{
	struct task_struct **tp = ctx, *t = *tp, *parent;

	if (!BPF_CORE_READ(t, pid))
		return 1;
	parent = BPF_CORE_READ(t, real_parent);
	if (!parent || parent == t)
		return 1;
	*tp = parent;
	return 0;
}

/* seed_devices()'s answers (the test run's return value). */
enum {
	SEED_OK,
	SEED_NO_INIT_NET,
	SEED_TOO_MANY,
};

static __always_inline int seed_registry(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct device_walk w = {};
	struct list_head *nets;
	struct net *init_net;

	bpf_loop(WALK_MAX_ANCESTORS, ancestor_step, &t, 0);
	if (BPF_CORE_READ(t, pid))
		return SEED_NO_INIT_NET;
	init_net = BPF_CORE_READ(t, nsproxy, net_ns);
	if (!init_net)
		return SEED_NO_INIT_NET;
	/*
	 * init_net is the first netns on net_namespace_list and never
	 * leaves it; the others are added at its tail: the entry before
	 * init_net is the list's head.
	 */
	nets = BPF_CORE_READ(init_net, list.prev);
	if (BPF_CORE_READ(nets, next) != &init_net->list)
		return SEED_NO_INIT_NET;
	w.nets = nets;
	w.net = init_net;
	w.node = BPF_CORE_READ(init_net, dev_base_head.next);
	bpf_loop(WALK_MAX_STEPS, walk_step, &w, 0);
	return w.done ? SEED_OK : SEED_TOO_MANY;
}

#endif /* _SKBSTAT_DEVICES_BPF_H */
