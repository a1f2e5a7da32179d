// SPDX-License-Identifier: GPL-2.0
/*
 * Both backends' table hashes against keys an adversary picks: a container
 * choosing ifindexes, a peer choosing its addresses and ports.  Each set is
 * inserted into a model of the table (slots = twice the rows, a power of
 * two, filled to the limit): the module's (include/skbstat/hash.h, linear
 * probing) and the BPF backend's (include/skbstat/slots.h, double hashing,
 * at most SKBSTAT_SLOT_PROBES slots a walk).  The longest walk must stay
 * within a small bound of what random keys give with the same key of the
 * hash, and no BPF insert may find its walk full.  With the module's
 * multiply-add hash of before, ifindexes that differ by a multiple of the
 * slot count all shared one slot; with the BPF hash's first version, a
 * plain multiply per word, 10000 client flows shared eight walks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include <linux/types.h>
#include <skbstat/hash.h>
#include <skbstat/slots.h>
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

/* Where a key's walk starts and how it steps, under one backend's hash. */
struct walk {
	uint32_t start;
	uint32_t step;
};

struct table_hash {
	const char *name;
	struct walk (*walk)(const void *key, size_t size, uint64_t seed);
	unsigned int max_walk;	/* slots a walk may take; 0: no limit */
};

/*
 * Both backends hash only the bytes that decide a key: an IPv4 flow key's
 * first four words (kmod/hook_flows.c, bpf/count.bpf.h).  A flow key is
 * the only one of its size.
 */
static size_t hashed_size(const void *key, size_t size)
{
	return size == sizeof(struct skbstat_flow_key) ? skbstat_flow_key_hashed(key) : size;
}

static struct walk module_walk(const void *key, size_t size, uint64_t seed)
{
	return (struct walk){ skbstat_key_hash(key, hashed_size(key, size), seed | 1), 1 };
}

static struct walk bpf_walk(const void *key, size_t size, uint64_t seed)
{
	uint64_t h = skbstat_slot_hash(seed, key, hashed_size(key, size) / 8);

	return (struct walk){ skbstat_slot_start(h, 64 - __builtin_ctz(SLOTS)),
			      skbstat_slot_step(h) };
}

static const struct table_hash hashes[] = {
	{ "module", module_walk, 0 },
	{ "bpf", bpf_walk, SKBSTAT_SLOT_PROBES },
};

/*
 * Inserts @n keys of @size bytes; the longest walk one takes, and in
 * *@full how many found every slot of their walk taken.
 */
static unsigned int longest_run(const struct table_hash *th, const void *keys, size_t size,
				unsigned int n, uint64_t seed, unsigned int *full)
{
	static uint32_t slots[SLOTS];
	unsigned int i, run, longest = 0;
	struct walk w;
	uint32_t slot;

	memset(slots, 0, sizeof(slots));
	*full = 0;
	for (i = 0; i < n; i++) {
		w = th->walk((const char *)keys + (size_t)i * size, size, seed);
		slot = w.start & (SLOTS - 1);
		for (run = 1; slots[slot]; run++)
			slot = (slot + w.step) & (SLOTS - 1);
		if (th->max_walk && run > th->max_walk) {
			(*full)++;
			continue;
		}
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
	memset(k->addr, 0xfd, 16);
	memset(k->addr + 16, 0x20, 16);
	k->sport = i * 8;
}

/* One port, addresses that differ only in their upper bytes: an IPv6 /64's hosts. */
static void flow_addrs(void *key, unsigned int i)
{
	struct skbstat_flow_key *k = key;
	uint32_t v = i * SLOTS;

	*k = (struct skbstat_flow_key){ .netns = 4026531840u, .family = 10, .sport = 40000,
					.dport = 443 };
	memset(k->addr + 16, 0x20, 16);
	memcpy(k->addr + 12, &v, sizeof(v));
	memcpy(k->addr + 4, &v, sizeof(v));
}

/* Client flows of one IPv4 host to one server: ports in a word's upper half. */
static void flow_ports4(void *key, unsigned int i)
{
	struct skbstat_flow_key *k = key;

	*k = (struct skbstat_flow_key){ .netns_cookie = 4097, .netns = 4026531840u,
					.family = 2, .dport = 443,
					.addr = { 10, 0, 0, 1, 10, 0, 0, 2 } };
	k->sport = 32768 + i;
}

/* Many IPv4 peers of one server port: addresses in words' upper halves. */
static void flow_peers4(void *key, unsigned int i)
{
	struct skbstat_flow_key *k = key;

	*k = (struct skbstat_flow_key){ .netns_cookie = 4097, .netns = 4026531840u,
					.family = 2, .sport = 443, .dport = 50000,
					.addr = { 10, 0, 0, 1, 10, 1, i >> 8, i } };
}

/*
 * The top bits of IPv6 destination bytes 3, 7 and 11, and two ports: a
 * difference in one word's top bit that the next word's could cancel in a
 * hash whose round ends with a fold.  Any local process can pick these.
 */
static void flow_top_bits(void *key, unsigned int i)
{
	struct skbstat_flow_key *k = key;

	*k = (struct skbstat_flow_key){ .netns_cookie = 4097, .netns = 4026531840u,
					.family = 10, .sport = 40000 };
	memset(k->addr, 0xfd, 16);
	memset(k->addr + 16, 0x20, 16);
	k->addr[16 + 3] = (i & 0xf) << 4;
	k->addr[16 + 7] = ((i >> 4) & 0xf) << 4;
	k->addr[16 + 11] = ((i >> 8) & 0xf) << 4;
	k->dport = 443 + ((i >> 12) & 1);
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
	{ "flow keys, IPv4 source ports", flow_ports4, sizeof(struct skbstat_flow_key) },
	{ "flow keys, IPv4 peers", flow_peers4, sizeof(struct skbstat_flow_key) },
	{ "flow keys, top bits of address bytes", flow_top_bits,
	  sizeof(struct skbstat_flow_key) },
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
	unsigned int s, m, h, i, adv, rnd, full, rnd_full;
	char *keys = calloc(ROWS, max_size);
	bool ok = true;
	uint64_t seed;

	if (!keys)
		return TEST_FAILED;
	for (m = 0; m < MULTIPLIERS; m++) {
		seed = rng();
		for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
			for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
				random_fill(keys, ROWS * sets[s].size);
				rnd = longest_run(&hashes[h], keys, sets[s].size, ROWS, seed,
						  &rnd_full);
				for (i = 0; i < ROWS; i++)
					sets[s].make(keys + (size_t)i * sets[s].size, i + 1);
				adv = longest_run(&hashes[h], keys, sets[s].size, ROWS, seed,
						  &full);
				if (within_bound(adv, rnd) && !full && !rnd_full)
					continue;
				fprintf(stderr, "  %s hash, %s: longest walk %u slots, %u keys "
					"without a slot; random keys %u, %u\n", hashes[h].name,
					sets[s].name, adv, full, rnd, rnd_full);
				ok = false;
			}
		}
	}
	free(keys);
	return ok ? TEST_PASSED : TEST_FAILED;
}

