/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel memory of the BPF backend's maps, computed from their
 * definitions as the kernel allocates them: for status, and for the cap
 * that attach checks before it creates any map.
 */
#ifndef SKBSTAT_BACKEND_BPF_MEMORY_H
#define SKBSTAT_BACKEND_BPF_MEMORY_H

#include <stdint.h>

#include "backend/bpf/backend_bpf_state.h"
#include "model/snapshot.h"

/* What a map is, as bpf_map_info or libbpf before loading says. */
struct bpfbe_map_shape {
	uint32_t type;			/* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	uint64_t entries;		/* in it now: what a map without preallocation holds */
};

/* Memory of one map, or of several: @shared once, @per_cpu for each possible CPU. */
struct bpfbe_map_memory {
	uint64_t shared;
	uint64_t per_cpu;
};

/*
 * Adds the memory of a map of @shape to @mem.  Returns -ENOENT when the
 * kernel's BTF lacks the structures it needs.
 */
int bpfbe_map_memory_add(const struct bpfbe_map_shape *shape, struct bpfbe_map_memory *mem);

/* The table a pinned map (PIN_MAP_*) belongs to: its hook's, or SKBSTAT_MEMORY_OTHER. */
int bpfbe_pin_map_table(int map);

/* The memory of the maps @st holds open, by table (hooks, then the rest). */
int bpfbe_state_memory(struct bpfbe_state *st, struct skbstat_memory *memory);

/*
 * The most memory the tables may take, in bytes: --max-memory-mib, else a
 * 32nd of the RAM (as the module's max_memory_mib).
 */
uint64_t bpfbe_memory_cap(uint32_t max_memory_mib);

#endif /* SKBSTAT_BACKEND_BPF_MEMORY_H */
