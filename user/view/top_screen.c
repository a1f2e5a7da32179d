// SPDX-License-Identifier: GPL-2.0
/*
 * Composing top's screen.  The tables come from the same views and the
 * same text renderer as every other command; this file only decides how
 * many rows fit and cuts what does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/skbstat.h>

#include "view/top_screen.h"
#include "output/units.h"
#include "util.h"
#include "view/views.h"

/* Title, three hook lines, and a blank line before, header of each table. */
#define TOP_FIXED_LINES	(1 + 3 + 3 * 2)

static const struct {
	uint32_t id;
	const char *what;		/* the hook's events, as a person says it */
	const char *unit;		/* of its events */
} hook_lines[] = {
	{ SKBSTAT_HOOK_DROPS,	"drops",	"pkt/s" },
	{ SKBSTAT_HOOK_FLOWS,	"retransmits",	"seg/s" },
	{ SKBSTAT_HOOK_QUEUES,	"transmits",	"pkt/s" },
};

static const struct skbstat_hook_status *find_hook(const struct skbstat_status *status,
						   uint32_t id)
{
	size_t i;

	for (i = 0; i < status->nr_hooks; i++)
		if (status->hooks[i].id == id)
			return &status->hooks[i];
	return NULL;
}

/* "drops: 1.2K pkt/s, 3.4MB/s" per hook: what the whole machine does. */
static void emit_hook_rates(const struct sample *sample, struct out *out)
{
	char events[UNITS_BUF_LEN], bytes[UNITS_BUF_LEN], line[96];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hook_lines); i++) {
		const struct skbstat_hook_status *hook = find_hook(&sample->snap->status,
								   hook_lines[i].id);

		if (!hook)
			continue;
		if (!hook->attached) {
			snprintf(line, sizeof(line), "not counted, the hook is detached "
				 "(skbstat attach)");
		} else if (sample->interval > 0) {
			snprintf(line, sizeof(line), "%s %s, %s/s",
				 units_count_rate(hook->events / sample->interval, events),
				 hook_lines[i].unit,
				 units_bytes_rate(hook->bytes / sample->interval, bytes));
		} else {
			snprintf(line, sizeof(line), "%s, %s in all",
				 units_count(hook->events, events), units_bytes(hook->bytes, bytes));
		}
		out_str(out, hook_lines[i].what, OUT_INFO | OUT_HUMAN, line);
	}
}

int top_emit(const struct top_opts *opts, const struct sample *sample, size_t rows_per_table,
	     struct out *out)
{
	struct drops_view_opts drops = {
		.keys = opts->drop_keys, .top = rows_per_table, .numeric = opts->numeric,
		.interval = sample->interval,
	};
	struct flows_view_opts flows = {
		.top = rows_per_table, .now_ns = sample->now_ns, .numeric = opts->numeric,
		.interval = sample->interval,
	};
	struct queues_view_opts queues = {
		.dev = opts->dev, .top = rows_per_table, .busiest_first = true,
		.interval = sample->interval,
	};
	int err;

	emit_hook_rates(sample, out);
	err = view_drops(sample->snap, &drops, out);
	if (!err)
		err = view_flows(sample->snap, &flows, out);
	if (!err)
		err = view_queues(sample->snap, &queues, out);
	return err;
}

/* Bytes of the first @cols characters of UTF-8 @line (up to its newline). */
static size_t cut_at(const char *line, size_t len, unsigned int cols)
{
	size_t i, chars = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)line[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == cols)
			return i;
	}
	return len;
}

/*
 * Copy at most @rows lines of @text, each cut to @cols characters, to @f,
 * and count them off @rows.
 */
static void clip(FILE *f, const char *text, unsigned int *rows, unsigned int cols)
{
	while (*text && *rows) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		size_t cut = cut_at(text, len, cols);

		/* A cut may end in the gap between columns. */
		while (cut && text[cut - 1] == ' ')
			cut--;
		fwrite(text, 1, cut, f);
		fputc('\n', f);
		(*rows)--;
		text += nl ? len + 1 : len;
	}
}

struct tables_ctx {
	const struct top_opts *opts;
	const struct sample *sample;
	size_t rows_per_table;
};

static int emit_tables(struct out *out, const void *ctx)
{
	const struct tables_ctx *c = ctx;

	return top_emit(c->opts, c->sample, c->rows_per_table, out);
}

static char *render_tables(const struct top_opts *opts, const struct sample *sample,
			   size_t rows_per_table)
{
	const struct tables_ctx c = { opts, sample, rows_per_table };

	return out_render(OUT_FORMAT_TEXT, emit_tables, &c);
}

char *top_screen(const struct top_opts *opts, const struct sample *sample, const char *title,
		 unsigned int rows, unsigned int cols)
{
	size_t rows_per_table = opts->top;
	char *screen = NULL, *tables = NULL;
	size_t len = 0;
	FILE *f;

	if (!rows_per_table)
		rows_per_table = rows > TOP_FIXED_LINES + 3 ? (rows - TOP_FIXED_LINES) / 3 : 1;
	if (sample) {
		tables = render_tables(opts, sample, rows_per_table);
		if (!tables)
			return NULL;
	}
	f = open_memstream(&screen, &len);
	if (!f) {
		free(tables);
		return NULL;
	}
	clip(f, title, &rows, cols);
	clip(f, tables ? tables : "\ncounting the first interval...\n", &rows, cols);
	free(tables);
	if (fclose(f)) {
		free(screen);
		return NULL;
	}
	return screen;
}
