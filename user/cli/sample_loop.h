/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the counters for a command: once, or every interval (-i, -c),
 * when each read is turned into the change since the one before (delta.h).
 * Commands say which tables they show and how; this file does the rest.
 */
#ifndef SKBSTAT_SAMPLE_LOOP_H
#define SKBSTAT_SAMPLE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "cli/cli.h"
#include "model/sample.h"
#include "model/snapshot.h"
#include "output/output.h"

/* What a command reads. */
enum sample_table {
	SAMPLE_STATUS	= BACKEND_STATUS,
	SAMPLE_DROPS	= BACKEND_DROPS,	/* and the drop reason names */
	SAMPLE_FLOWS	= BACKEND_FLOWS,
	SAMPLE_QUEUES	= BACKEND_QUEUES,
	/* Attach detached hooks while reading (backend_ops.attach_while_open). */
	SAMPLE_ATTACH	= 1 << 8,
};

struct sampler {
	unsigned int tables;		/* enum sample_table */
	/*
	 * Optional: check the command line against the first read, e.g. names
	 * only the kernel knows.  Returns 0, or CLI_ERR_USAGE after saying why.
	 */
	int (*check)(void *args, const struct skbstat_snapshot *snap);
	/* Emit the command's view of @sample. */
	int (*emit)(void *args, const struct sample *sample, struct out *out);
};

/*
 * Read once and show the totals; or with -i or -c, read every interval and
 * show the changes, one document per interval, until the count is reached
 * or SIGINT/SIGTERM.  Returns 0 or a -errno/CLI_ERR_USAGE after saying why.
 */
int sample_run(const struct cli *cli, const struct sampler *sampler, void *args);

/* The same, step by step, for a command with its own loop (top). */
struct sample_loop {
	const struct cli *cli;
	unsigned int tables;
	struct backend be;
	struct skbstat_snapshot prev;	/* the read before */
	struct skbstat_snapshot cur;	/* the latest read */
	struct skbstat_snapshot delta;	/* the change between the two */
	uint64_t prev_ns, cur_ns;
	uint64_t start_ns;		/* the first read, for deadlines */
	unsigned long intervals;	/* reads after the first */
};

/* Open the backend and read the first time; on error nothing is left open. */
int sample_loop_start(struct sample_loop *loop, const struct cli *cli, unsigned int tables);

/*
 * Read again and fill @sample with the change since the read before, or
 * with the totals when @totals.  Reopens the backend once when a read fails
 * (the module was reloaded).
 */
int sample_loop_next(struct sample_loop *loop, bool totals, struct sample *sample);

void sample_loop_stop(struct sample_loop *loop);

/* CLOCK_MONOTONIC when the next interval ends. */
uint64_t sample_loop_deadline(const struct sample_loop *loop);

/* Set by SIGINT and SIGTERM once sample_catch_signals() ran. */
bool sample_interrupted(void);
int sample_catch_signals(void);

/* CLOCK_MONOTONIC in nanoseconds, the clock of the kernel's timestamps. */
uint64_t sample_now_ns(void);

/* The interval -i asked for, or 1 s when only -c was given; 0: read once. */
double sample_interval(const struct cli *cli);

/* Emit "time" and "interval" fields for one interval's document. */
void sample_emit_time(struct out *out, double interval);

#endif /* SKBSTAT_SAMPLE_LOOP_H */
