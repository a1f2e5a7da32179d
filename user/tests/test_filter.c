// SPDX-License-Identifier: GPL-2.0
/*
 * Drop filters and the name lookups behind them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter.h"
#include "model/names.h"
#include "test.h"

#define INIT_NETNS	4026531840u
#define CONTAINER_NETNS	4026532001u

static size_t count_kept(const struct skbstat_snapshot *snap, const struct drop_filter *filter)
{
	struct skbstat_drop_row *kept;
	size_t nr;

	if (drops_filter(snap->drops, snap->nr_drops, filter, &kept, &nr))
		abort();
	free(kept);
	return nr;
}

TEST(filters_combine)
{
	struct drop_filter filter = { 0 };
	struct skbstat_snapshot snap;

	fixture_mixed(&snap);
	CHECK_U64(count_kept(&snap, &filter), 7);
	filter.by_netns = true;
	filter.netns = CONTAINER_NETNS;
	CHECK_U64(count_kept(&snap, &filter), 3);
	filter.dev = "veth-container0";
	CHECK_U64(count_kept(&snap, &filter), 3);
	filter.by_reason = true;
	filter.reason = 3;
	CHECK_U64(count_kept(&snap, &filter), 1);
	filter.netns = INIT_NETNS;
	CHECK_U64(count_kept(&snap, &filter), 0);

	memset(&filter, 0, sizeof(filter));
	filter.dev = "eth0";
	CHECK_U64(count_kept(&snap, &filter), 3);
	filter.dev = "eth";			/* names match whole */
	CHECK_U64(count_kept(&snap, &filter), 0);
	snapshot_free(&snap);
	return TEST_PASSED;
}

/* A row without a device never matches a device filter. */
TEST(dev_filter_skips_unknown_dev)
{
	struct drop_filter filter = { .dev = "-" };
	struct skbstat_snapshot snap;

	fixture_mixed(&snap);
	CHECK_U64(count_kept(&snap, &filter), 0);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(reason_names)
{
	struct skbstat_snapshot snap;
	uint32_t id = 0;

	fixture_mixed(&snap);
	CHECK(drop_reason_id(&snap, "NO_SOCKET", &id) == 0);
	CHECK_U64(id, 3);
	CHECK(drop_reason_id(&snap, "netfilter_drop", &id) == 0);
	CHECK_U64(id, 8);
	CHECK(drop_reason_id(&snap, "Skb_Drop_Reason_TCP_CSUM", &id) == 0);
	CHECK_U64(id, 5);
	CHECK(drop_reason_id(&snap, "999", &id) == 0);	/* a number */
	CHECK_U64(id, 999);
	CHECK(drop_reason_id(&snap, "UNKNOWN(998)", &id) == 0);	/* as it is shown */
	CHECK_U64(id, 998);
	CHECK(drop_reason_id(&snap, "unknown(7)", &id) == 0);
	CHECK_U64(id, 7);
	CHECK(drop_reason_id(&snap, "UNKNOWN()", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "UNKNOWN(12", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "UNKNOWN(4294967296)", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "UNKNOWN(1)x", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "NO_SOCK", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "SKB_DROP_REASON_", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "-1", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "4294967296", &id) == -ENOENT);
	CHECK(drop_reason_id(&snap, "", &id) == -ENOENT);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(devices)
{
	CHECK(device_known("lo", false));		/* every netns has one */
	CHECK(device_known("not-a-device0", true));	/* seen in another netns */
	CHECK(!device_known("not-a-device0", false));
	return TEST_PASSED;
}
