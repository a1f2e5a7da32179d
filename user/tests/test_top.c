// SPDX-License-Identifier: GPL-2.0
/*
 * The screen of skbstat top from recorded snapshots: what fits a terminal,
 * lines cut to its width, and the same tables as documents when piped.
 */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "model/group.h"
#include "test.h"
#include "view/top_screen.h"
#include "util.h"

#define TITLE	"skbstat top: kmod, every 1 s, 12:00:01    q: quit"

static const struct top_opts opts = {
	.drop_keys = DROP_KEY_REASON | DROP_KEY_LOCATION | DROP_KEY_DEV,
};

/* Take the rows of @from's tables into @to (whose tables are empty). */
static void take_tables(struct skbstat_snapshot *to, struct skbstat_snapshot *from)
{
	if (from->nr_drops) {
		to->drops = from->drops;
		to->nr_drops = from->nr_drops;
		to->cap_drops = from->cap_drops;
		from->drops = NULL;
		from->nr_drops = from->cap_drops = 0;
		snapshot_move_reasons(to, from);
	}
	if (from->nr_flows) {
		to->flows = from->flows;
		to->nr_flows = from->nr_flows;
		to->cap_flows = from->cap_flows;
		from->flows = NULL;
		from->nr_flows = from->cap_flows = 0;
	}
	if (from->nr_queues) {
		to->queues = from->queues;
		to->nr_queues = from->nr_queues;
		to->cap_queues = from->cap_queues;
		from->queues = NULL;
		from->nr_queues = from->cap_queues = 0;
	}
	snapshot_free(from);
}

/* Every fixture at once, read as the changes of one second. */
static void fixture_all(struct skbstat_snapshot *all)
{
	struct skbstat_snapshot part;

	fixture_status(all);
	fixture_mixed(&part);
	take_tables(all, &part);
	fixture_flows(&part);
	take_tables(all, &part);
	fixture_queues(&part);
	take_tables(all, &part);
}

static const struct backend_ops fake_kmod = { .name = "kmod" };

static enum test_result screen_golden(const char *name, unsigned int rows, unsigned int cols,
				      bool first_interval_done)
{
	struct skbstat_snapshot all;
	struct sample sample = {
		.snap = &all, .interval = 1, .now_ns = FIXTURE_NOW_NS, .backend = &fake_kmod,
	};
	enum test_result result;
	char *screen;

	fixture_all(&all);
	screen = top_screen(&opts, first_interval_done ? &sample : NULL, TITLE, rows, cols);
	snapshot_free(&all);
	result = golden_check(name, screen);
	free(screen);
	return result;
}

/* A 24x120 terminal: rows per table fit it, tables sorted by rate. */
TEST(screen)
{
	return screen_golden("top_screen.txt", 24, 120, true);
}

/* A small one: lines cut at 40 characters (histogram bars count as one), 12 lines. */
TEST(small_screen)
{
	return screen_golden("top_screen_small.txt", 12, 40, true);
}

TEST(first_interval)
{
	return screen_golden("top_screen_waiting.txt", 24, 80, false);
}

/* Never more lines than the terminal has, each at most as wide. */
TEST(fits_any_size)
{
	static const unsigned int sizes[][2] = { { 1, 1 }, { 5, 20 }, { 30, 60 }, { 60, 200 } };
	struct skbstat_snapshot all;
	struct sample sample = { .snap = &all, .interval = 0.5, .backend = &fake_kmod };
	size_t i;

	fixture_all(&all);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char *text = top_screen(&opts, &sample, TITLE, sizes[i][0], sizes[i][1]);
		unsigned int lines = 0;
		const char *line;

		CHECK(text);
		for (line = text; *line; lines++) {
			const char *nl = strchr(line, '\n');
			size_t chars = 0;
			const char *c;

			CHECK(nl);
			for (c = line; c < nl; c++)
				chars += ((unsigned char)*c & 0xc0) != 0x80;
			CHECK(chars <= sizes[i][1]);
			line = nl + 1;
		}
		CHECK(lines <= sizes[i][0]);
		free(text);
	}
	snapshot_free(&all);
	return TEST_PASSED;
}

static int emit_piped(struct out *out, const void *ctx)
{
	return top_emit(&opts, ctx, 3, out);
}

/* Not on a terminal: one document per interval, three rows per table here. */
TEST(piped)
{
	struct skbstat_snapshot all;
	struct sample sample = {
		.snap = &all, .interval = 1, .now_ns = FIXTURE_NOW_NS, .backend = &fake_kmod,
	};
	enum test_result result;
	char *text, *json;

	fixture_all(&all);
	text = out_render(OUT_FORMAT_TEXT, emit_piped, &sample);
	json = out_render(OUT_FORMAT_JSON, emit_piped, &sample);
	snapshot_free(&all);
	result = golden_check("top_piped.txt", text);
	if (result == TEST_PASSED)
		result = golden_check("top_piped.json", json);
	free(text);
	free(json);
	return result;
}
