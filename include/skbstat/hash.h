/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's table hash, shared with the CLI's unit tests (which hash
 * adversarial key sets with it: user/tests/test_hash.c).
 *
 * Each 64-bit word of the key is folded in with a full 64x64->128-bit
 * multiply by the table's random odd multiplier, the two halves of the
 * product xor-ed together.  A plain multiply-add keeps the low bits of the
 * product blind to the high bits of its input: keys that differ only in a
 * word's upper half (an ifindex or a port stored there) by a multiple of
 * the slot count land in one slot whatever the multiplier.  In the folded
 * product every input bit reaches every output bit, and the multiplier is
 * secret, so nobody who picks keys (a peer's addresses and ports, a
 * container's ifindexes) can line them up in one run of slots.
 */
#ifndef _SKBSTAT_HASH_H
#define _SKBSTAT_HASH_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint32_t u32;
typedef uint64_t u64;
#endif

static inline u64 skbstat_fold_mul(u64 x, u64 mult)
{
#if defined(__KERNEL__) && defined(__x86_64__)
	/*
	 * The same product with one mulq, without a 16-byte-aligned
	 * __int128 that made GCC realign the probes' frames (and keep a frame
	 * pointer for it): four to eight instructions a probe.
	 */
	u64 lo, hi;

	asm("mulq %3" : "=a" (lo), "=d" (hi) : "a" (x), "rm" (mult) : "cc");
	return lo ^ hi;
#elif defined(__SIZEOF_INT128__)
	unsigned __int128 p = (unsigned __int128)x * mult;

	return (u64)p ^ (u64)(p >> 64);
#else
	/* The same 128-bit product from four 32x32 ones. */
	u64 xl = (u32)x, xh = x >> 32, ml = (u32)mult, mh = mult >> 32;
	u64 ll = xl * ml, lh = xl * mh, hl = xh * ml, hh = xh * mh;
	u64 mid = (ll >> 32) + (u32)lh + (u32)hl;
	u64 lo = (mid << 32) | (u32)ll;
	u64 hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);

	return lo ^ hi;
#endif
}

/*
 * @size is a multiple of 4 (the module's tables check); a constant at every
 * caller, so the loops unroll.  A trailing u32 is widened to a word.  The
 * loads go through memcpy(): one move each, whatever the key's alignment
 * (flow keys are only u32-aligned) and without breaking type aliasing.
 */
static __attribute__((always_inline)) inline u32
skbstat_key_hash(const void *key, u32 size, u64 mult)
{
	const unsigned char *p = (const unsigned char *)key;
	u64 h = mult, w;
	u32 i, tail;

#pragma GCC unroll 8
	for (i = 0; i < size / sizeof(u64); i++) {
		__builtin_memcpy(&w, p + i * sizeof(u64), sizeof(w));
		h = skbstat_fold_mul(h ^ w, mult);
	}
	if (size % sizeof(u64)) {
		__builtin_memcpy(&tail, p + size - sizeof(tail), sizeof(tail));
		h = skbstat_fold_mul(h ^ tail, mult);
	}
	return (u32)h;
}

#endif /* _SKBSTAT_HASH_H */
