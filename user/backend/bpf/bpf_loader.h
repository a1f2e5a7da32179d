/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF backend's programs and maps: load and attach them in one attach
 * mode, pin them under /sys/fs/bpf/skbstat/ so they count on after the CLI
 * exits, find them again from a later process, and detach.
 *
 * Pinned layout:
 *   maps/gens, maps/totals                  current generation, totals
 *   maps/<table>, maps/<table>_0, _1        the generations of each table
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
#ifndef SKBSTAT_BPF_LOADER_H
#define SKBSTAT_BPF_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <linux/skbstat.h>
#include <skbstat/tables.h>

#define BPF_GENERATIONS		2

enum bpf_mode {
	BPF_MODE_TP_BTF,
	BPF_MODE_RAW_TP,
	BPF_MODE_KPROBE,

	BPF_MODE_COUNT
};

/* "tp_btf", "raw_tp", "kprobe". */
const char *bpf_mode_name(enum bpf_mode mode);
/* Also takes the module's names: "tracepoint" is tp_btf.  -EINVAL if unknown. */
int bpf_mode_parse(const char *name, enum bpf_mode *mode);
/* SKBSTAT_MODE_TRACEPOINT or SKBSTAT_MODE_KPROBE, for the common status. */
uint32_t bpf_mode_uapi(enum bpf_mode mode);

struct bpf_options {
	enum bpf_mode mode;
	uint32_t rows[SKBSTAT_HOOK_COUNT];	/* row limits; 0: hooks.h default */
};

/*
 * The hooks that keep the registry of registered network devices, which
 * tells the drop hook which skb->dev values are devices (bpf/devices.bpf.h).
 * The registry starts again at every attach, so that no device comes and
 * goes unseen while no hook runs.
 */
enum bpf_registry_hook {
	BPF_REGISTRY_CREATE,		/* qdisc:qdisc_create */
	BPF_REGISTRY_DESTROY,		/* qdisc:qdisc_destroy */

	BPF_REGISTRY_HOOKS
};

struct skbstat_bpf;
struct bpf_link;

/* File descriptors of one table: the array of generations and each one. */
struct bpf_table_fds {
	int tables;
	int rows[BPF_GENERATIONS];
	int bases;		/* rows' values at their netns's last reset */
};

struct bpf_state {
	int gens;
	int totals;
	int devnames;		/* (netns cookie, ifindex) -> name, as the probes saw it */
	int layout;		/* SKBSTAT_PIN_LAYOUT */
	int netns_check;	/* cookies of rows' namespaces -> alive */
	int gone_carry;		/* what retired rows had, by generation and hook */
	int netns_live;		/* the program that marks the live ones in netns_check */
	int netns_full;		/* each netns's share of table_full */
	int netns_full_bases;	/* netns_full at the netns's last reset of its view */
	struct bpf_table_fds tables[SKBSTAT_HOOK_COUNT];
	int nr_cpus;
	/* Only when this process loaded the programs: */
	struct skbstat_bpf *skel;
	struct bpf_link *links[SKBSTAT_HOOK_COUNT][2];	/* [1]: kprobe entry */
	struct bpf_link *registry_links[BPF_REGISTRY_HOOKS];
	bool pinned;
};

/*
 * Load and attach every hook as @opts says.  With @pin, pin the maps and
 * links (the state then outlives the process), reusing maps already
 * pinned so counts survive a change of mode; attaching again in the mode
 * already pinned does nothing.  Without @pin, counting stops at close.
 */
int bpf_state_attach(struct bpf_state *st, const struct bpf_options *opts, bool pin);

/* True when this kernel can run the BPF backend at all (it has BTF). */
bool bpf_possible(void);

/* The row limit of @hook's table when none is given. */
uint32_t bpf_default_rows(int hook);

/*
 * Open the pinned state; silently -ENODEV when nothing is pinned,
 * -EMEDIUMTYPE when there is no BPF filesystem to look in.
 */
int bpf_state_open_pinned(struct bpf_state *st);

/* Detach every hook and unpin everything; the maps go with the last user. */
int bpf_state_detach(struct bpf_state *st);

void bpf_state_close(struct bpf_state *st);

struct bpf_hook_info {
	bool attached;
	enum bpf_mode mode;
	uint32_t limit;			/* row limit of the table */
	/*
	 * Runs the kernel skipped because the program was already running on
	 * that CPU (an interrupt nested into it): events lost to recursion
	 * protection.  Kernels before 6.7 count none for kprobes.
	 */
	uint64_t recursion_misses;
};

int bpf_state_hook_info(const struct bpf_state *st, int hook, struct bpf_hook_info *info);

/*
 * The most programs attached at once: a counting and an entry probe per
 * hook, and the registry's hooks.
 */
#define BPF_MAX_PROGS		(2 * SKBSTAT_HOOK_COUNT + BPF_REGISTRY_HOOKS)

/* The ids of the programs behind the pinned links. */
size_t bpf_pinned_prog_ids(uint32_t ids[BPF_MAX_PROGS]);

/*
 * Wait (up to 5 s) until the kernel has freed the programs with these ids,
 * which it does RCU grace periods after their last link went; false if not.
 */
bool bpf_wait_programs_freed(const uint32_t *ids, size_t nr);

/* Serialise attach, detach and reset between processes; -errno or a lock fd. */
int bpf_state_lock(void);
/* The same, or -EWOULDBLOCK (said nothing) when another process holds it. */
int bpf_state_trylock(void);
/* Readers: never half of a reset or of a retirement. */
int bpf_state_lock_shared(void);
void bpf_state_unlock(int lock_fd);

#endif /* SKBSTAT_BPF_LOADER_H */
