// SPDX-License-Identifier: GPL-2.0
/*
 * Text renderer: aligned columns sized to fit the data, like ss(8) and
 * ip(8).  A table is buffered until its end because the width of a column
 * is only known once every row has been seen.  Widths count characters,
 * not bytes, so UTF-8 cells (histogram bars) line up too.  Numbers with a
 * unit are scaled for people ("1.2K", "35MB"); JSON keeps them exact.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output/output_renderer.h"
#include "output/units.h"
#include "util.h"

#define COLUMN_GAP	"  "

struct text_column {
	const char *key;
	char *header;			/* the key in upper case */
	bool right_aligned;		/* numbers are, words are not */
	bool sparse;			/* OUT_SPARSE: hidden when no row has a value */
	bool has_value;
	size_t width;
};

struct text_renderer {
	struct out_renderer base;

	struct text_column *columns;
	size_t nr_columns;
	bool columns_known;		/* from a schema row or the first row */
	bool in_table;
	bool in_schema;

	char **cells;			/* row-major, nr_columns per row */
	size_t nr_cells;
	size_t cap_cells;
	size_t row_field;		/* next column to fill in this row */

	bool printed_anything;
	bool last_was_table;		/* a blank line separates blocks */
};

static struct text_renderer *to_text(struct out_renderer *r)
{
	return container_of(r, struct text_renderer, base);
}

/*
 * Display columns of UTF-8 @text, counted as characters: right for the
 * narrow characters this tool prints (ASCII, block elements).
 */
static size_t text_width(const char *text)
{
	size_t width = 0;

	for (; *text; text++)
		if (((unsigned char)*text & 0xc0) != 0x80)
			width++;
	return width;
}

