/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the module share: the hooks and their tables.
 */
#ifndef _SKBSTAT_H
#define _SKBSTAT_H

#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <uapi/linux/skbstat.h>
#include "table.h"

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
	int (*attach)(struct skbstat_hook *hook);
	void (*detach)(struct skbstat_hook *hook);
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

struct skbstat_flow_count {
	local64_t retransmits;
	local64_t bytes;
	local64_t events;
	local64_t first_ns;
	local64_t last_ns;
	u32 state;
};

struct skbstat_queue_count {
	local64_t packets;
	local64_t bytes;
	local64_t hist[SKBSTAT_HIST_BUCKETS];
};

struct sk_buff;
struct sock;

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

/* What the probes of either attach mode call. */
void skbstat_count_drop(struct sk_buff *skb, void *location, u32 reason,
			const struct sock *rx_sk);
void skbstat_count_retransmit(const struct sock *sk, const struct sk_buff *skb);
void skbstat_count_queue(const struct sk_buff *skb);

int skbstat_tracepoint_attach(const char *name, void *probe);
void skbstat_tracepoint_detach(const char *name, void *probe);

int skbstat_drops_kprobe_attach(void);
void skbstat_drops_kprobe_detach(void);
int skbstat_flows_kprobe_attach(void);
void skbstat_flows_kprobe_detach(void);
int skbstat_queues_kprobe_attach(void);
void skbstat_queues_kprobe_detach(void);

int skbstat_hook_attach(struct skbstat_hook *hook, enum skbstat_attach_mode mode);
void skbstat_hook_detach(struct skbstat_hook *hook);
int skbstat_hook_reset(struct skbstat_hook *hook);
void skbstat_hooks_retire(const u64 *cookies, u32 nr_cookies);
const char *skbstat_mode_name(enum skbstat_attach_mode mode);

void skbstat_symbolize(char *buf, size_t len, u64 addr, bool addresses);
bool skbstat_dev_name(u64 cookie, u32 ifindex, char name[IFNAMSIZ]);

int skbstat_netns_init(void);
void skbstat_netns_exit(void);

int skbstat_netlink_init(void);
void skbstat_netlink_exit(void);

#endif /* _SKBSTAT_H */
