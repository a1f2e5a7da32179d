/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How every view shows a counter: its total, or in interval mode its change
 * and its rate per second, and rows whose counters went backwards.
 */
#ifndef SKBSTAT_VIEW_COUNTERS_H
#define SKBSTAT_VIEW_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "output/output.h"

struct view_counter {
	const char *key;		/* "retransmits": JSON key, text header */
	const char *text_key;		/* "retrans": a shorter header; NULL: @key */
	unsigned int unit;		/* OUT_UNIT_COUNT or OUT_UNIT_BYTES */
	const char *rate_key;		/* "retransmits_rate": JSON key of the rate */
	const char *rate_text_key;	/* "retr/s": text header of the rate */
	struct out_metric metric;	/* the OpenMetrics counter */
};

/*
 * @val is the running total, or with @interval > 0 the change over that
 * many seconds, which is followed by its rate.
 */
void view_emit_counter(struct out *out, const struct view_counter *counter, uint64_t val,
		       double interval);

/*
 * In interval mode, whether the row's counters went backwards (a reset, a
 * module reload) so that they show the count since then: "reset": true in
 * JSON, a "reset" note in text.  Emits nothing for running totals.
 */
void view_emit_reset(struct out *out, bool reset, double interval);

#endif /* SKBSTAT_VIEW_COUNTERS_H */