/* "1,2,3": arrays are for machines, but text must still show them whole. */
static char *format_array(const uint64_t *vals, size_t nr)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (i = 0; i < nr; i++)
		fprintf(f, "%s%" PRIu64, i ? "," : "", vals[i]);
	if (!nr)
		fputc('-', f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static char *format_u64(const struct out_field *field)
{
	char buf[UNITS_BUF_LEN];

	switch (field->kind & OUT_UNIT_MASK) {
	case OUT_UNIT_COUNT:
		return strdup(units_count(field->u64, buf));
	case OUT_UNIT_BYTES:
		return strdup(units_bytes(field->u64, buf));
	}
	snprintf(buf, sizeof(buf), "%" PRIu64, field->u64);
	return strdup(buf);
}

static char *format_double(const struct out_field *field)
{
	char buf[UNITS_BUF_LEN];

	switch (field->kind & OUT_UNIT_MASK) {
	case OUT_UNIT_COUNT:
		return strdup(units_count_rate(field->dbl, buf));
	case OUT_UNIT_BYTES:
		return strdup(units_bytes_rate(field->dbl, buf));
	}
	snprintf(buf, sizeof(buf), "%.2f", field->dbl);
	return strdup(buf);
}

/* What an unknown value shows: "-", or nothing in a sparse column. */
static const char *unknown_text(const struct out_field *field)
{
	return field->kind & OUT_SPARSE ? "" : "-";
}

/*
 * Strings from the kernel (device names may hold any byte but '/', ':' and
 * white space) reach a terminal: control bytes and backslashes are shown
 * as \xNN, so that a name cannot move the cursor, recolour the screen or
 * pass for another.
 */
static char *escape_text(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t len = 1;
	char *out, *o;

	for (p = (const unsigned char *)s; *p; p++)
		len += *p < 0x20 || *p == 0x7f || *p == '\\' ? 4 : 1;
	out = malloc(len);
	if (!out)
		return NULL;
	for (o = out, p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\') {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0xf];
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static char *format_value(const struct out_field *field)
{
	char *text = NULL;

	switch (field->type) {
	case OUT_VALUE_STR:
		text = escape_text(field->str && field->str[0] ? field->str : unknown_text(field));
		break;
	case OUT_VALUE_U64:
		text = format_u64(field);
		break;
	case OUT_VALUE_DOUBLE:
		text = format_double(field);
		break;
	case OUT_VALUE_BOOL:
		text = strdup(field->boolean ? "yes" : "no");
		break;
	case OUT_VALUE_U64_ARRAY:
		text = format_array(field->array.vals, field->array.nr);
		break;
	}
	return text;
}

static void free_table(struct text_renderer *t)
{
	size_t i;

	for (i = 0; i < t->nr_cells; i++)
		free(t->cells[i]);
	for (i = 0; i < t->nr_columns; i++)
		free(t->columns[i].header);
	free(t->cells);
	free(t->columns);
	t->cells = NULL;
	t->columns = NULL;
	t->nr_cells = 0;
	t->cap_cells = 0;
	t->nr_columns = 0;
	t->columns_known = false;
}

static int add_column(struct text_renderer *t, const struct out_field *field)
{
	struct text_column *grown, *col;
	size_t i;

	grown = reallocarray(t->columns, t->nr_columns + 1, sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	t->columns = grown;
	col = &t->columns[t->nr_columns];
	col->header = strdup(field->key);
	if (!col->header)
		return -ENOMEM;
	for (i = 0; col->header[i]; i++)
		col->header[i] = toupper((unsigned char)col->header[i]);
	col->key = field->key;
	col->right_aligned = field->type == OUT_VALUE_U64 || field->type == OUT_VALUE_DOUBLE;
	col->sparse = field->kind & OUT_SPARSE;
	col->has_value = false;
	col->width = strlen(col->header);
	t->nr_columns++;
	return 0;
}

static int add_cell(struct text_renderer *t, const struct out_field *field)
{
	struct text_column *col;
	char *text;

	if (t->row_field >= t->nr_columns ||
	    strcmp(t->columns[t->row_field].key, field->key)) {
		fprintf(stderr, "skbstat: internal error: field '%s' is not the next column\n",
			field->key);
		return -EINVAL;
	}
	if (t->nr_cells == t->cap_cells) {
		size_t cap = t->cap_cells ? t->cap_cells * 2 : 64;
		char **grown = reallocarray(t->cells, cap, sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		t->cells = grown;
		t->cap_cells = cap;
	}
	text = format_value(field);
	if (!text)
		return -ENOMEM;
	col = &t->columns[t->row_field++];
	if (text_width(text) > col->width)
		col->width = text_width(text);
	if (*text)
		col->has_value = true;
	t->cells[t->nr_cells++] = text;
	return 0;
}

static void start_block(struct text_renderer *t, bool is_table)
{
	FILE *f = t->base.stream;

	if (t->printed_anything && (is_table || t->last_was_table))
		fputc('\n', f);
	t->printed_anything = true;
	t->last_was_table = is_table;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static bool column_shown(const struct text_column *col)
{
	return !col->sparse || col->has_value;
}

/*
 * Left-aligned cells are padded only up to the last non-empty cell, so
 * lines carry no trailing blanks.
 */
static void print_line(struct text_renderer *t, char *const *texts)
{
	FILE *f = t->base.stream;
	size_t i, last = 0;
	bool first = true;

	for (i = 0; i < t->nr_columns; i++)
		if (column_shown(&t->columns[i]) && *texts[i])
			last = i;
	for (i = 0; i <= last; i++) {
		const struct text_column *col = &t->columns[i];
		size_t fill = col->width - text_width(texts[i]);

		if (!column_shown(col))
			continue;
		if (!first)
			fputs(COLUMN_GAP, f);
		first = false;
		if (col->right_aligned)
			pad(f, fill);
		fputs(texts[i], f);
		if (i < last && !col->right_aligned)
			pad(f, fill);
	}
	fputc('\n', f);
}

static int text_table_begin(struct out_renderer *r, const char *name)
{
	struct text_renderer *t = to_text(r);

	(void)name;	/* text shows no table names; the command implies them */
	free_table(t);
	t->in_table = true;
	return 0;
}

static int text_table_end(struct out_renderer *r)
{
	struct text_renderer *t = to_text(r);
	char **headers;
	size_t i;

	t->in_table = false;
	if (!t->nr_columns)
		return 0;
	headers = calloc(t->nr_columns, sizeof(*headers));
	if (!headers)
		return -ENOMEM;
	for (i = 0; i < t->nr_columns; i++)
		headers[i] = t->columns[i].header;

	start_block(t, true);
	print_line(t, headers);
	for (i = 0; i < t->nr_cells; i += t->nr_columns)
		print_line(t, &t->cells[i]);

	free(headers);
	free_table(t);
	return 0;
}

static int text_schema_begin(struct out_renderer *r)
{
	to_text(r)->in_schema = true;
	return 0;
}

static int text_schema_end(struct out_renderer *r)
{
	struct text_renderer *t = to_text(r);

	t->in_schema = false;
	t->columns_known = true;
	return 0;
}

static int text_row_begin(struct out_renderer *r)
{
	to_text(r)->row_field = 0;
	return 0;
}

static int text_row_end(struct out_renderer *r)
{
	struct text_renderer *t = to_text(r);

	t->columns_known = true;
	if (t->row_field != t->nr_columns) {
		fprintf(stderr, "skbstat: internal error: row has %zu of %zu columns\n",
			t->row_field, t->nr_columns);
		return -EINVAL;
	}
	return 0;
}

static int text_document_field(struct text_renderer *t, const struct out_field *field)
{
	char *text = format_value(field);

	if (!text)
		return -ENOMEM;
	start_block(t, false);
	fprintf(t->base.stream, "%s: %s\n", field->key, text);
	free(text);
	return 0;
}

static int text_field(struct out_renderer *r, const struct out_field *field)
{
	struct text_renderer *t = to_text(r);
	int err;

	if (!t->in_table)
		return text_document_field(t, field);
	if (t->in_schema)
		return add_column(t, field);
	if (!t->columns_known) {
		/* No schema: the first row defines the columns as it goes. */
		err = add_column(t, field);
		if (err)
			return err;
	}
	return add_cell(t, field);
}

static int text_finish(struct out_renderer *r)
{
	(void)r;
	return 0;
}

static void text_destroy(struct out_renderer *r)
{
	free_table(to_text(r));
	free(r);
}

static const struct out_renderer_ops text_ops = {
	.for_humans	= true,
	.table_begin	= text_table_begin,
	.table_end	= text_table_end,
	.schema_begin	= text_schema_begin,
	.schema_end	= text_schema_end,
	.row_begin	= text_row_begin,
	.row_end	= text_row_end,
	.field		= text_field,
	.finish		= text_finish,
	.destroy	= text_destroy,
};

struct out_renderer *out_text_new(FILE *stream)
{
	struct text_renderer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->base.ops = &text_ops;
	t->base.stream = stream;
	return &t->base;
}
