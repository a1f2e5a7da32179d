// SPDX-License-Identifier: GPL-2.0
/*
 * The command table: each command's name, help and run(), from its
 * cmd_*.c file.  What commands share lives in cli_options.c, cli_args.c
 * and cli_output.c, so that the table only points to the commands.
 */
#include <string.h>

#include "cli/cli.h"

const struct command *const cli_commands[] = {
	&cmd_status,
	&cmd_drops,
	&cmd_flows,
	&cmd_queues,
	&cmd_top,
	&cmd_serve,
	&cmd_reset,
	&cmd_attach,
	&cmd_detach,
	NULL
};

const struct command *cli_find_command(const char *name)
{
	const struct command *const *cmd;

	for (cmd = cli_commands; *cmd; cmd++)
		if (!strcmp((*cmd)->name, name))
			return *cmd;
	return NULL;
}
