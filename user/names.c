// SPDX-License-Identifier: GPL-2.0
/*
 * Name tables.  L3 protocol numbers are a stable ABI, so their names may be
 * compiled in; drop reasons are not and come from the snapshot.
 */
#include <stdio.h>
#include <linux/if_ether.h>
#include <linux/skbstat.h>

#include "names.h"
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

const char *drop_reason_name(const struct skbstat_snapshot *snap, uint32_t id,
			     char buf[NAME_BUF_LEN])
{
	const char *name = snapshot_reason_name(snap, id);

	if (name)
		return name;
	snprintf(buf, NAME_BUF_LEN, "%u", id);
	return buf;
}
