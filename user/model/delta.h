/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interval mode: what changed between two snapshots of the same backend,
 * as nstat and sar show it.  A pure function, so tests can feed it
 * recorded snapshots.
 */
#ifndef SKBSTAT_DELTA_H
#define SKBSTAT_DELTA_H

#include "model/snapshot.h"

/*
 * Fill @delta (initialised, empty) with the rows of @cur whose counters
 * are the change since @prev:
 *
 * - a row in both: cur - prev, counter by counter;
 * - a row only in @cur: its counters, all new in the interval;
 * - a row only in @prev: left out, there is nothing left to count;
 * - a row whose counters went backwards, or every row of a table whose
 *   hook's event total went backwards (a reset, a module reload): its
 *   counters in @cur, the count since then, with ->reset set.  Never a
 *   difference that wrapped around.
 *
 * Hooks are matched by id the same way; their rows and limit are @cur's.
 * The reason names are @cur's, or @prev's when @cur has none.
 */
int snapshot_delta(const struct skbstat_snapshot *prev, const struct skbstat_snapshot *cur,
		   struct skbstat_snapshot *delta);

#endif /* SKBSTAT_DELTA_H */
