// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every case TEST() registered in any linked file and ends with
 * "N passed, N failed" (", N skipped" when some could not run here), exiting
 * non-zero when anything failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

struct test_env test_env;

/* The runner, no cases of its own. */
TEST_NO_CASES();

/* Defined by the linker around the sections TEST() and test.h fill; see test.h. */
extern const struct test_case *const __start_skbstat_test_cases[];
extern const struct test_case *const __stop_skbstat_test_cases[];
extern const char *const __start_skbstat_test_files[];
extern const char *const __stop_skbstat_test_files[];
extern const char *const __start_skbstat_test_no_cases[];
extern const char *const __stop_skbstat_test_no_cases[];

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

/* Link order is no order the reader chose: run file by file, top to bottom. */
static int case_cmp(const void *a, const void *b)
{
	const struct test_case *x = *(const struct test_case *const *)a;
	const struct test_case *y = *(const struct test_case *const *)b;
	int diff = strcmp(x->file, y->file);

	if (diff)
		return diff;
	return (x->line > y->line) - (x->line < y->line);
}

/* test_view_rows.c holds the suite view_rows. */
static void suite_name(const char *file, char *buf, size_t size)
{
	const char *base = strrchr(file, '/');
	size_t len;

	base = base ? base + 1 : file;
	if (!strncmp(base, "test_", 5))
		base += 5;
	len = strcspn(base, ".");
	snprintf(buf, size, "%.*s", (int)len, base);
}

static size_t count_cases(const struct test_case *const *cases, size_t nr, const char *file)
{
	size_t i, n = 0;

	for (i = 0; i < nr; i++)
		n += !strcmp(cases[i]->file, file);
	return n;
}

static bool has_no_cases_mark(const char *file)
{
	const char *const *p;

	for (p = __start_skbstat_test_no_cases; p < __stop_skbstat_test_no_cases; p++)
		if (!strcmp(*p, file))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int counts[3] = { 0 };
	static const char *const labels[] = { "ok  ", "FAIL", "skip" };
	const struct test_case **cases;
	const char *const *file;
	size_t i, nr;

	parse_args(argc, argv);
	nr = __stop_skbstat_test_cases - __start_skbstat_test_cases;
	cases = calloc(nr, sizeof(*cases));
	if (!cases) {
		perror("calloc");
		return 1;
	}
	memcpy(cases, __start_skbstat_test_cases, nr * sizeof(*cases));
	qsort(cases, nr, sizeof(*cases), case_cmp);

	test_env.have_jq = system("command -v jq >/dev/null 2>&1") == 0;
	if (!test_env.have_jq)
		printf("note: jq not installed, JSON goldens are compared but not validated\n");
	test_env.have_promtool = system("command -v promtool >/dev/null 2>&1") == 0;
	if (!test_env.have_promtool)
		printf("note: promtool not installed (Debian package prometheus), OpenMetrics "
		       "goldens are compared but not validated\n");

	/*
	 * A linked file without a case is a test that never runs, unless it
	 * says it holds only helpers: count it as a failure, so make check fails.
	 */
	for (file = __start_skbstat_test_files; file < __stop_skbstat_test_files; file++) {
		size_t n = count_cases(cases, nr, *file);

		if (!n && !has_no_cases_mark(*file)) {
			printf("FAIL %s: registers no test case (TEST_NO_CASES() if on purpose)\n",
			       *file);
			counts[TEST_FAILED]++;
		} else if (n && has_no_cases_mark(*file)) {
			printf("FAIL %s: TEST_NO_CASES() but registers %zu\n", *file, n);
			counts[TEST_FAILED]++;
		}
	}

	for (i = 0; i < nr; i++) {
		enum test_result result = cases[i]->run();
		char suite[64];

		/* It indexes labels[] and counts[]: anything else is a failure. */
		if ((unsigned int)result > TEST_SKIPPED) {
			printf("     %s: returned %d\n", cases[i]->name, (int)result);
			result = TEST_FAILED;
		}
		suite_name(cases[i]->file, suite, sizeof(suite));
		printf("%s %s/%s\n", labels[result], suite, cases[i]->name);
		fflush(stdout);
		counts[result]++;
	}
	free(cases);

	printf("%u passed, %u failed", counts[TEST_PASSED], counts[TEST_FAILED]);
	if (counts[TEST_SKIPPED])
		printf(", %u skipped", counts[TEST_SKIPPED]);
	printf("\n");
	return counts[TEST_FAILED] ? 1 : 0;
}
