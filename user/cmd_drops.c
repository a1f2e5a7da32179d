// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat drops: which packets the kernel dropped, where and why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "group.h"
#include "views.h"

enum drops_option {
	OPT_BY = 0x100,		/* long options only */
	OPT_TOP,
};

static const struct argp_option drops_options[] = {
	{ "by", OPT_BY, "KEYS", 0,
	  "Sum the rows that share these columns, a comma separated list of "
	  DROP_KEY_NAMES " (default: all of them, one row per kernel row)", 0 },
	{ "top", OPT_TOP, "N", 0, "Show only the N rows with the most packets", 0 },
	{ 0 }
};

static void parse_keys(struct argp_state *state, const char *arg, unsigned int *keys)
{
	char *list = strdup(arg);
	const char *bad;

	if (!list)
		argp_failure(state, EXIT_RUNTIME_ERROR, ENOMEM, "--by");
	if (drop_keys_parse(list, keys, &bad)) {
		if (!*bad)
			argp_error(state, "empty key in --by '%s' (use %s)", arg, DROP_KEY_NAMES);
		argp_error(state, "unknown key '%s' in --by (use %s)", bad, DROP_KEY_NAMES);
	}
	free(list);
}

static void parse_top(struct argp_state *state, const char *arg, size_t *top)
{
	unsigned long long value;
	char *end;

	errno = 0;
	value = strtoull(arg, &end, 10);
	/* strtoull accepts "-1" as a huge number; a count has digits only. */
	if (!*arg || *end || arg[0] == '-' || arg[0] == '+' || errno || !value ||
	    value > SIZE_MAX)
		argp_error(state, "--top needs a positive number, not '%s'", arg);
	*top = value;
}

static error_t parse_drops_option(int key, char *arg, struct argp_state *state)
{
	struct drops_view_opts *opts = state->input;

	switch (key) {
	case OPT_BY:
		parse_keys(state, arg, &opts->keys);
		return 0;
	case OPT_TOP:
		parse_top(state, arg, &opts->top);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp drops_argp = {
	.options = drops_options,
	.parser = parse_drops_option,
	.doc = "Show the packets the kernel dropped: why (the drop reason of the running "
	       "kernel), where (the function that freed them), on which device, in which "
	       "network namespace, of which L3 protocol.  Rows are sorted by packets, "
	       "most first.\v"
	       "Examples:\n"
	       "  skbstat drops\n"
	       "  skbstat drops --by reason --top 10\n"
	       "  skbstat drops --by reason,dev\n"
	       "  skbstat -j drops --by location | jq '.drops[] | select(.packets > 1000)'",
};

static int fetch_drops(const struct cli *cli, struct skbstat_snapshot *snap)
{
	struct backend be;
	int err;

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	err = be.ops->get_reasons(&be, snap);
	if (!err)
		err = be.ops->get_drops(&be, snap);
	backend_close(&be);
	return err;
}

static int drops_run(struct cli *cli, int argc, char **argv)
{
	struct drops_view_opts opts = { .keys = DROP_KEYS_ALL };
	struct skbstat_snapshot snap;
	struct out *out;
	int err;

	cli_parse_command(&cmd_drops, cli, argc, argv, &opts);

	snapshot_init(&snap);
	err = fetch_drops(cli, &snap);
	if (err)
		goto out_free_snapshot;
	out = cli_output_open(cli);
	if (!out) {
		err = -ENOMEM;
		goto out_free_snapshot;
	}
	err = view_drops(&snap, &opts, out);
	err = cli_output_close(out, err);

out_free_snapshot:
	snapshot_free(&snap);
	return err;
}

const struct command cmd_drops = {
	.name = "drops",
	.summary = "dropped packets by reason, location, device, netns, protocol",
	.argp = &drops_argp,
	.run = drops_run,
};
