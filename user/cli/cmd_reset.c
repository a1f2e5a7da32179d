// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat reset: zero the rows and totals of one table, or of all.
 */
#include <string.h>
#include <linux/skbstat.h>

#include "backend/backend.h"
#include "cli/cli.h"
#include "util.h"

#define ALL_HOOKS	(-1)
#define TABLE_NAMES	"drops, flows or queues"

static const struct {
	const char *name;
	int hook;
} tables[] = {
	{ "drops",	SKBSTAT_HOOK_DROPS },
	{ "flows",	SKBSTAT_HOOK_FLOWS },
	{ "queues",	SKBSTAT_HOOK_QUEUES },
};

struct reset_args {
	int hook;		/* enum skbstat_hook_id or ALL_HOOKS */
	unsigned int nr_args;
};

static error_t parse_reset_arg(int key, char *arg, struct argp_state *state)
{
	struct reset_args *args = state->input;
	size_t i;

	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	if (args->nr_args++)
		argp_error(state, "one table at most, not '%s' too", arg);
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		if (!strcmp(arg, tables[i].name)) {
			args->hook = tables[i].hook;
			return 0;
		}
	}
	argp_error(state, "unknown table '%s' (use " TABLE_NAMES ")", arg);
	return 0;
}

static const struct argp reset_argp = {
	.parser = parse_reset_arg,
	.args_doc = "[drops|flows|queues]",
	.doc = "Zero the rows and totals of one table, or of all three.  Counting goes on.  "
	       "In a network namespace other than the initial one, only that namespace's "
	       "rows are zeroed.\v"
	       "Examples:\n"
	       "  skbstat reset\n"
	       "  skbstat reset flows",
};

static int reset_run(struct cli *cli, int argc, char **argv)
{
	struct reset_args args = { .hook = ALL_HOOKS };
	struct backend be;
	int err;

	cli_parse_command(&cmd_reset, cli, argc, argv, &args);

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	err = be.ops->reset(&be, args.hook);
	backend_close(&be);
	return err;
}

const struct command cmd_reset = {
	.name = "reset",
	.summary = "zero the counters of one table or all",
	.argp = &reset_argp,
	.run = reset_run,
};
