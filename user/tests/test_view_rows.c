// SPDX-License-Identifier: GPL-2.0
/*
 * The flows and queues views, and drops with filters, from hand-built
 * snapshots, compared with the golden files in both formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/group.h"
#include "test.h"
#include "view/views.h"

#define INIT_NETNS	4026531840u
#define CONTAINER_NETNS	4026532001u

static enum test_result flows_golden(const char *stem, size_t top)
{
	struct flows_view_opts opts = { .top = top, .now_ns = FIXTURE_NOW_NS };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_flows };
	enum test_result result;

	fixture_flows(&snap);
	result = view_case_golden(stem, &c);
	snapshot_free(&snap);
	return result;
}

/* IPv4 and IPv6 endpoints, states as ss names them, ages, ties. */
TEST(flows)
{
	return flows_golden("flows", 0);
}

TEST(flows_top)
{
	return flows_golden("flows_top3", 3);
}

TEST(flows_empty)
{
	struct flows_view_opts opts = { .now_ns = FIXTURE_NOW_NS };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_flows };
	enum test_result result;

	snapshot_init(&snap);
	result = view_case_golden("flows_empty", &c);
	snapshot_free(&snap);
	return result;
}

/* A retransmit stamped after "now" (clocks read in another order) is 0s old. */
TEST(flows_age_never_negative)
{
	struct flows_view_opts opts = { .now_ns = FIXTURE_NOW_NS - 5000000000ull };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_flows };
	char *text;

	fixture_flows(&snap);
	text = out_render(OUT_FORMAT_TEXT, view_case_emit, &c);
	snapshot_free(&snap);
	CHECK(text);
	/* The SYN-SENT flows: one stamped 5 s "later", one 3 s. */
	CHECK(strstr(text, "  0s\n") && strstr(strstr(text, "  0s\n") + 1, "  0s\n"));
	CHECK(strstr(text, "  37s\n"));		/* the ESTAB one, 42 s - 5 s */
	free(text);
	return TEST_PASSED;
}

static enum test_result queues_golden(const char *stem, const char *dev)
{
	struct queues_view_opts opts = { .dev = dev };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_queues };
	enum test_result result;

	fixture_queues(&snap);
	result = view_case_golden(stem, &c);
	snapshot_free(&snap);
	return result;
}

/* Histograms drawn in text, every bucket exact in JSON. */
TEST(queues)
{
	return queues_golden("queues", NULL);
}

/* eth0 in both namespaces; nothing else. */
TEST(queues_dev)
{
	return queues_golden("queues_dev_eth0", "eth0");
}

TEST(queues_dev_without_rows)
{
	return queues_golden("queues_empty", "ens1");
}

static enum test_result drops_filtered(const char *stem, unsigned int keys,
				       const struct drop_filter *filter)
{
	struct drops_view_opts opts = { .keys = keys, .filter = *filter };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_drops };
	enum test_result result;

	fixture_mixed(&snap);
	result = view_case_golden(stem, &c);
	snapshot_free(&snap);
	return result;
}

TEST(drops_netns)
{
	const struct drop_filter filter = { .by_netns = true, .netns = CONTAINER_NETNS };

	return drops_filtered("drops_netns_by_reason", DROP_KEY_REASON, &filter);
}

TEST(drops_dev_reason)
{
	const struct drop_filter filter = { .dev = "eth0", .by_reason = true, .reason = 3 };

	return drops_filtered("drops_dev_reason", DROP_KEYS_ALL, &filter);
}

/* Filters pick rows before grouping: the sums are of the kept rows only. */
TEST(drops_filter_then_group)
{
	const struct drop_filter filter = { .by_netns = true, .netns = INIT_NETNS };
	struct drops_view_opts opts = { .keys = DROP_KEY_REASON, .filter = filter };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_drops };
	char *text, *json;

	fixture_mixed(&snap);
	text = out_render(OUT_FORMAT_TEXT, view_case_emit, &c);
	json = out_render(OUT_FORMAT_JSON, view_case_emit, &c);
	snapshot_free(&snap);
	CHECK_STR(text,
		  "REASON          PACKETS  BYTES\n"
		  "NETFILTER_DROP     9.0P   11EB\n"
		  "NO_SOCKET           150  9.4KB\n"
		  "NOT_SPECIFIED         5   300B\n");
	/* The exact sums: 120 + 30 packets, 7200 + 2400 bytes. */
	CHECK(json && strstr(json, "\"packets\": 9007199254740993,"));
	CHECK(strstr(json, "\"bytes\": 12345678901234567890\n"));
	CHECK(strstr(json, "\"packets\": 150,"));
	CHECK(strstr(json, "\"bytes\": 9600\n"));
	free(text);
	free(json);
	return TEST_PASSED;
}
