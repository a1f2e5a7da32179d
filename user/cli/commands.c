// SPDX-License-Identifier: GPL-2.0
/*
 * The command table, and what every command does the same way: parse its
 * arguments together with the global options, and open and close the output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const struct command *const cli_commands[] = {
	&cmd_status,
	&cmd_drops,
	&cmd_flows,
	&cmd_queues,
	&cmd_top,
	&cmd_reset,
	&cmd_attach,
	&cmd_detach,
	&cmd_bench,
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

struct command_parse_inputs {
	void *args;
	struct cli *cli;
};

/* Hands each child parser its own input: the command's args, then the cli. */
static error_t parse_command_root(int key, char *arg, struct argp_state *state)
{
	struct command_parse_inputs *inputs = state->input;

	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = inputs->args;
	state->child_inputs[1] = inputs->cli;
	return 0;
}

void cli_parse_command(const struct command *cmd, struct cli *cli, int argc, char **argv,
		       void *args)
{
	struct command_parse_inputs inputs = { .args = args, .cli = cli };
	struct argp options_only = *cmd->argp;
	const struct argp_child children[] = {
		{ &options_only, 0, NULL, 0 },
		{ &cli_global_argp, 0, "Global options:", 1 },
		{ 0 }
	};
	const struct argp root = {
		.parser = parse_command_root,
		.args_doc = cmd->argp->args_doc,
		.doc = cmd->argp->doc,
		.children = children,
	};
	char *saved_argv0 = argv[0];
	char *name;

	/* The doc strings belong to the root, so help prints them once. */
	options_only.args_doc = NULL;
	options_only.doc = NULL;

	/* argp names the program after argv[0]: make it "skbstat drops". */
	if (asprintf(&name, "skbstat %s", cmd->name) < 0)
		name = NULL;
	if (name)
		argv[0] = name;
	argp_parse(&root, argc, argv, 0, NULL, &inputs);
	argv[0] = saved_argv0;
	free(name);

	if (!cmd->samples && (cli->interval || cli->count)) {
		cli_usage_error("%s takes no -i or -c; they are for status, drops, flows, "
				"queues and top", cmd->name);
		exit(EXIT_USAGE_ERROR);
	}
}

struct out *cli_output_open(const struct cli *cli, unsigned int flags)
{
	struct out *out = out_new(cli->format, stdout, flags);

	if (!out)
		fprintf(stderr, "skbstat: cannot set up the output: %s\n", strerror(errno));
	return out;
}

int cli_output_close(struct out *out, int err)
{
	if (!err) {
		err = out_finish(out);
		if (err)
			fprintf(stderr, "skbstat: writing the output failed: %s\n",
				strerror(-err));
	}
	out_free(out);
	return err;
}
