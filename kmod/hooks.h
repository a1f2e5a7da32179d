/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hooks: each counts one tracepoint's events into its table, attached
 * in one of two modes through the ops of that mode.
 */
#ifndef _SKBSTAT_KMOD_HOOKS_H
#define _SKBSTAT_KMOD_HOOKS_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <uapi/linux/skbstat.h>
#include "table.h"

/*
 * How a hook attaches in one mode.  Each hook has one per mode, picked when
 * it attaches, as drop_monitor picks its alert ops: the probes themselves
 * never ask which mode they run in.
 */
struct skbstat_attach_ops {
	int (*attach)(void);
	void (*detach)(void);
	u64 (*missed)(void);	/* hits the kernel skipped, since attach; NULL: none */
	const char *gaps;	/* the events of the tracepoint this mode cannot see */
};

struct skbstat_hook {
	enum skbstat_hook_id id;
	const char *name;
	struct skbstat_table_shape shape;	/* of the next table */
	u8 events_counter;		/* which row counter counts events */
	u8 bytes_counter;		/* and which one bytes */
	bool attached;
	enum skbstat_attach_mode mode;
	u32 generation;			/* bumped whenever the table is replaced */
	struct skbstat_table __rcu *table;
	const struct skbstat_attach_ops *ops[SKBSTAT_MODE_COUNT];
};

/* Serialises attach, detach and table replacement; never taken by probes. */
extern struct mutex skbstat_config_lock;
/* Dumps read rows under it; the rows of dead namespaces are retired under it (write). */
extern struct rw_semaphore skbstat_retire_sem;
extern struct skbstat_hook skbstat_drops_hook;
extern struct skbstat_hook skbstat_flows_hook;
extern struct skbstat_hook skbstat_queues_hook;
extern struct skbstat_hook *skbstat_hooks[SKBSTAT_HOOK_COUNT];

/* The per-CPU forms of struct skbstat_{drop,flow,queue}_val. */
struct skbstat_drop_count {
	local64_t packets;
	local64_t bytes;
};

/*
 * The flows table is shared (retransmits are rare): one copy of a row for
 * all CPUs, updated with atomic64 operations.
 */
struct skbstat_flow_count {
	atomic64_t retransmits;
	atomic64_t bytes;
	atomic64_t events;
	atomic64_t failed;
	/* get_jiffies_64(): one load; ktime_get_ns() cost 45 instructions (lab VM) */
	atomic64_t first_jiffies;
	atomic64_t last_jiffies;
	u32 state;
};

struct skbstat_queue_count {
	local64_t packets;
	local64_t bytes;
	local64_t hist[SKBSTAT_HIST_BUCKETS];
};

/*
 * Whether events of @net get rows of their own.  A netns whose last
 * reference is gone is being dismantled (cleanup_net()): the module folds
 * its rows into the netns gone row at its pernet exit (netns.c), and its
 * later events (a socket closed by an exit method that runs after ours)
 * go to that row as well, as a key of all zeros, rather than make a row
 * that nothing would retire.
 */
static inline bool skbstat_net_alive(const struct net *net)
{
	return check_net(net);
}

int skbstat_hooks_alloc(u64 hash_seed);
void skbstat_hooks_free(void);
int skbstat_hooks_attach_all(enum skbstat_attach_mode mode);
void skbstat_hooks_detach_all(void);

int skbstat_hook_attach(struct skbstat_hook *hook, enum skbstat_attach_mode mode);
void skbstat_hook_detach(struct skbstat_hook *hook);
int skbstat_hook_reset(struct skbstat_hook *hook);
void skbstat_hooks_retire(const u64 *cookies, u32 nr_cookies);

int skbstat_mode_parse(const char *name, enum skbstat_attach_mode *mode);
const char *skbstat_mode_name(enum skbstat_attach_mode mode);
u64 skbstat_hook_missed(const struct skbstat_hook *hook);

#endif /* _SKBSTAT_KMOD_HOOKS_H */
