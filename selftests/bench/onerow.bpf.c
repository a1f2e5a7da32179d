// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's tp_btf programs (bpf/count.bpf.h, the same reads, checks
 * and counter updates) over the cheapest table there could be: each hook's
 * row is one global the program addresses directly, no hash, no probe, no
 * compare.  So above the baseline this is the BPF dispatch, the hook's
 * reads and its counters: what any table's cost comes on top of.  The key
 * is still consumed (its words xored into the row once, as any table
 * reads each to hash it), or the compiler would drop the reads that build
 * it.  Lab use only; results/overhead-accounting.md uses it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

/* This file's table stands in for the backend's (bpf/table.bpf.h). */
#define _SKBSTAT_TABLE_BPF_H
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct onerow {
	union skbstat_any_val val;
	__u64 key_sink;
};

struct onerow drop_row, flow_row, queue_row;

static __always_inline void consume_key(struct onerow *row, const void *key, __u32 size)
{
	const __u64 *w = key;
	__u64 x = 0;
	__u32 i;

	for (i = 0; i < size / 8; i++)
		x ^= w[i];
	row->key_sink ^= x;
}

/* What bpf/table.bpf.h's finds keep for an insert: nothing here. */
struct table_walk {
	__u32 unused;
};

static __always_inline void *table_hit(__u32 hook, const void *key, __u32 bytes, __u64 cookie)
{
	struct onerow *row = hook == SKBSTAT_HOOK_DROPS ? &drop_row : &queue_row;

	consume_key(row, key, hook == SKBSTAT_HOOK_DROPS ? sizeof(struct skbstat_drop_key) :
			      sizeof(struct skbstat_queue_key));
	return &row->val;
}

static __always_inline void *shared_row_find(__u32 hook, const void *key, __u32 words,
					     struct table_walk *w)
{
	consume_key(&flow_row, key, words * 8);
	return &flow_row.val;
}

/* Never reached: shared_row_find() always has the row. */
static __always_inline void *shared_row_insert(__u32 hook, const void *key,
					       const struct table_walk *w, const void *first,
					       __u32 val_size, __u32 bytes, __u64 cookie)
{
	return NULL;
}

#include "count.bpf.h"
#include "tp_btf.bpf.h"

SKBSTAT_TP_BTF_PROGRAMS(onerow_)
