// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's tp_btf programs (bpf/count.bpf.h, the same reads, checks
 * and counter updates) over a table the programs probe themselves instead
 * of a BPF hash map: open addressing in an array, the key hashed with one
 * keyed multiply per word (as the module's table), a few slots probed.
 * Slots (hash and key) are shared by all CPUs, a free one claimed with a
 * compare-and-exchange; drop and queue counters are per CPU, in a per-CPU
 * array under the slot's index; flow rows are in their slots.  A candidate
 * for the backend's tables, measured before it is built: issue 15 asks
 * whether BPF can come within its targets.  Lab use only.
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

#define PROBES		4
#define CLAIMING	1ULL	/* a slot's tag while its claimer fills it */

/* Set by a loader from getrandom(); fixed here, which costs the same. */
const volatile __u64 hash_seed = 0x9e3779b97f4a7c15ULL;
const volatile __u32 drop_mask = SKBSTAT_DEFAULT_DROP_ROWS - 1;
const volatile __u32 queue_mask = SKBSTAT_DEFAULT_QUEUE_ROWS - 1;
const volatile __u32 flow_mask = SKBSTAT_DEFAULT_FLOW_ROWS - 1;

/*
 * A slot of a table: the key's hash (odd; 0 while free, CLAIMING while
 * its claimer writes the key) and the key, shared by all CPUs.  Drop and
 * queue rows keep their counters per CPU in a per-CPU array under the
 * slot's index; a flow's row is in its slot, added to atomically.
 */
struct drop_slot {
	__u64 tag;
	struct skbstat_drop_key key;
};

struct queue_slot {
	__u64 tag;
	struct skbstat_queue_key key;
};

struct flow_slot {
	__u64 tag;
	struct skbstat_flow_key key;
	struct skbstat_flow_val val;
};

/* An array map of @rows values; the slots' are shared, the counters' per CPU. */
#define ARRAY_MAP(name, map_type, value_type, rows)					\
struct {										\
	__uint(type, map_type);								\
	__uint(max_entries, rows);							\
	__type(key, __u32);								\
	__type(value, value_type);							\
} name SEC(".maps")

ARRAY_MAP(drop_slots, BPF_MAP_TYPE_ARRAY, struct drop_slot, SKBSTAT_DEFAULT_DROP_ROWS);
ARRAY_MAP(queue_slots, BPF_MAP_TYPE_ARRAY, struct queue_slot, SKBSTAT_DEFAULT_QUEUE_ROWS);
ARRAY_MAP(flow_slots, BPF_MAP_TYPE_ARRAY, struct flow_slot, SKBSTAT_DEFAULT_FLOW_ROWS);
ARRAY_MAP(drop_counts, BPF_MAP_TYPE_PERCPU_ARRAY, struct skbstat_drop_val,
	  SKBSTAT_DEFAULT_DROP_ROWS);
ARRAY_MAP(queue_counts, BPF_MAP_TYPE_PERCPU_ARRAY, struct skbstat_queue_val,
	  SKBSTAT_DEFAULT_QUEUE_ROWS);

#define HASH_MUL	0xff51afd7ed558ccdULL

static __always_inline __u64 key_hash(const __u64 *w, __u32 words)
{
	__u64 h = hash_seed;
	__u32 i;

#pragma clang loop unroll(full)
	for (i = 0; i < words; i++)
		h = (h ^ w[i]) * HASH_MUL;
	return h ^ (h >> 32);
}

static __always_inline bool key_equal(const __u64 *a, const __u64 *b, __u32 words)
{
	__u64 diff = 0;
	__u32 i;

	/* One branch: the words are compared without one per word. */
#pragma clang loop unroll(full)
	for (i = 0; i < words; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

/*
 * The slot of @k_ in @map: found, or claimed while free; its index in
 * *@idx_.  NULL when none of the probed slots is or can be its.
 */
#define SLOT_FIND(map, slot_type, mask, k_, idx_)					\
({											\
	const __u64 *_w = (const __u64 *)(k_);						\
	__u32 _words = sizeof(*(k_)) / 8, _i;						\
	__u64 _h = key_hash(_w, _words), _tag = _h | 3;					\
	slot_type *_s, *_found = NULL;							\
											\
	for (_i = 0; _i < PROBES; _i++) {						\
		*(idx_) = (_h + _i) & (mask);						\
		_s = bpf_map_lookup_elem(&(map), (idx_));				\
		if (!_s)								\
			break;								\
		if (_s->tag == _tag && key_equal((const __u64 *)&_s->key, _w, _words)) { \
			_found = _s;							\
			break;								\
		}									\
		if (_s->tag)								\
			continue;							\
		if (__sync_val_compare_and_swap(&_s->tag, 0, CLAIMING))			\
			break;		/* another CPU's claim: rare */			\
		__builtin_memcpy(&_s->key, (k_), sizeof(*(k_)));			\
		_s->tag = _tag;								\
		_found = _s;								\
		break;									\
	}										\
	_found;										\
})

static __always_inline void *table_hit(void *rows0, void *rows1, __u32 hook, const void *key,
				       const void *zero, __u32 bytes, __u64 cookie)
{
	__u32 idx;

	if (hook == SKBSTAT_HOOK_DROPS) {
		if (!SLOT_FIND(drop_slots, struct drop_slot, drop_mask,
			       (const struct skbstat_drop_key *)key, &idx))
			return NULL;
		return bpf_map_lookup_elem(&drop_counts, &idx);
	}
	if (!SLOT_FIND(queue_slots, struct queue_slot, queue_mask,
		       (const struct skbstat_queue_key *)key, &idx))
		return NULL;
	return bpf_map_lookup_elem(&queue_counts, &idx);
}

static __always_inline void *shared_row_find(void *rows0, void *rows1, __u32 hook,
					     const void *key, void **rows, __u32 *g)
{
	const __u64 *w = key;
	__u32 words = sizeof(struct skbstat_flow_key) / 8, i, idx;
	__u64 h = key_hash(w, words), tag = h | 3;
	struct flow_slot *s;

	*g = 0;
	*rows = NULL;
	for (i = 0; i < PROBES; i++) {
		idx = (h + i) & flow_mask;
		s = bpf_map_lookup_elem(&flow_slots, &idx);
		if (!s)
			return NULL;
		if (s->tag == tag && key_equal((const __u64 *)&s->key, w, words))
			return &s->val;
		if (!s->tag) {
			*rows = s;	/* shared_row_insert() claims it */
			return NULL;
		}
	}
	return NULL;
}

static __always_inline void *shared_row_insert(void *rows, __u32 g, __u32 hook, const void *key,
					       const void *first, __u32 bytes, __u64 cookie)
{
	struct flow_slot *s = rows;
	const __u64 *w = key;

	if (!s || __sync_val_compare_and_swap(&s->tag, 0, CLAIMING) != 0)
		return NULL;
	__builtin_memcpy(&s->key, key, sizeof(s->key));
	__builtin_memcpy(&s->val, first, sizeof(s->val));
	s->tag = key_hash(w, sizeof(struct skbstat_flow_key) / 8) | 3;
	return NULL;
}

#include "count.bpf.h"
#include "tp_btf.bpf.h"

SKBSTAT_TP_BTF_PROGRAMS(array_)
