/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/output/: this interface, its text, JSON and OpenMetrics renderers
 * (output_renderer.h), units for people (units.c) and the UTF-8 that
 * machine formats need (utf8.c).  It includes nothing from the other
 * folders.
 *
 * The only way anything reaches stdout.  A command emits its result once, as
 * typed fields grouped in rows and tables; the format object decides how it
 * looks.  Commands never test which format is active.
 *
 *	out_table_begin(out, "drops");
 *	out_schema_begin(out);		// the columns, by example
 *	emit_row(out, &example);
 *	out_schema_end(out);
 *	for each row:
 *		out_row_begin(out);
 *		emit_row(out, row);	// out_str(), out_u64(), out_bool(), out_u64_array()
 *		out_row_end(out);
 *	out_table_end(out);
 *	err = out_finish(out);
 *
 * The schema row lets text print a header for an empty table and lets a
 * metrics format write its type lines first; its values are never shown.
 * Fields outside tables are document-level values ("backend").
 *
 * One out can carry a stream of documents, one per interval: out_finish()
 * ends each, and the next fields start the next one.
 *
 * Errors (ENOMEM, misuse) are sticky: field functions return nothing and
 * out_finish() reports the first failure, like ferror() for stdio.
 */
#ifndef SKBSTAT_OUTPUT_H
#define SKBSTAT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum out_format {
	OUT_FORMAT_TEXT,
	OUT_FORMAT_JSON,
	OUT_FORMAT_OPENMETRICS,
	/*
	 * For skbstat serve, not offered by -o: the Prometheus text format
	 * 0.0.4, and OpenMetrics 1.0.0 to the letter (a counter's family is
	 * named without "_total").  OUT_FORMAT_OPENMETRICS is what the
	 * node_exporter textfile collector reads: 0.0.4 ended by "# EOF".
	 */
	OUT_FORMAT_PROMETHEUS_TEXT,
	OUT_FORMAT_OPENMETRICS_1,
};

/*
 * What a field means, so metric formats know labels from samples, which
 * audience it is for, and how text shows a number.  Combine one role with
 * at most one audience flag and at most one unit.
 */
enum out_kind {
	OUT_LABEL	= 0,		/* identifies the row: reason, dev, ... */
	OUT_COUNTER	= 1,		/* only ever grows: packets, bytes */
	OUT_GAUGE	= 2,		/* goes up and down: rows in use */
	/* Describes the row without identifying it: a TCP state, an age. */
	OUT_INFO	= 3,
	OUT_ROLE_MASK	= 3,

	/* Only for machine formats; text shows the same fact another way. */
	OUT_MACHINE	= 1 << 4,
	/* Only for people; machine formats carry it in separate fields. */
	OUT_HUMAN	= 1 << 5,
	/*
	 * Text leaves this column out when no row has a value, and shows an
	 * unknown value as blank instead of "-": for rare notes like "reset".
	 */
	OUT_SPARSE	= 1 << 6,

	/* Units: text scales the number, machine formats keep it exact. */
	OUT_UNIT_COUNT	= 1 << 8,	/* 999, 1.2K, 35M, 4.0G (powers of 1000) */
	OUT_UNIT_BYTES	= 2 << 8,	/* 999B, 1.2KB, 35MB (powers of 1024) */
	OUT_UNIT_MASK	= 3 << 8,
};

/* Options of out_new(). */
enum out_flags {
	/*
	 * A stream of documents, one per interval: JSON puts each on one line
	 * (newline-delimited JSON), text separates them with a blank line.
	 */
	OUT_STREAM	= 1 << 0,
};

/*
 * How a metric format exports a field.  Counters and gauges without one are
 * left out of metric formats; a label without one is named by its key.
 */
struct out_metric {
	const char *name;	/* "skbstat_drops_total"; a label's name: "hook" */
	const char *help;	/* one line for "# HELP"; NULL for labels */
};

struct out;

/* Look up a format by name.  Returns 0, or -EINVAL for an unknown name. */
int out_format_parse(const char *name, enum out_format *format);

/* A list of the names out_format_parse() knows, for messages. */
const char *out_format_names(void);

/* @flags: enum out_flags.  Returns NULL with errno set on failure. */
struct out *out_new(enum out_format format, FILE *stream, unsigned int flags);

/*
 * End the document and write whatever the format buffered; returns the
 * first error seen, or 0.  Fields after it start the next document.
 */
int out_finish(struct out *out);

/*
 * True when the format exports running totals even in interval mode: a
 * metrics scraper computes rates itself, and a counter must never go down.
 */
bool out_wants_totals(const struct out *out);

void out_free(struct out *out);

/* What @emit writes to a new out of @format, as a string to free(); NULL on failure. */
char *out_render(enum out_format format, int (*emit)(struct out *out, const void *ctx),
		 const void *ctx);

void out_table_begin(struct out *out, const char *name);
void out_table_end(struct out *out);
void out_schema_begin(struct out *out);
void out_schema_end(struct out *out);
void out_row_begin(struct out *out);
void out_row_end(struct out *out);

/*
 * @key names the field in every format (JSON key, upper-cased text header);
 * it must stay valid until the table ends, as string literals do.
 * @val may be NULL: the value is unknown ("-" in text, null in JSON).
 */
void out_str(struct out *out, const char *key, unsigned int kind, const char *val);
void out_u64(struct out *out, const char *key, unsigned int kind, uint64_t val);
void out_bool(struct out *out, const char *key, unsigned int kind, bool val);
/* A list of exact integers, e.g. histogram buckets; @vals is read before returning. */
void out_u64_array(struct out *out, const char *key, unsigned int kind,
		   const uint64_t *vals, size_t nr);
/* A rate or a duration; @kind's unit scales it in text like a count or bytes. */
void out_double(struct out *out, const char *key, unsigned int kind, double val);

/* The same, exported by metric formats as @metric describes (may be NULL). */
void out_str_metric(struct out *out, const char *key, unsigned int kind, const char *val,
		    const struct out_metric *metric);
void out_u64_metric(struct out *out, const char *key, unsigned int kind, uint64_t val,
		    const struct out_metric *metric);
void out_bool_metric(struct out *out, const char *key, unsigned int kind, bool val,
		     const struct out_metric *metric);
void out_double_metric(struct out *out, const char *key, unsigned int kind, double val,
		       const struct out_metric *metric);

#endif /* SKBSTAT_OUTPUT_H */
