// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend's tables, read and reset from userspace.
 *
 * A drop or queue row has one value per possible CPU; they are summed as
 * the module sums its per-CPU counters.  A flow row has one value, which
 * every CPU adds to (bpf/maps.bpf.h).  A reset switches the probes to the other
 * generation, waits until none still counts into the old one, and only
 * then empties it: no event is lost or split between the two.  A reset of
 * one netns's rows only (from a container) records their values as bases,
 * which reads subtract, as the module does.  A netns's rows are those of
 * its cookie: its inode may have been a dead netns's.
 *
 * A row is a published slot's key and the counters of the row it names
 * (bpf/table.bpf.h); a key with two rows (two CPUs made it at once) is
 * read as one, their sum.
 *
 * The rows of a netns that died are retired as the module retires them:
 * summed into the table's netns gone row (the all-zero key), their slots
 * retired and their rows zeroed and freed for new keys, so that they free
 * their room (bpfbe_tables_retire()).  The probes count a
 * dying netns's events in the gone row themselves; the sums of the rows
 * retired go to gone_carry, which only userspace writes, and the host's
 * reads add it to the gone row.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend/bpf/backend_bpf_slots.h"
#include "backend/bpf/backend_bpf_tables.h"

/* Room for the key and the value of any table. */
union any_key {
	struct skbstat_drop_key drop;
	struct skbstat_flow_key flow;
	struct skbstat_queue_key queue;
};

union any_value {
	struct skbstat_drop_val drop;
	struct skbstat_flow_val flow;
	struct skbstat_queue_val queue;
};

/* The carry's value is any table's value: bpf/maps.bpf.h's gone_carry. */
_Static_assert(sizeof(union any_value) == sizeof(union skbstat_any_val),
	       "gone_carry holds a value of any table");

/* Counters are fetched this many rows at a time. */
#define BATCH_ROWS	256

struct table_shape {
	bool shared;		/* one value for all CPUs (a plain array), else one per CPU */
	size_t key_size;
	size_t val_size;	/* a multiple of 8, as the kernel lays out per-CPU values */
	size_t row_size;
	size_t val_off;		/* of the value in the row */
	size_t cookie_off;	/* of the netns cookie in the key */
	void (*add)(void *sum, const void *cpu_val);
	void (*sub)(void *val, const void *base);
};

/* Saturating: a base left from before a global reset may exceed the new count. */
static uint64_t less(uint64_t value, uint64_t base)
{
	return value > base ? value - base : 0;
}

/* Drops and queues: every field is a counter. */
static void add_counters(uint64_t *sum, const uint64_t *cpu, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sum[i] += cpu[i];
}

static void add_drop(void *sum, const void *cpu_val)
{
	add_counters(sum, cpu_val, sizeof(struct skbstat_drop_val) / sizeof(uint64_t));
}

static void add_queue(void *sum, const void *cpu_val)
{
	add_counters(sum, cpu_val, sizeof(struct skbstat_queue_val) / sizeof(uint64_t));
}

static void sub_counters(uint64_t *val, const uint64_t *base, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		val[i] = less(val[i], base[i]);
}

static void sub_drop(void *val, const void *base)
{
	sub_counters(val, base, sizeof(struct skbstat_drop_val) / sizeof(uint64_t));
}

static void sub_queue(void *val, const void *base)
{
	sub_counters(val, base, sizeof(struct skbstat_queue_val) / sizeof(uint64_t));
}

/* Only the counters; first and last seen stay as they are. */
static void sub_flow(void *val, const void *base)
{
	struct skbstat_flow_val *v = val;
	const struct skbstat_flow_val *b = base;

	v->retransmits = less(v->retransmits, b->retransmits);
	v->bytes = less(v->bytes, b->bytes);
	v->events = less(v->events, b->events);
	v->failed = less(v->failed, b->failed);
}

/*
 * Adds a value to a sum: a row's retired counts to the netns gone row.
 * First seen is the earlier one's, last seen and the state the later one's.
 */
static void add_flow(void *sum, const void *cpu_val)
{
	struct skbstat_flow_val *s = sum;
	const struct skbstat_flow_val *c = cpu_val;

	s->retransmits += c->retransmits;
	s->bytes += c->bytes;
	s->events += c->events;
	s->failed += c->failed;
	if (c->first_ns && (!s->first_ns || c->first_ns < s->first_ns))
		s->first_ns = c->first_ns;
	if (c->last_ns > s->last_ns) {
		s->last_ns = c->last_ns;
		s->state = c->state;
	}
}

