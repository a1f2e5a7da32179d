// SPDX-License-Identifier: GPL-2.0
/*
 * Human units in text output: three significant digits at most, the unit
 * chosen after rounding, nothing lost below a thousand.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "output/units.h"

#define CHECK_UNITS(fn, value, expected)				\
	do {								\
		char buf_[UNITS_BUF_LEN];				\
		CHECK_STR(fn(value, buf_), expected);			\
	} while (0)

TEST(counts)
{
	CHECK_UNITS(units_count, 0, "0");
	CHECK_UNITS(units_count, 999, "999");
	CHECK_UNITS(units_count, 1000, "1.0K");
	CHECK_UNITS(units_count, 1049, "1.0K");
	CHECK_UNITS(units_count, 1050, "1.1K");	/* 1.05 rounds to even in binary */
	CHECK_UNITS(units_count, 9949, "9.9K");
	CHECK_UNITS(units_count, 9950, "10K");
	CHECK_UNITS(units_count, 123456, "123K");
	CHECK_UNITS(units_count, 999499, "999K");
	CHECK_UNITS(units_count, 999500, "1.0M");
	CHECK_UNITS(units_count, 4200000000ull, "4.2G");
	CHECK_UNITS(units_count, 9007199254740993ull, "9.0P");
	CHECK_UNITS(units_count, UINT64_MAX, "18E");
	return TEST_PASSED;
}

TEST(bytes)
{
	CHECK_UNITS(units_bytes, 0, "0B");
	CHECK_UNITS(units_bytes, 1023, "1023B");
	CHECK_UNITS(units_bytes, 1024, "1.0KB");
	CHECK_UNITS(units_bytes, 1536, "1.5KB");
	CHECK_UNITS(units_bytes, 10 * 1024, "10KB");
	CHECK_UNITS(units_bytes, 1047552, "1023KB");
	CHECK_UNITS(units_bytes, 1048064, "1.0MB");	/* 1023.5K */
	CHECK_UNITS(units_bytes, 1048576, "1.0MB");
	CHECK_UNITS(units_bytes, 5ull << 30, "5.0GB");
	CHECK_UNITS(units_bytes, UINT64_MAX, "16EB");
	return TEST_PASSED;
}

TEST(rates)
{
	CHECK_UNITS(units_count_rate, 0, "0");
	CHECK_UNITS(units_count_rate, -1, "0");		/* never printed negative */
	CHECK_UNITS(units_count_rate, 0.333, "0.3");
	CHECK_UNITS(units_count_rate, 12.5, "12.5");
	CHECK_UNITS(units_count_rate, 99.96, "100");
	CHECK_UNITS(units_count_rate, 999.4, "999");
	CHECK_UNITS(units_count_rate, 999.6, "1.0K");
	CHECK_UNITS(units_count_rate, 1234567, "1.2M");
	CHECK_UNITS(units_bytes_rate, 0, "0B");
	CHECK_UNITS(units_bytes_rate, 0.5, "0.5B");
	CHECK_UNITS(units_bytes_rate, 1500, "1.5KB");
	CHECK_UNITS(units_bytes_rate, 125000000, "119MB");
	return TEST_PASSED;
}
