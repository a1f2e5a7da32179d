// SPDX-License-Identifier: GPL-2.0
/*
 * The command line (cli/cli_options.c, cli/cli_args.c and each command's
 * options): global options, -i/-c values, --by lists, --top counts,
 * --netns names and numbers, --dev names, attach modes and sizes.  The
 * first byte picks the command; the rest, split at NUL bytes, is its
 * arguments.  argp runs with ARGP_SILENT: usage errors return instead of
 * exiting, and print nothing.
 */
#include <argp.h>
#include <stdint.h>

#include "cli/cli.h"
#include "fuzz/fuzz.h"

#define MAX_ARGS	32

/* Larger than any command's own argument struct, which only it knows. */
static union {
	char bytes[4096];
	long double align;
} command_args;

static size_t nr_commands(void)
{
	size_t n = 0;

	while (cli_commands[n])
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	const struct command *cmd = cli_commands[fuzz_u8(&in) % nr_commands()];
	struct cli cli = { .backend = "auto" };
	char *argv[MAX_ARGS + 1], *text, *p;
	int argc = 1;

	/* The arguments, NUL-terminated each: a copy argp may permute. */
	text = malloc(in.len + 1);
	if (!text)
		abort();
	memcpy(text, in.data, in.len);
	text[in.len] = '\0';
	argv[0] = (char *)cmd->name;
	for (p = text; p < text + in.len && argc < MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	memset(&command_args, 0, sizeof(command_args));
	cli_parse_command_flags(cmd, &cli, argc, argv, &command_args, ARGP_SILENT);
	if (cli.interval && (cli.interval < CLI_INTERVAL_MIN || cli.interval > CLI_INTERVAL_MAX))
		abort();
	free(text);
	return 0;
}
