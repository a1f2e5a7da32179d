/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turning raw kernel numbers into the names people read.  Each function
 * falls back to the number itself, so nothing unknown is ever hidden.
 */
#ifndef SKBSTAT_NAMES_H
#define SKBSTAT_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* Long enough for any fallback: a u32 in decimal or "0x%04x". */
#define NAME_BUF_LEN	16

/* "ipv4", "ipv6", "arp", ... or "0x%04x". */
const char *proto_name(uint16_t proto, char buf[NAME_BUF_LEN]);

/* "tracepoint", "kprobe" or the number. */
const char *attach_mode_name(uint32_t mode, char buf[NAME_BUF_LEN]);

/* The running kernel's name for a drop reason, or the id in decimal. */
const char *drop_reason_name(const struct skbstat_snapshot *snap, uint32_t id,
			     char buf[NAME_BUF_LEN]);

#endif /* SKBSTAT_NAMES_H */
