// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat attach / detach: start or stop counting, for good, until the
 * other is run.  Changes the whole machine, so it needs CAP_NET_ADMIN in
 * the initial user namespace.
 */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "names.h"

enum attach_option {
	OPT_MODE = 0x100,	/* long options only */
};

struct attach_args {
	const char *mode;	/* NULL: each hook keeps its mode */
};

static const struct argp_option attach_options[] = {
	{ "mode", OPT_MODE, "MODE", 0,
	  "How to hook into the kernel: tracepoint or kprobe (default: each hook's current "
	  "mode)", 0 },
	{ 0 }
};

static error_t parse_attach_option(int key, char *arg, struct argp_state *state)
{
	struct attach_args *args = state->input;

	switch (key) {
	case OPT_MODE:
		if (!*arg)
			argp_error(state, "--mode needs a mode (" ATTACH_MODE_NAMES ")");
		args->mode = arg;
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
	struct attach_args args = { 0 };
	struct backend be;
	int err;

	cli_parse_command(&cmd_attach, cli, argc, argv, &args);
	err = check_mode(cli, args.mode);
	if (err)
		return err;

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	err = be.ops->attach(&be, args.mode);
	backend_close(&be);
	/* Backends return -EINVAL, after saying so, for a mode they do not have. */
	return err == -EINVAL ? CLI_ERR_USAGE : err;
}

static int detach_run(struct cli *cli, int argc, char **argv)
{
	struct backend be;
	int err;

	cli_parse_command(&cmd_detach, cli, argc, argv, NULL);

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
