/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slots of a BPF backend table, as userspace walks and changes them
 * beside the probes (bpf/table.bpf.h, skbstat/slots.h): mapped into this
 * process, read with acquire loads of their tags, retired with one store.
 */
#ifndef SKBSTAT_BACKEND_BPF_SLOTS_H
#define SKBSTAT_BACKEND_BPF_SLOTS_H

#include <stdint.h>
#include <stddef.h>

#include <linux/types.h>
#include <skbstat/slots.h>

#include "backend/bpf/backend_bpf_state.h"

/* One table's slots, both generations, and the rows each handed out. */
struct bpfbe_slots {
	int hook;
	char *mem;
	size_t len;
	uint32_t slot_size;
	uint32_t key_size;
	uint32_t per_gen;	/* slots of one generation, a power of two */
	uint32_t limit;		/* rows of one generation */
	struct skbstat_rows_next *rows;	/* rows_next: every table's */
	size_t rows_len;
};

int bpfbe_slots_map(const struct bpfbe_state *st, int hook, struct bpfbe_slots *t);
void bpfbe_slots_unmap(struct bpfbe_slots *t);

/*
 * The key of slot @i of generation @gen when a key is published there, and
 * its row in *@row; NULL for a free, claimed or retired slot.
 */
const void *bpfbe_slot_key(const struct bpfbe_slots *t, uint32_t gen, uint32_t i,
			   uint32_t *row);

/*
 * Slot @i of generation @gen no longer holds its key: finds walk past it
 * and claims may take it.  Its row is the caller's to free.
 */
void bpfbe_slot_retire(const struct bpfbe_slots *t, uint32_t gen, uint32_t i);

/* The rows generation @gen handed out: those that may have counts. */
uint32_t bpfbe_slots_rows_used(const struct bpfbe_slots *t, uint32_t gen);

/* A retired row of generation @gen went on its free list: claims may take it. */
void bpfbe_slots_row_freed(const struct bpfbe_slots *t, uint32_t gen);

/* Empties generation @gen, which no probe uses: its slots and its rows. */
void bpfbe_slots_clear(const struct bpfbe_slots *t, uint32_t gen);

/*
 * The row of @key in generation @gen, found or made as a probe makes it,
 * with @seed, the key of the hash; *@made when this call made it (its
 * counters are then the caller's to write before bpfbe_slot_publish()).
 * -E2BIG when no slot or row is left.
 */
int bpfbe_slot_claim(const struct bpfbe_state *st, const struct bpfbe_slots *t, uint32_t gen,
		     uint64_t seed, const void *key, uint32_t *row, uint32_t *slot, bool *made);
void bpfbe_slot_publish(const struct bpfbe_slots *t, uint32_t gen, uint32_t slot,
			uint64_t seed, const void *key);

/*
 * The slots a find of the key in slot @i of generation @gen walks to reach
 * it, 1 for the first; 0 when no key is published there.
 */
uint32_t bpfbe_slot_walk(const struct bpfbe_slots *t, uint32_t gen, uint32_t i, uint64_t seed);

#endif /* SKBSTAT_BACKEND_BPF_SLOTS_H */
