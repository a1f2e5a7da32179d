// SPDX-License-Identifier: GPL-2.0
/*
 * Output front end: checks that commands emit tables in a sane order, drops
 * fields meant for the other audience and hands the rest to the renderer.
 * Keeping these rules here means each renderer stays a plain translator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/output.h"
#include "output/output_renderer.h"
#include "util.h"

enum out_level {
	OUT_AT_DOCUMENT,
	OUT_IN_TABLE,
	OUT_IN_ROW,
	OUT_IN_SCHEMA,
};

struct out {
	struct out_renderer *renderer;
	enum out_level level;
	int err;			/* first failure, sticky */
};

static const struct {
	const char *name;
	enum out_format format;
	struct out_renderer *(*create)(FILE *stream);
} out_formats[] = {
	{ "text",		OUT_FORMAT_TEXT,	out_text_new },
	{ "json",		OUT_FORMAT_JSON,	out_json_new },
	{ "openmetrics",	OUT_FORMAT_OPENMETRICS,	out_openmetrics_new },
	{ NULL,			OUT_FORMAT_PROMETHEUS_TEXT, out_prometheus_text_new },
	{ NULL,			OUT_FORMAT_OPENMETRICS_1, out_openmetrics_1_new },
};

int out_format_parse(const char *name, enum out_format *format)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(out_formats); i++) {
		if (!out_formats[i].name || strcmp(name, out_formats[i].name))
			continue;
		*format = out_formats[i].format;
		return 0;
	}
	return -EINVAL;
}

const char *out_format_names(void)
{
	static char names[64];
	size_t i, len = 0;

	if (names[0])
		return names;
	for (i = 0; i < ARRAY_SIZE(out_formats); i++) {
		if (!out_formats[i].create || !out_formats[i].name)
			continue;
		len += snprintf(names + len, sizeof(names) - len, "%s%s",
				len ? ", " : "", out_formats[i].name);
		if (len >= sizeof(names))
			break;
	}
	return names;
}

struct out *out_new(enum out_format format, FILE *stream, unsigned int flags)
{
	struct out *out;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(out_formats); i++)
		if (out_formats[i].format == format)
			break;
	if (i == ARRAY_SIZE(out_formats)) {
		errno = EOPNOTSUPP;
		return NULL;
	}

	out = calloc(1, sizeof(*out));
	if (!out)
		return NULL;
	out->renderer = out_formats[i].create(stream);
	if (!out->renderer) {
		free(out);
		return NULL;
	}
	out->renderer->flags = flags;
	return out;
}

void out_free(struct out *out)
{
	if (!out)
		return;
	out->renderer->ops->destroy(out->renderer);
	free(out);
}

static void out_fail(struct out *out, int err)
{
	if (!out->err)
		out->err = err;
}

/* Move from level @from to @to, or record misuse and refuse. */
static bool out_step(struct out *out, enum out_level from, enum out_level to)
{
	if (out->err)
		return false;
	if (out->level != from) {
		fprintf(stderr, "skbstat: internal error: output calls out of order\n");
		out_fail(out, -EINVAL);
		return false;
	}
	out->level = to;
	return true;
}

static void out_call(struct out *out, int (*fn)(struct out_renderer *r))
{
	if (fn)
		out_fail(out, fn(out->renderer));
}

void out_table_begin(struct out *out, const char *name)
{
	if (out_step(out, OUT_AT_DOCUMENT, OUT_IN_TABLE))
		out_fail(out, out->renderer->ops->table_begin(out->renderer, name));
}

void out_table_end(struct out *out)
{
	if (out_step(out, OUT_IN_TABLE, OUT_AT_DOCUMENT))
		out_call(out, out->renderer->ops->table_end);
}

void out_schema_begin(struct out *out)
{
	if (out_step(out, OUT_IN_TABLE, OUT_IN_SCHEMA))
		out_call(out, out->renderer->ops->schema_begin);
}

void out_schema_end(struct out *out)
{
	if (out_step(out, OUT_IN_SCHEMA, OUT_IN_TABLE))
		out_call(out, out->renderer->ops->schema_end);
}

