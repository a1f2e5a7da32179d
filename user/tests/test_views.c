// SPDX-License-Identifier: GPL-2.0
/*
 * Whole command outputs from hand-built snapshots, compared with the golden
 * files in tests/golden/ for both formats.
 */
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "test.h"
#include "views.h"

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

/* Render @c in text and JSON and compare with @stem.txt and @stem.json. */
static enum test_result check_drops(const char *stem, const struct drops_case *c)
{
	enum test_result result = TEST_PASSED;
	static const struct {
		enum out_format format;
		const char *suffix;
	} formats[] = {
		{ OUT_FORMAT_TEXT, "txt" },
		{ OUT_FORMAT_JSON, "json" },
	};
	size_t i;

	for (i = 0; i < 2 && result == TEST_PASSED; i++) {
		char *text = render(formats[i].format, emit_drops, c);
		char name[64];

		snprintf(name, sizeof(name), "%s.%s", stem, formats[i].suffix);
		result = golden_check(name, text);
		free(text);
	}
	return result;
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

static enum test_result drops_all_keys(void)
{
	return drops_golden("drops_all", DROP_KEYS_ALL, 0);
}

static enum test_result drops_by_reason(void)
{
	return drops_golden("drops_by_reason", DROP_KEY_REASON, 0);
}

static enum test_result drops_by_reason_dev(void)
{
	return drops_golden("drops_by_reason_dev", DROP_KEY_REASON | DROP_KEY_DEV, 0);
}

static enum test_result drops_by_location_proto(void)
{
	return drops_golden("drops_by_location_proto", DROP_KEY_LOCATION | DROP_KEY_PROTO, 0);
}

static enum test_result drops_top(void)
{
	return drops_golden("drops_by_reason_top2", DROP_KEY_REASON, 2);
}

static enum test_result drops_top_larger_than_rows(void)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEY_REASON, .top = 100 } };
	char *all, *top;

	fixture_mixed(&snap);
	top = render(OUT_FORMAT_TEXT, emit_drops, &c);
	c.opts.top = 0;
	all = render(OUT_FORMAT_TEXT, emit_drops, &c);
	snapshot_free(&snap);
	CHECK(all && top);
	CHECK_STR(top, all);
	free(all);
	free(top);
	return TEST_PASSED;
}

static enum test_result drops_empty(void)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEYS_ALL } };
	enum test_result result;

	snapshot_init(&snap);
	result = check_drops("drops_empty", &c);
	snapshot_free(&snap);
	return result;
}

/* A reason the kernel did not name shows as its number, never hidden. */
static enum test_result unknown_reason_is_number(void)
{
	struct skbstat_snapshot snap;
	struct drops_case c = { .snap = &snap, .opts = { .keys = DROP_KEY_REASON } };
	char *text, *json;

	snapshot_init(&snap);
	fixture_add_drop(&snap, 4242, "f+0x1", 1, "lo", 1, 0x0800, 3, 30);
	text = render(OUT_FORMAT_TEXT, emit_drops, &c);
	json = render(OUT_FORMAT_JSON, emit_drops, &c);
	snapshot_free(&snap);
	CHECK_STR(text, "REASON  PACKETS  BYTES\n4242          3     30\n");
	CHECK(json && strstr(json, "\"reason\": \"4242\""));
	CHECK(strstr(json, "\"reason_id\": 4242"));
	free(text);
	free(json);
	return TEST_PASSED;
}

static enum test_result status_golden(void)
{
	struct skbstat_snapshot snap;
	enum test_result result;
	char *text, *json;

	fixture_status(&snap);
	text = render(OUT_FORMAT_TEXT, emit_status, &snap);
	json = render(OUT_FORMAT_JSON, emit_status, &snap);
	snapshot_free(&snap);
	result = golden_check("status.txt", text);
	if (result == TEST_PASSED)
		result = golden_check("status.json", json);
	free(text);
	free(json);
	return result;
}

const struct test_case view_tests[] = {
	{ "drops_all_keys", drops_all_keys },
	{ "drops_by_reason", drops_by_reason },
	{ "drops_by_reason_dev", drops_by_reason_dev },
	{ "drops_by_location_proto", drops_by_location_proto },
	{ "drops_top", drops_top },
	{ "drops_top_larger_than_rows", drops_top_larger_than_rows },
	{ "drops_empty", drops_empty },
	{ "unknown_reason_is_number", unknown_reason_is_number },
	{ "status", status_golden },
	{ NULL, NULL }
};