#define SHAPE(row, one, add_fn, sub_fn) {					\
	.shared = one,								\
	.key_size = sizeof(((struct row *)0)->key),				\
	.val_size = sizeof(((struct row *)0)->val),				\
	.row_size = sizeof(struct row),						\
	.val_off = offsetof(struct row, val),					\
	.cookie_off = offsetof(struct row, key.netns_cookie),			\
	.add = add_fn,								\
	.sub = sub_fn,								\
}

static const struct table_shape shapes[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS]	= SHAPE(bpfbe_drop_row, false, add_drop, sub_drop),
	[SKBSTAT_HOOK_FLOWS]	= SHAPE(bpfbe_flow_row, true, add_flow, sub_flow),
	[SKBSTAT_HOOK_QUEUES]	= SHAPE(bpfbe_queue_row, false, add_queue, sub_queue),
};

/* The netns cookie of a row or a key (both begin with the key). */
static uint64_t row_cookie(const struct table_shape *sh, const char *key)
{
	uint64_t cookie;

	memcpy(&cookie, key + sh->cookie_off, sizeof(cookie));
	return cookie;
}

/* The generations of every hook: the one value of bpf/maps.bpf.h's gens. */
static int generations(const struct bpfbe_state *st, uint32_t gens[SKBSTAT_HOOK_COUNT])
{
	uint32_t key = 0;

	return bpf_map_lookup_elem(st->gens, &key, gens) ? -errno : 0;
}

int bpfbe_table_generation(const struct bpfbe_state *st, int hook, uint32_t *gen)
{
	uint32_t gens[SKBSTAT_HOOK_COUNT];
	int err;

	err = generations(st, gens);
	if (err)
		return err;
	*gen = gens[hook] & 1;
	return 0;
}

int bpfbe_table_totals(const struct bpfbe_state *st, int hook, uint32_t gen,
		     struct skbstat_totals *sum)
{
	struct skbstat_totals *cpu = calloc(st->nr_cpus, sizeof(*cpu));
	uint32_t key = gen * SKBSTAT_HOOK_COUNT + hook;
	int i, err = 0;

	if (!cpu)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(st->totals, &key, cpu)) {
		err = -errno;
		goto out_free_cpu;
	}
	for (i = 0; i < st->nr_cpus; i++) {
		sum->events += cpu[i].events;
		sum->bytes += cpu[i].bytes;
		sum->table_full += cpu[i].table_full;
	}
out_free_cpu:
	free(cpu);
	return err;
}

/* A growable array of rows. */
struct rows {
	char *data;
	size_t nr;
	size_t cap;
};

static void *rows_add(struct rows *r, size_t row_size)
{
	size_t cap;
	char *grown;

	if (r->nr == r->cap) {
		cap = r->cap ? r->cap * 2 : BATCH_ROWS;
		grown = reallocarray(r->data, cap, row_size);
		if (!grown)
			return NULL;
		r->data = grown;
		r->cap = cap;
	}
	return memset(r->data + r->nr++ * row_size, 0, row_size);
}

/*
 * The values the kernel gives for each row of a table: one per possible
 * CPU, or the one that all CPUs share.
 */
static int row_values(const struct table_shape *sh, int nr_cpus)
{
	return sh->shared ? 1 : nr_cpus;
}

/* The bytes the kernel gives for one row's counters: each CPU's, or the one shared. */
static size_t counts_size(const struct table_shape *sh, int nr_cpus)
{
	return (size_t)row_values(sh, nr_cpus) * sh->val_size;
}

/*
 * Up to @n rows' counters from key @first on of a table's counts map into
 * @vals (counts_size() bytes each); how many in *@got.  A batch starts
 * after the key it is given: none for the map's first.
 */
static int read_counts(int fd, uint32_t first, uint32_t n, char *vals, uint32_t *got)
{
	uint32_t keys[BATCH_ROWS], prev = first - 1, out;
	int err;

	*got = n < BATCH_ROWS ? n : BATCH_ROWS;
	err = bpf_map_lookup_batch(fd, first ? &prev : NULL, &out, keys, vals, got, NULL);
	if (err && err != -ENOENT)
		return err;
	return *got ? 0 : -EIO;
}