void out_row_begin(struct out *out)
{
	if (out_step(out, OUT_IN_TABLE, OUT_IN_ROW))
		out_call(out, out->renderer->ops->row_begin);
}

void out_row_end(struct out *out)
{
	if (out_step(out, OUT_IN_ROW, OUT_IN_TABLE))
		out_call(out, out->renderer->ops->row_end);
}

static bool out_field_wanted(const struct out *out, const struct out_field *field)
{
	const struct out_renderer_ops *ops = out->renderer->ops;

	if (out->err)
		return false;
	if (out->level == OUT_IN_SCHEMA && !ops->schema_begin)
		return false;
	if (field->kind & (ops->for_humans ? OUT_MACHINE : OUT_HUMAN))
		return false;
	return true;
}

static void out_field(struct out *out, const struct out_field *field)
{
	if (out->level == OUT_IN_TABLE) {
		fprintf(stderr, "skbstat: internal error: field '%s' outside a row\n",
			field->key);
		out_fail(out, -EINVAL);
		return;
	}
	if (out_field_wanted(out, field))
		out_fail(out, out->renderer->ops->field(out->renderer, field));
}

void out_str_metric(struct out *out, const char *key, unsigned int kind, const char *val,
		    const struct out_metric *metric)
{
	struct out_field field = {
		.key = key, .kind = kind, .metric = metric, .type = OUT_VALUE_STR, .str = val,
	};

	out_field(out, &field);
}

void out_u64_metric(struct out *out, const char *key, unsigned int kind, uint64_t val,
		    const struct out_metric *metric)
{
	struct out_field field = {
		.key = key, .kind = kind, .metric = metric, .type = OUT_VALUE_U64, .u64 = val,
	};

	out_field(out, &field);
}

void out_bool_metric(struct out *out, const char *key, unsigned int kind, bool val,
		     const struct out_metric *metric)
{
	struct out_field field = {
		.key = key, .kind = kind, .metric = metric, .type = OUT_VALUE_BOOL,
		.boolean = val,
	};

	out_field(out, &field);
}

void out_str(struct out *out, const char *key, unsigned int kind, const char *val)
{
	out_str_metric(out, key, kind, val, NULL);
}

void out_u64(struct out *out, const char *key, unsigned int kind, uint64_t val)
{
	out_u64_metric(out, key, kind, val, NULL);
}

void out_bool(struct out *out, const char *key, unsigned int kind, bool val)
{
	out_bool_metric(out, key, kind, val, NULL);
}

void out_double_metric(struct out *out, const char *key, unsigned int kind, double val,
		       const struct out_metric *metric)
{
	struct out_field field = {
		.key = key, .kind = kind, .metric = metric, .type = OUT_VALUE_DOUBLE, .dbl = val,
	};

	out_field(out, &field);
}

void out_double(struct out *out, const char *key, unsigned int kind, double val)
{
	out_double_metric(out, key, kind, val, NULL);
}

void out_u64_array(struct out *out, const char *key, unsigned int kind,
		   const uint64_t *vals, size_t nr)
{
	struct out_field field = {
		.key = key, .kind = kind, .type = OUT_VALUE_U64_ARRAY,
		.array = { .vals = vals, .nr = nr },
	};

	out_field(out, &field);
}

bool out_wants_totals(const struct out *out)
{
	return out->renderer->ops->totals_only;
}

int out_finish(struct out *out)
{
	if (out_step(out, OUT_AT_DOCUMENT, OUT_AT_DOCUMENT))
		out_call(out, out->renderer->ops->finish);
	if (!out->err && fflush(out->renderer->stream))
		out_fail(out, -errno);
	return out->err;
}

char *out_render(enum out_format format, int (*emit)(struct out *out, const void *ctx),
		 const void *ctx)
{
	char *text = NULL;
	size_t len = 0;
	struct out *out;
	FILE *mem;
	int err;

	mem = open_memstream(&text, &len);
	if (!mem)
		return NULL;
	out = out_new(format, mem, 0);
	if (!out) {
		fclose(mem);
		free(text);
		return NULL;
	}
	err = emit(out, ctx);
	if (!err)
		err = out_finish(out);
	out_free(out);
	if (fclose(mem) || err) {
		free(text);
		return NULL;
	}
	return text;
}
