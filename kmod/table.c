// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded per-CPU tables.  Lookups of existing rows are lock-free: a slot
 * holds the index of a row whose key was written before the slot was
 * published.  Inserts are serialised by a raw spinlock taken with
 * interrupts off, so a probe nesting on the same CPU cannot deadlock.
 */
#include <linux/bsearch.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "table.h"

/* What a table allocates, one per-CPU chunk for each possible CPU. */
enum table_part {
	PART_TABLE,
	PART_SLOTS,
	PART_KEYS,
	PART_VALS,		/* a shared table's counters; none otherwise */
	PART_BASE,
	PART_FREE_ROWS,
	PART_NETNS_FULL,
	PART_CPU,		/* per possible CPU */
	NR_PARTS
};

/* The size of each part of a table of @shape: what skbstat_table_alloc() asks for. */
static void table_parts(const struct skbstat_table_shape *shape, size_t size[NR_PARTS])
{
	size_t vals = (size_t)shape->limit * shape->val_size;
	struct skbstat_table *t;

	size[PART_TABLE] = struct_size(t, cpu, nr_cpu_ids);
	size[PART_SLOTS] = roundup_pow_of_two(2 * shape->limit) * sizeof(u32);
	size[PART_KEYS] = (size_t)shape->limit * shape->key_size;
	size[PART_VALS] = shape->shared ? vals : 0;
	size[PART_BASE] = (size_t)shape->limit * shape->counters * sizeof(u64);
	size[PART_FREE_ROWS] = (size_t)shape->limit * sizeof(u32);
	size[PART_NETNS_FULL] = SKBSTAT_NETNS_FULL_SLOTS * sizeof(struct skbstat_netns_full);
	size[PART_CPU] = sizeof(struct skbstat_table_cpu) + (shape->shared ? 0 : vals);
}

/*
 * A part of a table, zeroed, and in @took what it takes.  Up to a page it
 * comes from kmalloc, which takes its cache's size (ksize()).  A larger part
 * takes exactly the pages it needs, not kmalloc's power of two pages: a
 * power of two pages from the page allocator, split into single pages, of
 * which those past the part are freed at once (as alloc_pages_exact() does,
 * but on @node); when no such run of pages is free, vmalloc's pages, which
 * are as many.  Neither holds pointers to other allocations, so kmemleak
 * need not scan the pages, which it does not know.  Freed by part_free().
 */
static void *part_alloc(size_t size, int node, u64 *took)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO;
	unsigned int order;
	struct page *page;
	unsigned long p;
	void *v;

	if (node != NUMA_NO_NODE && !node_online(node))
		node = NUMA_NO_NODE;
	if (size <= PAGE_SIZE) {
		v = kmalloc_node(size, gfp, node);
		*took = v ? ksize(v) : 0;
		return v;
	}
	*took = PAGE_ALIGN(size);
	/* Quietly, as kvmalloc() tries kmalloc: vmalloc is there. */
	order = get_order(size);
	page = alloc_pages_node(node, gfp | __GFP_NOWARN | __GFP_NORETRY, order);
	if (page) {
		split_page(page, order);
		p = (unsigned long)page_address(page);
		free_pages_exact((void *)(p + PAGE_ALIGN(size)),
				 (PAGE_SIZE << order) - PAGE_ALIGN(size));
		return (void *)p;
	}
	return vzalloc_node(size, node);
}

/* Frees part @p of @size (NULL: none) as part_alloc() allocated it. */
static void part_free(void *p, size_t size)
{
	if (!p)
		return;
	if (is_vmalloc_addr(p))
		vfree(p);
	else if (size > PAGE_SIZE)
		free_pages_exact(p, size);
	else
		kfree(p);
}

/*
 * The most part_alloc() can take for @size bytes: a kmalloc cache's size
 * is at most the next power of two (cache sizes 96 and 192 less), and a
 * larger part takes its pages.
 */
static u64 part_size_max(size_t size)
{
	if (!size)
		return 0;
	if (size <= PAGE_SIZE)
		return roundup_pow_of_two(size);
	return PAGE_ALIGN(size);
}

