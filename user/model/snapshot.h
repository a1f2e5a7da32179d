/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/model/: this snapshot, the change between two (delta), a sample as
 * commands show it, grouping rows (group), filters and names of kernel
 * numbers.  It includes nothing from the other folders.
 *
 * The neutral snapshot: what any backend read from the kernel, before
 * grouping and formatting.  Backends fill it, views read it.
 */
#ifndef SKBSTAT_SNAPSHOT_H
#define SKBSTAT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <skbstat/hooks.h>

#define SKBSTAT_GAPS_LEN	192

struct skbstat_hook_status {
	uint32_t id;			/* enum skbstat_hook */
	char *name;			/* "skb:kfree_skb", ... */
	bool attached;
	uint32_t mode;			/* enum skbstat_attach_mode */
	const char *mode_name;		/* static; a backend's own name of its mode, or NULL */
	uint64_t events;
	uint64_t bytes;
	uint64_t table_full;
	/*
	 * Events lost before they could be counted, since the hook attached.
	 * BPF: runs the kernel skipped because a program of the hook was
	 * already running on that CPU (an interrupt nested into it).  The
	 * module: in kprobe mode, its kprobes' nmissed (a hit while another
	 * kprobe ran) and its kretprobes' (no free instance); a tracepoint
	 * loses none.
	 */
	bool has_missed;
	uint64_t missed;
	uint32_t rows;
	uint32_t limit;
	/*
	 * The most slots a lookup in the table walks (1: every key in the
	 * first slot it looks at).
	 */
	bool has_longest_probe;
	uint32_t longest_probe;
	bool reset;			/* see struct skbstat_drop_row */
	/* The tracepoint's events this mode cannot see, in words; "" when none. */
	char gaps[SKBSTAT_GAPS_LEN];
};

/* Whether the kernel has drop reasons, if the backend says. */
enum skbstat_drop_reasons {
	SKBSTAT_DROP_REASONS_UNKNOWN,
	SKBSTAT_DROP_REASONS_NONE,	/* every drop's reason is "-" */
	SKBSTAT_DROP_REASONS_KERNEL,
};

/* The tables whose memory status shows: one per hook, and the rest. */
#define SKBSTAT_MEMORY_OTHER	3	/* BPF: the maps of no one table */
#define SKBSTAT_MEMORY_TABLES	4

/* Kernel memory of one table, as the backend allocated it. */
struct skbstat_table_memory {
	const char *table;		/* static: "drops", "flows", "queues", "other" */
	uint64_t bytes;			/* all of it, with each possible CPU's copy */
	uint64_t per_cpu_bytes;		/* of it, one possible CPU's copy */
};

struct skbstat_memory {
	size_t nr_tables;		/* 0: the backend does not say */
	uint32_t possible_cpus;
	struct skbstat_table_memory tables[SKBSTAT_MEMORY_TABLES];
};

struct skbstat_status {
	uint32_t version;		/* API version the backend speaks */
	enum skbstat_drop_reasons drop_reasons;
	struct skbstat_hook_status *hooks;
	size_t nr_hooks;
	size_t cap_hooks;
	struct skbstat_memory memory;
};

struct skbstat_drop_row {
	uint32_t reason;		/* raw enum skb_drop_reason */
	char *location;			/* "func+0xoff", NULL when unknown */
	uint32_t ifindex;		/* 0 when the skb had no device */
	char *dev;			/* NULL when the device is gone */
	uint32_t netns;			/* netns inode */
	uint16_t proto;			/* ETH_P_*, host order */
	uint64_t packets;
	uint64_t bytes;
	/*
	 * Set only in the changes delta.c computes: the counters went backwards
	 * (a reset, a module reload), so they count from zero again.
	 */
	bool reset;
};

struct skbstat_flow_row {
	uint32_t netns;
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t saddr[16];		/* network order; IPv4 in the first 4 bytes */
	uint8_t daddr[16];
	uint16_t sport;			/* host order */
	uint16_t dport;
	uint64_t retransmits;		/* segments */
	uint64_t bytes;
	uint64_t events;		/* retransmit calls, failed ones too; a GSO skb is one */
	/* Segments of failed attempts, as TCPRetransFail counts them. */
	uint64_t failed;
	bool failed_known;		/* false: the hook's mode cannot see failures */
	uint8_t state;			/* TCP_ESTABLISHED, ... at the last retransmit */
	uint64_t first_ns;		/* CLOCK_MONOTONIC */
	uint64_t last_ns;
	bool reset;			/* see struct skbstat_drop_row */
};

struct skbstat_queue_row {
	uint32_t netns;
	uint32_t ifindex;
	char *dev;			/* NULL when the device is gone */
	uint16_t queue;
	uint64_t packets;
	uint64_t bytes;
	uint64_t hist[SKBSTAT_HIST_BUCKETS];	/* log2 buckets of packet size */
	bool reset;			/* see struct skbstat_drop_row */
};

struct skbstat_reason {
	uint32_t id;
	char *name;
};

struct skbstat_snapshot {
	struct skbstat_status status;

	struct skbstat_drop_row *drops;
	size_t nr_drops;
	size_t cap_drops;

	struct skbstat_flow_row *flows;
	size_t nr_flows;
	size_t cap_flows;

	struct skbstat_queue_row *queues;
	size_t nr_queues;
	size_t cap_queues;

	/* Sorted by id so lookups can bisect. */
	struct skbstat_reason *reasons;
	size_t nr_reasons;
	size_t cap_reasons;
};

void snapshot_init(struct skbstat_snapshot *snap);
void snapshot_free(struct skbstat_snapshot *snap);

/* Return a zeroed slot owned by the snapshot, or NULL when out of memory. */
struct skbstat_hook_status *status_add_hook(struct skbstat_status *status);
struct skbstat_drop_row *snapshot_add_drop(struct skbstat_snapshot *snap);
struct skbstat_flow_row *snapshot_add_flow(struct skbstat_snapshot *snap);
struct skbstat_queue_row *snapshot_add_queue(struct skbstat_snapshot *snap);

/* Forget the rows, e.g. before a dump is restarted. */
void status_clear(struct skbstat_status *status);
void snapshot_clear_drops(struct skbstat_snapshot *snap);
void snapshot_clear_flows(struct skbstat_snapshot *snap);
void snapshot_clear_queues(struct skbstat_snapshot *snap);

int snapshot_add_reason(struct skbstat_snapshot *snap, uint32_t id, const char *name);
/* Hand @from's reason names to @to, which has none; @from keeps none. */
void snapshot_move_reasons(struct skbstat_snapshot *to, struct skbstat_snapshot *from);
const char *snapshot_reason_name(const struct skbstat_snapshot *snap, uint32_t id);

/* Some row of the snapshot's tables is in netns @netns. */
bool snapshot_has_netns(const struct skbstat_snapshot *snap, uint32_t netns);

#endif /* SKBSTAT_SNAPSHOT_H */
