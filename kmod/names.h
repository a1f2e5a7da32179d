/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for what the rows hold as numbers: code addresses and devices.
 */
#ifndef _SKBSTAT_KMOD_NAMES_H
#define _SKBSTAT_KMOD_NAMES_H

#include <linux/if.h>
#include <linux/types.h>

void skbstat_symbolize(char *buf, size_t len, u64 addr, bool addresses);
bool skbstat_dev_name(u64 cookie, u32 ifindex, char name[IFNAMSIZ]);

#endif /* _SKBSTAT_KMOD_NAMES_H */
