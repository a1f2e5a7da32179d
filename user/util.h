/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SKBSTAT_UTIL_H
#define SKBSTAT_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* SKBSTAT_UTIL_H */
