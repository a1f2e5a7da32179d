// SPDX-License-Identifier: GPL-2.0
/*
 * "skbstat drops": drop rows grouped by the chosen key columns, busiest
 * first.  Only the grouped key columns are shown: the others differ inside
 * a group and would be meaningless.  Filters apply to the rows before
 * they are grouped.
 */
#include <stdlib.h>
#include <linux/skbstat.h>

#include "model/group.h"
#include "model/names.h"
#include "view/view_counters.h"
#include "view/views.h"

static const struct view_counter drop_packets = {
	.key = "packets", .unit = OUT_UNIT_COUNT,
	.rate_key = "packets_rate", .rate_text_key = "pkt/s",
	.metric = { "skbstat_drops_total", "Packets the kernel dropped." },
};

static const struct view_counter drop_bytes = {
	.key = "bytes", .unit = OUT_UNIT_BYTES,
	.rate_key = "bytes_rate", .rate_text_key = "bytes/s",
	.metric = { "skbstat_drop_bytes_total", "Bytes in the packets the kernel dropped." },
};

static void emit_drop(struct out *out, const struct skbstat_snapshot *snap,
		      const struct drops_view_opts *opts, const struct drop_group *group)
{
	unsigned int keys = opts->keys;
	const struct skbstat_drop_row *row = group->first;
	char reason_buf[NAME_BUF_LEN], proto_buf[NAME_BUF_LEN];
	/* The netns gone row stands for many drops: it has no reason or protocol. */
	bool gone = !row->netns && !row->location && !row->reason;

	if (keys & DROP_KEY_REASON) {
		/* A kernel without drop reasons (5.10): "-", as for no device. */
		out_str(out, "reason", OUT_LABEL,
			gone || row->reason == SKBSTAT_REASON_NONE ? NULL : opts->numeric ?
			decimal_name(row->reason, reason_buf) :
			drop_reason_name(snap, row->reason, reason_buf));
		out_u64(out, "reason_id", OUT_LABEL | OUT_MACHINE, row->reason);
	}
	if (keys & DROP_KEY_LOCATION)
		out_str(out, "location", OUT_LABEL, row->location);
	if (keys & DROP_KEY_DEV) {
		out_str(out, "dev", OUT_LABEL, row->dev);
		out_u64(out, "ifindex", OUT_LABEL | OUT_MACHINE, row->ifindex);
	}
	if (keys & DROP_KEY_NETNS)
		out_u64(out, "netns", OUT_LABEL, row->netns);
	if (keys & DROP_KEY_PROTO)
		out_str(out, "proto", OUT_LABEL, gone ? NULL : opts->numeric ?
			proto_number(row->proto, proto_buf) : proto_name(row->proto, proto_buf));
	view_emit_counter(out, &drop_packets, group->packets, opts->interval);
	view_emit_counter(out, &drop_bytes, group->bytes, opts->interval);
	view_emit_reset(out, group->reset, opts->interval);
}

/* In interval mode only the groups that changed are worth a line. */
static bool group_shown(const struct drops_view_opts *opts, const struct drop_group *group)
{
	return opts->interval <= 0 || group->packets || group->bytes || group->reset;
}

static void emit_drops_table(struct out *out, const struct skbstat_snapshot *snap,
			     const struct drops_view_opts *opts,
			     const struct drop_group *groups, size_t nr)
{
	const struct skbstat_drop_row example_row = { 0 };
	const struct drop_group example = { .first = &example_row };
	size_t i;

	out_table_begin(out, "drops");
	out_schema_begin(out);
	emit_drop(out, snap, opts, &example);
	out_schema_end(out);
	for (i = 0; i < nr; i++) {
		out_row_begin(out);
		emit_drop(out, snap, opts, &groups[i]);
		out_row_end(out);
	}
	out_table_end(out);
}

int view_drops(const struct skbstat_snapshot *snap, const struct drops_view_opts *opts,
	       struct out *out)
{
	struct skbstat_drop_row *kept;
	struct drop_group *groups;
	size_t nr_kept, nr_groups, i, nr_shown = 0;
	int err;

	err = drops_filter(snap->drops, snap->nr_drops, &opts->filter, &kept, &nr_kept);
	if (err)
		return err;
	err = drops_group(kept, nr_kept, opts->keys, &groups, &nr_groups);
	if (err)
		goto out_free_kept;
	for (i = 0; i < nr_groups; i++)
		if (group_shown(opts, &groups[i]))
			groups[nr_shown++] = groups[i];
	if (opts->left_out)
		*opts->left_out = opts->top && opts->top < nr_shown ? nr_shown - opts->top : 0;
	if (opts->top && opts->top < nr_shown)
		nr_shown = opts->top;

	emit_drops_table(out, snap, opts, groups, nr_shown);
	free(groups);
out_free_kept:
	free(kept);
	return err;
}
