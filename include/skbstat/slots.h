/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF backend's tables, as the probes (bpf/table.bpf.h) and userspace
 * (user/backend/bpf/) both walk them: open addressing with double hashing
 * in an array of slots, shared by all CPUs, each naming its row of
 * counters.  A key's hash is keyed by a secret seed, one folded multiply
 * per word of the key, so that every bit of the key moves the slot.
 */
#ifndef _SKBSTAT_SLOTS_H
#define _SKBSTAT_SLOTS_H

/* __u64, __s64, __u32: from vmlinux.h in BPF programs, linux/types.h in userspace. */
/*
 * A slot's tag: a key's hash with the low bit set when the slot holds that
 * key; else one of these even values.  A find walks past CLAIMING and TOMB
 * slots and stops at a FREE one; a claim takes a FREE or TOMB slot.
 */
#define SKBSTAT_SLOT_FREE	0ULL
#define SKBSTAT_SLOT_CLAIMING	2ULL	/* its claimer is writing the key */
#define SKBSTAT_SLOT_TOMB	4ULL	/* its row was retired */

/*
 * A table's rows in one generation: the next never handed out, and how
 * many retired ones its free list holds (userspace adds one after a push,
 * a probe takes one after a pop: it may dip below zero for a moment).
 */
struct skbstat_rows_next {
	__u64 next;
	__s64 free;
};

/* The most slots a find or a claim looks at: at most half are taken. */
#define SKBSTAT_SLOT_PROBES	32

/* A key's words, read as such whatever the key's declared type. */
typedef __u64 __attribute__((may_alias)) skbstat_key_word;

/*
 * The hash of a key of @words 64-bit words, keyed by the secret @seed.
 * Each word is xored in and the state multiplied by the seed (odd), its
 * high half folded into its low half, and multiplied again.  A multiply
 * carries bits only upwards, so without the fold keys that differ only in
 * their upper bits (a port, an IPv4 address: the upper halves of flow
 * keys' words) would share a slot.  Without the second multiply a
 * difference in a word's top bit would come out of the round as exactly
 * bits 63 and 31, whatever the seed, and the next word could cancel it:
 * keys anyone could pick would collide under every seed.  After it, the
 * difference depends on the seed.  The last multiply also carries the last
 * word into the top bits, which start the walk.  The module's hash
 * (skbstat/hash.h) folds a 128-bit product instead, which BPF cannot
 * multiply.
 */
static inline __attribute__((always_inline))
__u64 skbstat_slot_hash(__u64 seed, const skbstat_key_word *w, __u32 words)
{
	__u64 mult = seed | 1, h = seed;
	__u32 i;

#ifdef __bpf__
#pragma clang loop unroll(full)
#endif
	for (i = 0; i < words; i++) {
		h = (h ^ w[i]) * mult;
		h = (h ^ (h >> 32)) * mult;
	}
	return h;
}

static inline __attribute__((always_inline)) __u64 skbstat_slot_tag(__u64 hash)
{
	return hash | 1;
}

/*
 * Probe i of a key looks at slot (start + i * step) & mask.  The start is
 * the hash's top bits (@shift: 64 less the log2 of the slots), which a
 * multiply carries every bit of the key into; the step its low half, odd,
 * so that the walk visits every slot of the power-of-two table once, and
 * apart from the start's bits however large the table.
 */
static inline __attribute__((always_inline)) __u32 skbstat_slot_start(__u64 hash, __u32 shift)
{
	return hash >> shift;
}

static inline __attribute__((always_inline)) __u32 skbstat_slot_step(__u64 hash)
{
	return (__u32)hash | 1;
}

#endif /* _SKBSTAT_SLOTS_H */