void skbstat_table_mem_max(const struct skbstat_table_shape *shape, u64 *percpu, u64 *bytes)
{
	size_t size[NR_PARTS];
	int i;

	table_parts(shape, size);
	*percpu = part_size_max(size[PART_CPU]) * num_possible_cpus();
	/* The table itself comes from kmalloc, however large: a power of two. */
	*bytes = *percpu + roundup_pow_of_two(size[PART_TABLE]);
	for (i = PART_TABLE + 1; i < PART_CPU; i++)
		*bytes += part_size_max(size[i]);
}

struct skbstat_table *skbstat_table_alloc(const struct skbstat_table_shape *shape, u64 hash_seed)
{
	u32 limit = shape->limit;
	size_t size[NR_PARTS];
	struct skbstat_table *t;
	u64 took[NR_PARTS];
	u32 *slots;
	int cpu;

	if (!limit || limit > (1U << 24) || shape->key_size % sizeof(u64) ||
	    shape->key_size > SKBSTAT_MAX_KEY_WORDS * sizeof(u64) ||
	    shape->cookie_off + sizeof(u64) > shape->key_size ||
	    shape->counters > SKBSTAT_MAX_COUNTERS ||
	    shape->counters * sizeof(u64) > shape->val_size)
		return NULL;

	table_parts(shape, size);
	/*
	 * kmalloc, not part_alloc(), however many CPUs: kmemleak must scan
	 * the table for its pointers to the parts it knows.
	 */
	t = kzalloc(size[PART_TABLE], GFP_KERNEL);
	if (!t)
		return NULL;
	t->limit = limit;
	t->key_size = shape->key_size;
	t->cookie_off = shape->cookie_off;
	t->val_size = shape->val_size;
	t->counters = shape->counters;
	t->shared = shape->shared;
	t->key_hashed = shape->key_hashed;
	t->slot_mask = size[PART_SLOTS] / sizeof(*slots) - 1;
	t->hash_mult = (hash_seed ?: get_random_u64()) | 1;
	raw_spin_lock_init(&t->insert_lock);
	seqcount_raw_spinlock_init(&t->key_seq, &t->insert_lock);
	seqlock_init(&t->base_lock);
	t->mem.bytes = ksize(t);

	slots = part_alloc(size[PART_SLOTS], NUMA_NO_NODE, &took[PART_SLOTS]);
	RCU_INIT_POINTER(t->slots, slots);
	t->keys = part_alloc(size[PART_KEYS], NUMA_NO_NODE, &took[PART_KEYS]);
	t->base = part_alloc(size[PART_BASE], NUMA_NO_NODE, &took[PART_BASE]);
	t->free_rows = part_alloc(size[PART_FREE_ROWS], NUMA_NO_NODE, &took[PART_FREE_ROWS]);
	t->netns_full = part_alloc(size[PART_NETNS_FULL], NUMA_NO_NODE, &took[PART_NETNS_FULL]);
	took[PART_VALS] = 0;
	if (t->shared)
		t->vals = part_alloc(size[PART_VALS], NUMA_NO_NODE, &took[PART_VALS]);
	if (!slots || !t->keys || !t->base || !t->free_rows || !t->netns_full ||
	    (t->shared && !t->vals))
		goto err_free_table;

	for_each_possible_cpu(cpu) {
		t->cpu[cpu] = part_alloc(size[PART_CPU], cpu_to_node(cpu), &took[PART_CPU]);
		if (!t->cpu[cpu])
			goto err_free_table;
		t->mem.percpu += took[PART_CPU];
	}
	t->mem.bytes += took[PART_SLOTS] + took[PART_KEYS] + took[PART_VALS] + took[PART_BASE] +
			took[PART_FREE_ROWS] + took[PART_NETNS_FULL] + t->mem.percpu;
	return t;

err_free_table:
	skbstat_table_free(t);
	return NULL;
}

