// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat queues: what each device transmit queue sent, and in which sizes.
 */
#include <stdbool.h>
#include <string.h>

#include "cli/cli.h"
#include "model/filter.h"
#include "cli/sample_loop.h"
#include "view/views.h"

enum queues_option {
	OPT_DEV = 0x100,	/* long options only */
	OPT_NETNS,
};

static const struct argp_option queues_options[] = {
	{ "dev", OPT_DEV, "NAME", 0, "Only the queues of the device called NAME (in any netns)",
	  0 },
	{ "netns", OPT_NETNS, "NETNS", 0,
	  "Only queues in this network namespace: a name from 'ip netns', or an inode number", 0 },
	{ 0 }
};

static error_t parse_queues_option(int key, char *arg, struct argp_state *state)
{
	struct queues_view_opts *opts = state->input;

	switch (key) {
	case OPT_DEV:
		if (!*arg)
			argp_error(state, "--dev needs a device name");
		opts->dev = arg;
		return 0;
	case OPT_NETNS:
		cli_parse_netns(state, "--netns", arg, &opts->netns);
		opts->by_netns = true;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp queues_argp = {
	.options = queues_options,
	.parser = parse_queues_option,
	.doc = "Show the packets and bytes each device transmit queue was given, per "
	       "network namespace, and the sizes of those packets.\v"
	       "SIZES is the range of packet sizes seen and HIST one bar per power-of-two "
	       "size in that range, the tallest for the most packets (a blank: none).  "
	       "JSON gives 'hist' as 17 counts: sizes 0-1, then [2^i, 2^(i+1)) for i = 1 to "
	       "15, then 64K and larger.\n"
	       "\n"
	       "Examples:\n"
	       "  skbstat queues\n"
	       "  skbstat queues --dev eth0\n"
	       "  skbstat -i 1 -c 10 queues --dev eth0\n"
	       "  skbstat -j queues | jq '.queues[] | {dev, queue, packets}'",
};

static bool dev_named_by_queues(const struct skbstat_snapshot *snap, const char *name)
{
	size_t i;

	for (i = 0; i < snap->nr_queues; i++)
		if (snap->queues[i].dev && !strcmp(snap->queues[i].dev, name))
			return true;
	return false;
}

/* A device that exists but sent nothing yet is an empty table, not an error. */
static int check_dev(void *data, const struct skbstat_snapshot *snap)
{
	struct queues_view_opts *opts = data;

	if (opts->dev && !device_known(opts->dev, dev_named_by_queues(snap, opts->dev)))
		return cli_usage_error("unknown device '%s'", opts->dev);
	if (!opts->by_netns || netns_known(opts->netns, snapshot_has_netns(snap, opts->netns)))
		return 0;
	return cli_netns_unknown_error(opts->netns);
}

static int emit_queues(void *data, const struct sample *sample, struct out *out)
{
	struct queues_view_opts *opts = data;

	opts->interval = sample->interval;
	return view_queues(sample->snap, opts, out);
}

static const struct sampler queues_sampler = {
	.tables = SAMPLE_QUEUES,
	.check = check_dev,
	.emit = emit_queues,
};

static int queues_run(struct cli *cli, int argc, char **argv)
{
	struct queues_view_opts opts = { 0 };

	cli_parse_command(&cmd_queues, cli, argc, argv, &opts);
	return sample_run(cli, &queues_sampler, &opts);
}

const struct command cmd_queues = {
	.name = "queues",
	.summary = "transmit packets and bytes per device queue, size histogram",
	.samples = true,
	.argp = &queues_argp,
	.run = queues_run,
};
