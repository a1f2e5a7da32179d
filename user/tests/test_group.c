// SPDX-License-Identifier: GPL-2.0
/*
 * --by parsing, summing and ordering.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/group.h"
#include "test.h"
#include "util.h"

TEST(keys_parse_valid)
{
	char list1[] = "reason,dev", list2[] = "proto", list3[] = "dev,dev,netns";
	char list4[] = DROP_KEY_NAMES;
	const char *bad = NULL;
	unsigned int keys;

	CHECK(drop_keys_parse(list1, &keys, &bad) == 0);
	CHECK_U64(keys, DROP_KEY_REASON | DROP_KEY_DEV);
	CHECK(drop_keys_parse(list2, &keys, &bad) == 0);
	CHECK_U64(keys, DROP_KEY_PROTO);
	CHECK(drop_keys_parse(list3, &keys, &bad) == 0);
	CHECK_U64(keys, DROP_KEY_DEV | DROP_KEY_NETNS);
	CHECK(drop_keys_parse(list4, &keys, &bad) == 0);
	CHECK_U64(keys, DROP_KEYS_ALL);
	return TEST_PASSED;
}

TEST(keys_parse_rejects)
{
	char unknown[] = "reason,foo", empty_middle[] = "reason,,dev";
	char trailing[] = "reason,", empty[] = "", upper[] = "Reason";
	const char *bad = NULL;
	unsigned int keys = 0;

	CHECK(drop_keys_parse(unknown, &keys, &bad) == -EINVAL);
	CHECK_STR(bad, "foo");
	CHECK(drop_keys_parse(empty_middle, &keys, &bad) == -EINVAL);
	CHECK_STR(bad, "");
	CHECK(drop_keys_parse(trailing, &keys, &bad) == -EINVAL);
	CHECK(drop_keys_parse(empty, &keys, &bad) == -EINVAL);
	CHECK(drop_keys_parse(upper, &keys, &bad) == -EINVAL);
	return TEST_PASSED;
}

TEST(by_reason_sums)
{
	struct skbstat_snapshot snap;
	struct drop_group *groups;
	size_t nr;

	fixture_mixed(&snap);
	CHECK(drops_group(snap.drops, snap.nr_drops, DROP_KEY_REASON, &groups, &nr) == 0);
	CHECK_U64(nr, 4);
	CHECK_U64(groups[0].first->reason, 8);
	CHECK_U64(groups[0].packets, 120 + 9007199254740993ull);
	CHECK_U64(groups[0].bytes, 9000 + 12345678901234567890ull);
	CHECK_U64(groups[1].first->reason, 3);
	CHECK_U64(groups[1].packets, 120 + 30 + 1);
	CHECK_U64(groups[1].bytes, 7200 + 2400 + 60);
	CHECK_U64(groups[2].first->reason, 999);
	CHECK_U64(groups[2].packets, 7);
	CHECK_U64(groups[3].first->reason, 2);
	CHECK_U64(groups[3].bytes, 300);
	free(groups);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(by_reason_dev_sums)
{
	static const struct {
		uint32_t reason;
		const char *dev;
		uint64_t packets;
	} expected[] = {
		{ 8, "eth0", 9007199254740993ull },
		{ 3, "eth0", 150 },
		{ 8, "veth-container0", 120 },
		{ 999, "veth-container0", 7 },
		{ 2, NULL, 5 },
		{ 3, "veth-container0", 1 },
	};
	struct skbstat_snapshot snap;
	struct drop_group *groups;
	size_t nr, i;

	fixture_mixed(&snap);
	CHECK(drops_group(snap.drops, snap.nr_drops, DROP_KEY_REASON | DROP_KEY_DEV,
			  &groups, &nr) == 0);
	CHECK_U64(nr, ARRAY_SIZE(expected));
	for (i = 0; i < nr; i++) {
		CHECK_U64(groups[i].first->reason, expected[i].reason);
		CHECK_U64(groups[i].packets, expected[i].packets);
		if (expected[i].dev)
			CHECK_STR(groups[i].first->dev, expected[i].dev);
		else
			CHECK(groups[i].first->dev == NULL);
	}
	free(groups);
	snapshot_free(&snap);
	return TEST_PASSED;
}

/* Equal packet counts fall back to the key columns, in display order. */
TEST(sort_order)
{
	struct skbstat_snapshot snap;
	struct drop_group *groups;
	size_t nr, i;

	snapshot_init(&snap);
	fixture_add_drop(&snap, 5, "b+0x1", 1, "lo", 1, 0x0800, 10, 1);
	fixture_add_drop(&snap, 5, "a+0x1", 1, "lo", 1, 0x0800, 10, 1);
	fixture_add_drop(&snap, 4, "z+0x1", 1, "lo", 1, 0x0800, 10, 1);
	fixture_add_drop(&snap, 5, NULL, 1, "lo", 1, 0x0800, 10, 1);
	fixture_add_drop(&snap, 9, "c+0x1", 1, "lo", 1, 0x0800, 11, 1);
	fixture_add_drop(&snap, 1, "c+0x1", 1, "lo", 1, 0x0800, 2, 1);
	CHECK(drops_group(snap.drops, snap.nr_drops, DROP_KEYS_ALL, &groups, &nr) == 0);
	CHECK_U64(nr, 6);
	for (i = 1; i < nr; i++)
		CHECK(groups[i - 1].packets >= groups[i].packets);
	CHECK_U64(groups[0].first->reason, 9);		/* most packets */
	CHECK_U64(groups[1].first->reason, 4);		/* ties: lowest reason */
	CHECK(groups[2].first->location == NULL);	/* then unknown location */
	CHECK_STR(groups[3].first->location, "a+0x1");
	CHECK_STR(groups[4].first->location, "b+0x1");
	CHECK_U64(groups[5].first->reason, 1);		/* fewest packets */
	free(groups);
	snapshot_free(&snap);
	return TEST_PASSED;
}

/* "dev" groups by name and ifindex: eth0 in two namespaces is one group. */
TEST(by_dev_merges_namespaces)
{
	struct skbstat_snapshot snap;
	struct drop_group *groups;
	size_t nr;

	snapshot_init(&snap);
	fixture_add_drop(&snap, 3, "x", 2, "eth0", 100, 0x0800, 1, 10);
	fixture_add_drop(&snap, 3, "x", 2, "eth0", 200, 0x0800, 2, 20);
	fixture_add_drop(&snap, 3, "x", 2, NULL, 300, 0x0800, 4, 40);
	CHECK(drops_group(snap.drops, snap.nr_drops, DROP_KEY_DEV, &groups, &nr) == 0);
	CHECK_U64(nr, 2);
	CHECK(groups[0].first->dev == NULL);
	CHECK_U64(groups[0].packets, 4);
	CHECK_STR(groups[1].first->dev, "eth0");
	CHECK_U64(groups[1].packets, 3);
	CHECK_U64(groups[1].bytes, 30);
	free(groups);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(no_rows)
{
	struct drop_group *groups = NULL;
	size_t nr = 99;

	CHECK(drops_group(NULL, 0, DROP_KEYS_ALL, &groups, &nr) == 0);
	CHECK_U64(nr, 0);
	CHECK(groups != NULL);
	free(groups);
	return TEST_PASSED;
}