void skbstat_table_free(struct skbstat_table *t)
{
	struct skbstat_table_shape shape;
	size_t size[NR_PARTS];
	int cpu;

	if (!t)
		return;
	shape = (struct skbstat_table_shape) {
		.limit = t->limit,
		.key_size = t->key_size,
		.val_size = t->val_size,
		.counters = t->counters,
		.shared = t->shared,
	};
	table_parts(&shape, size);
	for_each_possible_cpu(cpu)
		part_free(t->cpu[cpu], size[PART_CPU]);
	part_free(t->netns_full, size[PART_NETNS_FULL]);
	part_free(t->free_rows, size[PART_FREE_ROWS]);
	part_free(t->base, size[PART_BASE]);
	part_free(t->vals, size[PART_VALS]);
	part_free(t->keys, size[PART_KEYS]);
	part_free(rcu_dereference_protected(t->slots, true), size[PART_SLOTS]);
	kfree(t);
}

/* The size of @t's slots: a retirement replaces them with as many. */
static size_t slots_size(const struct skbstat_table *t)
{
	return (size_t)(t->slot_mask + 1) * sizeof(u32);
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

static u32 *locked_slots(const struct skbstat_table *t)
{
	return rcu_dereference_protected(t->slots, lockdep_is_held(&t->insert_lock));
}

/* A free row, else a never-used one; -1 when every row holds a key. */
static int row_take(struct skbstat_table *t)
{
	if (t->nr_free)
		return t->free_rows[--t->nr_free];
	return t->rows < t->limit ? t->rows : -1;
}

/* The hash of a stored key, as the probes computed it (skbstat_table_shape.key_hashed). */
static u32 table_key_hash(const struct skbstat_table *t, const void *key)
{
	u32 size = t->key_hashed ? t->key_hashed(key) : t->key_size;

	return skbstat_key_hash(key, size, t->hash_mult);
}

/*
 * Puts row index @idx into the slots a retirement is building, at the first
 * empty slot from its key's home.
 */
static void rebuild_place(struct skbstat_table *t, u32 idx)
{
	u32 s, home;

	home = table_key_hash(t, skbstat_table_key(t, idx - 1)) & t->slot_mask;
	for (s = home; t->rebuild[s]; s = (s + 1) & t->slot_mask)
		;
	t->rebuild[s] = idx;
	t->rebuild_longest = max(t->rebuild_longest, ((s - home) & t->slot_mask) + 1);
}

/* The row of @key, inserted when there is room; -1 when full. */
static int table_insert_locked(struct skbstat_table *t, const void *key, u32 hash)
{
	u32 slot, idx, *slots = locked_slots(t);
	int row;

	/* Another CPU, or an interrupt, may have inserted it meanwhile. */
	for (slot = hash & t->slot_mask; (idx = slots[slot]); slot = (slot + 1) & t->slot_mask) {
		if (key_at(t, idx, key))
			return idx - 1;
	}
	row = row_take(t);
	if (row < 0)
		return -1;

	/* An adversary who lines keys up shows here first: status reports it. */
	WRITE_ONCE(t->longest_probe, max(t->longest_probe,
					 ((slot - hash) & t->slot_mask) + 1));
	/* A reused row's key changes under readers that walk rows by index. */
	write_seqcount_begin(&t->key_seq);
	memcpy(t->keys + (size_t)row * t->key_size, key, t->key_size);
	write_seqcount_end(&t->key_seq);
	smp_store_release(&slots[slot], row + 1);
	/* A retirement that walked past this slot would not find the row. */
	if (unlikely(t->rebuild) && slot < t->rebuild_next)
		rebuild_place(t, row + 1);
	if (row == t->rows)
		smp_store_release(&t->rows, row + 1);
	WRITE_ONCE(t->used, t->used + 1);
	return row;
}

static int table_insert(struct skbstat_table *t, const void *key, u32 hash)
{
	unsigned long flags;
	int row;

	raw_spin_lock_irqsave(&t->insert_lock, flags);
	row = table_insert_locked(t, key, hash);
	raw_spin_unlock_irqrestore(&t->insert_lock, flags);
	return row;
}

/*
 * The slot of @cookie's share of table_full, claimed if it has none and
 * @claim; NULL if none (a full array, or the netns is not known).
 */
static struct skbstat_netns_full *netns_full_slot(const struct skbstat_table *t, u64 cookie,
						  bool claim)
{
	struct skbstat_netns_full *s;
	u32 i, h = hash_64(cookie, ilog2(SKBSTAT_NETNS_FULL_SLOTS));
	u64 seen;

	if (!cookie || cookie == SKBSTAT_FREE_COOKIE)
		return NULL;
	for (i = 0; i < SKBSTAT_NETNS_FULL_PROBES; i++) {
		s = &t->netns_full[(h + i) % SKBSTAT_NETNS_FULL_SLOTS];
		seen = READ_ONCE(s->cookie);
		if (seen == cookie)
			return s;
		if (seen)
			continue;
		if (!claim)
			return NULL;
		seen = cmpxchg(&s->cookie, 0, cookie);
		if (!seen || seen == cookie)
			return s;
	}
	return NULL;
}

u64 skbstat_table_netns_full(const struct skbstat_table *t, u64 cookie)
{
	struct skbstat_netns_full *s = netns_full_slot(t, cookie, false);
	unsigned int seq;
	u64 n, base;

	if (!s)
		return 0;
	do {
		seq = read_seqbegin(&t->base_lock);
		base = s->base;
	} while (read_seqretry(&t->base_lock, seq));
	n = atomic64_read(&s->n);
	return n > base ? n - base : 0;
}

/*
 * The rest of __skbstat_table_hit(): @key has no row yet.  Returns this CPU's counters of its new row (a shared table's
 * one copy), or NULL when the table is full (table_full).
 */
void *skbstat_table_miss(struct skbstat_table *t, struct skbstat_table_cpu *c,
			 const void *key, u32 hash, u32 bytes)
{
	int row;

	/* A full table answers without the lock: floods of new keys stay cheap. */
	if (READ_ONCE(t->used) == t->limit)
		row = -1;
	else
		row = table_insert(t, key, hash);
	if (row < 0) {
		struct skbstat_netns_full *s;

		local64_inc(&c->table_full);
		local64_add(bytes, &c->table_full_bytes);
		s = netns_full_slot(t, skbstat_key_cookie(t, key), true);
		if (s)
			atomic64_inc(&s->n);
		return NULL;
	}
	if (t->shared)
		return skbstat_table_shared_val(t, row);
	return c->vals + (size_t)row * t->val_size;
}

/*
 * Copies the key of @row for a reader that walks rows by index; false for a
 * free row, whose key is no netns's.
 */
bool skbstat_table_key_copy(const struct skbstat_table *t, u32 row, void *key)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&t->key_seq);
		memcpy(key, skbstat_table_key(t, row), t->key_size);
	} while (read_seqcount_retry(&t->key_seq, seq));
	return skbstat_key_cookie(t, key) != SKBSTAT_FREE_COOKIE;
}

