/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/view/: the views of status, drops, flows and queues (view_*.c),
 * top's screen (top_screen.c) and size histograms; they read the model and
 * write to an output.
 *
 * Views turn a snapshot into output fields.  They know what a command shows,
 * never how it looks, and never where the data came from, so unit tests can
 * feed them hand-built snapshots.  The caller ends the document with
 * out_finish(), so one document can hold several views.
 *
 * Each view takes an interval: 0 when the snapshot holds running totals;
 * otherwise the snapshot holds the changes over that many seconds (see
 * delta.h), the view adds rates, marks reset rows and leaves out the rows
 * that did not change.
 */
#ifndef SKBSTAT_VIEWS_H
#define SKBSTAT_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/filter.h"
#include "output/output.h"
#include "model/snapshot.h"

struct status_view_source {
	const char *backend;		/* "kmod" */
	const char *description;	/* "skbstat module" */
	double interval;		/* seconds; 0: running totals */
};

int view_status(const struct status_view_source *source,
		const struct skbstat_status *status, struct out *out);

struct drops_view_opts {
	unsigned int keys;		/* DROP_KEY_* columns to group by */
	size_t top;			/* show only the first @top rows; 0: all */
	struct drop_filter filter;	/* rows to keep, before grouping */
	bool numeric;			/* reasons and protocols as numbers */
	double interval;		/* seconds; 0: running totals */
	size_t *left_out;		/* if set: groups that @top left out */
};

int view_drops(const struct skbstat_snapshot *snap, const struct drops_view_opts *opts,
	       struct out *out);

struct flows_view_opts {
	size_t top;			/* show only the first @top flows; 0: all */
	uint64_t now_ns;		/* CLOCK_MONOTONIC, for the age of last_ns */
	bool by_netns;			/* show only the flows in @netns */
	uint32_t netns;
	bool numeric;			/* TCP states as numbers */
	double interval;		/* seconds; 0: running totals */
};

int view_flows(const struct skbstat_snapshot *snap, const struct flows_view_opts *opts,
	       struct out *out);

/*
 * Retransmits summed per netns and address family, at most @max_rows of
 * them (0: all), in netns order; *@left_out says how many did not fit.
 */
int view_flows_by_netns(const struct skbstat_snapshot *snap, size_t max_rows,
			size_t *left_out, struct out *out);

struct queues_view_opts {
	const char *dev;		/* show only this device's queues; NULL: all */
	bool by_netns;			/* show only the queues in @netns */
	uint32_t netns;
	size_t top;			/* show only the first @top rows; 0: all */
	bool busiest_first;		/* by bytes, not by netns, device, queue */
	double interval;		/* seconds; 0: running totals */
};

int view_queues(const struct skbstat_snapshot *snap, const struct queues_view_opts *opts,
		struct out *out);

#endif /* SKBSTAT_VIEWS_H */
