/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One read of the counters as a command shows it: running totals, or the
 * changes over an interval (delta.h).  The sampling loop (cli/sample_loop.h)
 * makes them; views and top's screen read them.
 */
#ifndef SKBSTAT_SAMPLE_H
#define SKBSTAT_SAMPLE_H

#include <stdint.h>

#include "model/snapshot.h"

/* Only named here: which backend read it, for status (backend/backend.h). */
struct backend_ops;

/* One read, as a command shows it. */
struct sample {
	const struct skbstat_snapshot *snap;	/* running totals, or changes */
	double interval;		/* seconds the changes cover; 0: totals */
	uint64_t now_ns;		/* CLOCK_MONOTONIC when it was read */
	const struct backend_ops *backend;	/* which backend read it */
};

#endif /* SKBSTAT_SAMPLE_H */
