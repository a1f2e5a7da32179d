// SPDX-License-Identifier: GPL-2.0
/*
 * The flows and queues views, and drops with filters, from hand-built
 * snapshots, compared with the golden files in both formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "test.h"
#include "views.h"

#define INIT_NETNS	4026531840u
#define CONTAINER_NETNS	4026532001u

struct view_case {
	const struct skbstat_snapshot *snap;
	const void *opts;
	int (*view)(const struct skbstat_snapshot *snap, const void *opts, struct out *out);
};

static int emit_view(struct out *out, const void *ctx)
{
	const struct view_case *c = ctx;

	return c->view(c->snap, c->opts, out);
}

static int flows(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_flows(snap, opts, out);
}

static int queues(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_queues(snap, opts, out);
}

static int drops(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_drops(snap, opts, out);
}

/* Render @c in text and JSON and compare with @stem.txt and @stem.json. */
static enum test_result check_golden(const char *stem, const struct view_case *c)
{
	static const struct {
		enum out_format format;
		const char *suffix;
	} formats[] = {
		{ OUT_FORMAT_TEXT, "txt" },
		{ OUT_FORMAT_JSON, "json" },
	};
	enum test_result result = TEST_PASSED;
	size_t i;

	for (i = 0; i < 2 && result == TEST_PASSED; i++) {
		char *text = render(formats[i].format, emit_view, c);
		char name[64];

		snprintf(name, sizeof(name), "%s.%s", stem, formats[i].suffix);
		result = golden_check(name, text);
		free(text);
	}
	return result;
}

static enum test_result flows_golden(const char *stem, size_t top)
{
	struct flows_view_opts opts = { .top = top, .now_ns = FIXTURE_NOW_NS };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, flows };
	enum test_result result;

	fixture_flows(&snap);
	result = check_golden(stem, &c);
	snapshot_free(&snap);
	return result;
}

/* IPv4 and IPv6 endpoints, states as ss names them, ages, ties. */
static enum test_result flows_all(void)
{
	return flows_golden("flows", 0);
}

static enum test_result flows_top(void)
{
	return flows_golden("flows_top3", 3);
}

static enum test_result flows_empty(void)
{
	struct flows_view_opts opts = { .now_ns = FIXTURE_NOW_NS };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, flows };
	enum test_result result;

	snapshot_init(&snap);
	result = check_golden("flows_empty", &c);
	snapshot_free(&snap);
	return result;
}

/* A retransmit stamped after "now" (clocks read in another order) is 0s old. */
static enum test_result flows_age_never_negative(void)
{
	struct flows_view_opts opts = { .now_ns = FIXTURE_NOW_NS - 5000000000ull };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, flows };
	char *text;

	fixture_flows(&snap);
	text = render(OUT_FORMAT_TEXT, emit_view, &c);
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
	struct view_case c = { &snap, &opts, queues };
	enum test_result result;

	fixture_queues(&snap);
	result = check_golden(stem, &c);
	snapshot_free(&snap);
	return result;
}

/* Histograms drawn in text, every bucket exact in JSON. */
static enum test_result queues_all(void)
{
	return queues_golden("queues", NULL);
}

/* eth0 in both namespaces; nothing else. */
static enum test_result queues_dev(void)
{
	return queues_golden("queues_dev_eth0", "eth0");
}

static enum test_result queues_dev_without_rows(void)
{
	return queues_golden("queues_empty", "ens1");
}

static enum test_result drops_filtered(const char *stem, unsigned int keys,
				       const struct drop_filter *filter)
{
	struct drops_view_opts opts = { .keys = keys, .filter = *filter };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, drops };
	enum test_result result;

	fixture_mixed(&snap);
	result = check_golden(stem, &c);
	snapshot_free(&snap);
	return result;
}

static enum test_result drops_netns(void)
{
	const struct drop_filter filter = { .by_netns = true, .netns = CONTAINER_NETNS };

	return drops_filtered("drops_netns_by_reason", DROP_KEY_REASON, &filter);
}

static enum test_result drops_dev_reason(void)
{
	const struct drop_filter filter = { .dev = "eth0", .by_reason = true, .reason = 3 };

	return drops_filtered("drops_dev_reason", DROP_KEYS_ALL, &filter);
}

/* Filters pick rows before grouping: the sums are of the kept rows only. */
static enum test_result drops_filter_then_group(void)
{
	const struct drop_filter filter = { .by_netns = true, .netns = INIT_NETNS };
	struct drops_view_opts opts = { .keys = DROP_KEY_REASON, .filter = filter };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, drops };
	char *text, *json;

	fixture_mixed(&snap);
	text = render(OUT_FORMAT_TEXT, emit_view, &c);
	json = render(OUT_FORMAT_JSON, emit_view, &c);
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

const struct test_case view_rows_tests[] = {
	{ "flows", flows_all },
	{ "flows_top", flows_top },
	{ "flows_empty", flows_empty },
	{ "flows_age_never_negative", flows_age_never_negative },
	{ "queues", queues_all },
	{ "queues_dev", queues_dev },
	{ "queues_dev_without_rows", queues_dev_without_rows },
	{ "drops_netns", drops_netns },
	{ "drops_dev_reason", drops_dev_reason },
	{ "drops_filter_then_group", drops_filter_then_group },
	{ NULL, NULL }
};
