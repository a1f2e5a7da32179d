/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One event of a hook: find (or make) its row in the current generation,
 * which counts it; only an event that gets no row is counted in the hook's
 * totals (maps.bpf.h).  Totals and the rows of drops and queues are per
 * CPU, and a program never runs nested on one CPU (the kernel skips such
 * runs and counts them as recursion misses), so plain increments are
 * exact there.  Flow rows are shared by all CPUs: their counters are added
 * to atomically (shared_row_find(), shared_row_insert()).
 */
#ifndef _SKBSTAT_TABLE_BPF_H
#define _SKBSTAT_TABLE_BPF_H

#include "errno.bpf.h"
#include "maps.bpf.h"

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

/*
 * Returns this CPU's counters of the row for @key in generation 0 or 1 of
 * a table (@rows0 and @rows1: drops_0 and drops_1, ...), which the caller
 * counts the event in, or NULL when the row could not be had: that event
 * counts as table_full (the host's, and that of the view of @cookie's
 * netns), so rows + table_full = events always holds.
 *
 * The generation's map is named directly, not looked up in the outer
 * array of its table (maps.bpf.h), which only userspace needs: one lookup
 * less per event.  One call site per generation, so that the verifier
 * knows each one's map and calls the hash map's lookup directly.
 */
static __always_inline void *table_hit(void *rows0, void *rows1, __u32 hook, const void *key,
				       const void *zero, __u32 bytes, __u64 cookie)
{
	__u32 g = gens[hook] & 1;
	void *rows, *row;
	long err;

	/* nomerge: one call with a choice of maps would be a generic helper call. */
	if (g) {
		__attribute__((nomerge)) row = bpf_map_lookup_elem(rows1, key);
		rows = rows1;
	} else {
		__attribute__((nomerge)) row = bpf_map_lookup_elem(rows0, key);
		rows = rows0;
	}
	if (row)
		return row;
	/*
	 * -E2BIG: the table is full.  -EEXIST: another CPU inserted the key
	 * meanwhile, which is fine.  Anything else (a bucket busy with a
	 * userspace delete on this CPU) is rare, and also leaves no row.
	 */
	err = bpf_map_update_elem(rows, key, zero, BPF_NOEXIST);
	if (err && err != -EEXIST)
		goto full;
	row = bpf_map_lookup_elem(rows, key);
	if (row)
		return row;
	/* No room, or the new row was deleted at once (a retirement). */
full:
	table_full_count(hook, g, bytes, cookie);
	return NULL;
}

/*
 * For a table whose rows all CPUs share (flows): the row for @key in
 * generation 0 or 1 (@rows0, @rows1) that gens[@hook] names, for the
 * caller to add the event to with atomic adds; NULL when it has none yet,
 * and then *@rows and *@g are that generation's map and number, for
 * shared_row_insert().  The lookup as in table_hit().
 */
static __always_inline void *shared_row_find(void *rows0, void *rows1, __u32 hook,
					     const void *key, void **rows, __u32 *g)
{
	void *row;

	*g = gens[hook] & 1;
	/* nomerge: as in table_hit(). */
	if (*g) {
		__attribute__((nomerge)) row = bpf_map_lookup_elem(rows1, key);
		*rows = rows1;
	} else {
		__attribute__((nomerge)) row = bpf_map_lookup_elem(rows0, key);
		*rows = rows0;
	}
	return row;
}

/*
 * After shared_row_find() found no row: inserts @first, the row's value
 * with this one event in it (its first_ns this event's time), and returns
 * NULL, the event counted.  Else the row another CPU inserted meanwhile
 * (-EEXIST), for the caller to add the event to; or NULL when no row could
 * be had and the event counts as table_full (errors as in table_hit()).
 *
 * The kernel fills a new element's value before it links the element into
 * its bucket, so no CPU ever sees a row half made, nor one without its
 * first_ns; and no event is counted twice or lost, whichever CPU inserts:
 * the loser of a race for the key adds to the winner's row.  Only the miss
 * builds @first, so an event of an existing row pays for none of it.
 */
static __always_inline void *shared_row_insert(void *rows, __u32 g, __u32 hook, const void *key,
					       const void *first, __u32 bytes, __u64 cookie)
{
	void *row;
	long err;

	err = bpf_map_update_elem(rows, key, first, BPF_NOEXIST);
	if (!err)
		return NULL;
	if (err == -EEXIST) {
		row = bpf_map_lookup_elem(rows, key);
		if (row)
			return row;
	}
	table_full_count(hook, g, bytes, cookie);
	return NULL;
}

#endif /* _SKBSTAT_TABLE_BPF_H */
