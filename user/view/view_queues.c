// SPDX-License-Identifier: GPL-2.0
/*
 * "skbstat queues": what each device transmit queue sent, in the order of
 * netns, device and queue (or busiest first, for top), with its packet size
 * histogram drawn in text and given bucket by bucket in JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view/histogram.h"
#include "view/view_counters.h"
#include "view/views.h"

static const struct view_counter queue_packets = {
	.key = "packets", .unit = OUT_UNIT_COUNT,
	.rate_key = "packets_rate", .rate_text_key = "pkt/s",
	.metric = { "skbstat_queue_packets_total",
		    "Packets given to a device transmit queue." },
};

static const struct view_counter queue_bytes = {
	.key = "bytes", .unit = OUT_UNIT_BYTES,
	.rate_key = "bytes_rate", .rate_text_key = "bytes/s",
	.metric = { "skbstat_queue_bytes_total",
		    "Bytes in the packets given to a device transmit queue." },
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_queues_for_display(const void *a, const void *b)
{
	const struct skbstat_queue_row *qa = *(const struct skbstat_queue_row *const *)a;
	const struct skbstat_queue_row *qb = *(const struct skbstat_queue_row *const *)b;
	int ret = cmp_u64(qa->netns, qb->netns);

	if (!ret)
		ret = cmp_u64(qa->ifindex, qb->ifindex);
	return ret ? ret : cmp_u64(qa->queue, qb->queue);
}

static int cmp_queues_busiest_first(const void *a, const void *b)
{
	const struct skbstat_queue_row *qa = *(const struct skbstat_queue_row *const *)a;
	const struct skbstat_queue_row *qb = *(const struct skbstat_queue_row *const *)b;
	int ret = cmp_u64(qb->bytes, qa->bytes);

	if (!ret)
		ret = cmp_u64(qb->packets, qa->packets);
	return ret ? ret : cmp_queues_for_display(a, b);
}

static void emit_queue(struct out *out, const struct skbstat_queue_row *row,
		       const struct queues_view_opts *opts)
{
	char bars[HIST_BARS_LEN], range[HIST_RANGE_LEN];
	bool drawn = hist_draw(row->hist, bars, range);

	out_str(out, "dev", OUT_LABEL, row->dev);
	out_u64(out, "ifindex", OUT_LABEL | OUT_MACHINE, row->ifindex);
	out_u64(out, "queue", OUT_LABEL, row->queue);
	out_u64(out, "netns", OUT_LABEL, row->netns);
	view_emit_counter(out, &queue_packets, row->packets, opts->interval);
	view_emit_counter(out, &queue_bytes, row->bytes, opts->interval);
	out_str(out, "sizes", OUT_INFO | OUT_HUMAN, drawn ? range : NULL);
	out_str(out, "hist", OUT_INFO | OUT_HUMAN, drawn ? bars : NULL);
	out_u64_array(out, "hist", OUT_COUNTER | OUT_MACHINE, row->hist, SKBSTAT_HIST_BUCKETS);
	view_emit_reset(out, row->reset, opts->interval);
}

static void emit_queues_table(struct out *out, const struct skbstat_queue_row *const *rows,
			      size_t nr, const struct queues_view_opts *opts)
{
	const struct skbstat_queue_row example = { 0 };
	size_t i;

	out_table_begin(out, "queues");
	out_schema_begin(out);
	emit_queue(out, &example, opts);
	out_schema_end(out);
	for (i = 0; i < nr; i++) {
		out_row_begin(out);
		emit_queue(out, rows[i], opts);
		out_row_end(out);
	}
	out_table_end(out);
}

/* The device and netns asked for; in interval mode, only queues that sent something. */
static bool queue_wanted(const struct queues_view_opts *opts,
			 const struct skbstat_queue_row *row)
{
	if (opts->dev && (!row->dev || strcmp(row->dev, opts->dev)))
		return false;
	if (opts->by_netns && row->netns != opts->netns)
		return false;
	return opts->interval <= 0 || row->packets || row->bytes || row->reset;
}

int view_queues(const struct skbstat_snapshot *snap, const struct queues_view_opts *opts,
		struct out *out)
{
	const struct skbstat_queue_row **sorted;
	size_t i, nr = 0;

	/* One extra element so that zero rows still gives a valid pointer. */
	sorted = calloc(snap->nr_queues + 1, sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < snap->nr_queues; i++)
		if (queue_wanted(opts, &snap->queues[i]))
			sorted[nr++] = &snap->queues[i];
	qsort(sorted, nr, sizeof(*sorted),
	      opts->busiest_first ? cmp_queues_busiest_first : cmp_queues_for_display);
	if (opts->top && opts->top < nr)
		nr = opts->top;

	emit_queues_table(out, sorted, nr, opts);
	free(sorted);
	return 0;
}
