/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and resetting the BPF backend's tables: rows with their per-CPU
 * values summed the way the module sums them (a flow row has one value for
 * all CPUs), totals, and resets that are exact while the probes keep
 * counting.
 */
#ifndef SKBSTAT_BACKEND_BPF_TABLES_H
#define SKBSTAT_BACKEND_BPF_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include <skbstat/tables.h>

#include "backend/bpf/backend_bpf_state.h"

struct bpfbe_drop_row {
	struct skbstat_drop_key key;
	struct skbstat_drop_val val;
};

struct bpfbe_flow_row {
	struct skbstat_flow_key key;
	struct skbstat_flow_val val;
};

struct bpfbe_queue_row {
	struct skbstat_queue_key key;
	struct skbstat_queue_val val;
};

/* The generation the probes of @hook count into now. */
int bpfbe_table_generation(const struct bpfbe_state *st, int hook, uint32_t *gen);

/*
 * Totals of @hook in generation @gen, summed over CPUs: only the events
 * that found no row (bpf/maps.bpf.h); the rows hold the others.
 */
int bpfbe_table_totals(const struct bpfbe_state *st, int hook, uint32_t gen,
		     struct skbstat_totals *sum);

/*
 * The rows of @hook in generation @gen, as an array of struct bpfbe_drop_row,
 * bpfbe_flow_row or bpfbe_queue_row for the caller to free().  @netns_view: as a
 * netns other than the initial one sees them, since its own last reset
 * (the host's view ignores a netns's resets).
 */
int bpfbe_table_read(const struct bpfbe_state *st, int hook, uint32_t gen, bool netns_view,
		   void **rows, size_t *nr);

/*
 * The same, and in *@longest the most slots a find walks to reach a key
 * the table holds (1: every key in the first slot of its walk; 0 for an
 * empty table), as the module's longest probe: from the same scan of the
 * slots.
 */
int bpfbe_table_read_walks(const struct bpfbe_state *st, int hook, uint32_t gen,
			   bool netns_view, void **rows, size_t *nr, uint32_t *longest);

/*
 * The events of the netns with cookie @netns_cookie that found @hook's table
 * full in generation @gen, since that netns's last reset of its view.
 */
int bpfbe_table_netns_full(const struct bpfbe_state *st, int hook, uint32_t gen,
			 uint64_t netns_cookie, uint64_t *full);

/*
 * Sets the row of @key in @hook's current generation to @vals (one value
 * per possible CPU, or the one shared), making it as a probe would: for
 * the benchmark's synthetic rows.  -E2BIG when the table is full.
 */
int bpfbe_table_insert(const struct bpfbe_state *st, int hook, const void *key, const void *vals);

/* Zero @hook's rows and totals; callers hold bpfbe_state_lock(). */
int bpfbe_table_reset(const struct bpfbe_state *st, int hook);

/*
 * Zero @hook's rows of the netns with cookie @netns_cookie in that netns's
 * view only (as bases): the host and every other netns see them as before;
 * callers hold the lock.
 */
int bpfbe_table_reset_netns(const struct bpfbe_state *st, int hook, uint64_t netns_cookie);

/*
 * Folds the rows of every netns that died into each table's netns gone row
 * and deletes them, freeing their room; callers hold bpfbe_state_lock().
 */
int bpfbe_tables_retire(const struct bpfbe_state *st);

#endif /* SKBSTAT_BACKEND_BPF_TABLES_H */
