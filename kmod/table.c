// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded per-CPU tables.  Lookups of existing rows are lock-free: a slot
 * holds the index of a row whose key was written before the slot was
 * published.  Inserts are serialised by a raw spinlock taken with
 * interrupts off, so a probe nesting on the same CPU cannot deadlock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "table.h"

struct skbstat_table *skbstat_table_alloc(const struct skbstat_table_shape *shape, u64 hash_seed)
{
	u32 limit = shape->limit;
	struct skbstat_table *t;
	size_t cpu_size;
	int cpu;

	if (!limit || limit > (1U << 24) || shape->key_size % sizeof(u32) ||
	    shape->counters > SKBSTAT_MAX_COUNTERS ||
	    shape->counters * sizeof(local64_t) > shape->val_size)
		return NULL;

	t = kzalloc(struct_size(t, cpu, nr_cpu_ids), GFP_KERNEL);
	if (!t)
		return NULL;
	t->limit = limit;
	t->key_size = shape->key_size;
	t->netns_off = shape->netns_off;
	t->val_size = shape->val_size;
	t->counters = shape->counters;
	t->slot_mask = roundup_pow_of_two(2 * limit) - 1;
	t->hash_mult = (hash_seed ?: get_random_u64()) | 1;
	raw_spin_lock_init(&t->insert_lock);
	seqlock_init(&t->base_lock);

	t->slots = kvcalloc(t->slot_mask + 1, sizeof(*t->slots), GFP_KERNEL);
	t->keys = kvcalloc(limit, t->key_size, GFP_KERNEL);
	t->base = kvcalloc((size_t)limit * t->counters, sizeof(u64), GFP_KERNEL);
	if (!t->slots || !t->keys || !t->base)
		goto err_free_table;

	cpu_size = sizeof(struct skbstat_table_cpu) + (size_t)limit * t->val_size;
	for_each_possible_cpu(cpu) {
		t->cpu[cpu] = kvzalloc_node(cpu_size, GFP_KERNEL, cpu_to_node(cpu));
		if (!t->cpu[cpu])
			goto err_free_table;
	}
	return t;

err_free_table:
	skbstat_table_free(t);
	return NULL;
}

void skbstat_table_free(struct skbstat_table *t)
{
	int cpu;

	if (!t)
		return;
	for_each_possible_cpu(cpu)
		kvfree(t->cpu[cpu]);
	kvfree(t->base);
	kvfree(t->keys);
	kvfree(t->slots);
	kfree(t);
}

/*
 * Keys are whole u32 words (skbstat_table_alloc() checks): compared word by
 * word inline, which is a third of what a call to memcmp() costs here.
 */
static bool key_at(const struct skbstat_table *t, u32 idx, const void *key)
{
	const u32 *a = skbstat_table_key(t, idx - 1), *b = key;
	u32 i;

	for (i = 0; i < t->key_size / sizeof(u32); i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Returns the row of @key, inserting it when there is room; -1 when full. */
static int table_insert(struct skbstat_table *t, const void *key, u32 hash)
{
	unsigned long flags;
	u32 slot, idx;
	int row = -1;

	raw_spin_lock_irqsave(&t->insert_lock, flags);
	/* Another CPU, or an interrupt, may have inserted it meanwhile. */
	for (slot = hash & t->slot_mask; (idx = t->slots[slot]); slot = (slot + 1) & t->slot_mask) {
		if (key_at(t, idx, key)) {
			row = idx - 1;
			goto out_unlock;
		}
	}
	if (t->rows == t->limit)
		goto out_unlock;

	row = t->rows;
	/* An adversary who lines keys up shows here first: status reports it. */
	WRITE_ONCE(t->longest_probe, max(t->longest_probe,
					 ((slot - hash) & t->slot_mask) + 1));
	memcpy(t->keys + (size_t)row * t->key_size, key, t->key_size);
	smp_store_release(&t->slots[slot], row + 1);
	smp_store_release(&t->rows, row + 1);
out_unlock:
	raw_spin_unlock_irqrestore(&t->insert_lock, flags);
	return row;
}

/*
 * The rest of skbstat_table_hit(): @key has no row yet.  Returns this CPU's
 * counters of its new row, or NULL when the table is full (table_full).
 */
void *skbstat_table_miss(struct skbstat_table *t, struct skbstat_table_cpu *c,
			 const void *key, u32 hash)
{
	int row;

	/* A full table answers without the lock: floods of new keys stay cheap. */
	if (READ_ONCE(t->rows) == t->limit)
		row = -1;
	else
		row = table_insert(t, key, hash);
	if (row < 0) {
		local64_inc(&c->table_full);
		return NULL;
	}
	return c->vals + (size_t)row * t->val_size;
}

void skbstat_table_totals(const struct skbstat_table *t, struct skbstat_totals *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct skbstat_table_cpu *c = t->cpu[cpu];

		sum->events += local64_read(&c->events);
		sum->bytes += local64_read(&c->bytes);
		sum->table_full += local64_read(&c->table_full);
	}
}

static void row_sum_raw(const struct skbstat_table *t, u32 row, u64 *sum)
{
	const local64_t *c;
	u32 i;
	int cpu;

	memset(sum, 0, t->counters * sizeof(*sum));
	for_each_possible_cpu(cpu) {
		c = skbstat_table_val(t, cpu, row);
		for (i = 0; i < t->counters; i++)
			sum[i] += local64_read(&c[i]);
	}
}

/*
 * The counters of @row over all CPUs: since the table was made (the host's
 * view), or since the last reset of the row's netns (@netns_view: that
 * netns's own view; a reset there changes nothing the host sees).
 */
void skbstat_table_row_sum(const struct skbstat_table *t, u32 row, bool netns_view, u64 *sum)
{
	const u64 *base = t->base + (size_t)row * t->counters;
	u64 b[SKBSTAT_MAX_COUNTERS];
	unsigned int seq;
	u32 i;

	row_sum_raw(t, row, sum);
	if (!netns_view)
		return;
	do {
		seq = read_seqbegin(&t->base_lock);
		memcpy(b, base, t->counters * sizeof(*b));
	} while (read_seqretry(&t->base_lock, seq));
	for (i = 0; i < t->counters; i++)
		sum[i] -= b[i];
}

/*
 * Resets the rows of one netns in that netns's view, without touching the
 * per-CPU counters, which only their own CPU may write: the rows' current
 * sums become their zero there.  Callers serialise with each other.
 */
void skbstat_table_rebase(struct skbstat_table *t, u32 netns)
{
	u32 row, rows = skbstat_table_rows(t);
	u64 sum[SKBSTAT_MAX_COUNTERS];

	for (row = 0; row < rows; row++) {
		if (!(row % 1024))
			cond_resched();
		if (skbstat_table_netns(t, row) != netns)
			continue;
		row_sum_raw(t, row, sum);
		write_seqlock(&t->base_lock);
		memcpy(t->base + (size_t)row * t->counters, sum, t->counters * sizeof(*sum));
		write_sequnlock(&t->base_lock);
	}
}
