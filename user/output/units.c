// SPDX-License-Identifier: GPL-2.0
/*
 * Scaling numbers for text output.  A value is divided by the base until it
 * would print as fewer than four digits; one decimal is kept below ten, as
 * ls -h and ip -h do, so "1.2K" and "12K" read at a glance.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "output/units.h"
#include "util.h"

static const char *const count_suffixes[] = { "", "K", "M", "G", "T", "P", "E" };
static const char *const bytes_suffixes[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };

/*
 * @value >= 0.  Below @base it prints with @decimals_below_ten decimals
 * under ten (rates) or none (counts); above, scaled with one decimal under
 * ten.  The unit is chosen after rounding, so 999.6K becomes "1.0M".
 */
static const char *scale(double value, double base, const char *const *suffixes,
			 size_t nr_suffixes, bool fraction, char buf[UNITS_BUF_LEN])
{
	size_t unit = 0;

	while (unit + 1 < nr_suffixes && value >= base - 0.5) {
		value /= base;
		unit++;
	}
	if (unit && value < 9.95)
		snprintf(buf, UNITS_BUF_LEN, "%.1f%s", value, suffixes[unit]);
	else if (unit || !fraction || value >= 99.95 || value == 0)
		snprintf(buf, UNITS_BUF_LEN, "%.0f%s", value, suffixes[unit]);
	else
		snprintf(buf, UNITS_BUF_LEN, "%.1f%s", value, suffixes[unit]);
	return buf;
}

const char *units_count(uint64_t n, char buf[UNITS_BUF_LEN])
{
	if (n < 1000) {
		snprintf(buf, UNITS_BUF_LEN, "%" PRIu64, n);
		return buf;
	}
	return scale(n, 1000, count_suffixes, ARRAY_SIZE(count_suffixes), false, buf);
}

const char *units_bytes(uint64_t n, char buf[UNITS_BUF_LEN])
{
	if (n < 1024) {
		snprintf(buf, UNITS_BUF_LEN, "%" PRIu64 "B", n);
		return buf;
	}
	return scale(n, 1024, bytes_suffixes, ARRAY_SIZE(bytes_suffixes), false, buf);
}

const char *units_count_rate(double rate, char buf[UNITS_BUF_LEN])
{
	return scale(rate > 0 ? rate : 0, 1000, count_suffixes, ARRAY_SIZE(count_suffixes),
		     true, buf);
}

const char *units_bytes_rate(double rate, char buf[UNITS_BUF_LEN])
{
	return scale(rate > 0 ? rate : 0, 1024, bytes_suffixes, ARRAY_SIZE(bytes_suffixes),
		     true, buf);
}
