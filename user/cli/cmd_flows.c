// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat flows: which TCP flows retransmitted, how much, and how lately.
 */
#include "cli/cli.h"
#include "model/filter.h"
#include "cli/sample_loop.h"
#include "view/views.h"

enum flows_option {
	OPT_TOP = 0x100,	/* long options only */
	OPT_NETNS,
};

static const struct argp_option flows_options[] = {
	{ "top", OPT_TOP, "N", 0, "Show only the N flows with the most retransmits", 0 },
	{ "netns", OPT_NETNS, "NETNS", 0,
	  "Only flows in this network namespace: a name from 'ip netns', or an inode number",
	  0 },
	{ 0 }
};

static error_t parse_flows_option(int key, char *arg, struct argp_state *state)
{
	struct flows_view_opts *opts = state->input;

	switch (key) {
	case OPT_TOP:
		cli_parse_count(state, "--top", arg, &opts->top);
		return 0;
	case OPT_NETNS:
		cli_parse_netns(state, "--netns", arg, &opts->netns);
		opts->by_netns = true;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp flows_argp = {
	.options = flows_options,
	.parser = parse_flows_option,
	.doc = "Show the TCP flows that retransmitted, most retransmits first: their "
	       "network namespace, endpoints, TCP state at the last retransmit, "
	       "retransmitted segments (as TcpRetransSegs counts them) and bytes, and the "
	       "time since the last retransmit (AGE).\v"
	       "JSON adds 'events' (retransmit calls; a GSO packet is one) and "
	       "'first_ns'/'last_ns' (CLOCK_MONOTONIC).\n"
	       "\n"
	       "Examples:\n"
	       "  skbstat flows\n"
	       "  skbstat flows --top 10\n"
	       "  skbstat -i 5 flows\n"
	       "  skbstat -j flows | jq '.flows[] | select(.dport == 443)'",
};

static int emit_flows(void *data, const struct sample *sample, struct out *out)
{
	struct flows_view_opts *opts = data;

	opts->now_ns = sample->now_ns;
	opts->interval = sample->interval;
	return view_flows(sample->snap, opts, out);
}

static int check_netns(void *data, const struct skbstat_snapshot *snap)
{
	struct flows_view_opts *opts = data;

	if (!opts->by_netns || netns_known(opts->netns, snapshot_has_netns(snap, opts->netns)))
		return 0;
	return cli_netns_unknown_error(opts->netns);
}

static const struct sampler flows_sampler = {
	.tables = SAMPLE_FLOWS,
	.check = check_netns,
	.emit = emit_flows,
};

static int flows_run(struct cli *cli, int argc, char **argv)
{
	struct flows_view_opts opts = { 0 };

	cli_parse_command(&cmd_flows, cli, argc, argv, &opts);
	opts.numeric = cli->numeric;
	return sample_run(cli, &flows_sampler, &opts);
}

const struct command cmd_flows = {
	.name = "flows",
	.summary = "TCP flows that retransmit: endpoints, state, segments, age",
	.samples = true,
	.argp = &flows_argp,
	.run = flows_run,
};
