// SPDX-License-Identifier: GPL-2.0
/*
 * "skbstat status": which backend answers, and per hook whether it is
 * attached, how, and how full its table is.
 */
#include <stdio.h>

#include "model/names.h"
#include "view/view_counters.h"
#include "view/views.h"

static const struct out_metric hook_label = { "hook", NULL };

static const struct out_metric hook_attached = {
	"skbstat_hook_attached", "1 when the hook is attached and counting, else 0.",
};

static const struct view_counter hook_events = {
	.key = "events", .unit = OUT_UNIT_COUNT,
	.rate_key = "events_rate", .rate_text_key = "events/s",
	.metric = { "skbstat_hook_events_total", "Events the hook counted." },
};

static const struct view_counter hook_bytes = {
	.key = "bytes", .unit = OUT_UNIT_BYTES,
	.rate_key = "bytes_rate", .rate_text_key = "bytes/s",
	.metric = { "skbstat_hook_bytes_total", "Bytes in the packets the hook counted." },
};

static const struct view_counter hook_table_full = {
	.key = "table_full", .unit = OUT_UNIT_COUNT,
	.rate_key = "table_full_rate", .rate_text_key = "full/s",
	.metric = { "skbstat_hook_table_full_total",
		    "Events not counted in a row because the hook's table was full." },
};

static const struct view_counter hook_missed = {
	.key = "missed", .unit = OUT_UNIT_COUNT,
	.rate_key = "missed_rate", .rate_text_key = "missed/s",
	.metric = { "skbstat_hook_missed_total",
		    "Events lost because the kernel skipped a probe of the hook: a BPF program "
		    "nested into itself, a kprobe hit while another ran, or a kretprobe call "
		    "with no free instance." },
};

static const struct out_metric hook_rows = {
	"skbstat_hook_rows", "Rows in use in the hook's table.",
};

static const struct out_metric hook_limit = {
	"skbstat_hook_row_limit", "Rows the hook's table may hold.",
};

static const struct out_metric hook_longest_probe = {
	"skbstat_hook_longest_probe",
	"Most hash slots a lookup in the hook's table walks (1: every key in its own slot).",
};

/* What the hook's mode cannot see: JSON has it per hook, text after the table. */
static void emit_hook_gaps_field(struct out *out, const struct skbstat_hook_status *hook)
{
	out_str(out, "gaps", OUT_INFO | OUT_MACHINE, hook->gaps);
}

static void emit_gaps_lines(struct out *out, const struct skbstat_status *status)
{
	char line[SKBSTAT_GAPS_LEN + 128], mode_buf[NAME_BUF_LEN];
	const struct skbstat_hook_status *hook;
	size_t i;

	for (i = 0; i < status->nr_hooks; i++) {
		hook = &status->hooks[i];
		if (!hook->gaps[0])
			continue;
		snprintf(line, sizeof(line), "%s in %s mode misses %s", hook->name,
			 hook->mode_name ?: attach_mode_name(hook->mode, mode_buf), hook->gaps);
		out_str(out, "gaps", OUT_INFO | OUT_HUMAN, line);
	}
}

/* Whether the kernel has drop reasons: JSON always, text only when it has none. */
static void emit_drop_reasons(struct out *out, const struct skbstat_status *status)
{
	if (status->drop_reasons == SKBSTAT_DROP_REASONS_UNKNOWN)
		return;
	out_bool(out, "drop_reasons", OUT_INFO | OUT_MACHINE,
		 status->drop_reasons == SKBSTAT_DROP_REASONS_KERNEL);
	if (status->drop_reasons == SKBSTAT_DROP_REASONS_NONE)
		out_str(out, "drop reasons", OUT_INFO | OUT_HUMAN,
			"none: the kernel has none, every drop's reason is -");
}

static const struct out_metric memory_label = { "table", NULL };

static const struct out_metric memory_bytes = {
	"skbstat_table_memory_bytes",
	"Kernel memory the table takes, with the copy of each possible CPU.",
};

static const struct out_metric memory_per_cpu = {
	"skbstat_table_memory_per_cpu_bytes",
	"Of the table's memory, the copy of one possible CPU.",
};

static void emit_memory_table(struct out *out, const struct skbstat_table_memory *t,
			      uint32_t cpus)
{
	out_str_metric(out, "table", OUT_LABEL, t->table, &memory_label);
	out_u64_metric(out, "bytes", OUT_GAUGE | OUT_UNIT_BYTES, t->bytes, &memory_bytes);
	out_u64_metric(out, "per_cpu_bytes", OUT_GAUGE | OUT_UNIT_BYTES, t->per_cpu_bytes,
		       &memory_per_cpu);
	out_u64(out, "possible_cpus", OUT_INFO, cpus);
}

/* Each table's memory, when the backend says: a table of its own. */
static void emit_memory(struct out *out, const struct skbstat_memory *m)
{
	const struct skbstat_table_memory example = { .table = "drops" };
	size_t i;

	if (!m->nr_tables)
		return;
	out_table_begin(out, "memory");
	out_schema_begin(out);
	emit_memory_table(out, &example, 0);
	out_schema_end(out);
	for (i = 0; i < m->nr_tables; i++) {
		out_row_begin(out);
		emit_memory_table(out, &m->tables[i], m->possible_cpus);
		out_row_end(out);
	}
	out_table_end(out);
}

static void emit_hook(struct out *out, const struct skbstat_hook_status *hook,
		      double interval)
{
	char mode_buf[NAME_BUF_LEN];

	out_str(out, "hook", OUT_LABEL | OUT_HUMAN, hook->name);
	out_str_metric(out, "name", OUT_LABEL | OUT_MACHINE, hook->name, &hook_label);
	out_bool_metric(out, "attached", OUT_GAUGE, hook->attached, &hook_attached);
	/* A hook stays the same hook in another mode: no metric label. */
	out_str(out, "mode", OUT_INFO,
		hook->mode_name ?: attach_mode_name(hook->mode, mode_buf));
	view_emit_counter(out, &hook_events, hook->events, interval);
	view_emit_counter(out, &hook_bytes, hook->bytes, interval);
	view_emit_counter(out, &hook_table_full, hook->table_full, interval);
	if (hook->has_missed)
		view_emit_counter(out, &hook_missed, hook->missed, interval);
	emit_hook_gaps_field(out, hook);
	out_u64_metric(out, "rows", OUT_GAUGE, hook->rows, &hook_rows);
	out_u64_metric(out, "limit", OUT_GAUGE, hook->limit, &hook_limit);
	if (hook->has_longest_probe)
		out_u64_metric(out, "longest_probe", OUT_GAUGE, hook->longest_probe,
			       &hook_longest_probe);
	view_emit_reset(out, hook->reset, interval);
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
	/* The hooks of one backend have the same fields. */
	const struct skbstat_hook_status example = {
		.has_missed = status->nr_hooks && status->hooks[0].has_missed,
		.has_longest_probe = status->nr_hooks && status->hooks[0].has_longest_probe,
	};
	size_t i;

	emit_backend(out, source, status);
	emit_drop_reasons(out, status);

	out_table_begin(out, "hooks");
	out_schema_begin(out);
	emit_hook(out, &example, source->interval);
	out_schema_end(out);
	for (i = 0; i < status->nr_hooks; i++) {
		out_row_begin(out);
		emit_hook(out, &status->hooks[i], source->interval);
		out_row_end(out);
	}
	out_table_end(out);
	emit_gaps_lines(out, status);
	emit_memory(out, &status->memory);
	return 0;
}
