// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every unit test and ends with "N passed, N failed" (", N skipped"
 * when some could not run here), exiting non-zero when anything failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "util.h"

struct test_env test_env;

static const struct {
	const char *suite;
	const struct test_case *cases;
} suites[] = {
	{ "group",	group_tests },
	{ "output",	output_tests },
	{ "view",	view_tests },
	{ "view",	view_rows_tests },
	{ "histogram",	histogram_tests },
	{ "filter",	filter_tests },
	{ "kmod_parse",	kmod_parse_tests },
	{ "kmod_parse",	kmod_parse_rows_tests },
	{ "genl_client", genl_client_tests },
	{ "cli",	cli_tests },
	{ "openmetrics", openmetrics_tests },
	{ "delta",	delta_tests },
	{ "units",	units_tests },
	{ "top",	top_tests },
};

static void usage_exit(const char *prog)
{
	fprintf(stderr, "usage: %s --binary PATH --golden DIR --scratch DIR [--update-golden]\n",
		prog);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option options[] = {
		{ "binary", required_argument, NULL, 'b' },
		{ "golden", required_argument, NULL, 'g' },
		{ "scratch", required_argument, NULL, 's' },
		{ "update-golden", no_argument, NULL, 'u' },
		{ 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'b':
			test_env.binary = optarg;
			break;
		case 'g':
			test_env.golden_dir = optarg;
			break;
		case 's':
			test_env.scratch_dir = optarg;
			break;
		case 'u':
			test_env.update_golden = true;
			break;
		default:
			usage_exit(argv[0]);
		}
	}
	if (!test_env.binary || !test_env.golden_dir || !test_env.scratch_dir)
		usage_exit(argv[0]);
}

int main(int argc, char **argv)
{
	unsigned int counts[3] = { 0 };
	static const char *const labels[] = { "ok  ", "FAIL", "skip" };
	size_t s;

	parse_args(argc, argv);
	test_env.have_jq = system("command -v jq >/dev/null 2>&1") == 0;
	if (!test_env.have_jq)
		printf("note: jq not installed, JSON goldens are compared but not validated\n");
	test_env.have_promtool = system("command -v promtool >/dev/null 2>&1") == 0;
	if (!test_env.have_promtool)
		printf("note: promtool not installed (Debian package prometheus), OpenMetrics "
		       "goldens are compared but not validated\n");

	for (s = 0; s < ARRAY_SIZE(suites); s++) {
		const struct test_case *tc;

		for (tc = suites[s].cases; tc->name; tc++) {
			enum test_result result = tc->run();

			printf("%s %s/%s\n", labels[result], suites[s].suite, tc->name);
			fflush(stdout);
			counts[result]++;
		}
	}

	printf("%u passed, %u failed", counts[TEST_PASSED], counts[TEST_FAILED]);
	if (counts[TEST_SKIPPED])
		printf(", %u skipped", counts[TEST_SKIPPED]);
	printf("\n");
	return counts[TEST_FAILED] ? 1 : 0;
}
