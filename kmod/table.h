/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded table of rows, one row per distinct key, with per-CPU counters.
 *
 * Keys are shared by all CPUs and never move once published; counters are
 * per CPU and updated with local64 operations, so an interrupt that nests
 * into the probe on the same CPU never loses an increment.  A shared table
 * (for rare events: retransmits) has one copy of its rows' counters for all
 * CPUs instead, updated with atomic64 operations; what found no row is
 * still counted per CPU.  Only inserting a new row takes a lock.  The rows of a netns that died are retired
 * (skbstat_table_retire_prepare()): folded into the netns gone row, their keys
 * freed for new rows.
 */
#ifndef _SKBSTAT_TABLE_H
#define _SKBSTAT_TABLE_H

#include <linux/types.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <asm/local64.h>
#include <skbstat/hash.h>
#include <skbstat/tables.h>

/* The most counters a row has: a queue's packets, bytes and histogram. */
#define SKBSTAT_MAX_COUNTERS	(2 + SKBSTAT_HIST_BUCKETS)

/*
 * A CPU's part of a table.  The events and bytes of the rows are not kept
 * again as totals: status sums them from the rows (skbstat_table_totals()),
 * which spares every event two additions.  Only what found no row is here.
 */
struct skbstat_table_cpu {
	local64_t table_full;
	local64_t table_full_bytes;
	/* then limit * val_size bytes of counters, row by row; none if shared */
	u8 vals[] __aligned(8);
};

/* What a table holds. */
struct skbstat_table_shape {
	u32 limit;		/* most rows the table will ever hold */
	u32 key_size;		/* a multiple of 8 */
	u32 cookie_off;		/* offset of the u64 netns cookie in the key */
	u32 val_size;		/* size of one row's counters on one CPU */
	u32 counters;		/* leading local64_t (shared: atomic64_t) fields that only grow */
	/*
	 * One copy of the rows' counters for all CPUs, whose leading fields are
	 * atomic64_t: for rare events, which need no copy per possible CPU.
	 */
	bool shared;
	/*
	 * The leading bytes of a key that decide it (its others are zero),
	 * which alone are hashed and compared; NULL: all of them.  The probes
	 * pass the same length to __skbstat_table_hit().
	 */
	unsigned int (*key_hashed)(const void *key);
};

/* The longest key, in words: a flow's. */
#define SKBSTAT_MAX_KEY_WORDS	(sizeof(struct skbstat_flow_key) / sizeof(u64))

/*
 * Each netns's share of table_full, for its own view: a small open-addressed
 * array by cookie, claimed lock-free, never freed until the table is (a
 * host reset).  A netns that finds no slot goes uncounted in its own view
 * only; the host's table_full has every event.
 */
#define SKBSTAT_NETNS_FULL_SLOTS	1024
#define SKBSTAT_NETNS_FULL_PROBES	32

struct skbstat_netns_full {
	u64 cookie;		/* 0: free; set once, with cmpxchg */
	atomic64_t n;
	u64 base;		/* n at the netns's last reset of its view; under base_lock */
};

/*
 * Kernel memory of a table as the allocators gave it, for status: a part of
 * up to a page is kmalloc's (its cache's size), a larger one whole pages
 * (table.c: part_alloc()).
 */
struct skbstat_table_mem {
	u64 bytes;		/* all of it, with each possible CPU's copy */
	u64 percpu;		/* of it, the per-CPU copies, summed over possible CPUs */
};

/* The cookie of a free row's key: no netns has it. */
#define SKBSTAT_FREE_COOKIE	U64_MAX

struct skbstat_table {
	u32 limit;
	u32 key_size;
	u32 cookie_off;
	u32 val_size;
	u32 counters;
	bool shared;
	unsigned int (*key_hashed)(const void *key);
	u32 slot_mask;		/* hash slots - 1; slots >= 2 * limit */
	u64 hash_mult;		/* random and odd: see <skbstat/hash.h> */
	u32 rows;		/* rows ever used; published with release, read with acquire */
	u32 used;		/* rows that hold a key: rows less the free ones */
	u32 longest_probe;	/* most slots an insert walked; a lookup walks no more */
	u32 nr_free;
	u32 *free_rows;		/* retired rows, for new keys; under insert_lock */
	u32 gone_row;		/* the netns gone row + 1, once a retirement made it */
	raw_spinlock_t insert_lock;
	/* A retired row's key is rewritten when the row is reused. */
	seqcount_raw_spinlock_t key_seq;
	/* Row index + 1, 0 for an empty slot; replaced whole by a retirement. */
	u32 __rcu *slots;
	u8 *keys;		/* limit * key_size bytes */
	u8 *vals;		/* shared: limit * val_size bytes of counters */
	u64 *base;		/* limit * counters: where a netns reset left each row */
	seqlock_t base_lock;	/* a reader never sees half of a row's base, nor of gone */
	u64 gone[SKBSTAT_MAX_COUNTERS];	/* what retired rows had: the gone row's */
	struct skbstat_netns_full *netns_full;	/* SKBSTAT_NETNS_FULL_SLOTS */
	/*
	 * A retirement's new slots while it builds them, batch by batch, and
	 * the slots before rebuild_next that it has walked; under insert_lock.
	 */
	u32 *rebuild;
	u32 rebuild_next;
	u32 rebuild_longest;
	struct skbstat_table_mem mem;	/* set once by skbstat_table_alloc() */
	struct skbstat_table_cpu *cpu[];	/* nr_cpu_ids entries */
};

