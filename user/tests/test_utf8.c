// SPDX-License-Identifier: GPL-2.0
/*
 * UTF-8 for the machine formats: what is valid passes, every invalid byte
 * becomes U+FFFD, and JSON and OpenMetrics carry device names with any
 * bytes as valid UTF-8 (fuzz_output found both printing them raw).
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "output/utf8.h"
#include "test.h"

#define FFFD	"\xef\xbf\xbd"

TEST(valid_passes)
{
	static const char *const valid[] = {
		"", "eth0", "caf\xc3\xa9", "\xe2\x96\x88 bar", "\xf0\x9f\x90\xa7",
		"\xed\x9f\xbf", "\xf4\x8f\xbf\xbf",
	};
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		char *copy = utf8_repair(valid[i]);

		CHECK(utf8_valid(valid[i]));
		CHECK_STR(copy, valid[i]);
		free(copy);
	}
	return TEST_PASSED;
}

/* Each byte that starts no valid sequence is replaced, and only that byte. */
TEST(invalid_replaced)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\xff", FFFD },			/* never in UTF-8 */
		{ "a\xe2", "a" FFFD },			/* cut short at the end */
		{ "\xe2\x96x", FFFD FFFD "x" },		/* cut short before ASCII */
		{ "\xc0\xaf", FFFD FFFD },		/* overlong '/' */
		{ "\xe0\x80\xaf", FFFD FFFD FFFD },	/* overlong, 3 bytes */
		{ "\xed\xa0\x80", FFFD FFFD FFFD },	/* a UTF-16 surrogate */
		{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },	/* above U+10FFFF */
		{ "\x80\xc3\xa9", FFFD "\xc3\xa9" },	/* a stray continuation */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *copy = utf8_repair(cases[i].in);

		CHECK(!utf8_valid(cases[i].in));
		CHECK_STR(copy, cases[i].out);
		free(copy);
	}
	return TEST_PASSED;
}

static int emit_dev(struct out *out, const void *ctx)
{
	static const struct out_metric metric = { "things_total", "Things." };

	out_table_begin(out, "things");
	out_row_begin(out);
	out_str(out, "dev", OUT_LABEL, ctx);
	out_u64_metric(out, "n", OUT_COUNTER, UINT64_MAX, &metric);
	out_row_end(out);
	out_table_end(out);
	return 0;
}

/* The input fuzz_output first failed on: a hook name cut in mid-character. */
TEST(json_device_names_are_utf8)
{
	char *text = out_render(OUT_FORMAT_JSON, emit_dev, "ev\xe2il\xff\x1b");
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = NULL, *things, *dev;

	CHECK(text && tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tok, text, strlen(text));
	json_tokener_free(tok);
	free(text);
	CHECK(doc);
	CHECK(json_object_object_get_ex(doc, "things", &things));
	CHECK(json_object_object_get_ex(json_object_array_get_idx(things, 0), "dev", &dev));
	CHECK_STR(json_object_get_string(dev), "ev" FFFD "il" FFFD "\x1b");
	json_object_put(doc);
	return TEST_PASSED;
}

TEST(openmetrics_device_names_are_utf8)
{
	char *text = out_render(OUT_FORMAT_OPENMETRICS, emit_dev, "ev\xe2il\"\xff");

	CHECK_STR(text,
		  "# HELP things_total Things.\n"
		  "# TYPE things_total counter\n"
		  "things_total{dev=\"ev" FFFD "il\\\"" FFFD "\"} 18446744073709551615\n"
		  "# EOF\n");
	free(text);
	return TEST_PASSED;
}
