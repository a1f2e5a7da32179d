// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat: exact counters of dropped packets, TCP retransmits and device
 * transmit queues, served over the "skbstat" generic-netlink family.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/tracepoint.h>
#include "skbstat.h"

DEFINE_MUTEX(skbstat_config_lock);

struct skbstat_hook *skbstat_hooks[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS] = &skbstat_drops_hook,
};

module_param_named(drop_rows, skbstat_drops_hook.limit, uint, 0444);
MODULE_PARM_DESC(drop_rows, "Most rows of the drops table (default 8192)");

static struct skbstat_table *hook_table_alloc(struct skbstat_hook *hook)
{
	return skbstat_table_alloc(hook->limit, hook->key_size, hook->val_size);
}

static struct skbstat_table *hook_table(struct skbstat_hook *hook)
{
	return rcu_dereference_protected(hook->table, lockdep_is_held(&skbstat_config_lock));
}

/* Gives @hook a fresh table and attaches its probe. */
int skbstat_hook_start(struct skbstat_hook *hook)
{
	struct skbstat_table *t;
	int err;

	lockdep_assert_held(&skbstat_config_lock);
	t = hook_table_alloc(hook);
	if (!t)
		return -ENOMEM;
	rcu_assign_pointer(hook->table, t);
	err = hook->attach(hook);
	if (err)
		goto err_free_table;
	hook->attached = true;
	return 0;

err_free_table:
	RCU_INIT_POINTER(hook->table, NULL);
	skbstat_table_free(t);
	return err;
}

void skbstat_hook_stop(struct skbstat_hook *hook)
{
	struct skbstat_table *t = hook_table(hook);

	lockdep_assert_held(&skbstat_config_lock);
	if (hook->attached) {
		hook->detach(hook);
		hook->attached = false;
		/* No probe may still be running on the table we free. */
		tracepoint_synchronize_unregister();
	}
	RCU_INIT_POINTER(hook->table, NULL);
	/* Nor a netlink dump. */
	synchronize_rcu();
	skbstat_table_free(t);
}

/* Replaces the table of @hook by an empty one: rows and totals start over. */
int skbstat_hook_reset(struct skbstat_hook *hook)
{
	struct skbstat_table *old, *t;

	lockdep_assert_held(&skbstat_config_lock);
	t = hook_table_alloc(hook);
	if (!t)
		return -ENOMEM;
	old = hook_table(hook);
	rcu_assign_pointer(hook->table, t);
	WRITE_ONCE(hook->generation, hook->generation + 1);
	/* Probes run with preemption off, dumps under rcu_read_lock(): both are readers. */
	synchronize_rcu();
	skbstat_table_free(old);
	return 0;
}

static void stop_hooks(void)
{
	int i;

	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++)
		if (skbstat_hooks[i])
			skbstat_hook_stop(skbstat_hooks[i]);
}

static int start_hooks(void)
{
	int i, err;

	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		if (!skbstat_hooks[i])
			continue;
		err = skbstat_hook_start(skbstat_hooks[i]);
		if (err) {
			pr_err("cannot attach to %s: %d\n", skbstat_hooks[i]->name, err);
			goto err_stop_hooks;
		}
	}
	return 0;

err_stop_hooks:
	while (--i >= 0)
		if (skbstat_hooks[i])
			skbstat_hook_stop(skbstat_hooks[i]);
	return err;
}

static int __init skbstat_init(void)
{
	int err;

	mutex_lock(&skbstat_config_lock);
	err = start_hooks();
	mutex_unlock(&skbstat_config_lock);
	if (err)
		return err;

	err = skbstat_netlink_init();
	if (err)
		goto err_stop_hooks;
	return 0;

err_stop_hooks:
	mutex_lock(&skbstat_config_lock);
	stop_hooks();
	mutex_unlock(&skbstat_config_lock);
	return err;
}

static void __exit skbstat_exit(void)
{
	/* No request may arrive while the tables go away. */
	skbstat_netlink_exit();
	mutex_lock(&skbstat_config_lock);
	stop_hooks();
	mutex_unlock(&skbstat_config_lock);
}

module_init(skbstat_init);
module_exit(skbstat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exact counters of packet drops, TCP retransmits and TX queues");
MODULE_VERSION(SKBSTAT_VERSION);
