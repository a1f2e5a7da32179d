// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat: exact counters of dropped packets, TCP retransmits and device
 * transmit queues, served over the "skbstat" generic-netlink family.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include "devices.h"
#include "hooks.h"
#include "netlink.h"
#include "netns.h"

module_param_named(drop_rows, skbstat_drops_hook.shape.limit, uint, 0444);
MODULE_PARM_DESC(drop_rows, "Most rows of the drops table (default 8192)");
module_param_named(flow_rows, skbstat_flows_hook.shape.limit, uint, 0444);
MODULE_PARM_DESC(flow_rows, "Most rows of the flows table (default 16384)");
module_param_named(queue_rows, skbstat_queues_hook.shape.limit, uint, 0444);
MODULE_PARM_DESC(queue_rows, "Most rows of the queues table (default 1024)");

/* Benchmarks compare runs: a fixed multiplier makes every load probe alike. */
static ulong hash_seed;
module_param(hash_seed, ulong, 0444);
MODULE_PARM_DESC(hash_seed, "Hash multiplier of every table, for repeatable benchmarks "
		 "(default 0: a random one per table)");

/*
 * The most memory the tables may take, in MiB; 0: a 32nd of the RAM.  The
 * drops and queues tables have a copy of their counters for each possible
 * CPU, so limits that are modest on a laptop take gigabytes on a server
 * with hundreds of CPUs: counters must never compete with the workload
 * they watch.  At the default limits the tables take 288 KiB per possible
 * CPU and 3.4 MiB for all, which a 32nd of the RAM covers on any machine
 * with 256 MiB of RAM and 32 MiB per CPU.
 */
static uint max_memory_mib;
module_param(max_memory_mib, uint, 0444);
MODULE_PARM_DESC(max_memory_mib, "Most memory the tables may take, in MiB; loading with "
		 "larger limits fails (default 0: a 32nd of the RAM)");

static char *attach_mode = "tracepoint";
module_param(attach_mode, charp, 0444);
MODULE_PARM_DESC(attach_mode, "How the hooks attach at load: tracepoint or kprobe");

/* @bytes in MiB, with one decimal, for messages. */
#define MIB_FMT			"%llu.%llu MiB"
#define MIB_ARGS(bytes)		(bytes) >> 20, (((bytes) & (SZ_1M - 1)) * 10) >> 20

/*
 * Refuses, with one line, limits whose tables could take more than the
 * cap: before anything is allocated, so that nothing changes.
 */
static int __init check_memory_cap(void)
{
	u64 cap, total = 0, percpu, bytes, biggest = 0;
	const struct skbstat_hook *big = NULL;
	int i;

	cap = max_memory_mib ? (u64)max_memory_mib << 20 :
			       ((u64)totalram_pages() << PAGE_SHIFT) / 32;
	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		skbstat_table_mem_max(&skbstat_hooks[i]->shape, &percpu, &bytes);
		total += bytes;
		if (bytes > biggest) {
			biggest = bytes;
			big = skbstat_hooks[i];
		}
	}
	if (total <= cap)
		return 0;
	if (big->shape.shared)
		pr_err("tables may take " MIB_FMT " (%s: %u rows, one copy for all CPUs = "
		       MIB_FMT "), more than the cap of " MIB_FMT " (max_memory_mib=%u)\n",
		       MIB_ARGS(total), big->name, big->shape.limit, MIB_ARGS(biggest),
		       MIB_ARGS(cap), max_memory_mib);
	else
		pr_err("tables may take " MIB_FMT " (%s: %u rows x %u possible CPUs = " MIB_FMT
		       "), more than the cap of " MIB_FMT " (max_memory_mib=%u)\n",
		       MIB_ARGS(total), big->name, big->shape.limit, num_possible_cpus(),
		       MIB_ARGS(biggest), MIB_ARGS(cap), max_memory_mib);
	return -EINVAL;
}

static int __init skbstat_init(void)
{
	enum skbstat_attach_mode mode;
	int err;

	if (skbstat_mode_parse(attach_mode, &mode)) {
		pr_err("attach_mode must be tracepoint or kprobe, not '%s'\n", attach_mode);
		return -EINVAL;
	}
	err = check_memory_cap();
	if (err)
		return err;
	/* The drop hook needs every device known before it runs. */
	err = skbstat_devices_init();
	if (err)
		return err;
	err = skbstat_hooks_alloc(hash_seed);
	if (err)
		goto err_devices_exit;
	err = skbstat_netns_init();
	if (err)
		goto err_free_tables;
	err = skbstat_hooks_attach_all(mode);
	if (err)
		goto err_netns_exit;
	err = skbstat_netlink_init();
	if (err)
		goto err_detach_all;
	return 0;

err_detach_all:
	skbstat_hooks_detach_all();
err_netns_exit:
	skbstat_netns_exit();
err_free_tables:
	skbstat_hooks_free();
err_devices_exit:
	skbstat_devices_exit();
	return err;
}

static void __exit skbstat_exit(void)
{
	/* No request may arrive while the tables go away. */
	skbstat_netlink_exit();
	skbstat_hooks_detach_all();
	skbstat_netns_exit();
	skbstat_hooks_free();
	skbstat_devices_exit();
}

module_init(skbstat_init);
module_exit(skbstat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exact counters of packet drops, TCP retransmits and TX queues");
MODULE_VERSION(SKBSTAT_VERSION);
