/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps of the BPF backend.  Each hook has two generations of its rows
 * (halves of its arrays) and of its totals; the probes count into the
 * generation that gens[] names.  A reset switches the generation,
 * waits until no probe still uses the old one and only then empties it,
 * so it never loses or half-counts an event that races with it.
 *
 * The loader sizes every table's maps before loading.
 */
#ifndef _SKBSTAT_MAPS_BPF_H
#define _SKBSTAT_MAPS_BPF_H

#include <linux/skbstat.h>
#include <skbstat/slots.h>
#include <skbstat/tables.h>

#define SKBSTAT_GENERATIONS	2

/*
 * The generation each hook counts into, 0 or 1; only userspace writes it.
 * A global in a section of its own, which libbpf makes a one-entry array
 * map (pinned as gens): a probe reads it with one plain load from a fixed
 * address, where a lookup in an array map costs a dozen instructions.
 */
volatile __u32 gens[SKBSTAT_HOOK_COUNT] SEC(".data.gens");

/*
 * Per-hook totals of the events that found no row (table_full), indexed by
 * generation * SKBSTAT_HOOK_COUNT + hook.  An event that gets a row is
 * counted in that row alone: a hook's events and bytes are its rows' sums
 * plus these, which userspace adds (backend_bpf.c), so the common event
 * costs no lookup here and rows + table_full = events holds by
 * construction.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SKBSTAT_GENERATIONS * SKBSTAT_HOOK_COUNT);
	__type(key, __u32);
	__type(value, struct skbstat_totals);
} totals SEC(".maps");

/*
 * Each table is open addressing in arrays, which the probes walk
 * themselves (table.bpf.h): a lookup in a BPF hash map alone costs more
 * than a whole event should.  The arrays hold both generations, the
 * second after the first:
 *
 *  - <table>_slots: the keys, shared by all CPUs, each with a tag (the
 *    key's hash, odd; or SLOT_FREE, SLOT_CLAIMING, SLOT_TOMB) and the
 *    number of its row.  Twice as many slots as rows, a power of two.
 *    Mappable: userspace reads the keys without a copy, and retires a
 *    slot with one atomic store of its tag.
 *  - <table>_counts: the rows' counters, by generation * limit + row.
 *    Drop and queue rows have a copy per possible CPU: their events are
 *    frequent, and a copy of its own lets each CPU count with plain
 *    increments.  Retransmits are rare, and a flow's row is most of a
 *    table's memory when it has a copy per CPU (16384 rows of 56 bytes,
 *    two generations: 1.75 MiB per possible CPU at the default limits);
 *    so all CPUs share one copy of each flow's row and add to it
 *    atomically (count_retransmit()).
 *  - <table>_free_0, _1: the rows of retired slots, which claims take
 *    before new ones (rows_next).
 *
 * The loader sizes them all from the limits.
 */
#define TABLE_SLOT(name, key_type)							\
struct name {										\
	__u64 tag;									\
	__u64 row;									\
	key_type key;									\
}

TABLE_SLOT(drop_slot, struct skbstat_drop_key);
TABLE_SLOT(flow_slot, struct skbstat_flow_key);
TABLE_SLOT(queue_slot, struct skbstat_queue_key);

#define TABLE_ARRAY(name, map_type, flags, value_type, entries)			\
struct {										\
	__uint(type, map_type);								\
	__uint(max_entries, entries);							\
	__uint(map_flags, flags);							\
	__type(key, __u32);								\
	__type(value, value_type);							\
} name SEC(".maps")

#define TABLE_FREE(name, rows)								\
struct {										\
	__uint(type, BPF_MAP_TYPE_QUEUE);						\
	__uint(max_entries, rows);							\
	__type(value, __u32);								\
} name SEC(".maps")

#define TABLE_MAPS(table, slot_type, count_type, val_type, rows)			\
	TABLE_ARRAY(table##_slots, BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE, slot_type,	\
		    SKBSTAT_GENERATIONS * 2 * (rows));					\
	TABLE_ARRAY(table##_counts, count_type, 0, val_type,				\
		    SKBSTAT_GENERATIONS * (rows));					\
	TABLE_FREE(table##_free_0, rows);						\
	TABLE_FREE(table##_free_1, rows)

TABLE_MAPS(drops, struct drop_slot, BPF_MAP_TYPE_PERCPU_ARRAY, struct skbstat_drop_val,
	   SKBSTAT_DEFAULT_DROP_ROWS);
TABLE_MAPS(flows, struct flow_slot, BPF_MAP_TYPE_ARRAY, struct skbstat_flow_val,
	   SKBSTAT_DEFAULT_FLOW_ROWS);
TABLE_MAPS(queues, struct queue_slot, BPF_MAP_TYPE_PERCPU_ARRAY, struct skbstat_queue_val,
	   SKBSTAT_DEFAULT_QUEUE_ROWS);

/*
 * The rows of each table, by generation * SKBSTAT_HOOK_COUNT + hook
 * (struct skbstat_rows_next): a claim takes one from the free list while
 * it holds some, else the next never used while it is below the limit, and
 * looks here first, so that a full table's misses cost no claim.
 * Mappable, for userspace to read and change without a copy.  The fields
 * are 64-bit: clang 14 has no 32-bit atomics without alu32.
 */
struct rows_next_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKBSTAT_GENERATIONS * SKBSTAT_HOOK_COUNT);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct skbstat_rows_next);
} rows_next SEC(".maps");

