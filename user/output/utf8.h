/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strings from the kernel in formats that must be UTF-8: a device name
 * is any bytes its owner chose (any netns owner, a container's too), and
 * JSON (RFC 8259) and OpenMetrics consumers reject a document with one
 * invalid byte.  Each byte that starts no valid sequence becomes U+FFFD,
 * as decoders that replace do; valid text passes unchanged.
 */
#ifndef SKBSTAT_UTF8_H
#define SKBSTAT_UTF8_H

#include <stdbool.h>

bool utf8_valid(const char *s);

/* @s with every invalid byte replaced by U+FFFD, to free(); NULL when out of memory. */
char *utf8_repair(const char *s);

#endif /* SKBSTAT_UTF8_H */
