// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces that die.  The kernel gives a dead netns's inode number to the
 * next netns it makes, so rows are keyed by the netns cookie, which it
 * never gives again; and the rows of a dead netns are retired at the
 * module's pernet exit, so that they stop taking room: the host keeps what
 * they counted in one netns gone row per table, until its next reset.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include "compat.h"
#include "hooks.h"
#include "netns.h"

#ifdef SKBSTAT_NET_COOKIE_LAZY
/*
 * The last cookie made.  It starts from the boot clock at load, so a
 * reloaded module never makes a value that an earlier load gave (that
 * would take more netns than nanoseconds passed between the loads).
 */
static atomic64_t cookie_made;

u64 skbstat_net_cookie_make(const struct net *net)
{
	/* The kernel's own first-use protocol: written once, from 0. */
	atomic64_t *cookie = (atomic64_t *)&net->net_cookie;

	atomic64_cmpxchg(cookie, 0, BIT_ULL(63) | atomic64_inc_return(&cookie_made));
	return atomic64_read(cookie);
}

static void cookie_made_init(void)
{
	atomic64_set(&cookie_made, ktime_get_boottime_ns() & ~BIT_ULL(63));
}
#else
static void cookie_made_init(void)
{
}
#endif

/* Set while the module goes away: its pernet exit then runs for every netns. */
static bool unloading;

static void skbstat_netns_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;
	u64 *cookies;
	u32 n = 0;

	if (READ_ONCE(unloading))
		return;
	list_for_each_entry(net, net_exit_list, exit_list)
		n++;
	cookies = kvmalloc_array(n, sizeof(*cookies), GFP_KERNEL);
	if (!cookies) {
		pr_warn_ratelimited("no memory to retire the rows of %u dead netns\n", n);
		return;
	}
	n = 0;
	list_for_each_entry(net, net_exit_list, exit_list)
		cookies[n++] = skbstat_net_cookie(net);
	sort(cookies, n, sizeof(*cookies), skbstat_cookie_cmp, NULL);

	skbstat_hooks_retire(cookies, n);
	kvfree(cookies);
}

/*
 * A subsystem's exit methods run in the reverse order of registration: ours
 * runs after those of the devices (so no device of the netns is left to
 * count under its cookie) and before the one that frees the netns's inode
 * number (so no new netns has it yet).
 */
static struct pernet_operations skbstat_netns_ops = {
	.exit_batch = skbstat_netns_exit_batch,
};

int skbstat_netns_init(void)
{
	cookie_made_init();
	WRITE_ONCE(unloading, false);
	return register_pernet_subsys(&skbstat_netns_ops);
}

void skbstat_netns_exit(void)
{
	WRITE_ONCE(unloading, true);
	unregister_pernet_subsys(&skbstat_netns_ops);
}
