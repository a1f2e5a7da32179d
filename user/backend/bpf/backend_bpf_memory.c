// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel memory of BPF maps, from their definitions.  Hash maps follow
 * kernel/bpf/hashtab.c (htab_map_alloc(), prealloc_init()) and arrays
 * kernel/bpf/arraymap.c; the formulas are those of the kernel's own
 * accounting (map_mem_usage, the "memlock:" line of a map's fdinfo since
 * 6.5), which selftests/limits_test.c checks them against:
 *
 *   hash:  struct bpf_htab + one struct bucket per slot (max_entries rounded
 *          up to a power of two) + HASHTAB_MAP_LOCK_COUNT ints per CPU; with
 *          preallocation, every element (struct htab_elem + key rounded to 8
 *          + value rounded to 8, or a pointer to the per-CPU value), one
 *          more element per CPU and a free-list pointer per CPU for a plain
 *          hash map, the value rounded to 8 per CPU per element for a
 *          per-CPU one; without, only the elements it holds, each with an
 *          llist node;
 *   array: struct bpf_array + the values rounded to 8 (mmapable: each part
 *          rounded to pages); per-CPU: a pointer per element and the value
 *          per CPU per element;
 *   queue: struct bpf_queue_stack + max_entries + 1 values.
 *
 * Approximated, as the kernel's accounting does: the per-CPU allocator's
 * chunks, slab rounding, the LRU's per-CPU lists and the caches of maps
 * without preallocation are not counted.  The structures' sizes come from
 * the running kernel's BTF, so they are that kernel's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "backend/bpf/backend_bpf_memory.h"
#include "backend/bpf/backend_bpf_pins.h"

#define HASHTAB_MAP_LOCK_COUNT	8
#define LLIST_NODE_SIZE		8
#define POINTER_SIZE		8

/* The kernel's structures that the formulas count, in bytes. */
struct kernel_sizes {
	uint64_t htab, htab_elem, bucket, array, queue;
};

static uint64_t round_up8(uint64_t n)
{
	return (n + 7) & ~7ULL;
}

static uint64_t page_align(uint64_t n)
{
	uint64_t page = sysconf(_SC_PAGESIZE);

	return (n + page - 1) / page * page;
}

static uint64_t pow2_roundup(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static int64_t struct_size_of(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);

	return id < 0 ? id : btf__resolve_size(btf, id);
}

/* Read once: the kernel does not change under a running CLI. */
static int kernel_sizes(struct kernel_sizes *ks)
{
	static struct kernel_sizes cached;
	static int err = 1;
	int64_t htab, elem, bucket, array, queue;
	struct btf *btf;

	if (err <= 0) {
		*ks = cached;
		return err;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return err = -ENOENT;
	htab = struct_size_of(btf, "bpf_htab");
	elem = struct_size_of(btf, "htab_elem");
	bucket = struct_size_of(btf, "bucket");
	array = struct_size_of(btf, "bpf_array");
	queue = struct_size_of(btf, "bpf_queue_stack");
	btf__free(btf);
	if (htab <= 0 || elem <= 0 || bucket <= 0 || array <= 0 || queue <= 0)
		return err = -ENOENT;
	cached = (struct kernel_sizes){ htab, elem, bucket, array, queue };
	*ks = cached;
	return err = 0;
}

static void hash_memory(const struct bpfbe_map_shape *m, const struct kernel_sizes *ks,
			struct bpfbe_map_memory *mem)
{
	bool percpu = m->type == BPF_MAP_TYPE_PERCPU_HASH ||
		      m->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool lru = m->type == BPF_MAP_TYPE_LRU_HASH || m->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool prealloc = lru || !(m->flags & BPF_F_NO_PREALLOC);
	uint64_t value = round_up8(m->value_size);
	uint64_t elem = ks->htab_elem + round_up8(m->key_size) + (percpu ? POINTER_SIZE : value);

	mem->shared += ks->htab + ks->bucket * pow2_roundup(m->max_entries);
	mem->per_cpu += sizeof(int) * HASHTAB_MAP_LOCK_COUNT;
	if (!prealloc) {
		mem->shared += (elem + LLIST_NODE_SIZE) * m->entries;
		if (percpu) {
			mem->shared += (LLIST_NODE_SIZE + POINTER_SIZE) * m->entries;
			mem->per_cpu += value * m->entries;
		}
		return;
	}
	mem->shared += elem * m->max_entries;
	if (percpu)
		mem->per_cpu += value * m->max_entries;
	else if (!lru)
		mem->per_cpu += elem + POINTER_SIZE;	/* an extra element and a free list */
}

static void array_memory(const struct bpfbe_map_shape *m, const struct kernel_sizes *ks,
			 struct bpfbe_map_memory *mem)
{
	uint64_t value = round_up8(m->value_size);

	if (m->type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		mem->shared += ks->array + POINTER_SIZE * m->max_entries;
		mem->per_cpu += value * m->max_entries;
	} else if (m->flags & BPF_F_MMAPABLE) {
		mem->shared += page_align(ks->array) + page_align(value * m->max_entries);
	} else {
		mem->shared += ks->array + value * m->max_entries;
	}
}

/* A ring of max_entries + 1 values after the structure. */
static void queue_memory(const struct bpfbe_map_shape *m, const struct kernel_sizes *ks,
			 struct bpfbe_map_memory *mem)
{
	mem->shared += ks->queue + ((uint64_t)m->max_entries + 1) * m->value_size;
}

int bpfbe_map_memory_add(const struct bpfbe_map_shape *shape, struct bpfbe_map_memory *mem)
{
	struct kernel_sizes ks;
	int err = kernel_sizes(&ks);

	if (err)
		return err;
	switch (shape->type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		hash_memory(shape, &ks, mem);
		break;
	case BPF_MAP_TYPE_QUEUE:
		queue_memory(shape, &ks, mem);
		break;
	default:
		/* ARRAY, PERCPU_ARRAY and ARRAY_OF_MAPS: the skbstat object has no others. */
		array_memory(shape, &ks, mem);
		break;
	}
	return 0;
}

/* The elements in map @fd, for one that allocates them as they come. */
static int count_entries(int fd, uint32_t key_size, uint64_t *n)
{
	uint8_t key[64], next[64];
	void *prev = NULL;

	*n = 0;
	if (key_size > sizeof(key))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, key_size);
		prev = key;
		(*n)++;
	}
	return errno == ENOENT ? 0 : -errno;
}

