// SPDX-License-Identifier: GPL-2.0
/*
 * One view of one snapshot, rendered in any format: what the golden-file
 * tests of views, deltas and OpenMetrics all feed the output layer.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "view/views.h"

/* Only helpers for the cases of other files. */
TEST_NO_CASES();

int view_case_emit(struct out *out, const void *ctx)
{
	const struct view_case *c = ctx;

	return c->view(c->snap, c->opts, out);
}

int view_case_drops(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_drops(snap, opts, out);
}

int view_case_flows(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_flows(snap, opts, out);
}

/* What skbstat serve exports of the flows by default; no @opts. */
int view_case_flows_by_netns(const struct skbstat_snapshot *snap, const void *opts,
			     struct out *out)
{
	size_t left_out;

	(void)opts;
	return view_flows_by_netns(snap, 0, &left_out, out);
}

int view_case_queues(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_queues(snap, opts, out);
}

/* @opts is the status view's source (the backend's description). */
int view_case_status(const struct skbstat_snapshot *snap, const void *opts, struct out *out)
{
	return view_status(opts, &snap->status, out);
}

enum test_result view_golden(const char *stem, int (*emit)(struct out *out, const void *ctx),
			     const void *ctx)
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
		char *text = out_render(formats[i].format, emit, ctx);
		char name[64];

		snprintf(name, sizeof(name), "%s.%s", stem, formats[i].suffix);
		result = golden_check(name, text);
		free(text);
	}
	return result;
}

enum test_result view_case_golden(const char *stem, const struct view_case *c)
{
	return view_golden(stem, view_case_emit, c);
}
