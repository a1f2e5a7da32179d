/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the output front end (output.c) and one format.
 * output.c checks the call order and filters fields by audience, so a
 * renderer only turns well-formed events into bytes.
 */
#ifndef SKBSTAT_OUTPUT_RENDERER_H
#define SKBSTAT_OUTPUT_RENDERER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output/output.h"

enum out_value_type {
	OUT_VALUE_STR,
	OUT_VALUE_U64,
	OUT_VALUE_BOOL,
	OUT_VALUE_U64_ARRAY,
	OUT_VALUE_DOUBLE,
};

struct out_field {
	const char *key;
	unsigned int kind;		/* enum out_kind */
	const struct out_metric *metric;	/* NULL: none given */
	enum out_value_type type;
	union {
		const char *str;	/* NULL: unknown */
		uint64_t u64;
		bool boolean;
		struct {
			const uint64_t *vals;
			size_t nr;
		} array;
		double dbl;
	};
};

struct out_renderer;

/*
 * Every callback returns 0 or -errno.  schema_begin/schema_end are optional:
 * a renderer without them never sees schema rows.
 */
struct out_renderer_ops {
	bool for_humans;		/* picks OUT_HUMAN or OUT_MACHINE fields */
	bool totals_only;		/* see out_wants_totals() */
	int (*table_begin)(struct out_renderer *r, const char *name);
	int (*table_end)(struct out_renderer *r);
	int (*schema_begin)(struct out_renderer *r);
	int (*schema_end)(struct out_renderer *r);
	int (*row_begin)(struct out_renderer *r);
	int (*row_end)(struct out_renderer *r);
	/* In a row, a schema row or at document level outside any table. */
	int (*field)(struct out_renderer *r, const struct out_field *field);
	/* Ends one document; more may follow on the same renderer. */
	int (*finish)(struct out_renderer *r);
	void (*destroy)(struct out_renderer *r);
};

/* Embedded first in each renderer's private state. */
struct out_renderer {
	const struct out_renderer_ops *ops;
	FILE *stream;
	unsigned int flags;		/* enum out_flags */
};

struct out_renderer *out_text_new(FILE *stream);
struct out_renderer *out_json_new(FILE *stream);
struct out_renderer *out_openmetrics_new(FILE *stream);
struct out_renderer *out_prometheus_text_new(FILE *stream);
struct out_renderer *out_openmetrics_1_new(FILE *stream);

#endif /* SKBSTAT_OUTPUT_RENDERER_H */
