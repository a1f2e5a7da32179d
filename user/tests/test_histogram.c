// SPDX-License-Identifier: GPL-2.0
/*
 * Drawing size histograms: which buckets get a bar, how tall, and the
 * range label at both ends of the bucket list.
 */
#include <string.h>

#include "view/histogram.h"
#include "test.h"

#define LAST	(SKBSTAT_HIST_BUCKETS - 1)

struct drawing {
	char bars[HIST_BARS_LEN];
	char range[HIST_RANGE_LEN];
	bool drawn;
};

static void draw(const uint64_t hist[SKBSTAT_HIST_BUCKETS], struct drawing *d)
{
	d->drawn = hist_draw(hist, d->bars, d->range);
}

TEST(empty_draws_nothing)
{
	static const uint64_t hist[SKBSTAT_HIST_BUCKETS] = { 0 };
	struct drawing d;

	draw(hist, &d);
	CHECK(!d.drawn);
	CHECK_STR(d.bars, "");
	CHECK_STR(d.range, "");
	return TEST_PASSED;
}

TEST(one_bucket)
{
	static const uint64_t hist[SKBSTAT_HIST_BUCKETS] = { [6] = 1 };
	struct drawing d;

	draw(hist, &d);
	CHECK(d.drawn);
	CHECK_STR(d.bars, "█");
	CHECK_STR(d.range, "64B-128B");
	return TEST_PASSED;
}

/* Linear heights, rounded up; a gap inside the range is a blank. */
TEST(heights_and_gaps)
{
	static const uint64_t hist[SKBSTAT_HIST_BUCKETS] = {
		[6] = 100, [7] = 800, [8] = 400, [10] = 1, [11] = 799,
	};
	struct drawing d;

	draw(hist, &d);
	CHECK_STR(d.bars, "▁█▄ ▁█");
	CHECK_STR(d.range, "64B-4K");
	return TEST_PASSED;
}

/* Every level from one eighth to full. */
TEST(all_levels)
{
	static const uint64_t hist[SKBSTAT_HIST_BUCKETS] = {
		[1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 7, [8] = 8,
	};
	struct drawing d;

	draw(hist, &d);
	CHECK_STR(d.bars, "▁▂▃▄▅▆▇█");
	CHECK_STR(d.range, "2B-512B");
	return TEST_PASSED;
}

/* Bucket 0 starts at 0 bytes; the last one has no upper bound. */
TEST(both_ends)
{
	static const uint64_t low[SKBSTAT_HIST_BUCKETS] = { [0] = 5 };
	static const uint64_t top[SKBSTAT_HIST_BUCKETS] = { [LAST] = 5 };
	static const uint64_t span[SKBSTAT_HIST_BUCKETS] = { [0] = 1, [LAST] = 1 };
	static const uint64_t kilo[SKBSTAT_HIST_BUCKETS] = { [10] = 1, [LAST - 1] = 2 };
	struct drawing d;

	draw(low, &d);
	CHECK_STR(d.range, "0B-2B");
	draw(top, &d);
	CHECK_STR(d.bars, "█");
	CHECK_STR(d.range, "64K+");
	draw(span, &d);
	CHECK_STR(d.bars, "█               █");
	CHECK_STR(d.range, "0B-64K+");
	draw(kilo, &d);
	CHECK_STR(d.bars, "▄    █");
	CHECK_STR(d.range, "1K-64K");
	return TEST_PASSED;
}

/* A tiny bucket next to a count beyond a double's exact range still shows. */
TEST(huge_counts)
{
	static const uint64_t hist[SKBSTAT_HIST_BUCKETS] = {
		[9] = 1, [10] = UINT64_MAX,
	};
	struct drawing d;

	draw(hist, &d);
	CHECK_STR(d.bars, "▁█");
	CHECK_STR(d.range, "512B-2K");
	return TEST_PASSED;
}
