// SPDX-License-Identifier: GPL-2.0
/*
 * The binary itself: usage errors exit 2 before anything touches the
 * kernel, runtime errors exit 1 and say what to do.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

/* Run with @args; check the exit code and that stderr mentions @needle. */
static enum test_result expect_exit(const char *const *args, int code, const char *needle)
{
	char *out = NULL, *err = NULL;
	enum test_result result = TEST_PASSED;
	int got = run_binary(args, &out, &err);

	if (got != code) {
		test_note(__FILE__, __LINE__, "'%s ...' exited %d, expected %d; stderr: %s",
			  args[0] ? args[0] : "", got, code, err ? err : "");
		result = TEST_FAILED;
	} else if (needle && (!err || !strstr(err, needle))) {
		test_note(__FILE__, __LINE__, "stderr lacks \"%s\": %s", needle,
			  err ? err : "(none)");
		result = TEST_FAILED;
	}
	free(out);
	free(err);
	return result;
}

#define EXPECT_EXIT(code, needle, ...)						\
	do {									\
		const char *const args_[] = { __VA_ARGS__, NULL };		\
		if (expect_exit(args_, code, needle) != TEST_PASSED)		\
			return TEST_FAILED;					\
	} while (0)

static enum test_result unknown_command(void)
{
	EXPECT_EXIT(2, "unknown command 'frobnicate'", "frobnicate");
	EXPECT_EXIT(2, "no COMMAND", "-j");
	return TEST_PASSED;
}

static enum test_result bad_by_key(void)
{
	EXPECT_EXIT(2, "unknown key 'bogus'", "drops", "--by", "bogus");
	EXPECT_EXIT(2, "unknown key 'Reason'", "drops", "--by", "Reason");
	EXPECT_EXIT(2, "empty key", "drops", "--by", "reason,,dev");
	EXPECT_EXIT(2, "empty key", "drops", "--by=");
	return TEST_PASSED;
}

static enum test_result bad_top(void)
{
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "0");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "-1");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "ten");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "5x");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top",
		    "99999999999999999999999");
	return TEST_PASSED;
}

static enum test_result bad_output_format(void)
{
	EXPECT_EXIT(2, "unknown output format 'xml'", "-o", "xml", "status");
	EXPECT_EXIT(2, "unknown output format 'yaml'", "drops", "-o", "yaml");
	EXPECT_EXIT(2, "not supported yet", "-o", "openmetrics", "drops");
	return TEST_PASSED;
}

static enum test_result bad_backend_and_arguments(void)
{
	EXPECT_EXIT(2, "unknown backend 'ebpf'", "-b", "ebpf", "status");
	EXPECT_EXIT(2, NULL, "status", "extra");
	EXPECT_EXIT(2, NULL, "drops", "--no-such-option");
	return TEST_PASSED;
}

static enum test_result help_exits_zero(void)
{
	char *out = NULL, *err = NULL;
	const char *const top[] = { "--help", NULL };
	const char *const drops[] = { "drops", "--help", NULL };
	int code;

	code = run_binary(top, &out, &err);
	CHECK(code == 0);
	CHECK(out && strstr(out, "Examples:") && strstr(out, "drops"));
	free(out);
	free(err);
	code = run_binary(drops, &out, &err);
	CHECK(code == 0);
	CHECK(out && strstr(out, "--by") && strstr(out, "Examples:"));
	free(out);
	free(err);
	return TEST_PASSED;
}

static enum test_result bpf_not_built(void)
{
	EXPECT_EXIT(1, "the BPF backend is not built yet", "-b", "bpf", "status");
	EXPECT_EXIT(1, "the BPF backend is not built yet", "drops", "-b", "bpf");
	return TEST_PASSED;
}

/* Only meaningful where the module is absent, as on a build machine. */
static enum test_result module_not_loaded(void)
{
	if (access("/sys/module/skbstat", F_OK) == 0)
		return TEST_SKIPPED;
	EXPECT_EXIT(1, "modprobe skbstat", "status");
	EXPECT_EXIT(1, "the skbstat kernel module is not loaded", "-b", "kmod", "drops");
	return TEST_PASSED;
}

const struct test_case cli_tests[] = {
	{ "unknown_command", unknown_command },
	{ "bad_by_key", bad_by_key },
	{ "bad_top", bad_top },
	{ "bad_output_format", bad_output_format },
	{ "bad_backend_and_arguments", bad_backend_and_arguments },
	{ "help_exits_zero", help_exits_zero },
	{ "bpf_not_built", bpf_not_built },
	{ "module_not_loaded", module_not_loaded },
	{ NULL, NULL }
};
