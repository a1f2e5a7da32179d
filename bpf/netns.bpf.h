/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Namespaces, alive and dead.  The module retires a dead netns's rows from
 * its pernet exit; BPF programs cannot join the pernet chain, and this
 * machine's kind of kernel allows neither kprobes nor fentry on the
 * functions that free a netns.  So userspace asks instead, at each read:
 * it writes the cookies of the rows' namespaces into netns_check and runs
 * mark_live_netns() (BPF_PROG_TEST_RUN), which walks the kernel's list of
 * namespaces and marks every cookie it finds there.  A cookie left unmarked
 * belongs to a netns that was on the list when its row was made and has
 * left it: cleanup_net() unlists a netns only after its last reference is
 * gone, so from then on the probes count its events in the netns gone row
 * (net_alive_of()), and its rows are final after one grace period.
 *
 * A netns is unlisted with references left only before setup_net() lists
 * it (and for good when its setup fails).  None of it can count an event
 * then: no user socket exists in it yet, and its devices are down (no qdisc,
 * so none is in the device registry, and none transmits).
 */
#ifndef _SKBSTAT_NETNS_BPF_H
#define _SKBSTAT_NETNS_BPF_H

#include "maps.bpf.h"

/* Walking limits: deeper process trees, more namespaces or devices fail. */
#define WALK_MAX_ANCESTORS	(1U << 16)
#define WALK_MAX_STEPS		(1U << 20)

#define list_entry_of(ptr, type, member) \
	((type *)((void *)(ptr) - bpf_core_field_offset(type, member)))

/* The walks' answers (their test runs' return value): seed_devices() too. */
enum {
	SEED_OK,
	SEED_NO_INIT_NET,
	SEED_TOO_MANY,
};

/* Where a netns keeps its count of references, by kernel. */
struct ns_common___ns_ref {	/* 6.18+ */
	refcount_t __ns_ref;
} __attribute__((preserve_access_index));

struct ns_common___count {	/* 5.16 to 6.17 */
	refcount_t count;
} __attribute__((preserve_access_index));

struct net___count {		/* before 5.16 */
	refcount_t count;
} __attribute__((preserve_access_index));

/*
 * False once the last reference on @net is gone: the kernel is tearing the
 * netns down (the module's check_net()).  An event seen from then on
 * counts in the netns gone row (an all-zero key), never in a row of the
 * netns: userspace retires those rows once the netns has left the list
 * (after its last reference went) and a grace period has passed, when no
 * probe that saw the netns alive is still running; a row made later would
 * never be retired.  Where no field is known, never false.
 *
 * @direct: @net is a BTF-typed pointer (tp_btf), read with plain loads.  A
 * plain load that faults reads 0, which counts as torn down: such an event
 * goes to the netns gone row, never to another netns's.  @direct is a
 * constant in each program, so the other branch is never compiled.
 */
static __always_inline bool net_alive_of(struct net *net, bool direct)
{
	struct ns_common___ns_ref *ns_ref = (void *)&net->ns;
	struct ns_common___count *ns_count = (void *)&net->ns;
	struct net___count *net_count = (void *)net;
	int refs = 1, err = 0;

	/* A probe read that fails says nothing: the netns counts as alive. */
	if (bpf_core_field_exists(struct ns_common___ns_ref, __ns_ref)) {
		if (direct)
			refs = ns_ref->__ns_ref.refs.counter;
		else
			err = BPF_CORE_READ_INTO(&refs, ns_ref, __ns_ref.refs.counter);
	} else if (bpf_core_field_exists(struct ns_common___count, count)) {
		if (direct)
			refs = ns_count->count.refs.counter;
		else
			err = BPF_CORE_READ_INTO(&refs, ns_count, count.refs.counter);
	} else if (bpf_core_field_exists(struct net___count, count)) {
		if (direct)
			refs = net_count->count.refs.counter;
		else
			err = BPF_CORE_READ_INTO(&refs, net_count, count.refs.counter);
	} else {
		return true;
	}
	return err || refs != 0;
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

/* init_net, from init_task's namespaces (a caller may be in a pid namespace). */
static __always_inline struct net *find_init_net(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	bpf_loop(WALK_MAX_ANCESTORS, ancestor_step, &t, 0);
	if (BPF_CORE_READ(t, pid))
		return NULL;
	return BPF_CORE_READ(t, nsproxy, net_ns);
}

/*
 * The head of net_namespace_list, or NULL.  init_net is the first netns on
 * it and never leaves it; the others are added at its tail: the entry
 * before init_net is the list's head.
 */
static __always_inline struct list_head *net_list_head(struct net *init_net)
{
	struct list_head *nets = BPF_CORE_READ(init_net, list.prev);

	return BPF_CORE_READ(nets, next) == &init_net->list ? nets : NULL;
}

/*
 * The walk of mark_live_netns(), under the RCU read lock that the test run
 * holds, as for_each_net_rcu() is.
 */
struct netns_walk {
	struct list_head *nets;		/* net_namespace_list */
	struct net *net;
	bool done;
};

static long mark_step(__u64 i, void *ctx)
{
	struct netns_walk *w = ctx;
	/* Plain copies: CO-RE must not relocate the accesses to our own struct. */
	struct net *net = w->net;
	struct list_head *next;
	__u64 cookie;
	__u8 *live;

	if (bpf_core_field_exists(struct net, net_cookie)) {
		cookie = BPF_CORE_READ(net, net_cookie);
		live = bpf_map_lookup_elem(&netns_check, &cookie);
		if (live)
			*live = 1;
	}
	next = BPF_CORE_READ(net, list.next);
	if (next == w->nets) {
		w->done = true;
		return 1;
	}
	w->net = list_entry_of(next, struct net, list);
	return 0;
}

static __always_inline int mark_live(void)
{
	struct netns_walk w = {};

	/* No cookies, no rows to retire: every row stays. */
	if (!bpf_core_field_exists(struct net, net_cookie))
		return SEED_OK;
	w.net = find_init_net();
	if (!w.net)
		return SEED_NO_INIT_NET;
	w.nets = net_list_head(w.net);
	if (!w.nets)
		return SEED_NO_INIT_NET;
	bpf_loop(WALK_MAX_STEPS, mark_step, &w, 0);
	return w.done ? SEED_OK : SEED_TOO_MANY;
}

#endif /* _SKBSTAT_NETNS_BPF_H */
