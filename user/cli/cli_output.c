// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and closing a command's output on stdout, in the format the
 * global options chose, with the same messages for every command.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct out *cli_output_open(const struct cli *cli, unsigned int flags)
{
	struct out *out = out_new(cli->format, stdout, flags);

	if (!out)
		fprintf(stderr, "skbstat: cannot set up the output: %s\n", strerror(errno));
	return out;
}

int cli_output_close(struct out *out, int err)
{
	if (!err) {
		err = out_finish(out);
		if (err)
			fprintf(stderr, "skbstat: writing the output failed: %s\n",
				strerror(-err));
	}
	out_free(out);
	return err;
}
