// SPDX-License-Identifier: GPL-2.0
/*
 * "skbstat status": which backend answers, and per hook whether it is
 * attached, how, and how full its table is.
 */
#include <stdio.h>

#include "names.h"
#include "views.h"

static void emit_hook(struct out *out, const struct skbstat_hook_status *hook)
{
	char mode_buf[NAME_BUF_LEN];

	out_str(out, "hook", OUT_LABEL | OUT_HUMAN, hook->name);
	out_str(out, "name", OUT_LABEL | OUT_MACHINE, hook->name);
	out_bool(out, "attached", OUT_GAUGE, hook->attached);
	out_str(out, "mode", OUT_LABEL, attach_mode_name(hook->mode, mode_buf));
	out_u64(out, "events", OUT_COUNTER, hook->events);
	out_u64(out, "bytes", OUT_COUNTER, hook->bytes);
	out_u64(out, "table_full", OUT_COUNTER, hook->table_full);
	out_u64(out, "rows", OUT_GAUGE, hook->rows);
	out_u64(out, "limit", OUT_GAUGE, hook->limit);
}

static void emit_backend(struct out *out, const struct status_view_source *source,
			 const struct skbstat_status *status)
{
	char summary[128];

	snprintf(summary, sizeof(summary), "%s (%s, API v%u)", source->backend,
		 source->description, status->version);
	out_str(out, "backend", OUT_LABEL | OUT_HUMAN, summary);
	out_str(out, "backend", OUT_LABEL | OUT_MACHINE, source->backend);
	out_u64(out, "version", OUT_LABEL | OUT_MACHINE, status->version);
}

int view_status(const struct status_view_source *source,
		const struct skbstat_status *status, struct out *out)
{
	const struct skbstat_hook_status example = { 0 };
	size_t i;

	emit_backend(out, source, status);

	out_table_begin(out, "hooks");
	out_schema_begin(out);
	emit_hook(out, &example);
	out_schema_end(out);
	for (i = 0; i < status->nr_hooks; i++) {
		out_row_begin(out);
		emit_hook(out, &status->hooks[i]);
		out_row_end(out);
	}
	out_table_end(out);
	return 0;
}
