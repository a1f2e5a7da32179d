// SPDX-License-Identifier: GPL-2.0
/*
 * Hand-built snapshots.  The values are chosen to exercise the rules:
 * equal packet counts (tie broken by key), a reason id the kernel did not
 * name, missing device and location, a counter beyond 2^53 that a double
 * would round, and a long device name that widens its column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/skbstat.h>
#include <skbstat/hooks.h>

#include "test.h"

#define INIT_NETNS	4026531840u
#define CONTAINER_NETNS	4026532001u

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void fixture_add_drop(struct skbstat_snapshot *snap, uint32_t reason, const char *location,
		      uint32_t ifindex, const char *dev, uint32_t netns, uint16_t proto,
		      uint64_t packets, uint64_t bytes)
{
	struct skbstat_drop_row *row = snapshot_add_drop(snap);

	if (!row)
		abort();
	row->reason = reason;
	row->location = dup_or_null(location);
	row->ifindex = ifindex;
	row->dev = dup_or_null(dev);
	row->netns = netns;
	row->proto = proto;
	row->packets = packets;
	row->bytes = bytes;
}

static void add_reasons(struct skbstat_snapshot *snap)
{
	/* Out of order on purpose: the table must sort itself. */
	snapshot_add_reason(snap, 8, "NETFILTER_DROP");
	snapshot_add_reason(snap, 2, "NOT_SPECIFIED");
	snapshot_add_reason(snap, 3, "NO_SOCKET");
	snapshot_add_reason(snap, 5, "TCP_CSUM");
}

void fixture_mixed(struct skbstat_snapshot *snap)
{
	snapshot_init(snap);
	add_reasons(snap);
	fixture_add_drop(snap, 3, "tcp_v4_rcv+0x8c", 2, "eth0", INIT_NETNS, ETH_P_IP,
			 120, 7200);
	fixture_add_drop(snap, 3, "tcp_v6_rcv+0x9a", 2, "eth0", INIT_NETNS, ETH_P_IPV6,
			 30, 2400);
	fixture_add_drop(snap, 8, "nf_hook_slow+0xe0", 3, "veth-container0",
			 CONTAINER_NETNS, ETH_P_IP, 120, 9000);
	fixture_add_drop(snap, 2, "sk_stream_kill_queues+0x50", 0, NULL, INIT_NETNS,
			 ETH_P_IP, 5, 300);
	fixture_add_drop(snap, 999, "mystery_rcv+0x10", 3, "veth-container0",
			 CONTAINER_NETNS, ETH_P_ARP, 7, 294);
	fixture_add_drop(snap, 3, "udp_queue_rcv_one_skb+0x1a2", 3, "veth-container0",
			 CONTAINER_NETNS, 0x1234, 1, 60);
	fixture_add_drop(snap, 8, NULL, 2, "eth0", INIT_NETNS, ETH_P_IP,
			 9007199254740993ull, 12345678901234567890ull);
}

static void add_hook(struct skbstat_snapshot *snap, uint32_t id, const char *name,
		     bool attached, uint32_t mode, uint64_t events, uint64_t bytes,
		     uint64_t table_full, uint32_t rows, uint32_t limit)
{
	struct skbstat_hook_status *hook = status_add_hook(&snap->status);

	if (!hook)
		abort();
	hook->id = id;
	hook->name = strdup(name);
	hook->attached = attached;
	hook->mode = mode;
	hook->events = events;
	hook->bytes = bytes;
	hook->table_full = table_full;
	hook->rows = rows;
	hook->limit = limit;
}

void fixture_status(struct skbstat_snapshot *snap)
{
	snapshot_init(snap);
	snap->status.version = SKBSTAT_GENL_VERSION;
	add_hook(snap, SKBSTAT_HOOK_DROPS, SKBSTAT_HOOK_NAME_DROPS, true,
		 SKBSTAT_MODE_TRACEPOINT, 1234567, 98765432, 0, 42,
		 SKBSTAT_DEFAULT_DROP_ROWS);
	add_hook(snap, SKBSTAT_HOOK_FLOWS, SKBSTAT_HOOK_NAME_FLOWS, true,
		 SKBSTAT_MODE_KPROBE, 77, 110000, 3, 16384, SKBSTAT_DEFAULT_FLOW_ROWS);
	add_hook(snap, SKBSTAT_HOOK_QUEUES, SKBSTAT_HOOK_NAME_QUEUES, false, 7, 0, 0, 0, 0,
		 SKBSTAT_DEFAULT_QUEUE_ROWS);
}
