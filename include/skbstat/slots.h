/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF backend's tables, as the probes (bpf/table.bpf.h) and userspace
 * (user/backend/bpf/) both walk them: open addressing with double hashing
 * in an array of slots, shared by all CPUs, each naming its row of
 * counters.  A key's hash is keyed by a secret seed, one multiply per word
 * of the key, so that every bit of the key moves every bit of the slot.
 */
#ifndef _SKBSTAT_SLOTS_H
#define _SKBSTAT_SLOTS_H

/* __u64 and __u32: from vmlinux.h in BPF programs, linux/types.h in userspace. */
/*
 * A slot's tag: a key's hash with the low bit set when the slot holds that
 * key; else one of these even values.  A find walks past CLAIMING and TOMB
 * slots and stops at a FREE one; a claim takes a FREE or TOMB slot.
 */
#define SKBSTAT_SLOT_FREE	0ULL
#define SKBSTAT_SLOT_CLAIMING	2ULL	/* its claimer is writing the key */
#define SKBSTAT_SLOT_TOMB	4ULL	/* its row was retired */

/* The most slots a find or a claim looks at: at most half are taken. */
#define SKBSTAT_SLOT_PROBES	16

#define SKBSTAT_HASH_MUL	0xff51afd7ed558ccdULL

/* The hash of a key of @words 64-bit words, under @seed. */
static inline __attribute__((always_inline))
__u64 skbstat_key_hash(__u64 seed, const __u64 *w, __u32 words)
{
	__u64 h = seed;
	__u32 i;

#ifdef __bpf__
#pragma clang loop unroll(full)
#endif
	for (i = 0; i < words; i++)
		h = (h ^ w[i]) * SKBSTAT_HASH_MUL;
	return h ^ (h >> 29);
}

static inline __attribute__((always_inline)) __u64 skbstat_slot_tag(__u64 hash)
{
	return hash | 1;
}

/* Probe i of a key looks at slot (hash + i * step) & mask: step is odd. */
static inline __attribute__((always_inline)) __u32 skbstat_slot_step(__u64 hash)
{
	return (__u32)(hash >> 32) | 1;
}

#endif /* _SKBSTAT_SLOTS_H */
