// SPDX-License-Identifier: GPL-2.0
/*
 * Drawing the queue size histogram.  Bucket 0 holds sizes 0 and 1, bucket
 * i sizes [2^i, 2^(i+1)), the last one everything from 2^16 up (hooks.h).
 */
#include <stdio.h>
#include <string.h>

#include "view/histogram.h"
#include "util.h"

#define LAST_BUCKET	(SKBSTAT_HIST_BUCKETS - 1)

/* U+2581..U+2588, one eighth to a full block. */
static const char *const bar_levels[] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
};

/* 1..8 eighths, rounded up so that no used bucket looks empty. */
static unsigned int bar_level(uint64_t count, uint64_t max)
{
	double eighths = (double)count * ARRAY_SIZE(bar_levels) / (double)max;
	unsigned int level = eighths;

	if (level < eighths)
		level++;
	if (level < 1)
		level = 1;
	if (level > ARRAY_SIZE(bar_levels))
		level = ARRAY_SIZE(bar_levels);
	return level;
}

/* "0B", "64B", "2K", "64K": bucket bounds are powers of two below 1M. */
static void format_size(char *buf, size_t len, uint64_t size)
{
	if (size < 1024)
		snprintf(buf, len, "%uB", (unsigned int)size);
	else
		snprintf(buf, len, "%uK", (unsigned int)(size / 1024));
}

static uint64_t bucket_low(unsigned int bucket)
{
	return bucket ? 1ull << bucket : 0;
}

/* "64B-2K", or "1K-64K+" when the open-ended last bucket is in use. */
static void format_range(char range[HIST_RANGE_LEN], unsigned int lo, unsigned int hi)
{
	char low[8], high[8];

	format_size(low, sizeof(low), bucket_low(lo));
	if (hi == LAST_BUCKET)
		format_size(high, sizeof(high), bucket_low(LAST_BUCKET));
	else
		format_size(high, sizeof(high), bucket_low(hi + 1));
	if (lo == LAST_BUCKET)
		snprintf(range, HIST_RANGE_LEN, "%s+", low);
	else
		snprintf(range, HIST_RANGE_LEN, "%s-%s%s", low, high,
			 hi == LAST_BUCKET ? "+" : "");
}

bool hist_draw(const uint64_t hist[SKBSTAT_HIST_BUCKETS], char bars[HIST_BARS_LEN],
	       char range[HIST_RANGE_LEN])
{
	unsigned int lo = SKBSTAT_HIST_BUCKETS, hi = 0, i;
	uint64_t max = 0;
	size_t len = 0;

	bars[0] = '\0';
	range[0] = '\0';
	for (i = 0; i < SKBSTAT_HIST_BUCKETS; i++) {
		if (!hist[i])
			continue;
		if (lo == SKBSTAT_HIST_BUCKETS)
			lo = i;
		hi = i;
		if (hist[i] > max)
			max = hist[i];
	}
	if (!max)
		return false;

	for (i = lo; i <= hi; i++) {
		const char *bar = hist[i] ? bar_levels[bar_level(hist[i], max) - 1] : " ";

		memcpy(bars + len, bar, strlen(bar));
		len += strlen(bar);
	}
	bars[len] = '\0';
	format_range(range, lo, hi);
	return true;
}
