/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A log2 size histogram drawn for people in one short line: a bar per
 * bucket from the smallest to the largest one in use ("▁▃█▂") and the
 * range those buckets cover ("64B-2K").
 */
#ifndef SKBSTAT_HISTOGRAM_H
#define SKBSTAT_HISTOGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include <skbstat/hooks.h>

/* A bar is one character of up to 3 bytes in UTF-8. */
#define HIST_BARS_LEN	(SKBSTAT_HIST_BUCKETS * 3 + 1)
/* Two sizes of up to 7 characters, a dash and a plus: "32K-64K+" in practice. */
#define HIST_RANGE_LEN	24

/*
 * Bar heights are linear in the count, the fullest bucket a full block; a
 * bucket with any packets gets at least the lowest bar, an empty one inside
 * the range a blank.  Returns false, leaving both strings empty, when every
 * bucket is empty.
 */
bool hist_draw(const uint64_t hist[SKBSTAT_HIST_BUCKETS], char bars[HIST_BARS_LEN],
	       char range[HIST_RANGE_LEN]);

#endif /* SKBSTAT_HISTOGRAM_H */
