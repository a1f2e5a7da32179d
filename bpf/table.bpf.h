/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One event of a hook: find (or make) its row in the current generation,
 * which counts it; only an event that gets no row is counted in the hook's
 * totals (maps.bpf.h).  Totals and the rows of drops and queues are per
 * CPU, and a program never runs nested on one CPU (the kernel skips such
 * runs and counts them as recursion misses), so plain increments are
 * exact there.  Flow rows are shared by all CPUs: their counters are added
 * to atomically (count_retransmit()).
 *
 * The tables are open addressing in arrays (maps.bpf.h, skbstat/slots.h):
 * a key's slot is found by its hash, and a missing key claims a free (or
 * retired) slot with a compare-and-exchange of its tag, then takes a row:
 * one from the free list, else the next never used.  The claimer writes
 * the key and row, then publishes the tag with an exchange (a full
 * barrier), so no CPU and no reader sees a key half written.  Two CPUs
 * that insert the same key at once may both claim a slot (the loser of a
 * race walks past the winner's CLAIMING slot): the key then has two rows,
 * each counting some of its events, which readers add up (backend_bpf_tables.c).
 */
#ifndef _SKBSTAT_TABLE_BPF_H
#define _SKBSTAT_TABLE_BPF_H

#include <skbstat/slots.h>

#include "maps.bpf.h"

/* A word another CPU (or userspace) may change meanwhile: read once, whole. */
#define READ_ONCE(x)	(*(volatile typeof(x) *)&(x))

/*
 * A tag read before the key and row it publishes: the compiler keeps the
 * loads in that order, and x86-64 (the only architecture skbstat is built
 * for) keeps loads in order; clang 14 has no load-acquire for BPF.
 */
static __always_inline __u64 tag_read(const __u64 *tag)
{
	__u64 t = READ_ONCE(*tag);

	barrier();
	return t;
}

/*
 * An event of the netns with cookie @cookie that found the table full:
 * counted for that netns's view too, so that a container's rows +
 * table_full = events holds as the host's does.  Rare, hence atomic and in
 * a map of its own; a netns that finds no room there goes uncounted in its
 * own view only (the host's table_full has it).
 */
static __always_inline void netns_full_count(__u32 hook, __u32 g, __u64 cookie)
{
	struct skbstat_netns_full_key k = {
		.netns_cookie = cookie,
		.hook = hook,
		.generation = g,
	};
	__u64 one = 1, *n;

	if (!cookie)
		return;
	n = bpf_map_lookup_elem(&netns_full, &k);
	if (!n && !bpf_map_update_elem(&netns_full, &k, &one, BPF_NOEXIST))
		return;
	if (!n)
		n = bpf_map_lookup_elem(&netns_full, &k);	/* another CPU made it */
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* An event of generation @g that found no row: the rare path. */
static __always_inline void table_full_count(__u32 hook, __u32 g, __u32 bytes, __u64 cookie)
{
	__u32 idx = g * SKBSTAT_HOOK_COUNT + hook;
	struct skbstat_totals *t;

	t = bpf_map_lookup_elem(&totals, &idx);
	if (t) {
		t->events++;
		t->bytes += bytes;
		t->table_full++;
	}
	netns_full_count(hook, g, cookie);
}

/* Each table's maps and key size, by hook: a constant in every caller. */
#define TABLE_OF(hook, drops, flows, queues)						\
	((hook) == SKBSTAT_HOOK_DROPS ? (void *)(drops) :				\
	 (hook) == SKBSTAT_HOOK_FLOWS ? (void *)(flows) : (void *)(queues))
#define TABLE_SLOTS(hook)	TABLE_OF(hook, &drops_slots, &flows_slots, &queues_slots)
#define TABLE_COUNTS(hook)	TABLE_OF(hook, &drops_counts, &flows_counts, &queues_counts)
#define TABLE_FREE_0(hook)	TABLE_OF(hook, &drops_free_0, &flows_free_0, &queues_free_0)
#define TABLE_FREE_1(hook)	TABLE_OF(hook, &drops_free_1, &flows_free_1, &queues_free_1)
#define TABLE_KEY_WORDS(hook)								\
	((hook) == SKBSTAT_HOOK_DROPS ? sizeof(struct skbstat_drop_key) / 8 :		\
	 (hook) == SKBSTAT_HOOK_FLOWS ? sizeof(struct skbstat_flow_key) / 8 :		\
	 sizeof(struct skbstat_queue_key) / 8)

_Static_assert(sizeof(struct skbstat_drop_key) % 8 == 0 &&
	       sizeof(struct skbstat_flow_key) % 8 == 0 &&
	       sizeof(struct skbstat_queue_key) % 8 == 0,
	       "keys are hashed and compared in whole 64-bit words");

/* What every table's slot begins with (maps.bpf.h's TABLE_SLOT()). */
struct table_slot {
	__u64 tag;
	__u64 row;
	skbstat_key_word key[];
};

/* Where a find of a key walks: its hash, generation and slots. */
struct table_walk {
	__u64 hash;
	__u32 words;	/* the key's leading words that decide it: hashed and compared */
	__u32 g;
	__u32 base;	/* the generation's first slot */
	__u32 start;
	__u32 step;
};

/*
 * @words of the table's @max: a constant in a find, so the test of each
 * word folds away; a claim after a find of either length tests them.
 */
static __always_inline bool key_equal(const skbstat_key_word *a, const skbstat_key_word *b,
				      __u32 words, __u32 max)
{
	__u64 diff = 0;
	__u32 i;

	/* One branch: the words are compared without one per word. */
#pragma clang loop unroll(full)
	for (i = 0; i < max; i++)
		if (i < words)
			diff |= a[i] ^ b[i];
	return !diff;
}

static __always_inline struct table_slot *slot_at(__u32 hook, const struct table_walk *w,
						  __u32 i)
{
	__u32 idx = w->base + ((w->start + i * w->step) & slots_mask[hook]);

	return bpf_map_lookup_elem(TABLE_SLOTS(hook), &idx);
}

/*
 * Slot @i of @key's walk @w, and its tag in *@t; *@holds when that slot
 * holds @key.  NULL only past the table, which a walk never reaches.
 */
static __always_inline struct table_slot *walk_slot(__u32 hook, const void *key,
						    const struct table_walk *w, __u32 i,
						    __u64 *t, bool *holds)
{
	struct table_slot *s = slot_at(hook, w, i);

	if (!s)
		return NULL;
	*t = tag_read(&s->tag);
	*holds = *t == skbstat_slot_tag(w->hash) &&
		 key_equal(s->key, key, w->words, TABLE_KEY_WORDS(hook));
	return s;
}

/*
 * The slot that holds @key in the current generation, or NULL; *@w is
 * filled for slot_claim().  The walk stops at the first free slot: a key
 * is never placed beyond one.  @words (a constant) of the key decide it,
 * the rest being zero: all of them but an IPv4 flow's
 * (skbstat_flow_key_hashed()).
 */
static __always_inline struct table_slot *slot_find(__u32 hook, const void *key, __u32 words,
						    struct table_walk *w)
{
	struct table_slot *s;
	bool holds;
	__u64 t;
	__u32 i;

	w->g = gens[hook] & 1;
	w->base = w->g * (slots_mask[hook] + 1);
	w->words = words;
	w->hash = skbstat_slot_hash(hash_seed, key, words);
	w->start = skbstat_slot_start(w->hash, slots_shift[hook]);
	w->step = skbstat_slot_step(w->hash);
	for (i = 0; i < SKBSTAT_SLOT_PROBES; i++) {
		s = walk_slot(hook, key, w, i, &t, &holds);
		if (!s || holds)
			return s;
		if (t == SKBSTAT_SLOT_FREE)
			return NULL;
	}
	return NULL;
}

/* Generation @g's rows of @hook's table. */
static __always_inline struct skbstat_rows_next *rows_of(__u32 hook, __u32 g)
{
	__u32 idx = g * SKBSTAT_HOOK_COUNT + hook;

	return bpf_map_lookup_elem(&rows_next, &idx);
}

static __always_inline bool rows_left(__u32 hook, const struct skbstat_rows_next *r)
{
	return READ_ONCE(r->free) > 0 || READ_ONCE(r->next) < rows_limit[hook];
}

/*
 * A row for a new slot: a retired one first, else the next never used,
 * while they last.  One call site per generation, so that the verifier
 * knows each one's queue.
 */
static __always_inline bool row_take(__u32 hook, __u32 g, struct skbstat_rows_next *r,
				     __u32 *row)
{
	bool popped = false;
	__u64 n;

	if (READ_ONCE(r->free) > 0) {
		if (g)
			popped = !bpf_map_pop_elem(TABLE_FREE_1(hook), row);
		else
			popped = !bpf_map_pop_elem(TABLE_FREE_0(hook), row);
	}
	if (popped) {
		__sync_fetch_and_add(&r->free, -1);
		return true;
	}
	/* Read first, so that a full table's claims leave the counter be. */
	if (READ_ONCE(r->next) >= rows_limit[hook])
		return false;
	n = __sync_fetch_and_add(&r->next, 1);
	*row = n;
	return n < rows_limit[hook];
}

/*
 * @key's slot after slot_find() missed it: one claimed for it, its key and
 * row written, its tag not yet (*@claimed); or the slot another CPU made
 * for it meanwhile.  NULL when no probed slot is free or no row is left.
 */
static __always_inline struct table_slot *slot_claim(__u32 hook, const void *key,
						     const struct table_walk *w, bool *claimed)
{
	struct skbstat_rows_next *r;
	struct table_slot *s;
	__u32 i, row;
	bool holds;
	__u64 t;

	*claimed = false;
	r = rows_of(hook, w->g);
	if (!r || !rows_left(hook, r))
		return NULL;
	for (i = 0; i < SKBSTAT_SLOT_PROBES; i++) {
		s = walk_slot(hook, key, w, i, &t, &holds);
		if (!s || holds)
			return s;
		if (t != SKBSTAT_SLOT_FREE && t != SKBSTAT_SLOT_TOMB)
			continue;
		if (__sync_val_compare_and_swap(&s->tag, t, SKBSTAT_SLOT_CLAIMING) != t)
			continue;	/* another CPU's claim */
		if (!row_take(hook, w->g, r, &row)) {
			/*
			 * The slot as it was: a free one kept free keeps finds
			 * short.  A find that walked past it while claimed
			 * may have placed its key further on; finding it
			 * free now, that key's next miss makes a second row,
			 * which readers add up.
			 */
			__sync_lock_test_and_set(&s->tag, t);
			return NULL;
		}
		__builtin_memcpy(s->key, key, TABLE_KEY_WORDS(hook) * 8);
		s->row = row;
		*claimed = true;
		return s;
	}
	return NULL;
}

/*
 * Makes a claimed slot's key visible, after its key, row and counters:
 * clang compiles __sync_lock_test_and_set() to BPF's xchg, a full barrier
 * (the builtin promises only acquire; __atomic_exchange_n() with release
 * becomes a plain store that clang 14 cannot select).
 */
static __always_inline void slot_publish(struct table_slot *s, const struct table_walk *w)
{
	__sync_lock_test_and_set(&s->tag, skbstat_slot_tag(w->hash));
}

static __always_inline void *slot_counts(__u32 hook, const struct table_walk *w,
					 const struct table_slot *s)
{
	__u32 idx = w->g * rows_limit[hook] + (__u32)s->row;

	return bpf_map_lookup_elem(TABLE_COUNTS(hook), &idx);
}

/*
 * Returns this CPU's counters of the row for @key, which the caller counts
 * the event in, or NULL when the row could not be had: that event counts
 * as table_full (the host's, and that of the view of @cookie's netns), so
 * rows + table_full = events always holds.  For drops and queues, whose
 * counters are per CPU.
 */
static __always_inline void *table_hit(__u32 hook, const void *key, __u32 bytes, __u64 cookie)
{
	struct table_walk w;
	struct table_slot *s;
	void *counts;
	bool claimed;

	s = slot_find(hook, key, TABLE_KEY_WORDS(hook), &w);
	if (s) {
		counts = slot_counts(hook, &w, s);
		if (counts)
			return counts;
		goto full;
	}
	s = slot_claim(hook, key, &w, &claimed);
	if (!s)
		goto full;
	/* A new row's counters are zero: never used, or zeroed when retired. */
	counts = slot_counts(hook, &w, s);
	if (claimed)
		slot_publish(s, &w);
	if (counts)
		return counts;
full:
	table_full_count(hook, w.g, bytes, cookie);
	return NULL;
}

/*
 * For a table whose rows all CPUs share (flows): the row for @key in the
 * current generation, for the caller to add the event to with atomic adds;
 * NULL when it has none yet, and then *@w is for shared_row_insert().
 */
static __always_inline void *shared_row_find(__u32 hook, const void *key, __u32 words,
					     struct table_walk *w)
{
	struct table_slot *s = slot_find(hook, key, words, w);

	return s ? slot_counts(hook, w, s) : NULL;
}

/*
 * After shared_row_find() found no row: makes one with @first, the row's
 * value with this one event in it (its first_ns this event's time), and
 * returns NULL, the event counted.  Else the row another CPU made
 * meanwhile, for the caller to add the event to; or NULL when no row could
 * be had and the event counts as table_full.
 *
 * The row is written before its slot is published, so no CPU and no
 * reader ever sees a row half made, nor one without its first_ns.  Only
 * the miss builds @first, so an event of an existing row pays for none of
 * it.
 */
static __always_inline void *shared_row_insert(__u32 hook, const void *key,
					       const struct table_walk *w, const void *first,
					       __u32 val_size, __u32 bytes, __u64 cookie)
{
	struct table_slot *s;
	void *counts;
	bool claimed;

	s = slot_claim(hook, key, w, &claimed);
	counts = s ? slot_counts(hook, w, s) : NULL;
	if (s && claimed) {
		if (counts)
			__builtin_memcpy(counts, first, val_size);
		slot_publish(s, w);
		if (counts)
			return NULL;
	}
	if (counts)
		return counts;
	table_full_count(hook, w->g, bytes, cookie);
	return NULL;
}

#endif /* _SKBSTAT_TABLE_BPF_H */