static void row_sum_raw(const struct skbstat_table *t, u32 row, u64 *sum)
{
	const atomic64_t *a;
	const local64_t *c;
	u32 i;
	int cpu;

	if (t->shared) {
		a = skbstat_table_shared_val(t, row);
		for (i = 0; i < t->counters; i++)
			sum[i] = atomic64_read(&a[i]);
		return;
	}
	memset(sum, 0, t->counters * sizeof(*sum));
	for_each_possible_cpu(cpu) {
		c = skbstat_table_val(t, cpu, row);
		for (i = 0; i < t->counters; i++)
			sum[i] += local64_read(&c[i]);
	}
}

/* Adds to @sum (or takes from it) the counters at @what, read under base_lock. */
static void add_stable(const struct skbstat_table *t, const u64 *what, u64 *sum, bool sub)
{
	u64 b[SKBSTAT_MAX_COUNTERS];
	unsigned int seq;
	u32 i;

	do {
		seq = read_seqbegin(&t->base_lock);
		memcpy(b, what, t->counters * sizeof(*b));
	} while (read_seqretry(&t->base_lock, seq));
	for (i = 0; i < t->counters; i++)
		sum[i] = sub ? sum[i] - b[i] : sum[i] + b[i];
}

/* Adds counters @events and @bytes of @rows rows of @vals, @val_size bytes each. */
static void totals_add(const u8 *vals, u32 val_size, u32 rows, u32 events, u32 bytes,
		       bool shared, struct skbstat_totals *sum)
{
	const atomic64_t *a;
	const local64_t *l;
	u32 row;

	for (row = 0; row < rows; row++, vals += val_size) {
		if (shared) {
			a = (const atomic64_t *)vals;
			sum->events += atomic64_read(&a[events]);
			sum->bytes += atomic64_read(&a[bytes]);
		} else {
			l = (const local64_t *)vals;
			sum->events += local64_read(&l[events]);
			sum->bytes += local64_read(&l[bytes]);
		}
		if (!(row % 65536))
			cond_resched();
	}
}

