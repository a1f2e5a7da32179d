/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turning raw kernel numbers into the names people read.  Each function
 * falls back to the number itself, so nothing unknown is ever hidden.
 */
#ifndef SKBSTAT_NAMES_H
#define SKBSTAT_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "model/snapshot.h"

/* Long enough for any fallback: a u32 in decimal or "0x%04x". */
#define NAME_BUF_LEN	16

/* "[ffff:...:ffff]:65535" */
#define ENDPOINT_BUF_LEN	(INET6_ADDRSTRLEN + sizeof("[]:65535"))

/* "ipv4", "ipv6", "arp", ... or "0x%04x". */
const char *proto_name(uint16_t proto, char buf[NAME_BUF_LEN]);

/* A number as the names above fall back to it, for --no-resolve. */
const char *proto_number(uint16_t proto, char buf[NAME_BUF_LEN]);
const char *decimal_name(uint32_t value, char buf[NAME_BUF_LEN]);

/* "tracepoint", "kprobe" or the number. */
const char *attach_mode_name(uint32_t mode, char buf[NAME_BUF_LEN]);

/* The inverse, for the module's modes; -EINVAL for any other name. */
int attach_mode_parse(const char *name, uint32_t *mode);

/* The names attach_mode_parse() knows, for messages: "tracepoint or kprobe". */
#define ATTACH_MODE_NAMES	"tracepoint or kprobe"

/* As ss(8) names TCP states: "ESTAB", "SYN-SENT", ... or the number. */
const char *tcp_state_name(uint8_t state, char buf[NAME_BUF_LEN]);

/* "10.0.0.1" or "fe80::1"; @addr is in network order. */
const char *inet_addr_name(uint8_t family, const uint8_t *addr, char buf[INET6_ADDRSTRLEN]);

/* "10.0.0.1:5201" or "[fe80::1]:22", as ss(8) prints them. */
const char *inet_endpoint_name(uint8_t family, const uint8_t *addr, uint16_t port,
			       char buf[ENDPOINT_BUF_LEN]);

/* The running kernel's name for a drop reason, or the id in decimal. */
const char *drop_reason_name(const struct skbstat_snapshot *snap, uint32_t id,
			     char buf[NAME_BUF_LEN]);

/*
 * The inverse: a reason as drop_reason_name() shows it, in any case, with
 * or without the SKB_DROP_REASON_ prefix, or an id in decimal.  Returns
 * -ENOENT when the running kernel has no reason of that name.
 */
int drop_reason_id(const struct skbstat_snapshot *snap, const char *name, uint32_t *id);

#endif /* SKBSTAT_NAMES_H */
