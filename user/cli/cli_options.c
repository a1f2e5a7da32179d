// SPDX-License-Identifier: GPL-2.0
/*
 * The global options.  They are an argp child of the top-level parser and
 * of every command's parser, so "skbstat drops -j" works like "skbstat -j
 * drops" and each command's --help lists them; cli_parse_command() parses
 * a command's line with both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "backend/backend.h"
#include "cli/cli.h"

enum global_option {
	OPT_BACKEND	= 'b',
	OPT_JSON	= 'j',
	OPT_OUTPUT	= 'o',
	OPT_INTERVAL	= 'i',
	OPT_COUNT	= 'c',
	OPT_NUMERIC	= 'n',
};

static const struct argp_option global_options[] = {
	{ "backend", OPT_BACKEND, "NAME", 0,
	  "Where the counters come from: auto (the module when loaded, else BPF), kmod or bpf",
	  0 },
	{ "output", OPT_OUTPUT, "FORMAT", 0,
	  "Output format: text (default), json or openmetrics (for Prometheus)", 0 },
	{ "json", OPT_JSON, NULL, 0, "Same as -o json", 0 },
	{ "interval", OPT_INTERVAL, "SECONDS", 0,
	  "Every SECONDS (0.1 to 86400, e.g. 1 or 0.5), show what changed and the rate per "
	  "second, until Ctrl-C (status, drops, flows, queues; top: default 1)", 0 },
	{ "count", OPT_COUNT, "COUNT", 0,
	  "Stop after COUNT intervals (with no -i: every second)", 0 },
	{ "no-resolve", OPT_NUMERIC, NULL, 0,
	  "Show drop reasons, protocols and TCP states as the kernel's numbers", 0 },
	{ 0 }
};

static void set_format(struct argp_state *state, struct cli *cli, const char *name)
{
	if (out_format_parse(name, &cli->format))
		argp_error(state, "unknown output format '%s' (use %s)", name,
			   out_format_names());
}

static error_t parse_global_option(int key, char *arg, struct argp_state *state)
{
	struct cli *cli = state->input;

	switch (key) {
	case OPT_BACKEND:
		if (!backend_name_known(arg))
			argp_error(state, "unknown backend '%s' (use %s)", arg, backend_names());
		cli->backend = arg;
		return 0;
	case OPT_OUTPUT:
		set_format(state, cli, arg);
		return 0;
	case OPT_JSON:
		cli->format = OUT_FORMAT_JSON;
		return 0;
	case OPT_NUMERIC:
		cli->numeric = true;
		return 0;
	case OPT_INTERVAL:
		cli_parse_seconds(state, "-i", arg, &cli->interval);
		return 0;
	case OPT_COUNT: {
		size_t count;

		cli_parse_count(state, "-c", arg, &count);
		cli->count = count;
		return 0;
	}
	}
	return ARGP_ERR_UNKNOWN;
}

const struct argp cli_global_argp = {
	.options = global_options,
	.parser = parse_global_option,
};

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

int cli_parse_command_flags(const struct command *cmd, struct cli *cli, int argc, char **argv,
			    void *args, unsigned int flags)
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
	error_t err;

	/* The doc strings belong to the root, so help prints them once. */
	options_only.args_doc = NULL;
	options_only.doc = NULL;

	/* argp names the program after argv[0]: make it "skbstat drops". */
	if (asprintf(&name, "skbstat %s", cmd->name) < 0)
		name = NULL;
	if (name)
		argv[0] = name;
	err = argp_parse(&root, argc, argv, flags, NULL, &inputs);
	argv[0] = saved_argv0;
	free(name);
	if (err)
		return err == EINVAL ? CLI_ERR_USAGE : -err;

	if (!cmd->samples && (cli->interval || cli->count)) {
		if (!(flags & ARGP_NO_ERRS))
			cli_usage_error("%s takes no -i or -c; they are for status, drops, "
					"flows, queues and top", cmd->name);
		return CLI_ERR_USAGE;
	}
	return 0;
}

void cli_parse_command(const struct command *cmd, struct cli *cli, int argc, char **argv,
		       void *args)
{
	/* argp exits on its own usage errors; this one is found after it. */
	if (cli_parse_command_flags(cmd, cli, argc, argv, args, 0))
		exit(EXIT_USAGE_ERROR);
}
