// SPDX-License-Identifier: GPL-2.0
/*
 * The module's table hash (include/skbstat/hash.h) against keys an
 * adversary picks: a container choosing ifindexes, a peer choosing its
 * addresses and ports.  Each set is inserted into a model of the module's
 * table (linear probing, slots = twice the rows, rounded up to a power of
 * two, filled to the limit), and its longest probe run must stay within a
 * small bound of what random keys give with the same multiplier.  With
 * the multiply-add hash of before, ifindexes that differ by a multiple of
 * the slot count all shared one slot: a run as long as the set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include <linux/types.h>
#include <skbstat/hash.h>
#include <skbstat/tables.h>

#define ROWS		8192		/* the drop table's default limit */
#define SLOTS		(2 * ROWS)	/* a power of two already */
#define MULTIPLIERS	8

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Inserts @n keys of @size bytes; the longest run of slots one probe walks. */
static unsigned int longest_run(const void *keys, size_t size, unsigned int n, uint64_t mult)
{
	static uint32_t slots[SLOTS];
	unsigned int i, run, longest = 0;
	uint32_t slot;

	memset(slots, 0, sizeof(slots));
	for (i = 0; i < n; i++) {
		slot = skbstat_key_hash((const char *)keys + (size_t)i * size, size, mult) &
		       (SLOTS - 1);
		for (run = 1; slots[slot]; run++)
			slot = (slot + 1) & (SLOTS - 1);
		slots[slot] = i + 1;
		if (run > longest)
			longest = run;
	}
	return longest;
}

static void random_fill(void *keys, size_t bytes)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < bytes; i += sizeof(v)) {
		v = rng();
		memcpy((char *)keys + i, &v, bytes - i < sizeof(v) ? bytes - i : sizeof(v));
	}
}

typedef void (*key_maker)(void *key, unsigned int i);

static void drop_ifindex(void *key, unsigned int i)
{
	struct skbstat_drop_key *k = key;

	*k = (struct skbstat_drop_key){ .location = 0xffffffff81a00000ull, .reason = 2,
					.netns = 4026531840u, .proto = 0x0800 };
	k->ifindex = i * SLOTS;
}

static void drop_netns(void *key, unsigned int i)
{
	struct skbstat_drop_key *k = key;

	*k = (struct skbstat_drop_key){ .location = 0xffffffff81a00000ull, .reason = 2,
					.ifindex = 2, .proto = 0x86dd };
	k->netns = 4026531840u + i * SLOTS;
}

/* Locations a page apart (a module's text), reasons walking the high half too. */
static void drop_location(void *key, unsigned int i)
{
	struct skbstat_drop_key *k = key;

	*k = (struct skbstat_drop_key){ .ifindex = 1, .netns = 4026531840u };
	k->location = 0xffffffffc0000000ull + ((uint64_t)i << 32);
	k->reason = i * SLOTS;
}

/* One peer, every source port: the flood a remote host can make. */
static void flow_ports(void *key, unsigned int i)
{
	struct skbstat_flow_key *k = key;

	*k = (struct skbstat_flow_key){ .netns = 4026531840u, .family = 10, .dport = 443 };
	memset(k->saddr, 0xfd, sizeof(k->saddr));
	memset(k->daddr, 0x20, sizeof(k->daddr));
	k->sport = i * 8;
}

/* One port, addresses that differ only in their upper bytes: an IPv6 /64's hosts. */
static void flow_addrs(void *key, unsigned int i)
{
	struct skbstat_flow_key *k = key;
	uint32_t v = i * SLOTS;

	*k = (struct skbstat_flow_key){ .netns = 4026531840u, .family = 10, .sport = 40000,
					.dport = 443 };
	memset(k->daddr, 0x20, sizeof(k->daddr));
	memcpy(k->saddr + 12, &v, sizeof(v));
	memcpy(k->saddr + 4, &v, sizeof(v));
}

static void queue_ifindex(void *key, unsigned int i)
{
	struct skbstat_queue_key *k = key;

	*k = (struct skbstat_queue_key){ .netns = 4026531840u, .queue = 0 };
	k->ifindex = i * SLOTS;
}

static const struct {
	const char *name;
	key_maker make;
	size_t size;
} sets[] = {
	{ "drop keys, ifindex = k * slots", drop_ifindex, sizeof(struct skbstat_drop_key) },
	{ "drop keys, netns = k * slots", drop_netns, sizeof(struct skbstat_drop_key) },
	{ "drop keys, location and reason", drop_location, sizeof(struct skbstat_drop_key) },
	{ "flow keys, source ports", flow_ports, sizeof(struct skbstat_flow_key) },
	{ "flow keys, address words", flow_addrs, sizeof(struct skbstat_flow_key) },
	{ "queue keys, ifindex = k * slots", queue_ifindex, sizeof(struct skbstat_queue_key) },
};

/*
 * Random keys' longest run at half fill is a few tens of slots; an
 * adversarial set may be somewhat worse by chance, never by its design.
 */
static bool within_bound(unsigned int adversarial, unsigned int random)
{
	return adversarial <= 2 * random + 16;
}

TEST(adversarial_keys_spread_like_random_ones)
{
	size_t max_size = sizeof(struct skbstat_flow_key);
	unsigned int s, m, i, adv, rnd;
	char *keys = calloc(ROWS, max_size);
	bool ok = true;
	uint64_t mult;

	if (!keys)
		return TEST_FAILED;
	for (m = 0; m < MULTIPLIERS; m++) {
		mult = rng() | 1;
		for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
			random_fill(keys, ROWS * sets[s].size);
			rnd = longest_run(keys, sets[s].size, ROWS, mult);
			for (i = 0; i < ROWS; i++)
				sets[s].make(keys + (size_t)i * sets[s].size, i + 1);
			adv = longest_run(keys, sets[s].size, ROWS, mult);
			if (!within_bound(adv, rnd)) {
				fprintf(stderr, "  %s: longest run %u slots, random keys %u\n",
					sets[s].name, adv, rnd);
				ok = false;
			}
		}
	}
	free(keys);
	return ok ? TEST_PASSED : TEST_FAILED;
}

/* Every bit of a key reaches the low bits that pick the slot. */
TEST(every_key_bit_moves_the_slot)
{
	struct skbstat_drop_key base = { .location = 0xffffffff81a00000ull, .reason = 2,
					 .ifindex = 3, .netns = 4026531840u, .proto = 0x0800 };
	struct skbstat_drop_key k;
	unsigned int bit, moved, m;
	uint64_t mult;
	uint32_t h0;

	for (bit = 0; bit < 8 * sizeof(base); bit++) {
		moved = 0;
		for (m = 0; m < 16; m++) {
			mult = rng() | 1;
			h0 = skbstat_key_hash(&base, sizeof(base), mult) & (SLOTS - 1);
			k = base;
			((unsigned char *)&k)[bit / 8] ^= 1u << (bit % 8);
			moved += (skbstat_key_hash(&k, sizeof(k), mult) & (SLOTS - 1)) != h0;
		}
		/* With 16 random multipliers, a bit that reaches the slot moves it almost always. */
		if (moved < 14) {
			fprintf(stderr, "  key bit %u moved the slot for %u of 16 multipliers\n",
				bit, moved);
			return TEST_FAILED;
		}
	}
	return TEST_PASSED;
}