/*
 * Sets the counters of rows [@first, @first + @n) to zero, in batches; no
 * probe counts into them (a generation no probe uses).
 */
static int zero_counts(int fd, const struct table_shape *sh, int nr_cpus, uint32_t first,
		       uint32_t n)
{
	uint32_t keys[BATCH_ROWS], done = 0, count, i;
	char *zeros = calloc(BATCH_ROWS, counts_size(sh, nr_cpus));
	int err = 0;

	if (!zeros)
		return -ENOMEM;
	while (!err && done < n) {
		count = n - done < BATCH_ROWS ? n - done : BATCH_ROWS;
		for (i = 0; i < count; i++)
			keys[i] = first + done + i;
		err = bpf_map_update_batch(fd, keys, zeros, &count, NULL);
		done += count;
	}
	free(zeros);
	return err;
}

/* Adds one row's counters (each CPU's, or the one shared) to @sum. */
static void add_counts(const struct table_shape *sh, int nr_cpus, void *sum, const char *vals)
{
	int cpu;

	for (cpu = 0; cpu < row_values(sh, nr_cpus); cpu++)
		sh->add(sum, vals + cpu * sh->val_size);
}

static int cmp_key(const void *a, const void *b, void *key_size)
{
	return memcmp(a, b, *(size_t *)key_size);
}

/*
 * Rows of equal keys (two CPUs that made a key's row at once, see
 * bpf/table.bpf.h) become one: their sum.
 */
static void merge_keys(struct rows *r, const struct table_shape *sh)
{
	size_t key_size = sh->key_size, i, n = 0;
	char *row, *last = NULL;

	if (r->nr < 2)
		return;
	qsort_r(r->data, r->nr, sh->row_size, cmp_key, &key_size);
	for (i = 0; i < r->nr; i++) {
		row = r->data + i * sh->row_size;
		if (last && !memcmp(last, row, key_size)) {
			sh->add(last + sh->val_off, row + sh->val_off);
			continue;
		}
		last = r->data + n++ * sh->row_size;
		if (last != row)
			memcpy(last, row, sh->row_size);
	}
	r->nr = n;
}