/*
 * The host's totals: the events and bytes (row counters @events_counter
 * and @bytes_counter) of every row on every CPU, of the rows retired
 * before (the gone row's carry), and of the events that found no row.
 * Summed here, at each status, rather than counted twice by every event.
 * Callers keep retirement out (skbstat_config_lock): its commit moves
 * counts from rows to the carry.  May sleep.
 */
void skbstat_table_totals(const struct skbstat_table *t, u32 events_counter, u32 bytes_counter,
			  struct skbstat_totals *sum)
{
	u64 gone[SKBSTAT_MAX_COUNTERS] = {};
	u32 rows = skbstat_table_rows(t);
	int cpu;

	memset(sum, 0, sizeof(*sum));
	add_stable(t, t->gone, gone, false);
	sum->events = gone[events_counter];
	sum->bytes = gone[bytes_counter];
	if (t->shared)
		totals_add(t->vals, t->val_size, rows, events_counter, bytes_counter, true, sum);
	for_each_possible_cpu(cpu) {
		const struct skbstat_table_cpu *c = t->cpu[cpu];

		sum->table_full += local64_read(&c->table_full);
		sum->bytes += local64_read(&c->table_full_bytes);
		if (!t->shared)
			totals_add(c->vals, t->val_size, rows, events_counter, bytes_counter,
				   false, sum);
	}
	sum->events += sum->table_full;
}

/*
 * The counters of @row over all CPUs: since the table was made (the host's
 * view; the netns gone row with what retired rows had), or since the last
 * reset of the row's netns (@netns_view: that netns's own view; a reset
 * there changes nothing the host sees).
 */
void skbstat_table_row_sum(const struct skbstat_table *t, u32 row, bool netns_view, u64 *sum)
{
	row_sum_raw(t, row, sum);
	if (netns_view)
		add_stable(t, t->base + (size_t)row * t->counters, sum, true);
	else if (row + 1 == READ_ONCE(t->gone_row))
		add_stable(t, t->gone, sum, false);
}

static void rebase_netns_full(struct skbstat_table *t, u64 cookie)
{
	struct skbstat_netns_full *s = netns_full_slot(t, cookie, false);

	if (!s)
		return;
	write_seqlock(&t->base_lock);
	s->base = atomic64_read(&s->n);
	write_sequnlock(&t->base_lock);
}

/*
 * Resets the rows of one netns in that netns's view, without touching the
 * counters, which only the probes write (per-CPU ones only their own CPU):
 * the rows' current sums become their zero there.  Callers serialise with
 * each other.
 */
void skbstat_table_rebase(struct skbstat_table *t, u64 cookie)
{
	u32 row, rows = skbstat_table_rows(t);
	u64 sum[SKBSTAT_MAX_COUNTERS];
	u64 key[SKBSTAT_MAX_KEY_WORDS];

	for (row = 0; row < rows; row++) {
		if (!(row % 1024))
			cond_resched();
		if (!skbstat_table_key_copy(t, row, key) || skbstat_key_cookie(t, key) != cookie)
			continue;
		row_sum_raw(t, row, sum);
		write_seqlock(&t->base_lock);
		memcpy(t->base + (size_t)row * t->counters, sum, t->counters * sizeof(*sum));
		write_sequnlock(&t->base_lock);
	}
	rebase_netns_full(t, cookie);
}

