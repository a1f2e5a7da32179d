// SPDX-License-Identifier: GPL-2.0
/*
 * The global options.  They are an argp child of the top-level parser and
 * of every command's parser, so "skbstat drops -j" works like "skbstat -j
 * drops" and each command's --help lists them.
 */
#include <errno.h>

#include "backend.h"
#include "cli.h"

enum global_option {
	OPT_BACKEND	= 'b',
	OPT_JSON	= 'j',
	OPT_OUTPUT	= 'o',
};

static const struct argp_option global_options[] = {
	{ "backend", OPT_BACKEND, "NAME", 0,
	  "Where the counters come from: auto (the module when loaded, else BPF), kmod or bpf",
	  0 },
	{ "output", OPT_OUTPUT, "FORMAT", 0,
	  "Output format: text (default) or json", 0 },
	{ "json", OPT_JSON, NULL, 0, "Same as -o json", 0 },
	{ 0 }
};

static void set_format(struct argp_state *state, struct cli *cli, const char *name)
{
	int err = out_format_parse(name, &cli->format);

	if (err == -EOPNOTSUPP)
		argp_error(state, "output format '%s' is not supported yet (use %s)", name,
			   out_format_names());
	else if (err)
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
	}
	return ARGP_ERR_UNKNOWN;
}

const struct argp cli_global_argp = {
	.options = global_options,
	.parser = parse_global_option,
};
