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
 * The rows of a netns that died are retired as the module retires them:
 * summed into the table's netns gone row (the all-zero key) and deleted,
 * so that they free their room (bpfbe_tables_retire()).  The probes count a
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

/* Rows are fetched this many at a time, to bound the buffer on many CPUs. */
#define BATCH_ROWS	256

struct table_shape {
	bool shared;		/* one value for all CPUs (a plain hash map), else one per CPU */
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

/*
 * Appends the @n rows of one batch, summing each row's per-CPU values, or
 * copying the one value of a shared row.
 *
 * Every u64 of a value is read whole on x86-64, the only architecture
 * skbstat is built for (a 32-bit kernel could tear them): the probes
 * change each word of a shared row with one 8-byte store or locked add,
 * and every word is 8-byte aligned in the map's element.  The kernel
 * copies a per-CPU value in longs (bpf_long_memcpy()), a shared row's with
 * memcpy(): 8-byte moves (memcpy_orig), or rep movsb on CPUs with fast
 * short rep movsb, whose fast-string moves of aligned data are in
 * practice wider than a word.  The architecture promises a whole word to single loads
 * only, so this rests on the CPU as the kernel's own per-CPU copy does
 * ("best effort", bpf_long_memcpy() says).  The fields of one value may be
 * from different moments, which no reader needs: each counter only grows.
 */
static int add_batch(struct rows *r, const struct table_shape *sh, int nr_cpus,
		     const char *keys, const char *vals, uint32_t n)
{
	int cpu, values = row_values(sh, nr_cpus);
	const char *val;
	uint32_t i;
	char *row;

	for (i = 0; i < n; i++) {
		row = rows_add(r, sh->row_size);
		if (!row)
			return -ENOMEM;
		memcpy(row, keys + i * sh->key_size, sh->key_size);
		val = vals + (size_t)i * values * sh->val_size;
		for (cpu = 0; cpu < values; cpu++)
			sh->add(row + sh->val_off, val + cpu * sh->val_size);
	}
	return 0;
}

/*
 * Batched lookups walk the hash buckets, so rows deleted meanwhile (a netns
 * reset) never restart the walk and show no row twice.
 */
static int read_rows(int fd, const struct table_shape *sh, int nr_cpus, struct rows *r)
{
	uint32_t chunk = BATCH_ROWS, n;
	char *keys = NULL, *vals = NULL;
	uint64_t token = 0;
	bool first = true;
	int err;

	for (;;) {
		if (!keys) {
			keys = malloc(chunk * sh->key_size);
			vals = malloc((size_t)chunk * row_values(sh, nr_cpus) * sh->val_size);
			if (!keys || !vals) {
				err = -ENOMEM;
				break;
			}
		}
		n = chunk;
		err = bpf_map_lookup_batch(fd, first ? NULL : &token, &token, keys, vals, &n,
					   NULL);
		if (err == -ENOSPC && !n) {
			/* One bucket holds more rows than a batch: take bigger ones. */
			chunk *= 2;
			free(keys);
			free(vals);
			keys = vals = NULL;
			continue;
		}
		if (err && err != -ENOENT)
			break;
		first = false;
		if (add_batch(r, sh, nr_cpus, keys, vals, n)) {
			err = -ENOMEM;
			break;
		}
		if (err == -ENOENT) {
			err = 0;	/* no more buckets */
			break;
		}
	}
	free(keys);
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

int bpfbe_table_read(const struct bpfbe_state *st, int hook, uint32_t gen, bool netns_view,
		   void **rows, size_t *nr)
{
	struct rows r = { 0 };
	int err;

	err = read_rows(st->tables[hook].rows[gen], &shapes[hook], st->nr_cpus, &r);
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

/* Deletes every row of map @fd of table shape @sh. */
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

/* Empties a generation no probe uses, its netns gone carry too. */
static int clear_generation(const struct bpfbe_state *st, int hook, uint32_t gen)
{
	static const union any_value zero;
	int err = delete_rows(st->tables[hook].rows[gen], &shapes[hook]);

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
static int wait_for_probes(const struct bpfbe_state *st, int hook)
{
	uint32_t slot = 0;
	int inner = st->tables[hook].rows[0];

	return bpf_map_update_elem(st->tables[hook].tables, &slot, &inner, BPF_ANY) ? -errno : 0;
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
	/* Empty already, unless a reset was interrupted. */
	err = clear_generation(st, hook, next);
	/* The other hooks' as they are: the caller's lock keeps other resets out. */
	gens[hook] = next;
	if (!err && bpf_map_update_elem(st->gens, &key, gens, BPF_ANY))
		err = -errno;
	if (!err)
		err = wait_for_probes(st, hook);
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
		err = read_rows(st->tables[hook].rows[gen], sh, st->nr_cpus, &r);
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
	struct rows keys = { 0 };
	uint64_t cookie;
	uint8_t unmarked = 0;
	size_t i;
	int err;

	err = keys_where(st->tables[hook].rows[gen], sh->key_size, NULL, NULL, &keys);
	for (i = 0; !err && i < keys.nr; i++) {
		cookie = row_cookie(sh, keys.data + i * sh->key_size);
		if (!cookie)
			continue;
		if (!bpf_map_update_elem(st->netns_check, &cookie, &unmarked, BPF_NOEXIST))
			(*nr)++;
		else if (errno == E2BIG)
			break;		/* full: these are checked, the others are not */
		else if (errno != EEXIST)
			err = -errno;
	}
	free(keys.data);
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
 * One generation of one table: the dead rows are deleted (and their bases),
 * and what each deleted row had goes to the carry.  No probe counts into
 * them any more (see bpfbe_tables_retire()), so the sums read are final.  An
 * interruption between the two loses those counts, never doubles them; the
 * caller blocks signals meanwhile.
 */
static int retire_generation(const struct bpfbe_state *st, int hook, uint32_t gen,
			     const struct rows *dead)
{
	const struct table_shape *sh = &shapes[hook];
	const struct bpfbe_table_fds *fds = &st->tables[hook];
	union any_value carry;
	struct rows r = { 0 };
	size_t i, retired = 0;
	char *row;
	int err;

	err = read_rows(fds->rows[gen], sh, st->nr_cpus, &r);
	err = err ?: carry_read(st, hook, gen, &carry);
	for (i = 0; !err && i < r.nr; i++) {
		row = r.data + i * sh->row_size;
		if (!is_dead(dead, row_cookie(sh, row)))
			continue;
		if (bpf_map_delete_elem(fds->rows[gen], row)) {
			err = errno == ENOENT ? 0 : -errno;
			continue;
		}
		sh->add(&carry, row + sh->val_off);
		retired++;
		if (bpf_map_delete_elem(fds->bases, row) && errno != ENOENT)
			err = -errno;
	}
	/* Whatever was deleted goes to the carry, even after an error. */
	if (retired)
		err = carry_write(st, hook, gen, &carry) ?: err;
	free(r.data);
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
	err = wait_for_probes(st, SKBSTAT_HOOK_DROPS);
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
