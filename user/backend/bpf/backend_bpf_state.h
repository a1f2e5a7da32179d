/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF backend holds open: the maps it pins under
 * /sys/fs/bpf/skbstat/ and, when this process loaded them, its programs
 * and links.  The loader fills it (bpf_loader.h); pins, tables and info
 * read it.
 *
 * Pinned layout:
 *   maps/gens, maps/totals                  current generation, totals
 *   maps/<table>_slots, _counts             each table's keys and counters
 *   maps/<table>_free_0, _1                 its retired rows, by generation
 *   maps/rows_next                          the rows each table handed out
 *   maps/probe_sync                         to wait for running probes
 *   maps/devnames                           device names the probes saw
 *   maps/<table>_bases                      rows' values at a netns reset
 *   links/<table>                           the counting program's link
 *   links/<table>_entry                     kprobe mode: the entry probe's
 *   maps/devices                            the registry of network devices
 *   links/devices_<event>                   the hooks that keep it, in every
 *                                           mode (the tracepoints
 *                                           qdisc:qdisc_<event>: create,
 *                                           destroy)
 *   maps/netns_check, links/netns_live      the namespaces of rows, and the
 *                                           program (not a link) that marks
 *                                           those still alive
 *   maps/gone_carry                         what retired rows had
 *   maps/netns_full, netns_full_bases       each netns's share of table_full,
 *                                           and its value at a netns reset
 * where <table> is drops, flows or queues.
 */
#ifndef SKBSTAT_BACKEND_BPF_STATE_H
#define SKBSTAT_BACKEND_BPF_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <linux/skbstat.h>
#include <skbstat/tables.h>

#include "backend/bpf/backend_bpf_mode.h"

#define BPFBE_GENERATIONS		2

struct bpfbe_options {
	enum bpfbe_mode mode;
	uint32_t rows[SKBSTAT_HOOK_COUNT];	/* row limits; 0: hooks.h default */
	uint32_t max_memory_mib;		/* 0: bpfbe_memory_cap()'s default */
};

/*
 * The hooks that keep the registry of registered network devices, which
 * tells the drop hook which skb->dev values are devices (bpf/devices.bpf.h).
 * The registry starts again at every attach, so that no device comes and
 * goes unseen while no hook runs.
 */
enum bpfbe_registry_hook {
	BPFBE_REGISTRY_CREATE,		/* qdisc:qdisc_create */
	BPFBE_REGISTRY_DESTROY,		/* qdisc:qdisc_destroy */

	BPFBE_REGISTRY_HOOKS
};

struct skbstat_bpf;
struct bpf_link;

/* File descriptors of one table (bpf/maps.bpf.h). */
struct bpfbe_table_fds {
	int slots;		/* keys, tags and rows: both generations */
	int counts;		/* the rows' counters: both generations */
	int free[BPFBE_GENERATIONS];	/* retired rows, claimed again first */
	int bases;		/* rows' values at their netns's last reset */
};

struct bpfbe_state {
	int gens;
	int totals;
	int devnames;		/* (netns cookie, ifindex) -> name, as the probes saw it */
	int layout;		/* SKBSTAT_PIN_LAYOUT */
	int netns_check;	/* cookies of rows' namespaces -> alive */
	int gone_carry;		/* what retired rows had, by generation and hook */
	int netns_live;		/* the program that marks the live ones in netns_check */
	int netns_full;		/* each netns's share of table_full */
	int netns_full_bases;	/* netns_full at the netns's last reset of its view */
	int rows_next;		/* the rows each table handed out, by generation */
	int probe_sync;		/* updated to wait for running probes */
	struct bpfbe_table_fds tables[SKBSTAT_HOOK_COUNT];
	int nr_cpus;
	/* Only when this process loaded the programs: */
	struct skbstat_bpf *skel;
	struct bpf_link *links[SKBSTAT_HOOK_COUNT][2];	/* [1]: kprobe entry */
	struct bpf_link *registry_links[BPFBE_REGISTRY_HOOKS];
	bool pinned;
};

#endif /* SKBSTAT_BACKEND_BPF_STATE_H */
