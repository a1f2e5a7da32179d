// SPDX-License-Identifier: GPL-2.0
/*
 * "skbstat drops": drop rows grouped by the chosen key columns, busiest
 * first.  Only the grouped key columns are shown: the others differ inside
 * a group and would be meaningless.  Filters apply to the rows before
 * they are grouped.
 */
#include <stdlib.h>

#include "group.h"
#include "names.h"
#include "views.h"

static void emit_drop(struct out *out, const struct skbstat_snapshot *snap, unsigned int keys,
		      const struct drop_group *group)
{
	const struct skbstat_drop_row *row = group->first;
	char reason_buf[NAME_BUF_LEN], proto_buf[NAME_BUF_LEN];

	if (keys & DROP_KEY_REASON) {
		out_str(out, "reason", OUT_LABEL, drop_reason_name(snap, row->reason, reason_buf));
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
		out_str(out, "proto", OUT_LABEL, proto_name(row->proto, proto_buf));
	out_u64(out, "packets", OUT_COUNTER, group->packets);
	out_u64(out, "bytes", OUT_COUNTER, group->bytes);
}

static void emit_drops_table(struct out *out, const struct skbstat_snapshot *snap,
			     unsigned int keys, const struct drop_group *groups, size_t nr)
{
	const struct skbstat_drop_row example_row = { 0 };
	const struct drop_group example = { .first = &example_row };
	size_t i;

	out_table_begin(out, "drops");
	out_schema_begin(out);
	emit_drop(out, snap, keys, &example);
	out_schema_end(out);
	for (i = 0; i < nr; i++) {
		out_row_begin(out);
		emit_drop(out, snap, keys, &groups[i]);
		out_row_end(out);
	}
	out_table_end(out);
}

int view_drops(const struct skbstat_snapshot *snap, const struct drops_view_opts *opts,
	       struct out *out)
{
	struct skbstat_drop_row *kept;
	struct drop_group *groups;
	size_t nr_kept, nr_groups;
	int err;

	err = drops_filter(snap->drops, snap->nr_drops, &opts->filter, &kept, &nr_kept);
	if (err)
		return err;
	err = drops_group(kept, nr_kept, opts->keys, &groups, &nr_groups);
	if (err)
		goto out_free_kept;
	if (opts->top && opts->top < nr_groups)
		nr_groups = opts->top;

	emit_drops_table(out, snap, opts->keys, groups, nr_groups);
	free(groups);
out_free_kept:
	free(kept);
	return err;
}
