// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat: which packets the kernel drops and why, which TCP flows
 * retransmit, and what each device queue transmits.
 *
 * main() parses the global options up to the command name and hands the
 * rest of the command line to that command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "backend/backend.h"

#ifndef SKBSTAT_VERSION
#define SKBSTAT_VERSION "unknown"
#endif

const char *argp_program_version = "skbstat " SKBSTAT_VERSION;

static const char top_doc[] =
	"Count which packets the kernel drops and why, which TCP flows retransmit, "
	"and what each device queue transmits, from always-on in-kernel counters.\v"
	"Run 'skbstat COMMAND --help' for the options of a command.\n"
	"\n"
	"Examples:\n"
	"  skbstat status                       module loaded, hooks attached?\n"
	"  skbstat top                          the busiest drops, flows, queues, live\n"
	"  skbstat drops --by reason --top 10   the ten most frequent drop reasons\n"
	"  skbstat drops --by reason,dev        drop reasons per device\n"
	"  skbstat -i 1 drops --by reason       drops per second, every second\n"
	"  skbstat -j drops | jq '.drops[0]'    the busiest drop row, as JSON\n"
	"  skbstat flows --top 5                the five most retransmitting flows\n"
	"  skbstat queues --dev eth0            eth0's transmit queues and sizes\n"
	"  skbstat -o openmetrics drops         for Prometheus (node_exporter textfile)\n"
	"  skbstat reset flows                  start counting retransmits afresh\n"
	"\n"
	"Numbers in text are rounded (1.2K, 35MB); JSON and OpenMetrics give them "
	"exactly.  'man skbstat' documents every key and metric.\n"
	"\n"
	"Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.";

struct top_args {
	struct cli *cli;
	const struct command *command;
	int argc;
	char **argv;
};

static error_t parse_top(int key, char *arg, struct argp_state *state)
{
	struct top_args *top = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = top->cli;
		return 0;
	case ARGP_KEY_ARG:
		top->command = cli_find_command(arg);
		if (!top->command)
			argp_error(state, "unknown command '%s'", arg);
		/* The command parses everything from its own name on. */
		top->argc = state->argc - state->next + 1;
		top->argv = &state->argv[state->next - 1];
		state->next = state->argc;
		return 0;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no COMMAND given");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* Lists the commands from the table, so a new command needs no help edit. */
static char *list_commands(int key, const char *text, void *input)
{
	const struct command *const *cmd;
	char *list = NULL;
	size_t len = 0;
	FILE *f;

	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&list, &len);
	if (!f)
		return (char *)text;
	fputs("Commands:\n", f);
	for (cmd = cli_commands; *cmd; cmd++)
		fprintf(f, "  %-8s %s\n", (*cmd)->name, (*cmd)->summary);
	fprintf(f, "\n%s", text ? text : "");
	if (fclose(f))
		return (char *)text;
	return list;
}

static const struct argp_child top_children[] = {
	{ &cli_global_argp, 0, NULL, 0 },
	{ 0 }
};

static const struct argp top_argp = {
	.parser = parse_top,
	.args_doc = "COMMAND [ARG...]",
	.doc = top_doc,
	.children = top_children,
	.help_filter = list_commands,
};

int main(int argc, char **argv)
{
	struct cli cli = { .backend = BACKEND_AUTO, .format = OUT_FORMAT_TEXT };
	struct top_args top = { .cli = &cli };

	argp_err_exit_status = EXIT_USAGE_ERROR;
	/* In order: stop at the command name, whose options are its own. */
	argp_parse(&top_argp, argc, argv, ARGP_IN_ORDER, NULL, &top);

	switch (top.command->run(&cli, top.argc, top.argv)) {
	case 0:
		return EXIT_SUCCESS;
	case CLI_ERR_USAGE:
		return EXIT_USAGE_ERROR;
	}
	return EXIT_RUNTIME_ERROR;
}
