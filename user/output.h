/* SPDX-License-Identifier: GPL-2.0 */
/*
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
};

/*
 * What a field means, so metric formats know labels from samples, and which
 * audience it is for.  Combine one role with at most one audience flag.
 */
enum out_kind {
	OUT_LABEL	= 0,		/* identifies the row: reason, dev, ... */
	OUT_COUNTER	= 1,		/* only ever grows: packets, bytes */
	OUT_GAUGE	= 2,		/* goes up and down: rows in use */
	OUT_ROLE_MASK	= 3,

	/* Only for machine formats; text shows the same fact another way. */
	OUT_MACHINE	= 1 << 4,
	/* Only for people; machine formats carry it in separate fields. */
	OUT_HUMAN	= 1 << 5,
};

struct out;

/*
 * Look up a format by name.  Returns -EINVAL for an unknown name and
 * -EOPNOTSUPP for a format that is planned but has no renderer yet.
 */
int out_format_parse(const char *name, enum out_format *format);

/* A list of the names out_format_parse() knows, for messages. */
const char *out_format_names(void);

/* Returns NULL with errno set on failure. */
struct out *out_new(enum out_format format, FILE *stream);

/* Write whatever the format buffered; returns the first error seen, or 0. */
int out_finish(struct out *out);

void out_free(struct out *out);

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

#endif /* SKBSTAT_OUTPUT_H */