/*
 * Every bit that a hash reads of a key moves its walk: of a drop key, and
 * of an IPv4 flow key, whose ports and addresses are in the upper halves
 * of its words.
 */
static bool every_bit_moves(const struct table_hash *th, const void *base, size_t size)
{
	size_t hashed = hashed_size(base, size);
	unsigned char k[sizeof(struct skbstat_flow_key)];
	unsigned int bit, moved, m;
	struct walk w0, w;
	uint64_t seed;

	for (bit = 0; bit < 8 * hashed; bit++) {
		moved = 0;
		for (m = 0; m < 16; m++) {
			seed = rng();
			w0 = th->walk(base, size, seed);
			memcpy(k, base, size);
			k[bit / 8] ^= 1u << (bit % 8);
			w = th->walk(k, size, seed);
			moved += (w.start & (SLOTS - 1)) != (w0.start & (SLOTS - 1));
		}
		/* With 16 random seeds, a bit that reaches the slot moves it almost always. */
		if (moved < 14) {
			fprintf(stderr, "  %s hash: key bit %u moved the slot for %u of 16 seeds\n",
				th->name, bit, moved);
			return false;
		}
	}
	return true;
}

TEST(every_key_bit_moves_the_slot)
{
	struct skbstat_drop_key drop = { .location = 0xffffffff81a00000ull, .reason = 2,
					 .ifindex = 3, .netns = 4026531840u, .proto = 0x0800 };
	struct skbstat_flow_key flow = { .netns_cookie = 4097, .netns = 4026531840u,
					 .family = 2, .sport = 40000, .dport = 443,
					 .addr = { 10, 0, 0, 1, 10, 0, 0, 2 } };
	bool ok = true;
	size_t h;

	for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
		ok = every_bit_moves(&hashes[h], &drop, sizeof(drop)) && ok;
		ok = every_bit_moves(&hashes[h], &flow, sizeof(flow)) && ok;
	}
	return ok ? TEST_PASSED : TEST_FAILED;
}

/*
 * A difference in one word's top bit and a matching one in the next word's
 * (bits 63 and 31: what a round of multiply and fold makes of the first)
 * must not cancel out: with a key of the hash, the outcome of the first
 * depends on the key.
 */
static bool cross_word_moves(const struct table_hash *th, const void *base, size_t size)
{
	uint64_t w[sizeof(struct skbstat_flow_key) / 8];
	unsigned int i, moved, m;
	struct walk w0, w1;
	uint64_t seed;

	for (i = 0; i + 1 < hashed_size(base, size) / 8; i++) {
		moved = 0;
		for (m = 0; m < 16; m++) {
			seed = rng();
			w0 = th->walk(base, size, seed);
			memcpy(w, base, size);
			w[i] ^= 1ULL << 63;
			w[i + 1] ^= 1ULL << 63 | 1ULL << 31;
			w1 = th->walk(w, size, seed);
			moved += w0.start != w1.start || w0.step != w1.step;
		}
		if (moved < 14) {
			fprintf(stderr, "  %s hash: top bits of words %u and %u cancelled out for "
				"%u of 16 seeds\n", th->name, i, i + 1, 16 - moved);
			return false;
		}
	}
	return true;
}

TEST(differences_across_words_do_not_cancel)
{
	struct skbstat_flow_key flow = { .netns_cookie = 4097, .netns = 4026531840u,
					 .family = 10, .sport = 40000, .dport = 443 };
	/* Hashed as its first four words alone. */
	struct skbstat_flow_key flow4 = { .netns_cookie = 4097, .netns = 4026531840u,
					  .family = 2, .sport = 40000, .dport = 443,
					  .addr = { 10, 0, 0, 1, 10, 0, 0, 2 } };
	bool ok = true;
	size_t h;

	memset(flow.addr + 16, 0x20, 16);
	for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
		ok = cross_word_moves(&hashes[h], &flow, sizeof(flow)) && ok;
		ok = cross_word_moves(&hashes[h], &flow4, sizeof(flow4)) && ok;
	}
	return ok ? TEST_PASSED : TEST_FAILED;
}
