// SPDX-License-Identifier: GPL-2.0
/*
 * The global options.  They are an argp child of the top-level parser and
 * of every command's parser, so "skbstat drops -j" works like "skbstat -j
 * drops" and each command's --help lists them.
 */
#include <errno.h>

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