/* ---- retiring the rows of namespaces that died ---- */

/* Orders netns cookies for sort() and bsearch(). */
int skbstat_cookie_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Marks the rows whose cookie is one of @cookies (sorted); returns how many. */
static u32 mark_dying(const struct skbstat_table *t, const u64 *cookies, u32 nr_cookies,
		      unsigned long *dying, u32 rows)
{
	u64 key[SKBSTAT_MAX_KEY_WORDS], cookie;
	u32 row, marked = 0;

	for (row = 0; row < rows; row++) {
		if (!(row % 1024))
			cond_resched();
		if (!skbstat_table_key_copy(t, row, key))
			continue;
		cookie = skbstat_key_cookie(t, key);
		if (!cookie || !bsearch(&cookie, cookies, nr_cookies, sizeof(*cookies),
						skbstat_cookie_cmp))
			continue;
		__set_bit(row, dying);
		marked++;
	}
	return marked;
}

/* Slots walked per hold of the insert lock, with interrupts off. */
#define REBUILD_BATCH	1024

/*
 * Publishes slots that lead to every row but the dying ones, and returns
 * the old slots.  Rows added since they were marked (idx > @rows) are no
 * dying netns's: after the devices' exits (which end with an RCU grace
 * period), nothing counts under a dying netns's cookie any more; a socket
 * of it counts in the gone row (skbstat_net_alive()).  The walk holds the
 * insert lock (interrupts off) for one batch of slots at a time, not for
 * the whole table, which at the largest limits would be milliseconds: a
 * row inserted between batches goes into the new slots too when its slot
 * lies behind the walk (table_insert_locked()), else the walk finds it.
 */
static u32 *slots_without(struct skbstat_table *t, u32 *fresh, const unsigned long *dying,
			  u32 rows)
{
	u32 *old, slot = 0, idx, end, nr_slots = t->slot_mask + 1;
	unsigned long flags;

	raw_spin_lock_irqsave(&t->insert_lock, flags);
	t->rebuild = fresh;
	t->rebuild_next = 0;
	t->rebuild_longest = 0;
	raw_spin_unlock_irqrestore(&t->insert_lock, flags);
	for (;;) {
		end = min(slot + REBUILD_BATCH, nr_slots);
		raw_spin_lock_irqsave(&t->insert_lock, flags);
		old = locked_slots(t);
		for (; slot < end; slot++) {
			idx = old[slot];
			if (idx && !(idx <= rows && test_bit(idx - 1, dying)))
				rebuild_place(t, idx);
		}
		t->rebuild_next = end;
		if (end == nr_slots)
			break;
		raw_spin_unlock_irqrestore(&t->insert_lock, flags);
		cond_resched();
	}
	rcu_assign_pointer(t->slots, fresh);
	WRITE_ONCE(t->longest_probe, t->rebuild_longest);
	t->rebuild = NULL;
	raw_spin_unlock_irqrestore(&t->insert_lock, flags);
	return old;
}

/*
 * Sums the dying rows into @sum and zeroes them; no probe counts into them
 * any more.
 */
static void sum_dying(struct skbstat_table *t, const unsigned long *dying, u32 rows, u64 *sum)
{
	u64 row_sum[SKBSTAT_MAX_COUNTERS];
	u32 row, i, n = 0;
	int cpu;

	memset(sum, 0, t->counters * sizeof(*sum));
	for_each_set_bit(row, dying, rows) {
		row_sum_raw(t, row, row_sum);
		for (i = 0; i < t->counters; i++)
			sum[i] += row_sum[i];
		if (t->shared) {
			memset(skbstat_table_shared_val(t, row), 0, t->val_size);
		} else {
			for_each_possible_cpu(cpu)
				memset(skbstat_table_val(t, cpu, row), 0, t->val_size);
		}
		write_seqlock(&t->base_lock);
		memset(t->base + (size_t)row * t->counters, 0, t->counters * sizeof(u64));
		write_sequnlock(&t->base_lock);
		if (!(++n % 1024))
			cond_resched();
	}
}

