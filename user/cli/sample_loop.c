// SPDX-License-Identifier: GPL-2.0
/*
 * The sampling loop: a backend kept open across intervals, two snapshots
 * (the read before and the latest) and the change between them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/delta.h"
#include "cli/sample_loop.h"

#define NSEC_PER_SEC	1000000000ull

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* No SA_RESTART: a signal ends the wait for the next interval at once. */
int sample_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

bool sample_interrupted(void)
{
	return interrupted;
}

uint64_t sample_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

double sample_interval(const struct cli *cli)
{
	if (cli->interval > 0)
		return cli->interval;
	return cli->count ? 1 : 0;
}

/* Open the backend, attached for as long as it is open when asked to. */
static int open_backend(struct sample_loop *loop)
{
	struct backend *be = &loop->be;
	int err;

	err = backend_open(be, loop->cli->backend);
	if (err)
		return err;
	if (!(loop->tables & SAMPLE_ATTACH) || !be->ops->attach_while_open)
		return 0;
	err = be->ops->attach_while_open(be);
	if (err)
		backend_close(be);
	return err;
}

int sample_loop_start(struct sample_loop *loop, const struct cli *cli, unsigned int tables)
{
	int err;

	memset(loop, 0, sizeof(*loop));
	loop->cli = cli;
	loop->tables = tables;
	snapshot_init(&loop->prev);
	snapshot_init(&loop->cur);
	snapshot_init(&loop->delta);
	err = open_backend(loop);
	if (err)
		return err;
	err = backend_read(&loop->be, tables, true, &loop->cur);
	if (err)
		goto err_close_backend;
	loop->cur_ns = sample_now_ns();
	loop->start_ns = loop->cur_ns;
	return 0;

err_close_backend:
	backend_close(&loop->be);
	snapshot_free(&loop->cur);
	return err;
}

/* A failed read may mean the module was reloaded: reopen once and retry. */
static int read_again(struct sample_loop *loop, struct skbstat_snapshot *snap)
{
	int err = backend_read(&loop->be, loop->tables, false, snap);

	if (!err)
		return 0;
	snapshot_free(snap);
	backend_close(&loop->be);
	err = open_backend(loop);
	if (err)
		return err;
	fprintf(stderr, "skbstat: reopened the %s backend; counters may have restarted\n",
		loop->be.ops->name);
	return backend_read(&loop->be, loop->tables, true, snap);
}

int sample_loop_next(struct sample_loop *loop, bool totals, struct sample *sample)
{
	struct skbstat_snapshot next;
	int err;

	snapshot_init(&next);
	err = read_again(loop, &next);
	if (err) {
		snapshot_free(&next);
		return err;
	}
	if (!next.nr_reasons)
		snapshot_move_reasons(&next, &loop->cur);
	snapshot_free(&loop->prev);
	loop->prev = loop->cur;
	loop->prev_ns = loop->cur_ns;
	loop->cur = next;
	loop->cur_ns = sample_now_ns();
	loop->intervals++;

	snapshot_free(&loop->delta);
	snapshot_init(&loop->delta);
	err = snapshot_delta(&loop->prev, &loop->cur, &loop->delta);
	if (err) {
		fprintf(stderr, "skbstat: out of memory\n");
		return err;
	}
	sample->backend = loop->be.ops;
	sample->now_ns = loop->cur_ns;
	if (totals) {
		sample->snap = &loop->cur;
		sample->interval = 0;
	} else {
		sample->snap = &loop->delta;
		sample->interval = (double)(loop->cur_ns - loop->prev_ns) / NSEC_PER_SEC;
	}
	return 0;
}

uint64_t sample_loop_deadline(const struct sample_loop *loop)
{
	double interval = sample_interval(loop->cli);

	return loop->start_ns + (uint64_t)((loop->intervals + 1) * interval * NSEC_PER_SEC);
}

void sample_loop_stop(struct sample_loop *loop)
{
	backend_close(&loop->be);
	snapshot_free(&loop->prev);
	snapshot_free(&loop->cur);
	snapshot_free(&loop->delta);
}