/* @hash_seed: the hash multiplier, 0 for a random one. */
struct skbstat_table *skbstat_table_alloc(const struct skbstat_table_shape *shape, u64 hash_seed);
void skbstat_table_free(struct skbstat_table *t);
/* The most memory a table of @shape can take, per possible CPU and all of it. */
void skbstat_table_mem_max(const struct skbstat_table_shape *shape, u64 *percpu, u64 *bytes);

void *skbstat_table_miss(struct skbstat_table *t, struct skbstat_table_cpu *c,
			 const void *key, u32 hash, u32 bytes);

static __always_inline bool skbstat_key_equal(const void *a, const void *b, u32 size)
{
	const u64 *x8 = a, *y8 = b;
	const u32 *x4 = a, *y4 = b;
	u64 diff = 0;
	u32 i;

	/* One branch for the whole key: rows almost always match on the first probe. */
	if (!(size % sizeof(u64))) {
#pragma GCC unroll 8
		for (i = 0; i < size / sizeof(u64); i++)
			diff |= x8[i] ^ y8[i];
	} else {
#pragma GCC unroll 16
		for (i = 0; i < size / sizeof(u32); i++)
			diff |= x4[i] ^ y4[i];
	}
	return !diff;
}

/*
 * Returns the counters of the row for @key (@size bytes, of which the first
 * @hashed decide it: the table's key_hashed() of it), for an event of
 * @bytes: this CPU's, or the one copy of a @shared table's (for atomic64
 * operations); NULL when the table is full (counted, with @bytes, in this
 * CPU's table_full).  The caller counts the event in the row.  Must be
 * called with preemption disabled, as tracepoint and kprobe handlers are
 * (compat.h: where the kernel leaves it on, the probes turn it off).
 * @size, @hashed, @val_size (the size of the row's counters, as the
 * table's shape says) and @shared are constants at every caller: a
 * constant row size makes the row's address a shift, not a load and a
 * multiply.
 */
static __always_inline void *__skbstat_table_hit(struct skbstat_table *t, const void *key,
						 u32 size, u32 hashed, u32 val_size, u32 bytes,
						 bool shared)
{
	struct skbstat_table_cpu *c = t->cpu[smp_processor_id()];
	u32 hash = skbstat_key_hash(key, hashed, t->hash_mult);
	u32 *slots = rcu_dereference_sched(t->slots);
	u32 slot, idx;

	/* Slots outnumber rows two to one, so an empty slot always ends the probe. */
	for (slot = hash & t->slot_mask; (idx = smp_load_acquire(&slots[slot]));
	     slot = (slot + 1) & t->slot_mask) {
		if (skbstat_key_equal(t->keys + (size_t)(idx - 1) * size, key, hashed))
			return (shared ? t->vals : c->vals) + (size_t)(idx - 1) * val_size;
	}
	return skbstat_table_miss(t, c, key, hash, bytes);
}

#define skbstat_table_hit(t, key, count, bytes) \
	__skbstat_table_hit(t, key, sizeof(*(key)), sizeof(*(key)), sizeof(*(count)), bytes, false)

static inline u32 skbstat_table_rows(const struct skbstat_table *t)
{
	return smp_load_acquire(&t->rows);
}

static inline const void *skbstat_table_key(const struct skbstat_table *t, u32 row)
{
	return t->keys + (size_t)row * t->key_size;
}

/* A per-CPU table's counters of @row on @cpu. */
static inline void *skbstat_table_val(const struct skbstat_table *t, int cpu, u32 row)
{
	return t->cpu[cpu]->vals + (size_t)row * t->val_size;
}

/* A shared table's counters of @row, for all CPUs. */
static inline void *skbstat_table_shared_val(const struct skbstat_table *t, u32 row)
{
	return t->vals + (size_t)row * t->val_size;
}

/* A key's netns cookie; SKBSTAT_FREE_COOKIE for a free row. */
static inline u64 skbstat_key_cookie(const struct skbstat_table *t, const void *key)
{
	return *(const u64 *)(key + t->cookie_off);
}

/* How many rows hold a key. */
static inline u32 skbstat_table_used(const struct skbstat_table *t)
{
	return READ_ONCE(t->used);
}

bool skbstat_table_key_copy(const struct skbstat_table *t, u32 row, void *key);
void skbstat_table_totals(const struct skbstat_table *t, u32 events_counter, u32 bytes_counter,
			  struct skbstat_totals *sum);
void skbstat_table_row_sum(const struct skbstat_table *t, u32 row, bool netns_view, u64 *sum);
void skbstat_table_rebase(struct skbstat_table *t, u64 cookie);
/* The events of the netns with @cookie that found the table full, in its view. */
u64 skbstat_table_netns_full(const struct skbstat_table *t, u64 cookie);
/* A retirement between its two steps (table.c). */
struct skbstat_retire {
	unsigned long *dying;	/* rows marked */
	u32 rows;		/* rows when they were marked */
	u32 marked;
	u32 *old_slots;		/* freed with the rest, after the grace period */
};

int skbstat_table_retire_prepare(struct skbstat_table *t, const u64 *cookies, u32 nr_cookies,
				 struct skbstat_retire *r);
void skbstat_table_retire_commit(struct skbstat_table *t, struct skbstat_retire *r);
int skbstat_cookie_cmp(const void *a, const void *b);

#endif /* _SKBSTAT_TABLE_H */
