/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "skbstat top" shows: a title, the events per second of each hook,
 * and the busiest drops, retransmitting flows and transmit queues of the
 * last interval, cut to the size of the terminal.  A pure function of a
 * sample, so tests can feed it recorded snapshots.
 */
#ifndef SKBSTAT_TOP_SCREEN_H
#define SKBSTAT_TOP_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "output/output.h"
#include "model/sample.h"

struct top_opts {
	unsigned int drop_keys;		/* DROP_KEY_* columns of the drops table */
	size_t top;			/* rows per table; 0: as many as fit */
	const char *dev;		/* only this device's queues; NULL: all */
	bool numeric;			/* reasons, protocols, states as numbers */
};

/*
 * Emit the hook rates and the three tables of @sample (changes over an
 * interval, or totals) to @out, at most @rows_per_table rows each (0: all).
 * This is also what top prints, interval after interval, when its output
 * is no terminal.
 */
int top_emit(const struct top_opts *opts, const struct sample *sample, size_t rows_per_table,
	     struct out *out);

/*
 * The screen for a terminal of @rows lines and @cols columns: @title on the
 * first line, then @sample as top_emit() shows it in text, or a note that
 * the first interval is still running when @sample is NULL.  Lines are cut
 * to @cols characters, and there are at most @rows of them, each ending in
 * a newline.  Returns a malloc'd string, or NULL when out of memory.
 */
char *top_screen(const struct top_opts *opts, const struct sample *sample, const char *title,
		 unsigned int rows, unsigned int cols);

#endif /* SKBSTAT_TOP_SCREEN_H */
