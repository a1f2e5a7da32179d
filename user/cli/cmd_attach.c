// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat attach / detach: start or stop counting, for good, until the
 * other is run.  Changes the whole machine, so it needs CAP_NET_ADMIN in
 * the initial user namespace.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "cli/cli.h"
#include "model/names.h"

enum attach_option {
	OPT_MODE = 0x100,	/* long options only */
	OPT_DROP_ROWS,
	OPT_FLOW_ROWS,
	OPT_QUEUE_ROWS,
	OPT_MAX_MEMORY,
};

/* The most rows a table may be given: memory stays bounded either way. */
#define ROWS_MAX	(1U << 20)

static const struct argp_option attach_options[] = {
	{ "mode", OPT_MODE, "MODE", 0,
	  "How to hook into the kernel: tracepoint or kprobe (default: each hook's current "
	  "mode)", 0 },
	{ "drop-rows", OPT_DROP_ROWS, "N", 0,
	  "BPF: at most N drop rows (default 8192); the module's limits are its parameters", 0 },
	{ "flow-rows", OPT_FLOW_ROWS, "N", 0, "BPF: at most N flow rows (default 16384)", 0 },
	{ "queue-rows", OPT_QUEUE_ROWS, "N", 0, "BPF: at most N queue rows (default 1024)", 0 },
	{ "max-memory-mib", OPT_MAX_MEMORY, "MIB", 0,
	  "BPF: refuse limits whose tables would take more than MIB MiB (default: a 32nd of "
	  "the RAM); the module's is its parameter max_memory_mib", 0 },
	{ 0 }
};

static void parse_rows(struct argp_state *state, const char *name, const char *arg,
		       uint32_t *rows)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	/* Digits only: strtoul would take " 5" and "+5". */
	if (*arg < '0' || *arg > '9' || errno || *end || !n || n > ROWS_MAX)
		argp_error(state, "--%s needs a number of rows from 1 to %u, not '%s'", name,
			   ROWS_MAX, arg);
	*rows = n;
}

/* The memory cap, in MiB: a positive number that fits in 32 bits. */
static void parse_max_memory(struct argp_state *state, const char *arg, uint32_t *mib)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || errno || *end || !n || n > UINT32_MAX)
		argp_error(state, "--max-memory-mib needs a number of MiB from 1 to %u, not '%s'",
			   UINT32_MAX, arg);
	*mib = n;
}

static error_t parse_attach_option(int key, char *arg, struct argp_state *state)
{
	struct attach_request *req = state->input;

	switch (key) {
	case OPT_MODE:
		if (!*arg)
			argp_error(state, "--mode needs a mode (" ATTACH_MODE_NAMES ")");
		req->mode = arg;
		return 0;
	case OPT_DROP_ROWS:
		parse_rows(state, "drop-rows", arg, &req->rows[SKBSTAT_HOOK_DROPS]);
		return 0;
	case OPT_FLOW_ROWS:
		parse_rows(state, "flow-rows", arg, &req->rows[SKBSTAT_HOOK_FLOWS]);
		return 0;
	case OPT_QUEUE_ROWS:
		parse_rows(state, "queue-rows", arg, &req->rows[SKBSTAT_HOOK_QUEUES]);
		return 0;
	case OPT_MAX_MEMORY:
		parse_max_memory(state, arg, &req->max_memory_mib);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp attach_argp = {
	.options = attach_options,
	.parser = parse_attach_option,
	.doc = "Attach every hook so that counting goes on after skbstat exits; "
	       "'skbstat status' shows each hook's mode.  Needs CAP_NET_ADMIN in the initial "
	       "user namespace.\v"
	       "Examples:\n"
	       "  skbstat attach\n"
	       "  skbstat attach --mode kprobe\n"
	       "  skbstat -b bpf attach --mode raw_tp --flow-rows 65536\n"
	       "  skbstat -b kmod attach --mode tracepoint",
};

static const struct argp detach_argp = {
	.doc = "Detach every hook: counting stops, the counters stay until 'skbstat reset'.\v"
	       "Examples:\n"
	       "  skbstat detach",
};

/*
 * The module's modes are known here, so "-b kmod" rejects a bad one before
 * asking the kernel; other backends judge their own modes.
 */
static int check_mode(const struct cli *cli, const char *mode)
{
	uint32_t id;

	if (!mode || strcmp(cli->backend, backend_kmod_ops.name) ||
	    !attach_mode_parse(mode, &id))
		return 0;
	return cli_usage_error("the module has no attach mode '%s' (use " ATTACH_MODE_NAMES
			       ")", mode);
}

static int attach_run(struct cli *cli, int argc, char **argv)
{
	struct attach_request req = { 0 };
	struct backend be;
	int err;

	cli_parse_command(&cmd_attach, cli, argc, argv, &req);
	err = check_mode(cli, req.mode) ?: backend_check_machine_wide("attach");
	if (err)
		return err;

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	err = be.ops->attach(&be, &req);
	backend_close(&be);
	/* Backends return -EINVAL, after saying so, for a mode they do not have. */
	return err == -EINVAL ? CLI_ERR_USAGE : err;
}

static int detach_run(struct cli *cli, int argc, char **argv)
{
	struct backend be;
	int err;

	cli_parse_command(&cmd_detach, cli, argc, argv, NULL);
	err = backend_check_machine_wide("detach");
	if (err)
		return err;

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	err = be.ops->detach(&be);
	backend_close(&be);
	return err;
}

const struct command cmd_attach = {
	.name = "attach",
	.summary = "attach the hooks, optionally in another mode",
	.argp = &attach_argp,
	.run = attach_run,
};

const struct command cmd_detach = {
	.name = "detach",
	.summary = "detach the hooks; counters stay",
	.argp = &detach_argp,
	.run = detach_run,
};
