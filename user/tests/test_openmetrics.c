// SPDX-License-Identifier: GPL-2.0
/*
 * OpenMetrics output: every view from the hand-built snapshots, compared
 * with the .prom files in tests/golden/ (which promtool checks when
 * installed), and the renderer's own rules: escaping, contiguous families,
 * no rates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/group.h"
#include "test.h"
#include "view/views.h"

static enum test_result om_golden(const char *name, const struct view_case *c)
{
	char *text = out_render(OUT_FORMAT_OPENMETRICS, view_case_emit, c);
	enum test_result result = golden_check(name, text);

	free(text);
	return result;
}

static enum test_result drops_golden(const char *name, unsigned int keys)
{
	struct drops_view_opts opts = { .keys = keys };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_drops };
	enum test_result result;

	fixture_mixed(&snap);
	result = om_golden(name, &c);
	snapshot_free(&snap);
	return result;
}

/* All labels, an unnamed reason, no device, a counter beyond 2^53. */
TEST(drops_all_keys)
{
	return drops_golden("drops_all.prom", DROP_KEYS_ALL);
}

TEST(drops_by_reason)
{
	return drops_golden("drops_by_reason.prom", DROP_KEY_REASON);
}

/* No rows: the HELP and TYPE lines still say what would be there. */
TEST(drops_empty)
{
	struct drops_view_opts opts = { .keys = DROP_KEYS_ALL };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_drops };
	enum test_result result;

	snapshot_init(&snap);
	result = om_golden("drops_empty.prom", &c);
	snapshot_free(&snap);
	return result;
}

TEST(flows)
{
	struct flows_view_opts opts = { .now_ns = FIXTURE_NOW_NS };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_flows };
	enum test_result result;

	fixture_flows(&snap);
	result = om_golden("flows.prom", &c);
	snapshot_free(&snap);
	return result;
}

/*
 * Summed per netns and family, as serve exports them: failed only where
 * every row's mode sees failures (the container's has one that cannot).
 */
TEST(flows_by_netns)
{
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, NULL, view_case_flows_by_netns };
	enum test_result result;

	fixture_flows(&snap);
	result = om_golden("flows_by_netns.prom", &c);
	snapshot_free(&snap);
	return result;
}

TEST(queues)
{
	struct queues_view_opts opts = { 0 };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &opts, view_case_queues };
	enum test_result result;

	fixture_queues(&snap);
	result = om_golden("queues.prom", &c);
	snapshot_free(&snap);
	return result;
}

TEST(status)
{
	const struct status_view_source source = { "kmod", "skbstat module", 0 };
	struct skbstat_snapshot snap;
	struct view_case c = { &snap, &source, view_case_status };
	enum test_result result;

	fixture_status(&snap);
	result = om_golden("status.prom", &c);
	snapshot_free(&snap);
	return result;
}

static const struct out_metric things_metric = { "things_total", "Things, \\counted\\\nhere." };

static int emit_escapes(struct out *out, const void *ctx)
{
	(void)ctx;
	out_str(out, "document", OUT_LABEL, "not a metric");
	out_table_begin(out, "t");
	out_row_begin(out);
	out_str(out, "name", OUT_LABEL, "a\"quoted\" back\\slash\nnewline");
	out_str(out, "unknown", OUT_LABEL, NULL);
	out_str(out, "state", OUT_INFO, "describes, does not identify");
	out_u64_metric(out, "n", OUT_COUNTER, 7, &things_metric);
	out_u64(out, "undescribed", OUT_COUNTER, 8);
	out_double(out, "rate", OUT_GAUGE, 1.5);
	out_row_end(out);
	out_table_end(out);
	return 0;
}

/* Label values escape \ " and newline; HELP escapes \ and newline. */
TEST(escaping)
{
	char *text = out_render(OUT_FORMAT_OPENMETRICS, emit_escapes, NULL);

	CHECK_STR(text,
		  "# HELP things_total Things, \\\\counted\\\\\\nhere.\n"
		  "# TYPE things_total counter\n"
		  "things_total{name=\"a\\\"quoted\\\" back\\\\slash\\nnewline\",unknown=\"\"} 7\n"
		  "# EOF\n");
	free(text);
	return TEST_PASSED;
}

static int emit_bad_label(struct out *out, const void *ctx)
{
	(void)ctx;
	out_table_begin(out, "t");
	out_row_begin(out);
	out_str(out, "saddr:sport", OUT_LABEL, "10.0.0.1:80");
	out_row_end(out);
	out_table_end(out);
	return 0;
}

/* A key that is no valid label name is a bug to report, not to print. */
TEST(bad_label_name_fails)
{
	int saved = stderr_mute();
	char *text = out_render(OUT_FORMAT_OPENMETRICS, emit_bad_label, NULL);

	stderr_unmute(saved);
	CHECK(!text);
	return TEST_PASSED;
}

/* Interval mode keeps OpenMetrics cumulative; text and JSON show changes. */
TEST(wants_totals)
{
	static const enum out_format formats[] = {
		OUT_FORMAT_TEXT, OUT_FORMAT_JSON, OUT_FORMAT_OPENMETRICS,
	};
	static const bool expected[] = { false, false, true };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct out *out = out_new(formats[i], stdout, 0);

		CHECK(out);
		CHECK(out_wants_totals(out) == expected[i]);
		out_free(out);
	}
	return TEST_PASSED;
}
