/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/cli/: main(), the command table (commands.c), the global options and
 * option values (cli_options.c, cli_args.c), one cmd_*.c per command, the
 * sampling loop that reads a backend every interval (sample_loop.c,
 * sample_run.c) and top's terminal (top_tty.c).
 *
 * Command-line plumbing shared by main() and the commands: global options,
 * the command table, and opening the output.  Adding a command means one
 * cmd_*.c file and one line in commands.c.
 */
#ifndef SKBSTAT_CLI_H
#define SKBSTAT_CLI_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/output.h"

/* Exit codes, as documented in --help and the man page. */
#define EXIT_RUNTIME_ERROR	1
#define EXIT_USAGE_ERROR	2

/*
 * What run() returns, after printing why, for a usage error that shows only
 * once the kernel has answered: a device or drop reason name it does not
 * know.  Outside the errno range, so no kernel error is ever mistaken for it.
 */
#define CLI_ERR_USAGE		(-4096)

/* Global options: accepted before the command and after it. */
struct cli {
	const char *backend;		/* -b: "auto", "kmod", "bpf" */
	enum out_format format;		/* -j, -o */
	double interval;		/* -i: seconds; 0: read once */
	unsigned long count;		/* -c: intervals to show; 0: until interrupted */
	bool numeric;			/* -n: numbers, not names */
};

struct command {
	const char *name;
	const char *summary;		/* one line for "skbstat --help" */
	bool samples;			/* shows counters, so takes -i and -c */
	/* Options, arguments and help text; its parser's input is @args. */
	const struct argp *argp;
	/*
	 * argv[0] is the command name.  Returns 0, or -errno or CLI_ERR_USAGE
	 * after printing why.
	 */
	int (*run)(struct cli *cli, int argc, char **argv);
};

extern const struct argp cli_global_argp;	/* its input is a struct cli */
extern const struct command *const cli_commands[];	/* NULL-terminated */

/* One per cmd_*.c file, listed in cli_commands[] by commands.c. */
extern const struct command cmd_status;
extern const struct command cmd_drops;
extern const struct command cmd_flows;
extern const struct command cmd_queues;
extern const struct command cmd_reset;
extern const struct command cmd_attach;
extern const struct command cmd_detach;
extern const struct command cmd_top;
extern const struct command cmd_serve;

const struct command *cli_find_command(const char *name);

/*
 * Parse a command's arguments with @cmd->argp (input @args) plus the global
 * options.  Usage errors exit with EXIT_USAGE_ERROR, as argp does.
 */
void cli_parse_command(const struct command *cmd, struct cli *cli, int argc, char **argv,
		       void *args);
/*
 * The same with argp_parse() @flags: with ARGP_NO_EXIT (a fuzzer's), a
 * usage error returns CLI_ERR_USAGE instead of exiting; -errno on failure.
 */
int cli_parse_command_flags(const struct command *cmd, struct cli *cli, int argc, char **argv,
			    void *args, unsigned int flags);

/* Option values shared by several commands; bad ones are usage errors. */
void cli_parse_count(struct argp_state *state, const char *option, const char *arg,
		     size_t *count);
void cli_parse_netns(struct argp_state *state, const char *option, const char *arg,
		     uint32_t *netns);
/* --by: a comma separated list of drop key names (group.h). */
void cli_parse_drop_keys(struct argp_state *state, const char *arg, unsigned int *keys);
void cli_parse_seconds(struct argp_state *state, const char *option, const char *arg,
		       double *seconds);

/* The shortest and longest -i, in seconds. */
#define CLI_INTERVAL_MIN	0.1
#define CLI_INTERVAL_MAX	86400

/* Print "skbstat: MESSAGE" and return CLI_ERR_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The usage error for a netns inode that netns_known() (model/filter.h) does not know. */
int cli_netns_unknown_error(uint32_t inode);

/*
 * An output for the chosen format on stdout, or NULL after saying why.
 * @flags: enum out_flags.
 */
struct out *cli_output_open(const struct cli *cli, unsigned int flags);

/* Finish (unless @err) and free @out; returns @err or the output's error. */
int cli_output_close(struct out *out, int err);

#endif /* SKBSTAT_CLI_H */
