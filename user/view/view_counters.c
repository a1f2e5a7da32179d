// SPDX-License-Identifier: GPL-2.0
/*
 * Counters in every view look alike: exact in JSON, scaled in text, and in
 * interval mode followed by their rate.
 */
#include "view/view_counters.h"

void view_emit_counter(struct out *out, const struct view_counter *counter, uint64_t val,
		       double interval)
{
	unsigned int kind = OUT_COUNTER | counter->unit;
	double rate;

	if (counter->text_key) {
		out_u64_metric(out, counter->key, kind | OUT_MACHINE, val, &counter->metric);
		out_u64(out, counter->text_key, kind | OUT_HUMAN, val);
	} else {
		out_u64_metric(out, counter->key, kind, val, &counter->metric);
	}
	if (interval <= 0)
		return;
	rate = val / interval;
	out_double(out, counter->rate_key, OUT_GAUGE | OUT_MACHINE, rate);
	out_double(out, counter->rate_text_key, OUT_GAUGE | OUT_HUMAN | counter->unit, rate);
}

void view_emit_reset(struct out *out, bool reset, double interval)
{
	if (interval <= 0)
		return;
	out_bool(out, "reset", OUT_INFO | OUT_MACHINE, reset);
	out_str(out, "note", OUT_INFO | OUT_HUMAN | OUT_SPARSE, reset ? "reset" : NULL);
}