static int fd_memory(int fd, struct bpfbe_map_memory *mem)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	struct bpfbe_map_shape shape;
	int err;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	shape = (struct bpfbe_map_shape){
		.type = info.type, .key_size = info.key_size, .value_size = info.value_size,
		.max_entries = info.max_entries, .flags = info.map_flags,
	};
	if (shape.flags & BPF_F_NO_PREALLOC) {
		err = count_entries(fd, shape.key_size, &shape.entries);
		if (err)
			return err;
	}
	return bpfbe_map_memory_add(&shape, mem);
}

int bpfbe_pin_map_table(int map)
{
	if (map >= PIN_MAP_TABLES && map < PIN_MAP_DEVNAMES)
		return (map - PIN_MAP_TABLES) / PIN_TABLE_MAPS;
	if (map >= PIN_MAP_BASES && map < PIN_MAP_BASES + SKBSTAT_HOOK_COUNT)
		return map - PIN_MAP_BASES;
	return SKBSTAT_MEMORY_OTHER;
}

int bpfbe_state_memory(struct bpfbe_state *st, struct skbstat_memory *memory)
{
	static const char *const names[SKBSTAT_MEMORY_TABLES] = {
		[SKBSTAT_HOOK_DROPS] = "drops",
		[SKBSTAT_HOOK_FLOWS] = "flows",
		[SKBSTAT_HOOK_QUEUES] = "queues",
		[SKBSTAT_MEMORY_OTHER] = "other",
	};
	struct bpfbe_map_memory mem[SKBSTAT_MEMORY_TABLES] = {};
	char path[PIN_PATH_MAX];
	int map, fd, err = 0;
	uint32_t cpus = st->nr_cpus;
	size_t i;

	for (map = 0; !err && map < PIN_MAP_COUNT; map++) {
		fd = *pin_map_fd(st, map);
		if (fd >= 0)
			err = fd_memory(fd, &mem[bpfbe_pin_map_table(map)]);
	}
	/* The registry of devices, when it is pinned. */
	fd = err ? -1 : bpf_obj_get(pin_registry_map_path(path));
	if (fd >= 0) {
		err = fd_memory(fd, &mem[SKBSTAT_MEMORY_OTHER]);
		close(fd);
	}
	if (err)
		return err;
	memory->possible_cpus = cpus;
	memory->nr_tables = SKBSTAT_MEMORY_TABLES;
	for (i = 0; i < SKBSTAT_MEMORY_TABLES; i++) {
		memory->tables[i].table = names[i];
		memory->tables[i].per_cpu_bytes = mem[i].per_cpu;
		memory->tables[i].bytes = mem[i].shared + mem[i].per_cpu * cpus;
	}
	return 0;
}

uint64_t bpfbe_memory_cap(uint32_t max_memory_mib)
{
	struct sysinfo si;

	if (max_memory_mib)
		return (uint64_t)max_memory_mib << 20;
	if (sysinfo(&si))
		return UINT64_MAX;
	return (uint64_t)si.totalram * si.mem_unit / 32;
}
