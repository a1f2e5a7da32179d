// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat drops: which packets the kernel dropped, where and why.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "cli/cli.h"
#include "model/filter.h"
#include "model/group.h"
#include "model/names.h"
#include "cli/sample_loop.h"
#include "view/views.h"

enum drops_option {
	OPT_BY = 0x100,		/* long options only */
	OPT_TOP,
	OPT_NETNS,
	OPT_DEV,
	OPT_REASON,
};

struct drops_args {
	struct drops_view_opts opts;
	const char *reason;	/* resolved once the kernel's names are known */
};

static const struct argp_option drops_options[] = {
	{ "by", OPT_BY, "KEYS", 0,
	  "Sum the rows that share these columns, a comma separated list of "
	  DROP_KEY_NAMES " (default: all of them, one row per kernel row)", 0 },
	{ "top", OPT_TOP, "N", 0, "Show only the N rows with the most packets", 0 },
	{ "netns", OPT_NETNS, "NETNS", 0,
	  "Only drops in this network namespace: a name from 'ip netns', or an inode number", 0 },
	{ "dev", OPT_DEV, "NAME", 0, "Only drops on the device called NAME (in any netns)", 0 },
	{ "reason", OPT_REASON, "NAME", 0,
	  "Only drops for this reason, as shown in the REASON column (any case)", 0 },
	{ 0 }
};

static error_t parse_drops_option(int key, char *arg, struct argp_state *state)
{
	struct drops_args *args = state->input;

	switch (key) {
	case OPT_BY:
		cli_parse_drop_keys(state, arg, &args->opts.keys);
		return 0;
	case OPT_TOP:
		cli_parse_count(state, "--top", arg, &args->opts.top);
		return 0;
	case OPT_NETNS:
		cli_parse_netns(state, "--netns", arg, &args->opts.filter.netns);
		args->opts.filter.by_netns = true;
		return 0;
	case OPT_DEV:
		if (!*arg)
			argp_error(state, "--dev needs a device name");
		args->opts.filter.dev = arg;
		return 0;
	case OPT_REASON:
		if (!*arg)
			argp_error(state, "--reason needs a drop reason name");
		args->reason = arg;
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
	       "  skbstat drops --reason no_socket --by location\n"
	       "  skbstat drops --dev eth0 --by reason\n"
	       "  skbstat -i 1 drops --by reason\n"
	       "  skbstat -o openmetrics drops --by reason,dev > skbstat.prom\n"
	       "  skbstat -j drops --by location | jq '.drops[] | select(.packets > 1000)'",
};

static bool dev_named_by_drops(const struct skbstat_snapshot *snap, const char *name)
{
	size_t i;

	for (i = 0; i < snap->nr_drops; i++)
		if (snap->drops[i].dev && !strcmp(snap->drops[i].dev, name))
			return true;
	return false;
}

/* Names given on the command line, checked against what the kernel knows. */
static int resolve_filter(void *data, const struct skbstat_snapshot *snap)
{
	struct drops_args *args = data;
	struct drop_filter *filter = &args->opts.filter;

	if (args->reason) {
		if (drop_reason_id(snap, args->reason, &filter->reason))
			return cli_usage_error("unknown reason '%s' (names come from the "
					       "running kernel; see skbstat -j drops)",
					       args->reason);
		filter->by_reason = true;
	}
	if (filter->dev && !device_known(filter->dev, dev_named_by_drops(snap, filter->dev)))
		return cli_usage_error("unknown device '%s'", filter->dev);
	if (filter->by_netns &&
	    !netns_known(filter->netns, snapshot_has_netns(snap, filter->netns)))
		return cli_netns_unknown_error(filter->netns);
	return 0;
}

static int emit_drops(void *data, const struct sample *sample, struct out *out)
{
	struct drops_args *args = data;

	args->opts.interval = sample->interval;
	return view_drops(sample->snap, &args->opts, out);
}

static const struct sampler drops_sampler = {
	.tables = SAMPLE_DROPS,
	.check = resolve_filter,
	.emit = emit_drops,
};

static int drops_run(struct cli *cli, int argc, char **argv)
{
	struct drops_args args = { .opts = { .keys = DROP_KEYS_ALL } };

	cli_parse_command(&cmd_drops, cli, argc, argv, &args);
	args.opts.numeric = cli->numeric;
	return sample_run(cli, &drops_sampler, &args);
}

const struct command cmd_drops = {
	.name = "drops",
	.summary = "dropped packets by reason, location, device, netns, protocol",
	.samples = true,
	.argp = &drops_argp,
	.run = drops_run,
};
