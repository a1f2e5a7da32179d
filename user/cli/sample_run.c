// SPDX-License-Identifier: GPL-2.0
/*
 * What "skbstat drops", "flows", "queues" and "status" do alike: read once
 * and show the totals, or every interval show what changed, like nstat and
 * sar -n DEV 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cli/sample_loop.h"

#define NSEC_PER_SEC	1000000000ull

/* Text: "12:00:01 (1.00 s)"; JSON: an RFC 3339 time in UTC and the seconds. */
void sample_emit_time(struct out *out, double interval)
{
	char local[32], utc[48], human[64];
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(local, sizeof(local), "%H:%M:%S", &tm);
	snprintf(human, sizeof(human), "%s (%.2f s)", local, interval);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(local, sizeof(local), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(utc, sizeof(utc), "%s.%03uZ", local, (unsigned int)(tv.tv_usec / 1000) % 1000);

	out_str(out, "time", OUT_INFO | OUT_HUMAN, human);
	out_str(out, "time", OUT_INFO | OUT_MACHINE, utc);
	out_double(out, "interval", OUT_INFO | OUT_MACHINE, interval);
}

static int run_once(const struct cli *cli, const struct sampler *sampler, void *args)
{
	struct sample_loop loop;
	struct sample sample;
	struct out *out;
	int err;

	err = sample_loop_start(&loop, cli, sampler->tables);
	if (err)
		return err;
	if (sampler->check) {
		err = sampler->check(args, &loop.cur);
		if (err)
			goto out_stop;
	}
	out = cli_output_open(cli, 0);
	if (!out) {
		err = -ENOMEM;
		goto out_stop;
	}
	sample.snap = &loop.cur;
	sample.interval = 0;
	sample.now_ns = loop.cur_ns;
	sample.backend = loop.be.ops;
	err = sampler->emit(args, &sample, out);
	err = cli_output_close(out, err);
out_stop:
	sample_loop_stop(&loop);
	return err;
}

/* Sleep until @deadline (CLOCK_MONOTONIC ns); false when interrupted. */
static bool wait_until(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = deadline / NSEC_PER_SEC,
		.tv_nsec = deadline % NSEC_PER_SEC,
	};

	while (!sample_interrupted())
		if (!clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
			return !sample_interrupted();
	return false;
}

/* One document per interval; an interrupt ends the run without an error. */
static int run_intervals(const struct cli *cli, const struct sampler *sampler, void *args,
			 struct sample_loop *loop, struct out *out)
{
	bool totals = out_wants_totals(out);
	struct sample sample;
	int err;

	while (!cli->count || loop->intervals < cli->count) {
		if (!wait_until(sample_loop_deadline(loop)))
			return 0;
		err = sample_loop_next(loop, totals, &sample);
		if (err)
			/* A read cut short by Ctrl-C is no failure. */
			return sample_interrupted() ? 0 : err;
		if (!totals)
			sample_emit_time(out, sample.interval);
		err = sampler->emit(args, &sample, out);
		if (!err)
			err = out_finish(out);
		if (err) {
			fprintf(stderr, "skbstat: writing the output failed: %s\n",
				strerror(-err));
			return err;
		}
	}
	return 0;
}

int sample_run(const struct cli *cli, const struct sampler *sampler, void *args)
{
	struct sample_loop loop;
	struct out *out;
	int err;

	if (!sample_interval(cli))
		return run_once(cli, sampler, args);

	err = sample_catch_signals();
	if (err) {
		fprintf(stderr, "skbstat: cannot catch signals: %s\n", strerror(-err));
		return err;
	}
	err = sample_loop_start(&loop, cli, sampler->tables | SAMPLE_STATUS);
	if (err)
		return err;
	if (sampler->check) {
		err = sampler->check(args, &loop.cur);
		if (err)
			goto out_stop;
	}
	out = cli_output_open(cli, OUT_STREAM);
	if (!out) {
		err = -ENOMEM;
		goto out_stop;
	}
	err = run_intervals(cli, sampler, args, &loop, out);
	/* Each document was finished already. */
	out_free(out);
out_stop:
	sample_loop_stop(&loop);
	return err;
}
