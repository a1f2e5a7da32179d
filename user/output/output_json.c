// SPDX-License-Identifier: GPL-2.0
/*
 * JSON renderer: one top-level object per document, tables as arrays of
 * objects.  Counters stay exact 64-bit integers (json-c keeps uint64 as
 * such), so consumers never see doubles rounding large byte counts.  Rates
 * are the only fractions, with three decimals at most.  A stream of
 * documents (interval mode) is newline-delimited: one document per line.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "output/output_renderer.h"
#include "output/utf8.h"
#include "util.h"

struct json_renderer {
	struct out_renderer base;
	struct json_object *document;
	struct json_object *table;	/* borrowed from document */
	struct json_object *row;	/* owned until appended */
};

static struct json_renderer *to_json(struct out_renderer *r)
{
	return container_of(r, struct json_renderer, base);
}

static struct json_object *json_u64_array(const uint64_t *vals, size_t nr)
{
	struct json_object *array = json_object_new_array();
	struct json_object *item;
	size_t i;

	if (!array)
		return NULL;
	for (i = 0; i < nr; i++) {
		item = json_object_new_uint64(vals[i]);
		if (!item || json_object_array_add(array, item)) {
			json_object_put(item);
			json_object_put(array);
			return NULL;
		}
	}
	return array;
}

/* "12.5", "0.333", "7": what a person would write, not 0.33300000000000002. */
static struct json_object *json_rate(double val)
{
	char text[32];
	size_t len;

	if (!isfinite(val))
		val = 0;
	snprintf(text, sizeof(text), "%.3f", val);
	len = strlen(text);
	while (text[len - 1] == '0')
		text[--len] = '\0';
	if (text[len - 1] == '.')
		text[--len] = '\0';
	return json_object_new_double_s(strtod(text, NULL), text);
}

/* json-c escapes control bytes but copies any other byte: JSON must be UTF-8. */
static struct json_object *json_string(const char *str)
{
	struct json_object *value;
	char *repaired;

	if (utf8_valid(str))
		return json_object_new_string(str);
	repaired = utf8_repair(str);
	if (!repaired)
		return NULL;
	value = json_object_new_string(repaired);
	free(repaired);
	return value;
}

static struct json_object *json_value(const struct out_field *field)
{
	switch (field->type) {
	case OUT_VALUE_STR:
		/* json-c maps a NULL object to the literal null. */
		return field->str ? json_string(field->str) : NULL;
	case OUT_VALUE_U64:
		return json_object_new_uint64(field->u64);
	case OUT_VALUE_BOOL:
		return json_object_new_boolean(field->boolean);
	case OUT_VALUE_U64_ARRAY:
		return json_u64_array(field->array.vals, field->array.nr);
	case OUT_VALUE_DOUBLE:
		return json_rate(field->dbl);
	}
	return NULL;
}

/* Takes ownership of @value, also on failure. */
static int json_add(struct json_object *parent, const char *key, struct json_object *value)
{
	if (json_object_object_add(parent, key, value)) {
		json_object_put(value);
		return -ENOMEM;
	}
	return 0;
}

static int json_table_begin(struct out_renderer *r, const char *name)
{
	struct json_renderer *j = to_json(r);
	struct json_object *array = json_object_new_array();
	int err;

	if (!array)
		return -ENOMEM;
	err = json_add(j->document, name, array);
	if (err)
		return err;
	j->table = array;
	return 0;
}

static int json_table_end(struct out_renderer *r)
{
	to_json(r)->table = NULL;
	return 0;
}

static int json_row_begin(struct out_renderer *r)
{
	struct json_renderer *j = to_json(r);

	j->row = json_object_new_object();
	return j->row ? 0 : -ENOMEM;
}

static int json_row_end(struct out_renderer *r)
{
	struct json_renderer *j = to_json(r);
	struct json_object *row = j->row;

	j->row = NULL;
	if (json_object_array_add(j->table, row)) {
		json_object_put(row);
		return -ENOMEM;
	}
	return 0;
}

static int json_field(struct out_renderer *r, const struct out_field *field)
{
	struct json_renderer *j = to_json(r);
	struct json_object *value = json_value(field);

	if (!value && (field->type != OUT_VALUE_STR || field->str))
		return -ENOMEM;
	return json_add(j->row ? j->row : j->document, field->key, value);
}

static int json_finish(struct out_renderer *r)
{
	struct json_renderer *j = to_json(r);
	int style = JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_object *next;
	const char *text;

	if (r->flags & OUT_STREAM)
		style |= JSON_C_TO_STRING_PLAIN;
	else
		style |= JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;
	text = json_object_to_json_string_ext(j->document, style);
	if (!text)
		return -ENOMEM;
	if (fprintf(r->stream, "%s\n", text) < 0)
		return -EIO;
	/* The next document starts empty. */
	next = json_object_new_object();
	if (!next)
		return -ENOMEM;
	json_object_put(j->document);
	j->document = next;
	return 0;
}

static void json_destroy(struct out_renderer *r)
{
	struct json_renderer *j = to_json(r);

	json_object_put(j->row);
	json_object_put(j->document);
	free(j);
}

/* No schema callbacks: JSON objects name their own fields. */
static const struct out_renderer_ops json_ops = {
	.for_humans	= false,
	.table_begin	= json_table_begin,
	.table_end	= json_table_end,
	.row_begin	= json_row_begin,
	.row_end	= json_row_end,
	.field		= json_field,
	.finish		= json_finish,
	.destroy	= json_destroy,
};

struct out_renderer *out_json_new(FILE *stream)
{
	struct json_renderer *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->document = json_object_new_object();
	if (!j->document) {
		free(j);
		return NULL;
	}
	j->base.ops = &json_ops;
	j->base.stream = stream;
	return &j->base;
}
