// SPDX-License-Identifier: GPL-2.0
/*
 * Name tables.  L3 protocol numbers and TCP states are a stable ABI, so
 * their names may be compiled in; drop reasons are not and come from the
 * snapshot.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/skbstat.h>

#include "model/names.h"
#include "util.h"

static const struct {
	uint16_t proto;
	const char *name;
} proto_names[] = {
	{ ETH_P_IP,		"ipv4" },
	{ ETH_P_IPV6,		"ipv6" },
	{ ETH_P_ARP,		"arp" },
	{ ETH_P_RARP,		"rarp" },
	{ ETH_P_8021Q,		"802.1q" },
	{ ETH_P_8021AD,		"802.1ad" },
	{ ETH_P_MPLS_UC,	"mpls" },
	{ ETH_P_MPLS_MC,	"mpls-mc" },
	{ ETH_P_PPP_DISC,	"pppoe-disc" },
	{ ETH_P_PPP_SES,	"pppoe" },
	{ ETH_P_LLDP,		"lldp" },
	{ ETH_P_SLOW,		"lacp" },
	{ ETH_P_PAE,		"eapol" },
	{ ETH_P_IPX,		"ipx" },
	{ ETH_P_TIPC,		"tipc" },
	{ ETH_P_FCOE,		"fcoe" },
	{ ETH_P_1588,		"ptp" },
	{ ETH_P_NSH,		"nsh" },
	{ ETH_P_MACSEC,		"macsec" },
	{ ETH_P_802_3,		"802.3" },
	{ ETH_P_802_2,		"802.2" },
};

const char *proto_name(uint16_t proto, char buf[NAME_BUF_LEN])
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(proto_names); i++)
		if (proto_names[i].proto == proto)
			return proto_names[i].name;
	snprintf(buf, NAME_BUF_LEN, "0x%04x", proto);
	return buf;
}

const char *proto_number(uint16_t proto, char buf[NAME_BUF_LEN])
{
	snprintf(buf, NAME_BUF_LEN, "0x%04x", proto);
	return buf;
}

const char *decimal_name(uint32_t value, char buf[NAME_BUF_LEN])
{
	snprintf(buf, NAME_BUF_LEN, "%u", value);
	return buf;
}

const char *attach_mode_name(uint32_t mode, char buf[NAME_BUF_LEN])
{
	switch (mode) {
	case SKBSTAT_MODE_TRACEPOINT:
		return "tracepoint";
	case SKBSTAT_MODE_KPROBE:
		return "kprobe";
	}
	snprintf(buf, NAME_BUF_LEN, "%u", mode);
	return buf;
}

int attach_mode_parse(const char *name, uint32_t *mode)
{
	char buf[NAME_BUF_LEN];
	uint32_t i;

	for (i = 0; i < SKBSTAT_MODE_COUNT; i++) {
		if (!strcmp(name, attach_mode_name(i, buf))) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* ss(8)'s names; the last two states are the kernel's own, never in a header. */
static const char *const tcp_state_names[] = {
	[TCP_ESTABLISHED]	= "ESTAB",
	[TCP_SYN_SENT]		= "SYN-SENT",
	[TCP_SYN_RECV]		= "SYN-RECV",
	[TCP_FIN_WAIT1]		= "FIN-WAIT-1",
	[TCP_FIN_WAIT2]		= "FIN-WAIT-2",
	[TCP_TIME_WAIT]		= "TIME-WAIT",
	[TCP_CLOSE]		= "UNCONN",
	[TCP_CLOSE_WAIT]	= "CLOSE-WAIT",
	[TCP_LAST_ACK]		= "LAST-ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
	[12]			= "SYN-RECV",		/* TCP_NEW_SYN_RECV */
	[13]			= "BOUND-INACTIVE",	/* TCP_BOUND_INACTIVE */
};

const char *tcp_state_name(uint8_t state, char buf[NAME_BUF_LEN])
{
	if (state < ARRAY_SIZE(tcp_state_names) && tcp_state_names[state])
		return tcp_state_names[state];
	snprintf(buf, NAME_BUF_LEN, "%u", state);
	return buf;
}

/* AF_UNSPEC: the netns gone row, which stands for many flows. */
const char *inet_addr_name(uint8_t family, const uint8_t *addr, char buf[INET6_ADDRSTRLEN])
{
	if (family == AF_UNSPEC)
		snprintf(buf, INET6_ADDRSTRLEN, "-");
	else if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, INET6_ADDRSTRLEN))
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

const char *inet_endpoint_name(uint8_t family, const uint8_t *addr, uint16_t port,
			       char buf[ENDPOINT_BUF_LEN])
{
	char addr_buf[INET6_ADDRSTRLEN];

	if (family == AF_UNSPEC) {
		snprintf(buf, ENDPOINT_BUF_LEN, "-");
		return buf;
	}
	inet_addr_name(family, addr, addr_buf);
	snprintf(buf, ENDPOINT_BUF_LEN, family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr_buf, port);
	return buf;
}

const char *drop_reason_name(const struct skbstat_snapshot *snap, uint32_t id,
			     char buf[NAME_BUF_LEN])
{
	const char *name = snapshot_reason_name(snap, id);

	if (name)
		return name;
	/* Never a name the kernel did not give: a subsystem not loaded, a newer kernel. */
	snprintf(buf, NAME_BUF_LEN, "UNKNOWN(%u)", id);
	return buf;
}

/* A u32 in decimal, digits only. */
static int parse_u32(const char *text, uint32_t *value)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return -EINVAL;
	*value = v;
	return 0;
}

/* "UNKNOWN(n)", as drop_reason_name() shows reason n. */
static int unknown_reason_id(const char *name, uint32_t *id)
{
	static const char prefix[] = "UNKNOWN(";
	char digits[11];
	size_t len;

	if (strncasecmp(name, prefix, strlen(prefix)))
		return -EINVAL;
	name += strlen(prefix);
	len = strlen(name);
	if (len < 2 || len > sizeof(digits) || name[len - 1] != ')')
		return -EINVAL;
	memcpy(digits, name, len - 1);
	digits[len - 1] = 0;
	return parse_u32(digits, id);
}

int drop_reason_id(const struct skbstat_snapshot *snap, const char *name, uint32_t *id)
{
	static const char prefix[] = "SKB_DROP_REASON_";
	size_t i;

	if (!parse_u32(name, id))
		return 0;
	/* What drop_reason_name() shows for a reason without a name. */
	if (!unknown_reason_id(name, id))
		return 0;
	if (!strncasecmp(name, prefix, strlen(prefix)))
		name += strlen(prefix);
	for (i = 0; i < snap->nr_reasons; i++) {
		if (!strcasecmp(snap->reasons[i].name, name)) {
			*id = snap->reasons[i].id;
			return 0;
		}
	}
	return -ENOENT;
}
