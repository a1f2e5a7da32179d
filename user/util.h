/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every file may use, with their kernel meaning. */
#ifndef SKBSTAT_UTIL_H
#define SKBSTAT_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif /* SKBSTAT_UTIL_H */
