// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat top: the busiest drops, retransmitting flows and transmit queues
 * of the last interval, refreshed in place like top(1).  When the output is
 * no terminal, or a machine format was asked for, it prints one document
 * per interval instead, like "skbstat -i 1" does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/group.h"
#include "cli/sample_loop.h"
#include "view/top_screen.h"
#include "cli/top_tty.h"

#define TOP_INTERVAL_DEFAULT	1.0
/* Rows per table when printing interval after interval, not on a screen. */
#define TOP_ROWS_PIPED		10
#define TOP_DROP_KEYS		(DROP_KEY_REASON | DROP_KEY_LOCATION | DROP_KEY_DEV)
#define TOP_TABLES		(SAMPLE_STATUS | SAMPLE_DROPS | SAMPLE_FLOWS | SAMPLE_QUEUES | \
				 SAMPLE_ATTACH)

enum top_option {
	OPT_BY = 0x100,		/* long options only */
	OPT_TOP,
};

static const struct argp_option top_options[] = {
	{ "by", OPT_BY, "KEYS", 0,
	  "Group the drops table by these columns, a comma separated list of "
	  DROP_KEY_NAMES " (default: reason,location,dev)", 0 },
	{ "top", OPT_TOP, "N", 0,
	  "Show N rows per table (default: as many as fit the terminal; 10 when the "
	  "output is no terminal)", 0 },
	{ 0 }
};

static error_t parse_top_option(int key, char *arg, struct argp_state *state)
{
	struct top_opts *opts = state->input;

	switch (key) {
	case OPT_BY:
		cli_parse_drop_keys(state, arg, &opts->drop_keys);
		return 0;
	case OPT_TOP:
		cli_parse_count(state, "--top", arg, &opts->top);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp top_argp = {
	.options = top_options,
	.parser = parse_top_option,
	.doc = "Show, refreshed every interval (-i, default 1 second), how many packets "
	       "per second each hook sees and the busiest rows of the last interval: "
	       "drops, retransmitting TCP flows and device transmit queues, each sorted by "
	       "rate.  Press q or Ctrl-C to quit.\v"
	       "When the output is no terminal, or with -j or -o, top prints what changed "
	       "every interval instead, as 'skbstat -i' does, until -c COUNT intervals or "
	       "Ctrl-C.  A backend that can attach for a while (BPF) attaches its detached "
	       "hooks while top runs.\n"
	       "\n"
	       "Examples:\n"
	       "  skbstat top\n"
	       "  skbstat -i 0.5 top --by reason,dev\n"
	       "  skbstat top -c 5 --top 3 > top.log\n"
	       "  skbstat -j -c 10 top | jq -c '.drops[0]'",
};

/* "skbstat top: kmod, every 1 s, 12:00:01    q: quit" */
static void make_title(char *buf, size_t len, const struct sample_loop *loop)
{
	struct timeval tv;
	struct tm tm;
	char clock[16];

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	snprintf(buf, len, "skbstat top: %s, every %g s, %s    q: quit",
		 loop->be.ops ? loop->be.ops->name : "-", sample_interval(loop->cli), clock);
}

static int draw(const struct top_opts *opts, const struct sample_loop *loop,
		const struct sample *sample)
{
	unsigned int rows, cols;
	char title[128], *screen;
	int err;

	top_tty_size(&rows, &cols);
	make_title(title, sizeof(title), loop);
	screen = top_screen(opts, sample, title, rows, cols);
	if (!screen)
		return -ENOMEM;
	err = top_tty_draw(screen);
	free(screen);
	return err;
}

/* The live screen, until q, Ctrl-C or -c COUNT refreshes. */
static int run_screen(const struct cli *cli, const struct top_opts *opts,
		      struct sample_loop *loop)
{
	struct sample sample, *shown = NULL;
	struct top_tty tty;
	int err;

	err = top_tty_enter(&tty);
	if (err)
		return err;
	err = draw(opts, loop, NULL);
	while (!err && (!cli->count || loop->intervals < cli->count)) {
		switch (top_tty_wait(&tty, sample_loop_deadline(loop))) {
		case TOP_QUIT:
			goto out_leave;
		case TOP_RESIZED:
			err = draw(opts, loop, shown);
			continue;
		case TOP_TIMEOUT:
			break;
		}
		err = sample_loop_next(loop, false, &sample);
		if (err) {
			/* A read cut short by Ctrl-C is no failure. */
			if (sample_interrupted())
				err = 0;
			break;
		}
		shown = &sample;
		err = draw(opts, loop, shown);
	}
out_leave:
	top_tty_leave(&tty);
	return err;
}

static int emit_top(void *data, const struct sample *sample, struct out *out)
{
	const struct top_opts *opts = data;

	return top_emit(opts, sample, opts->top ? opts->top : TOP_ROWS_PIPED, out);
}

static const struct sampler top_sampler = {
	.tables = TOP_TABLES,
	.emit = emit_top,
};

static int top_run(struct cli *cli, int argc, char **argv)
{
	struct top_opts opts = { .drop_keys = TOP_DROP_KEYS };
	struct sample_loop loop;
	int err;

	cli_parse_command(&cmd_top, cli, argc, argv, &opts);
	opts.numeric = cli->numeric;
	if (!cli->interval)
		cli->interval = TOP_INTERVAL_DEFAULT;
	if (cli->format != OUT_FORMAT_TEXT || !isatty(STDOUT_FILENO))
		return sample_run(cli, &top_sampler, &opts);

	err = sample_catch_signals();
	if (err) {
		fprintf(stderr, "skbstat: cannot catch signals\n");
		return err;
	}
	err = sample_loop_start(&loop, cli, TOP_TABLES);
	if (err)
		return err;
	err = run_screen(cli, &opts, &loop);
	sample_loop_stop(&loop);
	return err;
}

const struct command cmd_top = {
	.name = "top",
	.summary = "live view of the busiest drops, flows and queues, by rate",
	.samples = true,
	.argp = &top_argp,
	.run = top_run,
};