/* The key of the tables' hash, which the loader keeps in the layout map. */
static int hash_seed(const struct bpfbe_state *st, uint64_t *seed)
{
	uint32_t key = SKBSTAT_LAYOUT_HASH_SEED;

	return bpf_map_lookup_elem(st->layout, &key, seed) ? -errno : 0;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/*
 * Each published slot's key, with its row's counters summed: the slots are
 * read first, then the counters of the rows they name, a batch at a time,
 * so that the buffer stays small on many CPUs.
 *
 * Every u64 of a value is read whole on x86-64, the only architecture
 * skbstat is built for (a 32-bit kernel could tear them): the probes change
 * each word of a shared row with one 8-byte store or locked add, and every
 * word is 8-byte aligned in the map's element.  The kernel copies a
 * per-CPU value in longs (bpf_long_memcpy()), a shared row's with memcpy():
 * 8-byte moves (memcpy_orig), or rep movsb on CPUs with fast short rep
 * movsb, whose fast-string moves of aligned data are in practice wider than
 * a word.  The architecture promises a whole word to single loads only, so
 * this rests on the CPU as the kernel's own per-CPU copy does ("best
 * effort", bpf_long_memcpy() says).  The fields of one value may be from
 * different moments, which no reader needs: each counter only grows.
 */
static int read_rows(const struct bpfbe_state *st, int hook, uint32_t gen, struct rows *r,
		     uint32_t *longest)
{
	const struct table_shape *sh = &shapes[hook];
	size_t size = counts_size(sh, st->nr_cpus), first = r->nr, i;
	uint32_t s, row, rows = 0, done, got, *at = NULL;
	struct bpfbe_slots t;
	uint64_t seed = 0;
	char *vals, *out;
	const void *key;
	int err;

	vals = malloc(BATCH_ROWS * size);
	if (!vals)
		return -ENOMEM;
	err = (longest ? hash_seed(st, &seed) : 0) ?: bpfbe_slots_map(st, hook, &t);
	if (err)
		goto out_free_vals;
	for (s = 0; s < t.per_gen; s++) {
		key = bpfbe_slot_key(&t, gen, s, &row);
		if (!key || row >= t.limit)
			continue;
		if (longest)
			*longest = max_u32(*longest, bpfbe_slot_walk(&t, gen, s, seed));
		out = rows_add(r, sh->row_size);
		if (!out) {
			err = -ENOMEM;
			goto out_unmap;
		}
		memcpy(out, key, sh->key_size);
		/* The row's number, until its counters replace it. */
		memcpy(out + sh->val_off, &row, sizeof(row));
		if (row >= rows)
			rows = row + 1;
	}
	/* Where each row's slot went among the rows read, UINT32_MAX for none. */
	at = malloc(((size_t)rows ?: 1) * sizeof(*at));
	if (!at) {
		err = -ENOMEM;
		goto out_unmap;
	}
	memset(at, 0xff, (size_t)rows * sizeof(*at));
	for (i = first; i < r->nr; i++) {
		out = r->data + i * sh->row_size;
		memcpy(&row, out + sh->val_off, sizeof(row));
		memset(out + sh->val_off, 0, sh->val_size);
		at[row] = i;
	}
	for (done = 0; !err && done < rows; done += got) {
		err = read_counts(st->tables[hook].counts, gen * t.limit + done, rows - done, vals,
				  &got);
		for (s = 0; !err && s < got; s++)
			if (at[done + s] != UINT32_MAX)
				add_counts(sh, st->nr_cpus,
					   r->data + at[done + s] * sh->row_size + sh->val_off,
					   vals + s * size);
	}
	if (!err)
		merge_keys(r, sh);
	free(at);
out_unmap:
	bpfbe_slots_unmap(&t);
out_free_vals:
	free(vals);
	return err;
}

/* Subtracts the bases of the rows that have one: most often none. */
static int apply_bases(int bases, const struct table_shape *sh, struct rows *r)
{
	char key[sizeof(union any_key)], base[sizeof(union any_value)], *row;
	size_t i;

	if (bpf_map_get_next_key(bases, NULL, key))
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < r->nr; i++) {
		row = r->data + i * sh->row_size;
		if (bpf_map_lookup_elem(bases, row, base)) {
			if (errno != ENOENT)
				return -errno;
			continue;
		}
		sh->sub(row + sh->val_off, base);
	}
	return 0;
}

