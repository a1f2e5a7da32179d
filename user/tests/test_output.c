// SPDX-License-Identifier: GPL-2.0
/*
 * The output layer on its own: widths, alignment, audiences, exact
 * integers, and misuse being reported instead of printed wrongly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "output/output.h"
#include "test.h"

struct name_count {
	const char *name;
	uint64_t count;
};

static void emit_name_count(struct out *out, const struct name_count *row)
{
	out_str(out, "name", OUT_LABEL, row->name);
	out_u64(out, "count", OUT_COUNTER, row->count);
}

/* A two-column table; @rows ends with a NULL name. */
static int emit_table(struct out *out, const void *ctx)
{
	const struct name_count *rows = ctx, example = { 0 };

	out_table_begin(out, "things");
	out_schema_begin(out);
	emit_name_count(out, &example);
	out_schema_end(out);
	for (; rows->name; rows++) {
		out_row_begin(out);
		emit_name_count(out, rows);
		out_row_end(out);
	}
	out_table_end(out);
	return 0;
}

TEST(text_widths_fit_data)
{
	static const struct name_count rows[] = {
		{ "a", 1 }, { "longer-name", 123456 }, { NULL, 0 },
	};
	char *text = out_render(OUT_FORMAT_TEXT, emit_table, rows);

	/* NAME is as wide as "longer-name", COUNT as "123456"; numbers right. */
	CHECK_STR(text,
		  "NAME          COUNT\n"
		  "a                 1\n"
		  "longer-name  123456\n");
	free(text);
	return TEST_PASSED;
}

/* A device name with control bytes cannot drive the terminal. */
TEST(text_escapes_control_bytes)
{
	static const struct name_count rows[] = {
		{ "ev\x1b[2Jil\n\\", 1 }, { NULL, 0 },
	};
	char *text = out_render(OUT_FORMAT_TEXT, emit_table, rows);

	CHECK_STR(text,
		  "NAME                 COUNT\n"
		  "ev\\x1b[2Jil\\x0a\\x5c      1\n");
	free(text);
	return TEST_PASSED;
}

TEST(text_header_wider_than_data)
{
	static const struct name_count rows[] = { { "x", 7 }, { NULL, 0 } };
	char *text = out_render(OUT_FORMAT_TEXT, emit_table, rows);

	CHECK_STR(text,
		  "NAME  COUNT\n"
		  "x         7\n");
	free(text);
	return TEST_PASSED;
}

static int emit_last_column_string(struct out *out, const void *ctx)
{
	(void)ctx;
	out_table_begin(out, "t");
	out_row_begin(out);
	out_u64(out, "n", OUT_COUNTER, 1);
	out_str(out, "word", OUT_LABEL, "a");
	out_row_end(out);
	out_row_begin(out);
	out_u64(out, "n", OUT_COUNTER, 22);
	out_str(out, "word", OUT_LABEL, "longer");
	out_row_end(out);
	out_table_end(out);
	return 0;
}

/* Without a schema the first row defines the columns; no trailing blanks. */
TEST(text_last_column_unpadded)
{
	char *text = out_render(OUT_FORMAT_TEXT, emit_last_column_string, NULL);

	CHECK_STR(text,
		  " N  WORD\n"
		  " 1  a\n"
		  "22  longer\n");
	free(text);
	return TEST_PASSED;
}

TEST(text_empty_table_has_header)
{
	static const struct name_count rows[] = { { NULL, 0 } };
	char *text = out_render(OUT_FORMAT_TEXT, emit_table, rows);

	CHECK_STR(text, "NAME  COUNT\n");
	free(text);
	return TEST_PASSED;
}

TEST(json_empty_table_is_array)
{
	static const struct name_count rows[] = { { NULL, 0 } };
	char *text = out_render(OUT_FORMAT_JSON, emit_table, rows);
	struct json_object *doc, *things;

	CHECK(text);
	doc = json_tokener_parse(text);
	free(text);
	CHECK(doc);
	CHECK(json_object_object_get_ex(doc, "things", &things));
	CHECK(json_object_is_type(things, json_type_array));
	CHECK_U64(json_object_array_length(things), 0);
	json_object_put(doc);
	return TEST_PASSED;
}

static int emit_extremes(struct out *out, const void *ctx)
{
	(void)ctx;
	out_table_begin(out, "t");
	out_row_begin(out);
	out_u64(out, "max", OUT_COUNTER, UINT64_MAX);
	out_u64(out, "above_double", OUT_COUNTER, 9007199254740993ull);
	out_str(out, "unknown", OUT_LABEL, NULL);
	out_bool(out, "flag", OUT_GAUGE, true);
	out_row_end(out);
	out_table_end(out);
	return 0;
}

TEST(json_exact_integers_and_null)
{
	char *text = out_render(OUT_FORMAT_JSON, emit_extremes, NULL);

	CHECK(text);
	CHECK(strstr(text, "\"max\": 18446744073709551615"));
	CHECK(strstr(text, "\"above_double\": 9007199254740993"));
	CHECK(strstr(text, "\"unknown\": null"));
	CHECK(strstr(text, "\"flag\": true"));
	free(text);
	return TEST_PASSED;
}

TEST(text_unknown_and_bool)
{
	char *text = out_render(OUT_FORMAT_TEXT, emit_extremes, NULL);

	CHECK_STR(text,
		  "                 MAX      ABOVE_DOUBLE  UNKNOWN  FLAG\n"
		  "18446744073709551615  9007199254740993  -        yes\n");
	free(text);
	return TEST_PASSED;
}

