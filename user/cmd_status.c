// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat status: is the backend there, are its hooks attached, how full
 * are the tables.  The first thing to run when numbers look wrong.
 */
#include <errno.h>

#include "backend.h"
#include "cli.h"
#include "views.h"

static const struct argp status_argp = {
	.doc = "Show the backend in use and, per hook, whether it is attached, how, "
	       "its event totals and how full its table is.\v"
	       "TABLE_FULL counts events that found the table full; when it grows, raise "
	       "the table limit.\n"
	       "\n"
	       "Examples:\n"
	       "  skbstat status\n"
	       "  skbstat -j status | jq '.hooks[] | select(.table_full > 0)'",
};

static int fetch_status(const struct cli *cli, struct skbstat_status *status,
			struct status_view_source *source)
{
	struct backend be;
	int err;

	err = backend_open(&be, cli->backend);
	if (err)
		return err;
	source->backend = be.ops->name;
	source->description = be.ops->description;
	err = be.ops->get_status(&be, status);
	backend_close(&be);
	return err;
}

static int status_run(struct cli *cli, int argc, char **argv)
{
	struct status_view_source source;
	struct skbstat_snapshot snap;
	struct out *out;
	int err;

	cli_parse_command(&cmd_status, cli, argc, argv, NULL);

	snapshot_init(&snap);
	err = fetch_status(cli, &snap.status, &source);
	if (err)
		goto out_free_snapshot;
	out = cli_output_open(cli);
	if (!out) {
		err = -ENOMEM;
		goto out_free_snapshot;
	}
	err = view_status(&source, &snap.status, out);
	err = cli_output_close(out, err);

out_free_snapshot:
	snapshot_free(&snap);
	return err;
}

const struct command cmd_status = {
	.name = "status",
	.summary = "backend, hooks, attach modes, totals, table fill",
	.argp = &status_argp,
	.run = status_run,
};