/*
 * Only for userspace to wait for running probes: the kernel answers any
 * update of a map-in-map only after an RCU grace period, and every probe
 * runs inside an RCU read-side section.  Its one entry is rows_next.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct rows_next_map);
} probe_sync SEC(".maps") = {
	.values = { &rows_next },
};

/*
 * Set by the loader: the key of the table's hash (from getrandom(), so that
 * no one can choose keys that crowd one slot's probes), and by hook each
 * table's slots less one, 64 less their log2, and rows.  Constants to the
 * verifier.
 */
const volatile __u64 hash_seed;
const volatile __u32 slots_mask[SKBSTAT_HOOK_COUNT];
const volatile __u32 slots_shift[SKBSTAT_HOOK_COUNT];
const volatile __u32 rows_limit[SKBSTAT_HOOK_COUNT];

/*
 * Only userspace uses these: what a row had when its netns was last reset
 * (from a container), subtracted when reading.  Deleting the live row
 * instead would let a probe that still holds it count into the slot's next
 * owner.  The loader sizes them as the tables.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_DROP_ROWS);
	__type(key, struct skbstat_drop_key);
	__type(value, struct skbstat_drop_val);
} drop_bases SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_FLOW_ROWS);
	__type(key, struct skbstat_flow_key);
	__type(value, struct skbstat_flow_val);
} flow_bases SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_QUEUE_ROWS);
	__type(key, struct skbstat_queue_key);
	__type(value, struct skbstat_queue_val);
} queue_bases SEC(".maps");

/*
 * The netns cookies of rows, which userspace writes (value 0) for
 * mark_live_netns() to mark (1) each one whose netns is still on the
 * kernel's list of namespaces: the others died, and userspace retires
 * their rows (backend_bpf_tables.c).  Memory only for what is in it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_NETNS_CHECK_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} netns_check SEC(".maps");

/*
 * Only userspace uses this: what the retired rows of each table had, by
 * generation * SKBSTAT_HOOK_COUNT + hook, added to the generation's netns
 * gone row when the host reads it, and zeroed with the generation.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKBSTAT_GENERATIONS * SKBSTAT_HOOK_COUNT);
	__type(key, __u32);
	__type(value, union skbstat_any_val);
} gone_carry SEC(".maps");

/* Each netns's share of table_full, by netns, hook and generation. */
struct netns_full_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKBSTAT_NETNS_CHECK_MAX);
	/* Memory only for what is in it. */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct skbstat_netns_full_key);
	__type(value, __u64);
};

/*
 * The probes add to netns_full; only userspace uses netns_full_bases: what
 * netns_full had at the netns's last reset of its view.
 */
struct netns_full_map netns_full SEC(".maps"), netns_full_bases SEC(".maps");

/*
 * SKBSTAT_PIN_LAYOUT, written by the loader: what layout the pins have;
 * and the initial netns's inode, which only the kernel knows for sure (a
 * caller in a pid namespace of its own cannot tell from /proc/1).  The
 * inode is enough there: init_net never dies, so no other netns ever gets
 * its inode.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKBSTAT_LAYOUT_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} layout SEC(".maps");

/*
 * Device names by netns cookie and ifindex, recorded when a CPU first
 * counts into a row: userspace can name only the devices of its own netns
 * itself, and the module names every row's device.  The cookie, not the
 * inode: a netns that reuses a dead one's inode has its own devices under
 * the same indexes.  The loader sizes it with the tables.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SKBSTAT_DEFAULT_QUEUE_ROWS * 4);
	__type(key, struct skbstat_dev_key);
	__type(value, struct skbstat_dev_name);
} devnames SEC(".maps");

/*
 * The kprobe mode keeps a function's arguments from entry to return.  A
 * call is identified by its thread and its stack pointer at entry, so a
 * softirq that runs the same function on top of a task's call does not
 * overwrite the task's arguments.  LRU, because a return probe can miss
 * its call (too many calls in flight) and leave the entry behind.
 */
struct call_key {
	__u64 pid_tgid;
	__u64 sp;
};

struct retransmit_call {
	struct sock *sk;
	struct sk_buff *skb;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct call_key);
	__type(value, struct retransmit_call);
} retx_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct call_key);
	__type(value, struct sk_buff *);
} pick_tx_calls SEC(".maps");

#endif /* _SKBSTAT_MAPS_BPF_H */
