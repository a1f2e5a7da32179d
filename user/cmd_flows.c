// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat flows: which TCP flows retransmitted, how much, and how lately.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "cli.h"
#include "views.h"

#define NSEC_PER_SEC	1000000000ull

enum flows_option {
	OPT_TOP = 0x100,	/* long options only */
};

static const struct argp_option flows_options[] = {
	{ "top", OPT_TOP, "N", 0, "Show only the N flows with the most retransmits", 0 },
	{ 0 }
};

static error_t parse_flows_option(int key, char *arg, struct argp_state *state)
{
	struct flows_view_opts *opts = state->input;

	switch (key) {
	case OPT_TOP:
		cli_parse_count(state, "--top", arg, &opts->top);
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
	       "  skbstat -j flows | jq '.flows[] | select(.dport == 443)'",
};

static int fetch_flows(const struct cli *cli, struct skbstat_snapshot *snap)
{
	struct backend be;
	int err;

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	err = be.ops->get_flows(&be, snap);
	backend_close(&be);
	return err;
}

/* The clock of the kernel's ktime_get_ns(), so AGE needs no conversion. */
static int monotonic_now(uint64_t *now_ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
		fprintf(stderr, "skbstat: cannot read the clock: %s\n", strerror(errno));
		return -errno;
	}
	*now_ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

static int flows_run(struct cli *cli, int argc, char **argv)
{
	struct flows_view_opts opts = { 0 };
	struct skbstat_snapshot snap;
	struct out *out;
	int err;

	cli_parse_command(&cmd_flows, cli, argc, argv, &opts);

	snapshot_init(&snap);
	err = fetch_flows(cli, &snap);
	if (!err)
		err = monotonic_now(&opts.now_ns);
	if (err)
		goto out_free_snapshot;
	out = cli_output_open(cli);
	if (!out) {
		err = -ENOMEM;
		goto out_free_snapshot;
	}
	err = view_flows(&snap, &opts, out);
	err = cli_output_close(out, err);

out_free_snapshot:
	snapshot_free(&snap);
	return err;
}

const struct command cmd_flows = {
	.name = "flows",
	.summary = "TCP flows that retransmit: endpoints, state, segments, age",
	.argp = &flows_argp,
	.run = flows_run,
};
