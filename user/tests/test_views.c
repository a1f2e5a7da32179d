// SPDX-License-Identifier: GPL-2.0
/*
 * Whole command outputs from hand-built snapshots, compared with the golden
 * files in tests/golden/ for both formats.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/skbstat.h>

#include "model/group.h"
#include "test.h"
#include "view/views.h"

struct drops_case {
	const struct skbstat_snapshot *snap;
	struct drops_view_opts opts;
};

static int emit_drops(struct out *out, const void *ctx)
{
	const struct drops_case *c = ctx;

	return view_drops(c->snap, &c->opts, out);
}

static int emit_status(struct out *out, const void *ctx)
{
	static const struct status_view_source source = {
		.backend = "kmod",
		.description = "skbstat module",
	};
	const struct skbstat_snapshot *snap = ctx;

	return view_status(&source, &snap->status, out);
}

static enum test_result check_drops(const char *stem, const struct drops_case *c)
{
	return view_golden(stem, emit_drops, c);
}

static enum test_result drops_golden(const char *stem, unsigned int keys, size_t top)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = keys, .top = top } };
	enum test_result result;

	fixture_mixed(&snap);
	result = check_drops(stem, &c);
	snapshot_free(&snap);
	return result;
}

TEST(drops_all_keys)
{
	return drops_golden("drops_all", DROP_KEYS_ALL, 0);
}

TEST(drops_by_reason)
{
	return drops_golden("drops_by_reason", DROP_KEY_REASON, 0);
}

TEST(drops_by_reason_dev)
{
	return drops_golden("drops_by_reason_dev", DROP_KEY_REASON | DROP_KEY_DEV, 0);
}

TEST(drops_by_location_proto)
{
	return drops_golden("drops_by_location_proto", DROP_KEY_LOCATION | DROP_KEY_PROTO, 0);
}

TEST(drops_top)
{
	return drops_golden("drops_by_reason_top2", DROP_KEY_REASON, 2);
}

TEST(drops_top_larger_than_rows)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEY_REASON, .top = 100 } };
	char *all, *top;

	fixture_mixed(&snap);
	top = out_render(OUT_FORMAT_TEXT, emit_drops, &c);
	c.opts.top = 0;
	all = out_render(OUT_FORMAT_TEXT, emit_drops, &c);
	snapshot_free(&snap);
	CHECK(all && top);
	CHECK_STR(top, all);
	free(all);
	free(top);
	return TEST_PASSED;
}

TEST(drops_empty)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEYS_ALL } };
	enum test_result result;

	snapshot_init(&snap);
	result = check_drops("drops_empty", &c);
	snapshot_free(&snap);
	return result;
}

/* A reason the kernel did not name shows with its number, never hidden. */
TEST(unknown_reason_is_number)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEY_REASON } };
	char *text, *json;

	snapshot_init(&snap);
	fixture_add_drop(&snap, 4242, "f+0x1", 1, "lo", 1, 0x0800, 3, 30);
	text = out_render(OUT_FORMAT_TEXT, emit_drops, &c);
	json = out_render(OUT_FORMAT_JSON, emit_drops, &c);
	snapshot_free(&snap);
	CHECK_STR(text, "REASON         PACKETS  BYTES\nUNKNOWN(4242)        3    30B\n");
	CHECK(json && strstr(json, "\"reason\": \"UNKNOWN(4242)\""));
	CHECK(strstr(json, "\"reason_id\": 4242"));
	free(text);
	free(json);
	return TEST_PASSED;
}

/* A kernel without drop reasons: "-" in text, null in JSON, as no device. */
TEST(no_reasons_kernel_is_a_dash)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEY_REASON } };
	char *text, *json;

	snapshot_init(&snap);
	fixture_add_drop(&snap, SKBSTAT_REASON_NONE, "f+0x1", 1, "lo", 1, 0x0800, 3, 30);
	text = out_render(OUT_FORMAT_TEXT, emit_drops, &c);
	json = out_render(OUT_FORMAT_JSON, emit_drops, &c);
	snapshot_free(&snap);
	CHECK_STR(text, "REASON  PACKETS  BYTES\n-             3    30B\n");
	CHECK(json && strstr(json, "\"reason\": null"));
	free(text);
	free(json);
	return TEST_PASSED;
}