static bool all_zero(const void *p, size_t n)
{
	const char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

static int carry_read(const struct bpfbe_state *st, int hook, uint32_t gen,
		      union any_value *carry)
{
	uint32_t key = gen * SKBSTAT_HOOK_COUNT + hook;

	return bpf_map_lookup_elem(st->gone_carry, &key, carry) ? -errno : 0;
}

static int carry_write(const struct bpfbe_state *st, int hook, uint32_t gen,
		       const union any_value *carry)
{
	uint32_t key = gen * SKBSTAT_HOOK_COUNT + hook;

	return bpf_map_update_elem(st->gone_carry, &key, carry, BPF_ANY) ? -errno : 0;
}

/* The host's netns gone row: what the probes counted there, and the carry. */
static int apply_carry(const struct bpfbe_state *st, int hook, uint32_t gen, struct rows *r)
{
	const struct table_shape *sh = &shapes[hook];
	union any_value carry;
	char *row = NULL;
	size_t i;
	int err;

	err = carry_read(st, hook, gen, &carry);
	if (err || all_zero(&carry, sh->val_size))
		return err;
	for (i = 0; !row && i < r->nr; i++)
		if (all_zero(r->data + i * sh->row_size, sh->key_size))
			row = r->data + i * sh->row_size;
	if (!row)
		row = rows_add(r, sh->row_size);
	if (!row)
		return -ENOMEM;
	sh->add(row + sh->val_off, &carry);
	return 0;
}

int bpfbe_table_read_walks(const struct bpfbe_state *st, int hook, uint32_t gen,
			   bool netns_view, void **rows, size_t *nr, uint32_t *longest)
{
	struct rows r = { 0 };
	int err;

	if (longest)
		*longest = 0;
	err = read_rows(st, hook, gen, &r, longest);
	if (!err && netns_view)
		err = apply_bases(st->tables[hook].bases, &shapes[hook], &r);
	if (!err && !netns_view)
		err = apply_carry(st, hook, gen, &r);
	if (err) {
		free(r.data);
		return err;
	}
	*rows = r.data;
	*nr = r.nr;
	return 0;
}

int bpfbe_table_read(const struct bpfbe_state *st, int hook, uint32_t gen, bool netns_view,
		   void **rows, size_t *nr)
{
	return bpfbe_table_read_walks(st, hook, gen, netns_view, rows, nr, NULL);
}

int bpfbe_table_insert(const struct bpfbe_state *st, int hook, const void *key, const void *vals)
{
	struct bpfbe_slots t;
	uint32_t gen, row, slot, idx;
	uint64_t seed;
	bool made;
	int err;

	err = bpfbe_table_generation(st, hook, &gen) ?: hash_seed(st, &seed);
	err = err ?: bpfbe_slots_map(st, hook, &t);
	if (err)
		return err;
	err = bpfbe_slot_claim(st, &t, gen, seed, key, &row, &slot, &made);
	idx = err ? 0 : gen * t.limit + row;
	if (!err && bpf_map_update_elem(st->tables[hook].counts, &idx, vals, BPF_ANY))
		err = -errno;
	/* Published even after an error: a claimed slot would block the walk. */
	if (made)
		bpfbe_slot_publish(&t, gen, slot, seed, key);
	bpfbe_slots_unmap(&t);
	return err;
}

/* Longest key of any map walked here: a flow's. */
#define KEY_MAX		sizeof(union any_key)

/*
 * The keys of map @fd (@key_size bytes each) that @keep accepts, or all of
 * them when it is NULL: collected first, as deleting during the walk would
 * restart it.
 */
static int keys_where(int fd, size_t key_size, bool (*keep)(const void *key, const void *arg),
		      const void *arg, struct rows *keys)
{
	char key[KEY_MAX], next[KEY_MAX], *slot;
	bool first = true;

	while (!bpf_map_get_next_key(fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, key_size);
		if (keep && !keep(key, arg))
			continue;
		slot = rows_add(keys, key_size);
		if (!slot)
			return -ENOMEM;
		memcpy(slot, key, key_size);
	}
	return errno == ENOENT ? 0 : -errno;
}

static int delete_keys(int fd, size_t key_size, const struct rows *keys)
{
	size_t i;

	for (i = 0; i < keys->nr; i++)
		if (bpf_map_delete_elem(fd, keys->data + i * key_size) && errno != ENOENT)
			return -errno;
	return 0;
}

/* Deletes what @keep accepts in map @fd, every entry when it is NULL. */
static int delete_where(int fd, size_t key_size,
			bool (*keep)(const void *key, const void *arg), const void *arg)
{
	struct rows keys = { 0 };
	int err;

	err = keys_where(fd, key_size, keep, arg, &keys);
	err = err ?: delete_keys(fd, key_size, &keys);
	free(keys.data);
	return err;
}

/* Deletes every row of the bases map @fd of table shape @sh. */
static int delete_rows(int fd, const struct table_shape *sh)
{
	return delete_where(fd, sh->key_size, NULL, NULL);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool is_dead(const struct rows *dead, uint64_t cookie)
{
	return cookie && bsearch(&cookie, dead->data, dead->nr, sizeof(cookie), cmp_u64);
}

/* ---- each netns's share of table_full ---- */

/* Which entries of netns_full (or its bases) delete_full() deletes. */
struct full_match {
	int hook;			/* negative: every hook */
	int gen;			/* negative: every generation */
	const struct rows *dead;	/* not NULL: those of these netns instead */
};

static bool full_matches(const void *key, const void *arg)
{
	const struct skbstat_netns_full_key *k = key;
	const struct full_match *m = arg;

	if (m->dead)
		return is_dead(m->dead, k->netns_cookie);
	return (m->hook < 0 || k->hook == m->hook) && (m->gen < 0 || k->generation == m->gen);
}

static int delete_full(int fd, int hook, int gen, const struct rows *dead)
{
	struct full_match m = { .hook = hook, .gen = gen, .dead = dead };

	return delete_where(fd, sizeof(struct skbstat_netns_full_key), full_matches, &m);
}

static int full_of(int fd, const struct skbstat_netns_full_key *key, uint64_t *n)
{
	*n = 0;
	return bpf_map_lookup_elem(fd, key, n) && errno != ENOENT ? -errno : 0;
}

int bpfbe_table_netns_full(const struct bpfbe_state *st, int hook, uint32_t gen,
			 uint64_t netns_cookie, uint64_t *full)
{
	struct skbstat_netns_full_key key = {
		.netns_cookie = netns_cookie, .hook = hook, .generation = gen,
	};
	uint64_t base;
	int err;

	err = full_of(st->netns_full, &key, full) ?: full_of(st->netns_full_bases, &key, &base);
	if (!err)
		*full = less(*full, base);
	return err;
}

/* A netns reset of its view: table_full restarts from zero for it too. */
static int reset_netns_full(const struct bpfbe_state *st, int hook, uint32_t gen,
			    uint64_t netns_cookie)
{
	struct skbstat_netns_full_key key = {
		.netns_cookie = netns_cookie, .hook = hook, .generation = gen,
	};
	uint64_t n;
	int err;

	err = full_of(st->netns_full, &key, &n);
	if (err || !n)
		return err;
	return bpf_map_update_elem(st->netns_full_bases, &key, &n, BPF_ANY) ? -errno : 0;
}

static int zero_totals(const struct bpfbe_state *st, int hook, uint32_t gen)
{
	struct skbstat_totals *zero = calloc(st->nr_cpus, sizeof(*zero));
	uint32_t key = gen * SKBSTAT_HOOK_COUNT + hook;
	int err;

	if (!zero)
		return -ENOMEM;
	err = bpf_map_update_elem(st->totals, &key, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	return err;
}

/* Takes every row off generation @gen's free list. */
static int drain_free(const struct bpfbe_state *st, int hook, uint32_t gen)
{
	uint32_t row;

	while (!bpf_map_lookup_and_delete_elem(st->tables[hook].free[gen], NULL, &row))
		;
	return errno == ENOENT ? 0 : -errno;
}

/*
 * Empties a generation no probe uses, its netns gone carry too: the
 * counters of every row it handed out, its free list, then its slots and
 * next row, so that an interrupted clear leaves no row to be handed out
 * again with counts in it.
 */
static int clear_rows(const struct bpfbe_state *st, int hook, uint32_t gen)
{
	struct bpfbe_slots t;
	int err = bpfbe_slots_map(st, hook, &t);

	if (err)
		return err;
	err = zero_counts(st->tables[hook].counts, &shapes[hook], st->nr_cpus, gen * t.limit,
			  bpfbe_slots_rows_used(&t, gen));
	err = err ?: drain_free(st, hook, gen);
	if (!err)
		bpfbe_slots_clear(&t, gen);
	bpfbe_slots_unmap(&t);
	return err;
}

static int clear_generation(const struct bpfbe_state *st, int hook, uint32_t gen)
{
	static const union any_value zero;
	int err = clear_rows(st, hook, gen);

	err = err ?: carry_write(st, hook, gen, &zero);
	err = err ?: delete_full(st->netns_full, hook, gen, NULL);
	err = err ?: delete_full(st->netns_full_bases, hook, gen, NULL);
	return err ?: zero_totals(st, hook, gen);
}

/*
 * Probes run inside RCU read-side sections, and the kernel answers an
 * update of a map-in-map only after a grace period: rewriting a slot with
 * the map it holds already is a wait for every probe running now.
 */
static int wait_for_probes(const struct bpfbe_state *st)
{
	uint32_t slot = 0;
	int inner = st->rows_next;

	return bpf_map_update_elem(st->probe_sync, &slot, &inner, BPF_ANY) ? -errno : 0;
}

int bpfbe_table_reset(const struct bpfbe_state *st, int hook)
{
	uint32_t gens[SKBSTAT_HOOK_COUNT], key = 0, gen, next;
	int err;

	err = generations(st, gens);
	if (err)
		return err;
	gen = gens[hook] & 1;
	next = gen ^ 1;
	/*
	 * Empty already, unless a reset was interrupted after it switched the
	 * probes: then a probe may still be in it, even in the middle of a
	 * claim, until a grace period passes.  Resets are rare: always wait.
	 */
	err = wait_for_probes(st);
	err = err ?: clear_generation(st, hook, next);
	/* The other hooks' as they are: the caller's lock keeps other resets out. */
	gens[hook] = next;
	if (!err && bpf_map_update_elem(st->gens, &key, gens, BPF_ANY))
		err = -errno;
	if (!err)
		err = wait_for_probes(st);
	/* The bases were of the old generation's rows. */
	if (!err)
		err = delete_rows(st->tables[hook].bases, &shapes[hook]);
	return err ?: clear_generation(st, hook, gen);
}

/*
 * The rows of the netns with cookie @netns_cookie take their values now as
 * their bases.  A row that has a base already gets the new one: it is the
 * row's whole value.
 */
int bpfbe_table_reset_netns(const struct bpfbe_state *st, int hook, uint64_t netns_cookie)
{
	const struct table_shape *sh = &shapes[hook];
	struct rows r = { 0 };
	uint32_t gen;
	size_t i;
	char *row;
	int err;

	err = bpfbe_table_generation(st, hook, &gen);
	if (!err)
		err = read_rows(st, hook, gen, &r, NULL);
	for (i = 0; !err && i < r.nr; i++) {
		row = r.data + i * sh->row_size;
		if (row_cookie(sh, row) != netns_cookie)
			continue;
		if (bpf_map_update_elem(st->tables[hook].bases, row, row + sh->val_off, BPF_ANY))
			err = -errno;
	}
	free(r.data);
	return err ?: reset_netns_full(st, hook, gen, netns_cookie);
}

/* ---- retiring the rows of namespaces that died ---- */

/* Asks the kernel which of the rows' namespaces are alive (bpf/netns.bpf.h). */
static int mark_live(const struct bpfbe_state *st)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);

	if (bpf_prog_test_run_opts(st->netns_live, &run))
		return -errno;
	/* No answer (too many namespaces, no init_net): no row is retired, none wrongly. */
	return run.retval ? -ESRCH : 0;
}

/* Every netns cookie of @hook's rows in generation @gen, into netns_check. */
static int check_cookies_of(const struct bpfbe_state *st, int hook, uint32_t gen, size_t *nr)
{
	const struct table_shape *sh = &shapes[hook];
	struct bpfbe_slots t;
	uint32_t i, row;
	uint8_t unmarked = 0;
	const void *key;
	uint64_t cookie;
	int err;

	err = bpfbe_slots_map(st, hook, &t);
	for (i = 0; !err && i < t.per_gen; i++) {
		key = bpfbe_slot_key(&t, gen, i, &row);
		cookie = key ? row_cookie(sh, key) : 0;
		if (!cookie)
			continue;
		if (!bpf_map_update_elem(st->netns_check, &cookie, &unmarked, BPF_NOEXIST))
			(*nr)++;
		else if (errno == E2BIG)
			break;		/* full: these are checked, the others are not */
		else if (errno != EEXIST)
			err = -errno;
	}
	bpfbe_slots_unmap(&t);
	return err;
}

static int clear_check(const struct bpfbe_state *st)
{
	return delete_where(st->netns_check, sizeof(uint64_t), NULL, NULL);
}

static bool unmarked(const void *key, const void *arg)
{
	const struct bpfbe_state *st = arg;
	uint8_t live;

	return !bpf_map_lookup_elem(st->netns_check, key, &live) && !live;
}

/* The cookies left unmarked in netns_check, sorted, into @dead. */
static int take_dead(const struct bpfbe_state *st, struct rows *dead)
{
	int err = keys_where(st->netns_check, sizeof(uint64_t), unmarked, st, dead);

	if (dead->nr)
		qsort(dead->data, dead->nr, sizeof(uint64_t), cmp_u64);
	return err;
}

/*
 * One dead row of generation @gen, in slot @i: its counters are zeroed and
 * what they had goes to @carry, its slot is retired and its row freed for
 * a new key.  No probe counts into it any more (see bpfbe_tables_retire()).
 * The counts go to the carry (*@carried) only once zeroed: a row left as
 * it was is retired again at the next read, never counted twice.
 */
static int retire_row(const struct bpfbe_state *st, const struct bpfbe_slots *t, uint32_t gen,
		      uint32_t i, uint32_t row, union any_value *carry, char *vals,
		      bool *carried)
{
	const struct table_shape *sh = &shapes[t->hook];
	const struct bpfbe_table_fds *fds = &st->tables[t->hook];
	size_t size = counts_size(sh, st->nr_cpus);
	uint32_t idx = gen * t->limit + row;
	char *zeros = vals + size;

	if (bpf_map_lookup_elem(fds->counts, &idx, vals))
		return -errno;
	if (bpf_map_update_elem(fds->counts, &idx, zeros, BPF_ANY))
		return -errno;
	add_counts(sh, st->nr_cpus, carry, vals);
	*carried = true;
	bpfbe_slot_retire(t, gen, i);
	if (bpf_map_update_elem(fds->free[gen], NULL, &row, BPF_ANY))
		return -errno;	/* the row stays unused until the generation is cleared */
	bpfbe_slots_row_freed(t, gen);
	return 0;
}

/*
 * One generation of one table: the dead rows are retired (and their bases
 * deleted), and what each had goes to the carry.  The sums read are final
 * (see bpfbe_tables_retire()).  An interruption between the two loses
 * those counts, never doubles them; the caller blocks signals meanwhile.
 */
static int retire_generation(const struct bpfbe_state *st, int hook, uint32_t gen,
			     const struct rows *dead)
{
	const struct table_shape *sh = &shapes[hook];
	union any_value carry;
	union any_key key;
	struct bpfbe_slots t;
	size_t retired = 0;
	const void *slot_key;
	uint32_t i, row;
	bool carried;
	char *vals;
	int err;

	/* A row's counters as read, then as many zeros. */
	vals = calloc(2, counts_size(sh, st->nr_cpus));
	if (!vals)
		return -ENOMEM;
	err = bpfbe_slots_map(st, hook, &t);
	if (err)
		goto out_free_vals;
	err = carry_read(st, hook, gen, &carry);
	for (i = 0; !err && i < t.per_gen; i++) {
		slot_key = bpfbe_slot_key(&t, gen, i, &row);
		if (!slot_key || row >= t.limit || !is_dead(dead, row_cookie(sh, slot_key)))
			continue;
		/* Copied first: once retired, a probe may claim the slot for a new key. */
		memcpy(&key, slot_key, sh->key_size);
		carried = false;
		err = retire_row(st, &t, gen, i, row, &carry, vals, &carried);
		if (!carried)
			continue;
		retired++;
		if (bpf_map_delete_elem(st->tables[hook].bases, &key) && errno != ENOENT)
			err = err ?: -errno;
	}
	/* Whatever was retired goes to the carry, even after an error. */
	if (retired)
		err = carry_write(st, hook, gen, &carry) ?: err;
	bpfbe_slots_unmap(&t);
out_free_vals:
	free(vals);
	return err;
}

/*
 * The rows' namespaces that left the kernel's list of namespaces are dead,
 * and the probes count their events in the gone row already (see
 * bpf/netns.bpf.h).  A probe that saw one alive just before may still be
 * counting into its row: one grace period (every probe runs inside an RCU
 * read-side section) and none is.  Then each dead row is summed into the
 * carry and deleted, in both generations.
 */
int bpfbe_tables_retire(const struct bpfbe_state *st)
{
	struct rows dead = { 0 };
	sigset_t all, old;
	size_t checked = 0;
	uint32_t gen;
	int hook, err = 0;

	for (hook = 0; !err && hook < SKBSTAT_HOOK_COUNT; hook++)
		for (gen = 0; !err && gen < BPFBE_GENERATIONS; gen++)
			err = check_cookies_of(st, hook, gen, &checked);
	if (!err && checked)
		err = mark_live(st);
	if (!err && checked)
		err = take_dead(st, &dead);
	err = clear_check(st) ?: err;
	if (err || !dead.nr)
		goto out_free_dead;
	err = wait_for_probes(st);
	if (err)
		goto out_free_dead;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++)
		for (gen = 0; gen < BPFBE_GENERATIONS; gen++)
			err = retire_generation(st, hook, gen, &dead) ?: err;
	sigprocmask(SIG_SETMASK, &old, NULL);
	err = err ?: delete_full(st->netns_full, -1, -1, &dead);
	err = err ?: delete_full(st->netns_full_bases, -1, -1, &dead);
out_free_dead:
	free(dead.data);
	return err;
}