/*
 * Frees the dying rows for new keys and returns the netns gone row, made
 * under the same lock as the first row is freed: probes that wait for room
 * cannot take every freed row before it.
 */
static int free_dying(struct skbstat_table *t, const unsigned long *dying, u32 rows)
{
	u64 gone_key[SKBSTAT_MAX_KEY_WORDS] = {};
	u32 hash = table_key_hash(t, gone_key);
	unsigned long flags;
	u32 row, n = 0;
	int gone = -1;

	for_each_set_bit(row, dying, rows) {
		raw_spin_lock_irqsave(&t->insert_lock, flags);
		write_seqcount_begin(&t->key_seq);
		memset(t->keys + (size_t)row * t->key_size, 0xff, t->key_size);
		write_seqcount_end(&t->key_seq);
		t->free_rows[t->nr_free++] = row;
		WRITE_ONCE(t->used, t->used - 1);
		if (gone < 0)
			gone = table_insert_locked(t, gone_key, hash);
		raw_spin_unlock_irqrestore(&t->insert_lock, flags);
		if (!(++n % 1024))
			cond_resched();
	}
	return gone;
}

static void retire_free(const struct skbstat_table *t, struct skbstat_retire *r)
{
	kvfree(r->dying);
	/* Allocated as the table's first slots were, so that its memory stays as it says. */
	part_free(r->old_slots, slots_size(t));
	memset(r, 0, sizeof(*r));
}

/*
 * Retiring the rows of namespaces that died, in two steps with an RCU
 * grace period between them (one for all tables): no later namespace can
 * see the rows, they stop taking room, and the host keeps what they
 * counted in the netns gone row (a key of all zeros).  Callers serialise
 * both steps with each other and with table replacement.
 *
 * Prepare: marks the rows whose cookie is one of @cookies (sorted) and
 * publishes slots without them, so that no probe finds them once the grace
 * period is over.  Returns how many rows were marked (then commit them),
 * or -ENOMEM: the rows stay, and no later namespace sees them, as they
 * have a cookie no other gets.
 */
int skbstat_table_retire_prepare(struct skbstat_table *t, const u64 *cookies, u32 nr_cookies,
				 struct skbstat_retire *r)
{
	u32 *fresh;
	u64 took;

	memset(r, 0, sizeof(*r));
	r->rows = skbstat_table_rows(t);
	if (!r->rows)
		return 0;
	r->dying = kvcalloc(BITS_TO_LONGS(r->rows), sizeof(long), GFP_KERNEL);
	if (!r->dying)
		return -ENOMEM;
	r->marked = mark_dying(t, cookies, nr_cookies, r->dying, r->rows);
	if (!r->marked) {
		retire_free(t, r);
		return 0;
	}
	fresh = part_alloc(slots_size(t), NUMA_NO_NODE, &took);
	if (!fresh) {
		retire_free(t, r);
		return -ENOMEM;
	}
	r->old_slots = slots_without(t, fresh, r->dying, r->rows);
	return r->marked;
}

/*
 * Commit, after the grace period: the marked rows' sums go to the gone
 * row and the rows are freed for new keys.  Readers that walk rows must
 * not run meanwhile (the caller holds skbstat_retire_sem for writing):
 * they would see a row's counts twice, or not at all.
 */
void skbstat_table_retire_commit(struct skbstat_table *t, struct skbstat_retire *r)
{
	u64 sum[SKBSTAT_MAX_COUNTERS];
	int gone;
	u32 i;

	sum_dying(t, r->dying, r->rows, sum);
	/* At least one row is freed first: there is room for it. */
	gone = free_dying(t, r->dying, r->rows);
	write_seqlock(&t->base_lock);
	for (i = 0; i < t->counters; i++)
		t->gone[i] += sum[i];
	WRITE_ONCE(t->gone_row, gone + 1);
	write_sequnlock(&t->base_lock);
	retire_free(t, r);
}