static int emit_flows(struct out *out, const void *ctx)
{
	const struct skbstat_snapshot *snap = ctx;
	const struct flows_view_opts opts = {
		.now_ns = FIXTURE_NOW_NS, .by_netns = true, .netns = 4026532001u, .numeric = true,
	};

	return view_flows(snap, &opts, out);
}

static int emit_queues(struct out *out, const void *ctx)
{
	const struct skbstat_snapshot *snap = ctx;
	const struct queues_view_opts opts = { .by_netns = true, .netns = 4026532001u };

	return view_queues(snap, &opts, out);
}

/* --no-resolve: the kernel's numbers instead of names, in every format. */
TEST(numeric_names)
{
	struct skbstat_snapshot snap;
	struct drops_case c = {
		.snap = &snap, .opts = { .keys = DROP_KEY_REASON | DROP_KEY_PROTO, .numeric = true },
	};
	char *text, *json;

	fixture_mixed(&snap);
	text = out_render(OUT_FORMAT_TEXT, emit_drops, &c);
	json = out_render(OUT_FORMAT_JSON, emit_drops, &c);
	snapshot_free(&snap);
	CHECK(text && strstr(text, "REASON  PROTO   PACKETS  BYTES\n8       0x0800     9.0P   11EB\n"));
	CHECK(strstr(text, "\n999     0x0806        7   294B\n"));
	CHECK(json && strstr(json, "\"reason\": \"3\""));
	CHECK(strstr(json, "\"proto\": \"0x86dd\""));
	free(text);
	free(json);
	return TEST_PASSED;
}

/* --netns for flows and queues; states as numbers with --no-resolve. */
TEST(netns_filters)
{
	struct skbstat_snapshot snap;
	char *flows, *queues;

	fixture_flows(&snap);
	flows = out_render(OUT_FORMAT_TEXT, emit_flows, &snap);
	snapshot_free(&snap);
	fixture_queues(&snap);
	queues = out_render(OUT_FORMAT_TEXT, emit_queues, &snap);
	snapshot_free(&snap);
	CHECK(flows && !strstr(flows, "4026531840"));
	/* TCP_FIN_WAIT1 is 4, TCP_LAST_ACK 9; the unknown 99 stays 99. */
	CHECK(strstr(flows, "[fe80::abcd:2]:51000    4  ") && !strstr(flows, "FIN-WAIT"));
	CHECK(strstr(flows, "[::ffff:10.1.2.3]:1234  9  "));
	CHECK(strstr(flows, "10.0.0.6:2              99  "));
	CHECK_STR(queues,
		  "DEV   QUEUE       NETNS  PACKETS  BYTES  SIZES     HIST\n"
		  "eth0      0  4026532001      900   56KB  64B-128B  █\n"
		  "wg0       0  4026532001        0     0B  -         -\n");
	free(flows);
	free(queues);
	return TEST_PASSED;
}

/* A status snapshot made by @fixture, in text and JSON, against two golden files. */
static enum test_result status_golden(void (*fixture)(struct skbstat_snapshot *),
				      const char *txt, const char *json_name)
{
	struct skbstat_snapshot snap;
	enum test_result result;
	char *text, *json;

	fixture(&snap);
	text = out_render(OUT_FORMAT_TEXT, emit_status, &snap);
	json = out_render(OUT_FORMAT_JSON, emit_status, &snap);
	snapshot_free(&snap);
	result = golden_check(txt, text);
	if (result == TEST_PASSED)
		result = golden_check(json_name, json);
	free(text);
	free(json);
	return result;
}

TEST(status)
{
	return status_golden(fixture_status, "status.txt", "status.json");
}

/* No drop reasons in the kernel, and a kprobe mode that says what it misses. */
TEST(status_no_reasons)
{
	return status_golden(fixture_status_no_reasons, "status_no_reasons.txt",
			     "status_no_reasons.json");
}