static int emit_audiences(struct out *out, const void *ctx)
{
	(void)ctx;
	out_str(out, "summary", OUT_LABEL | OUT_HUMAN, "for people");
	out_str(out, "id", OUT_LABEL | OUT_MACHINE, "for programs");
	out_str(out, "both", OUT_LABEL, "everyone");
	return 0;
}

TEST(audiences_are_filtered)
{
	char *text = out_render(OUT_FORMAT_TEXT, emit_audiences, NULL);
	char *json = out_render(OUT_FORMAT_JSON, emit_audiences, NULL);

	CHECK_STR(text, "summary: for people\nboth: everyone\n");
	CHECK(json && !strstr(json, "for people"));
	CHECK(strstr(json, "\"id\": \"for programs\""));
	CHECK(strstr(json, "\"both\": \"everyone\""));
	free(text);
	free(json);
	return TEST_PASSED;
}

static int emit_field_outside_row(struct out *out, const void *ctx)
{
	(void)ctx;
	out_table_begin(out, "t");
	out_u64(out, "stray", OUT_COUNTER, 1);
	out_table_end(out);
	return 0;
}

static int emit_unbalanced(struct out *out, const void *ctx)
{
	(void)ctx;
	out_row_end(out);
	return 0;
}

static int emit_mismatched_row(struct out *out, const void *ctx)
{
	(void)ctx;
	out_table_begin(out, "t");
	out_row_begin(out);
	out_u64(out, "a", OUT_COUNTER, 1);
	out_row_end(out);
	out_row_begin(out);
	out_u64(out, "b", OUT_COUNTER, 1);
	out_row_end(out);
	out_table_end(out);
	return 0;
}

/* Bugs in a command must fail loudly, not print a skewed table. */
TEST(misuse_is_an_error)
{
	bool all_failed;
	int saved = stderr_mute();

	all_failed = !out_render(OUT_FORMAT_TEXT, emit_field_outside_row, NULL) &&
		     !out_render(OUT_FORMAT_JSON, emit_field_outside_row, NULL) &&
		     !out_render(OUT_FORMAT_TEXT, emit_unbalanced, NULL) &&
		     !out_render(OUT_FORMAT_TEXT, emit_mismatched_row, NULL);
	stderr_unmute(saved);
	CHECK(all_failed);
	return TEST_PASSED;
}

static int emit_wide_chars(struct out *out, const void *ctx)
{
	static const uint64_t hist[] = { 0, 9007199254740993ull, 2 };

	(void)ctx;
	out_table_begin(out, "t");
	out_row_begin(out);
	out_str(out, "bars", OUT_LABEL, "▁█");
	out_u64(out, "n", OUT_COUNTER, 1);
	out_u64_array(out, "hist", OUT_COUNTER, hist, 3);
	out_row_end(out);
	out_row_begin(out);
	out_str(out, "bars", OUT_LABEL, "▁▂▃▄▅");
	out_u64(out, "n", OUT_COUNTER, 22);
	out_u64_array(out, "hist", OUT_COUNTER, hist, 0);
	out_row_end(out);
	out_table_end(out);
	return 0;
}

/* Columns are as wide as their characters, not their UTF-8 bytes. */
TEST(text_utf8_widths)
{
	char *text = out_render(OUT_FORMAT_TEXT, emit_wide_chars, NULL);

	CHECK_STR(text,
		  "BARS    N  HIST\n"
		  "▁█      1  0,9007199254740993,2\n"
		  "▁▂▃▄▅  22  -\n");
	free(text);
	return TEST_PASSED;
}

TEST(json_arrays_exact)
{
	char *text = out_render(OUT_FORMAT_JSON, emit_wide_chars, NULL);
	struct json_object *doc, *rows, *hist;

	CHECK(text);
	doc = json_tokener_parse(text);
	free(text);
	CHECK(doc);
	CHECK(json_object_object_get_ex(doc, "t", &rows));
	CHECK(json_object_object_get_ex(json_object_array_get_idx(rows, 0), "hist", &hist));
	CHECK(json_object_is_type(hist, json_type_array));
	CHECK_U64(json_object_array_length(hist), 3);
	CHECK_U64(json_object_get_uint64(json_object_array_get_idx(hist, 1)),
		  9007199254740993ull);
	CHECK(json_object_object_get_ex(json_object_array_get_idx(rows, 1), "hist", &hist));
	CHECK_U64(json_object_array_length(hist), 0);
	json_object_put(doc);
	return TEST_PASSED;
}

TEST(format_names)
{
	enum out_format format = OUT_FORMAT_TEXT;

	CHECK(out_format_parse("json", &format) == 0);
	CHECK(format == OUT_FORMAT_JSON);
	CHECK(out_format_parse("text", &format) == 0);
	CHECK(format == OUT_FORMAT_TEXT);
	CHECK(out_format_parse("openmetrics", &format) == 0);
	CHECK(format == OUT_FORMAT_OPENMETRICS);
	CHECK(out_format_parse("xml", &format) == -EINVAL);
	CHECK(out_format_parse("JSON", &format) == -EINVAL);
	CHECK_STR(out_format_names(), "text, json, openmetrics");
	return TEST_PASSED;
}
