/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF floor's work, shared by floor.bpf.c and lookup.bpf.c: one
 * increment of a per-CPU array slot, so that the floor cancels out of what
 * a program costs above it.
 */
#ifndef _SKBSTAT_BENCH_FLOOR_BPF_H
#define _SKBSTAT_BENCH_FLOOR_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(void)
{
	__u32 slot = 0;
	__u64 *n = bpf_map_lookup_elem(&hits, &slot);

	if (n)
		(*n)++;
}

#endif /* _SKBSTAT_BENCH_FLOOR_BPF_H */
