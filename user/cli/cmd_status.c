// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat status: is the backend there, are its hooks attached, how full
 * are the tables.  The first thing to run when numbers look wrong.
 */
#include "cli/cli.h"
#include "cli/sample_loop.h"
#include "view/views.h"

static const struct argp status_argp = {
	.doc = "Show the backend in use and, per hook, whether it is attached, how, "
	       "its event totals and how full its table is.\v"
	       "TABLE_FULL counts events that found the table full; when it grows, raise "
	       "the table limit.\n"
	       "\n"
	       "Examples:\n"
	       "  skbstat status\n"
	       "  skbstat -i 1 status\n"
	       "  skbstat -j status | jq '.hooks[] | select(.table_full > 0)'",
};

static int emit_status(void *data, const struct sample *sample, struct out *out)
{
	struct status_view_source source = {
		.backend = sample->backend->name,
		.description = sample->backend->description,
		.interval = sample->interval,
	};

	(void)data;
	return view_status(&source, &sample->snap->status, out);
}

static const struct sampler status_sampler = {
	.tables = SAMPLE_STATUS,
	.emit = emit_status,
};

static int status_run(struct cli *cli, int argc, char **argv)
{
	cli_parse_command(&cmd_status, cli, argc, argv, NULL);
	return sample_run(cli, &status_sampler, NULL);
}

const struct command cmd_status = {
	.name = "status",
	.summary = "backend, hooks, attach modes, totals, table fill",
	.samples = true,
	.argp = &status_argp,
	.run = status_run,
};
