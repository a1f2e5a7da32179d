/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the module share: the hooks and their tables.
 */
#ifndef _SKBSTAT_H
#define _SKBSTAT_H

#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <uapi/linux/skbstat.h>
#include "table.h"

struct skbstat_hook {
	enum skbstat_hook_id id;
	const char *name;
	u32 key_size;
	u32 val_size;			/* per-CPU counters of one row */
	u32 limit;			/* row limit of the next table */
	bool attached;
	enum skbstat_attach_mode mode;
	u32 generation;			/* bumped whenever the table is replaced */
	struct skbstat_table __rcu *table;
	int (*attach)(struct skbstat_hook *hook);
	void (*detach)(struct skbstat_hook *hook);
};

/* Serialises attach, detach and table replacement; never taken by probes. */
extern struct mutex skbstat_config_lock;
extern struct skbstat_hook skbstat_drops_hook;
extern struct skbstat_hook *skbstat_hooks[SKBSTAT_HOOK_COUNT];

/* kmod values: the per-CPU form of struct skbstat_drop_val. */
struct skbstat_drop_count {
	local64_t packets;
	local64_t bytes;
};

int skbstat_hook_start(struct skbstat_hook *hook);
void skbstat_hook_stop(struct skbstat_hook *hook);
int skbstat_hook_reset(struct skbstat_hook *hook);

void skbstat_symbolize(char *buf, size_t len, u64 addr);
bool skbstat_dev_name(u32 netns, u32 ifindex, char name[IFNAMSIZ]);

int skbstat_netlink_init(void);
void skbstat_netlink_exit(void);

#endif /* _SKBSTAT_H */
