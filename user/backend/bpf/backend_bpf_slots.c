// SPDX-License-Identifier: GPL-2.0
/*
 * The slots of the BPF backend's tables from userspace.  The probes walk
 * them concurrently, so every tag is read with an acquire load (the key
 * and row written before it are then whole) and changed with an atomic
 * store or compare-and-exchange, never with a copy of the whole slot, which
 * could overwrite a key a probe claimed meanwhile.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <skbstat/slots.h>

#include "backend/bpf/backend_bpf_pins.h"
#include "backend/bpf/backend_bpf_slots.h"

/* A slot: tag and row, then the key (bpf/maps.bpf.h's TABLE_SLOT()). */
struct slot_head {
	uint64_t tag;
	uint64_t row;
};

static int map_info(int fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, len);
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

static void *map_shared(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

int bpfbe_slots_map(const struct bpfbe_state *st, int hook, struct bpfbe_slots *t)
{
	const struct bpfbe_table_fds *fds = &st->tables[hook];
	struct bpf_map_info slots, counts, next;
	int err;

	memset(t, 0, sizeof(*t));
	t->hook = hook;
	err = map_info(fds->slots, &slots) ?: map_info(fds->counts, &counts) ?:
	      map_info(st->rows_next, &next);
	if (err)
		return err;
	t->slot_size = slots.value_size;
	t->key_size = slots.value_size - sizeof(struct slot_head);
	t->per_gen = slots.max_entries / BPFBE_GENERATIONS;
	t->limit = counts.max_entries / BPFBE_GENERATIONS;
	t->len = (size_t)slots.max_entries * slots.value_size;
	t->rows_len = (size_t)next.max_entries * next.value_size;
	t->mem = map_shared(fds->slots, t->len);
	t->rows = map_shared(st->rows_next, t->rows_len);
	if (!t->mem || !t->rows) {
		err = -errno;
		bpfbe_slots_unmap(t);
		return err;
	}
	return 0;
}

void bpfbe_slots_unmap(struct bpfbe_slots *t)
{
	if (t->mem)
		munmap(t->mem, t->len);
	if (t->rows)
		munmap(t->rows, t->rows_len);
	t->mem = NULL;
	t->rows = NULL;
}

static struct slot_head *slot_at(const struct bpfbe_slots *t, uint32_t gen, uint32_t i)
{
	return (struct slot_head *)(t->mem + ((size_t)gen * t->per_gen + i) * t->slot_size);
}

static bool tag_is_key(uint64_t tag)
{
	return tag & 1;
}

const void *bpfbe_slot_key(const struct bpfbe_slots *t, uint32_t gen, uint32_t i,
			   uint32_t *row)
{
	struct slot_head *s = slot_at(t, gen, i);

	if (!tag_is_key(__atomic_load_n(&s->tag, __ATOMIC_ACQUIRE)))
		return NULL;
	*row = s->row;
	return s + 1;
}

void bpfbe_slot_retire(const struct bpfbe_slots *t, uint32_t gen, uint32_t i)
{
	__atomic_store_n(&slot_at(t, gen, i)->tag, SKBSTAT_SLOT_TOMB, __ATOMIC_RELEASE);
}

static struct skbstat_rows_next *rows_of(const struct bpfbe_slots *t, uint32_t gen)
{
	return &t->rows[gen * SKBSTAT_HOOK_COUNT + t->hook];
}

uint32_t bpfbe_slots_rows_used(const struct bpfbe_slots *t, uint32_t gen)
{
	uint64_t n = __atomic_load_n(&rows_of(t, gen)->next, __ATOMIC_ACQUIRE);

	return n < t->limit ? n : t->limit;
}

void bpfbe_slots_row_freed(const struct bpfbe_slots *t, uint32_t gen)
{
	__atomic_fetch_add(&rows_of(t, gen)->free, 1, __ATOMIC_ACQ_REL);
}

void bpfbe_slots_clear(const struct bpfbe_slots *t, uint32_t gen)
{
	memset(slot_at(t, gen, 0), 0, (size_t)t->per_gen * t->slot_size);
	__atomic_store_n(&rows_of(t, gen)->free, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&rows_of(t, gen)->next, 0, __ATOMIC_RELEASE);
}

/* As rows_left() in bpf/table.bpf.h: whether a claim may get a row. */
static bool rows_left(const struct bpfbe_slots *t, uint32_t gen)
{
	struct skbstat_rows_next *r = rows_of(t, gen);

	return __atomic_load_n(&r->free, __ATOMIC_ACQUIRE) > 0 ||
	       __atomic_load_n(&r->next, __ATOMIC_ACQUIRE) < t->limit;
}

/* A row for a new slot, as row_take() in bpf/table.bpf.h takes one. */
static int row_take(const struct bpfbe_state *st, const struct bpfbe_slots *t, uint32_t gen,
		    uint32_t *row)
{
	struct skbstat_rows_next *r = rows_of(t, gen);
	uint64_t n;

	if (__atomic_load_n(&r->free, __ATOMIC_ACQUIRE) > 0 &&
	    !bpf_map_lookup_and_delete_elem(st->tables[t->hook].free[gen], NULL, row)) {
		__atomic_fetch_sub(&r->free, 1, __ATOMIC_ACQ_REL);
		return 0;
	}
	if (__atomic_load_n(&r->next, __ATOMIC_ACQUIRE) >= t->limit)
		return -E2BIG;
	n = __atomic_fetch_add(&r->next, 1, __ATOMIC_ACQ_REL);
	*row = n;
	return n < t->limit ? 0 : -E2BIG;
}

static uint32_t probe_at(const struct bpfbe_slots *t, uint64_t hash, uint32_t i)
{
	uint32_t start = skbstat_slot_start(hash, 64 - __builtin_ctz(t->per_gen));

	return (start + i * skbstat_slot_step(hash)) & (t->per_gen - 1);
}

/* As the programs hash a key: an IPv4 flow's first four words, else all. */
static uint64_t hash_of(const struct bpfbe_slots *t, uint64_t seed, const void *key)
{
	size_t size = t->hook == SKBSTAT_HOOK_FLOWS ? skbstat_flow_key_hashed(key) : t->key_size;

	return skbstat_slot_hash(seed, key, (size < t->key_size ? size : t->key_size) / 8);
}

/* As slot_find() in bpf/table.bpf.h: the walk stops at a free slot. */
static bool slot_find(const struct bpfbe_slots *t, uint32_t gen, uint64_t hash, const void *key,
		      uint32_t *row)
{
	uint64_t tag = skbstat_slot_tag(hash), was;
	struct slot_head *s;
	uint32_t i;

	for (i = 0; i < SKBSTAT_SLOT_PROBES; i++) {
		s = slot_at(t, gen, probe_at(t, hash, i));
		was = __atomic_load_n(&s->tag, __ATOMIC_ACQUIRE);
		if (was == tag && !memcmp(s + 1, key, t->key_size)) {
			*row = s->row;
			return true;
		}
		if (was == SKBSTAT_SLOT_FREE)
			return false;
	}
	return false;
}

int bpfbe_slot_claim(const struct bpfbe_state *st, const struct bpfbe_slots *t, uint32_t gen,
		     uint64_t seed, const void *key, uint32_t *row, uint32_t *slot, bool *made)
{
	uint64_t hash = hash_of(t, seed, key), tag = skbstat_slot_tag(hash), was;
	struct slot_head *s;
	uint32_t i;
	int err;

	*made = false;
	if (slot_find(t, gen, hash, key, row))
		return 0;
	if (!rows_left(t, gen))
		return -E2BIG;
	for (i = 0; i < SKBSTAT_SLOT_PROBES; i++) {
		*slot = probe_at(t, hash, i);
		s = slot_at(t, gen, *slot);
		was = __atomic_load_n(&s->tag, __ATOMIC_ACQUIRE);
		if (was == tag && !memcmp(s + 1, key, t->key_size)) {
			*row = s->row;
			return 0;
		}
		if (was != SKBSTAT_SLOT_FREE && was != SKBSTAT_SLOT_TOMB)
			continue;
		if (!__atomic_compare_exchange_n(&s->tag, &was, SKBSTAT_SLOT_CLAIMING, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		err = row_take(st, t, gen, row);
		if (err) {
			/* The slot as it was, as bpf/table.bpf.h's slot_claim(). */
			__atomic_store_n(&s->tag, was, __ATOMIC_RELEASE);
			return err;
		}
		memcpy(s + 1, key, t->key_size);
		s->row = *row;
		*made = true;
		return 0;
	}
	return -E2BIG;
}

void bpfbe_slot_publish(const struct bpfbe_slots *t, uint32_t gen, uint32_t slot,
			uint64_t seed, const void *key)
{
	__atomic_store_n(&slot_at(t, gen, slot)->tag, skbstat_slot_tag(hash_of(t, seed, key)),
			 __ATOMIC_RELEASE);
}

uint32_t bpfbe_slot_walk(const struct bpfbe_slots *t, uint32_t gen, uint32_t i, uint64_t seed)
{
	const void *key;
	uint32_t row, j;
	uint64_t hash;

	key = bpfbe_slot_key(t, gen, i, &row);
	if (!key)
		return 0;
	hash = hash_of(t, seed, key);
	for (j = 0; j < SKBSTAT_SLOT_PROBES; j++)
		if (probe_at(t, hash, j) == i)
			return j + 1;
	return 0;
}
