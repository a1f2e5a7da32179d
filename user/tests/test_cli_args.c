// SPDX-License-Identifier: GPL-2.0
/*
 * Option values parsed in this process, with argp told not to exit (as
 * fuzz_cli_args runs them): a bad value is reported and leaves the
 * setting as it was.
 */
#include <argp.h>
#include <string.h>

#include "cli/cli.h"
#include "serve/serve.h"
#include "test.h"

/* fuzz_cli_args: "-i 00.060" stored 0.06 before saying it is too short. */
TEST(bad_interval_stored_nowhere)
{
	static const char *const bad[] = { "00.060", "0.05", "86401", "1.2345", "x", "" };
	struct argp_state state = { .flags = ARGP_SILENT };
	double seconds = 2;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cli_parse_seconds(&state, "-i", bad[i], &seconds);
		if (seconds != 2)
			TEST_FAIL("-i '%s' set %g", bad[i], seconds);
	}
	cli_parse_seconds(&state, "-i", "0.125", &seconds);
	CHECK(seconds == 0.125);
	return TEST_PASSED;
}

/* A usage error found after argp is a return value, not an exit. */
TEST(parse_without_exit)
{
	char arg0[] = "reset", opt[] = "-i", value[] = "1", table[] = "drops";
	char *argv[] = { arg0, opt, value, table, NULL };
	struct cli cli = { .backend = "auto" };
	long args[32] = { 0 };	/* room and alignment for any command's own */

	CHECK(cli_parse_command_flags(cli_find_command("reset"), &cli, 4, argv, args,
				      ARGP_SILENT) == CLI_ERR_USAGE);
	return TEST_PASSED;
}

/* fuzz_cli_args: a 17th --listen was stored past the end of the array. */
TEST(seventeen_listens_stored_nowhere)
{
	char arg0[] = "serve", opt[] = "--listen=:1";
	char *argv[SERVE_MAX_LISTEN + 3] = { arg0 };
	struct cli cli = { .backend = "auto" };
	struct {
		struct serve_config config;
		long guard[8];	/* what a 17th would have overwritten */
	} args;
	int i;

	memset(&args, 0, sizeof(args));
	for (i = 1; i <= SERVE_MAX_LISTEN + 1; i++)
		argv[i] = opt;
	CHECK(cli_parse_command_flags(cli_find_command("serve"), &cli, SERVE_MAX_LISTEN + 2,
				      argv, &args, ARGP_SILENT) == CLI_ERR_USAGE);
	CHECK(args.config.nr_listen == SERVE_MAX_LISTEN);
	for (i = 0; i < 8; i++)
		CHECK(!args.guard[i]);
	return TEST_PASSED;
}
