/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers for people: "1.2K" packets, "35MB" of bytes, "0.5" per second.
 * Three significant digits at most, so columns stay narrow; JSON and
 * OpenMetrics always carry the exact integers.
 */
#ifndef SKBSTAT_UNITS_H
#define SKBSTAT_UNITS_H

#include <stdint.h>

/* "18446744073709551615" or "1023.5KB/s" and a NUL. */
#define UNITS_BUF_LEN	24

/* Below 1000 exactly, then "1.2K", "12K", "123K", "1.0M" ... "18E" (powers of 1000). */
const char *units_count(uint64_t n, char buf[UNITS_BUF_LEN]);

/* "0B" ... "1023B", then "1.0KB", "12KB", "123KB", "1.0MB" ... (powers of 1024). */
const char *units_bytes(uint64_t n, char buf[UNITS_BUF_LEN]);

/* A count per second: "0", "0.3", "12.5", "999", "1.2K" ... */
const char *units_count_rate(double rate, char buf[UNITS_BUF_LEN]);

/* Bytes per second: "0B", "0.3B", "12.5B", "999B", "1.2KB" ... */
const char *units_bytes_rate(double rate, char buf[UNITS_BUF_LEN]);

#endif /* SKBSTAT_UNITS_H */
