// SPDX-License-Identifier: GPL-2.0
/*
 * The three hooks as one set: their tables, how each attaches in the mode
 * asked for (through its ops for that mode), resets, and retiring the rows
 * of namespaces that died.  The netlink requests and the module's load and
 * unload act on the hooks only through this.
 */
#include <linux/rwsem.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "hooks.h"

DEFINE_MUTEX(skbstat_config_lock);

struct skbstat_hook *skbstat_hooks[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS] = &skbstat_drops_hook,
	[SKBSTAT_HOOK_FLOWS] = &skbstat_flows_hook,
	[SKBSTAT_HOOK_QUEUES] = &skbstat_queues_hook,
};

static const char * const mode_names[SKBSTAT_MODE_COUNT] = {
	[SKBSTAT_MODE_TRACEPOINT] = "tracepoint",
	[SKBSTAT_MODE_KPROBE] = "kprobe",
};

/* The tables' hash multiplier: 0 picks a random one per table. */
static u64 hash_seed;

static struct skbstat_table *hook_table_alloc(struct skbstat_hook *hook)
{
	return skbstat_table_alloc(&hook->shape, hash_seed);
}

static struct skbstat_table *hook_table(struct skbstat_hook *hook)
{
	return rcu_dereference_protected(hook->table, lockdep_is_held(&skbstat_config_lock));
}

/* Attaches the probe of @hook in @mode; the table stays what it was. */
int skbstat_hook_attach(struct skbstat_hook *hook, enum skbstat_attach_mode mode)
{
	int err;

	lockdep_assert_held(&skbstat_config_lock);
	if (hook->attached)
		return 0;
	hook->mode = mode;
	err = hook->ops[mode]->attach();
	if (err)
		return err;
	hook->attached = true;
	return 0;
}

void skbstat_hook_detach(struct skbstat_hook *hook)
{
	lockdep_assert_held(&skbstat_config_lock);
	if (!hook->attached)
		return;
	hook->ops[hook->mode]->detach();
	hook->attached = false;
	/* No probe may still be running when the caller frees anything. */
	tracepoint_synchronize_unregister();
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

DECLARE_RWSEM(skbstat_retire_sem);

/*
 * Retires the rows of the dead namespaces with @cookies (sorted) in every
 * table, with one RCU grace period for all (skbstat_table_retire_prepare()).
 * Dumps walk rows under skbstat_retire_sem: the commit keeps them out, and
 * bumps the generation of each table it changes, so that a dump that began
 * before it is flagged interrupted and read again.
 */
void skbstat_hooks_retire(const u64 *cookies, u32 nr_cookies)
{
	struct skbstat_retire r[SKBSTAT_HOOK_COUNT];
	bool any = false;
	int i, err;

	mutex_lock(&skbstat_config_lock);
	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		err = skbstat_table_retire_prepare(hook_table(skbstat_hooks[i]), cookies,
						   nr_cookies, &r[i]);
		if (err < 0)
			pr_warn_ratelimited("%s: no memory to retire the rows of dead netns\n",
					    skbstat_hooks[i]->name);
		any |= err > 0;
	}
	if (any) {
		/* Probes walk slots and count into rows with preemption off. */
		synchronize_rcu();
		down_write(&skbstat_retire_sem);
		for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
			if (!r[i].marked)
				continue;
			skbstat_table_retire_commit(hook_table(skbstat_hooks[i]), &r[i]);
			WRITE_ONCE(skbstat_hooks[i]->generation,
				   skbstat_hooks[i]->generation + 1);
		}
		up_write(&skbstat_retire_sem);
	}
	mutex_unlock(&skbstat_config_lock);
}

void skbstat_hooks_free(void)
{
	int i;

	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		skbstat_table_free(rcu_dereference_protected(skbstat_hooks[i]->table, true));
		RCU_INIT_POINTER(skbstat_hooks[i]->table, NULL);
	}
}

int skbstat_hooks_alloc(u64 seed)
{
	struct skbstat_table *t;
	int i;

	hash_seed = seed;
	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		t = hook_table_alloc(skbstat_hooks[i]);
		if (!t) {
			pr_err("no memory for %u rows of %s\n", skbstat_hooks[i]->shape.limit,
			       skbstat_hooks[i]->name);
			skbstat_hooks_free();
			return -ENOMEM;
		}
		RCU_INIT_POINTER(skbstat_hooks[i]->table, t);
	}
	return 0;
}

void skbstat_hooks_detach_all(void)
{
	int i;

	mutex_lock(&skbstat_config_lock);
	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++)
		skbstat_hook_detach(skbstat_hooks[i]);
	mutex_unlock(&skbstat_config_lock);
}

int skbstat_hooks_attach_all(enum skbstat_attach_mode mode)
{
	int i, err = 0;

	mutex_lock(&skbstat_config_lock);
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++) {
		err = skbstat_hook_attach(skbstat_hooks[i], mode);
		if (err)
			pr_err("cannot attach to %s in %s mode: %d\n", skbstat_hooks[i]->name,
			       mode_names[mode], err);
	}
	mutex_unlock(&skbstat_config_lock);
	if (err)
		skbstat_hooks_detach_all();
	return err;
}

/* Events the probes of @hook lost since it attached; call under skbstat_config_lock. */
u64 skbstat_hook_missed(const struct skbstat_hook *hook)
{
	const struct skbstat_attach_ops *ops = hook->ops[hook->mode];

	lockdep_assert_held(&skbstat_config_lock);
	return hook->attached && ops->missed ? ops->missed() : 0;
}

const char *skbstat_mode_name(enum skbstat_attach_mode mode)
{
	return mode < SKBSTAT_MODE_COUNT ? mode_names[mode] : "unknown";
}

int skbstat_mode_parse(const char *name, enum skbstat_attach_mode *mode)
{
	int i = match_string(mode_names, SKBSTAT_MODE_COUNT, name);

	if (i < 0)
		return -EINVAL;
	*mode = i;
	return 0;
}
