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
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/skbstat.h>
#include <skbstat/hooks.h>

#include "test.h"
#include "util.h"

/* Only helpers for the cases of other files. */
TEST_NO_CASES();

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
	/* The module says what its probes missed: a kprobe mode only may miss. */
	hook->has_missed = true;
	hook->missed = mode == SKBSTAT_MODE_KPROBE ? 2 : 0;
}

/*
 * The module's tables at the default limits with 2 possible CPUs, as the
 * 6.1 lab kernel's allocators give them: parts past a page take their
 * pages, the table itself kmalloc's 512 bytes, and the flows table's rows
 * are one copy for all CPUs (32 bytes per CPU: its totals).
 */
static void fixture_status_memory(struct skbstat_status *status)
{
	static const struct skbstat_table_memory tables[] = {
		{ "drops", 786944, 135168 },
		{ "flows", 2581056, 32 },
		{ "queues", 537088, 159744 },
	};

	status->memory.possible_cpus = 2;
	status->memory.nr_tables = ARRAY_SIZE(tables);
	memcpy(status->memory.tables, tables, sizeof(tables));
}

void fixture_status(struct skbstat_snapshot *snap)
{
	snapshot_init(snap);
	snap->status.version = SKBSTAT_GENL_VERSION;
	snap->status.drop_reasons = SKBSTAT_DROP_REASONS_KERNEL;
	add_hook(snap, SKBSTAT_HOOK_DROPS, SKBSTAT_HOOK_NAME_DROPS, true,
		 SKBSTAT_MODE_TRACEPOINT, 1234567, 98765432, 0, 42,
		 SKBSTAT_DEFAULT_DROP_ROWS);
	add_hook(snap, SKBSTAT_HOOK_FLOWS, SKBSTAT_HOOK_NAME_FLOWS, true,
		 SKBSTAT_MODE_KPROBE, 77, 110000, 3, 16384, SKBSTAT_DEFAULT_FLOW_ROWS);
	add_hook(snap, SKBSTAT_HOOK_QUEUES, SKBSTAT_HOOK_NAME_QUEUES, false, 7, 0, 0, 0, 0,
		 SKBSTAT_DEFAULT_QUEUE_ROWS);
	fixture_status_memory(&snap->status);
}

/* A kernel without drop reasons (5.10), the drop hook in kprobe mode. */
void fixture_status_no_reasons(struct skbstat_snapshot *snap)
{
	fixture_status(snap);
	snap->status.drop_reasons = SKBSTAT_DROP_REASONS_NONE;
	snap->status.hooks[0].mode = SKBSTAT_MODE_KPROBE;
	snap->status.hooks[0].missed = 5;
	snprintf(snap->status.hooks[0].gaps, sizeof(snap->status.hooks[0].gaps), "%s",
		 "a drop of a shared skb whose other references go during the free");
}

#define NSEC_PER_SEC	1000000000ull

static void add_flow(struct skbstat_snapshot *snap, uint32_t netns, const char *saddr,
		     uint16_t sport, const char *daddr, uint16_t dport, uint8_t state,
		     uint64_t retransmits, uint64_t bytes, uint64_t age_s)
{
	struct skbstat_flow_row *row = snapshot_add_flow(snap);
	int family = strchr(saddr, ':') ? AF_INET6 : AF_INET;

	if (!row || inet_pton(family, saddr, row->saddr) != 1 ||
	    inet_pton(family, daddr, row->daddr) != 1)
		abort();
	row->netns = netns;
	row->family = family;
	row->sport = sport;
	row->dport = dport;
	row->state = state;
	row->retransmits = retransmits;
	row->bytes = bytes;
	row->events = retransmits / 2 + 1;
	/* Some failed attempts; a row of a mode that cannot see them is state 99's. */
	row->failed_known = state != 99;
	row->failed = row->failed_known ? retransmits / 3 : 0;
	row->last_ns = age_s == FIXTURE_NEVER ? 0 : FIXTURE_NOW_NS - age_s * NSEC_PER_SEC;
	row->first_ns = row->last_ns ? row->last_ns - 3 * NSEC_PER_SEC : 0;
}

void fixture_flows(struct skbstat_snapshot *snap)
{
	snapshot_init(snap);
	/* Inserted in no particular order: the view sorts by retransmits. */
	add_flow(snap, INIT_NETNS, "10.0.0.1", 5201, "10.0.0.2", 40322, TCP_ESTABLISHED,
		 12, 17376, 42);
	add_flow(snap, CONTAINER_NETNS, "fe80::1", 22, "fe80::abcd:2", 51000, TCP_FIN_WAIT1,
		 40, 57920, 303);
	add_flow(snap, INIT_NETNS, "192.168.100.200", 443, "203.0.113.77", 65535,
		 TCP_CLOSE_WAIT, 9007199254740993ull, 12345678901234567890ull, 7500);
	add_flow(snap, INIT_NETNS, "10.0.0.1", 33000, "10.0.0.9", 80, TCP_SYN_SENT,
		 12, 0, 0);
	add_flow(snap, INIT_NETNS, "10.0.0.1", 33001, "10.0.0.9", 80, TCP_SYN_SENT,
		 12, 0, 2);			/* ties with the one above: key order */
	add_flow(snap, CONTAINER_NETNS, "2001:db8::10", 8080, "::ffff:10.1.2.3", 1234,
		 TCP_LAST_ACK, 3, 1448, 3 * 86400 + 4 * 3600 + 5);
	add_flow(snap, CONTAINER_NETNS, "10.0.0.5", 1, "10.0.0.6", 2, 99, 1, 60,
		 FIXTURE_NEVER);		/* a state newer than this CLI, no time */
	add_flow(snap, INIT_NETNS, "10.0.0.7", 2000, "10.0.0.8", 3000, TCP_LISTEN,
		 2, 100, 2 * 3600 + 5 * 60 + 59);
}

static void add_queue(struct skbstat_snapshot *snap, uint32_t netns, uint32_t ifindex,
		      const char *dev, uint16_t queue, const uint64_t *hist)
{
	struct skbstat_queue_row *row = snapshot_add_queue(snap);
	size_t i;

	if (!row)
		abort();
	row->netns = netns;
	row->ifindex = ifindex;
	row->dev = dup_or_null(dev);
	row->queue = queue;
	for (i = 0; i < SKBSTAT_HIST_BUCKETS; i++) {
		row->hist[i] = hist[i];
		row->packets += hist[i];
		/* Every packet sized at its bucket's lower bound. */
		row->bytes += hist[i] * (i ? 1ull << i : 1);
	}
}

/* Histograms as bucket = count; sizes in the comments. */
void fixture_queues(struct skbstat_snapshot *snap)
{
	static const uint64_t acks[SKBSTAT_HIST_BUCKETS] = { [6] = 900 };	/* 64B */
	static const uint64_t web[SKBSTAT_HIST_BUCKETS] = {
		[6] = 30, [7] = 60, [10] = 400, [11] = 80,			/* 64B-4K */
	};
	static const uint64_t gapped[SKBSTAT_HIST_BUCKETS] = { [5] = 5, [10] = 1000 };
	static const uint64_t tiny[SKBSTAT_HIST_BUCKETS] = {			/* 0-3B */
		[0] = 9007199254740993ull, [1] = 1,	/* beyond a double's exact range */
	};
	static const uint64_t gso[SKBSTAT_HIST_BUCKETS] = {
		[10] = 10, [14] = 200, [15] = 700, [16] = 5000000000ull,
	};
	static const uint64_t huge_only[SKBSTAT_HIST_BUCKETS] = { [16] = 4 };
	static const uint64_t empty[SKBSTAT_HIST_BUCKETS] = { 0 };

	snapshot_init(snap);
	/* Inserted out of order: the view sorts by netns, ifindex, queue. */
	add_queue(snap, INIT_NETNS, 2, "eth0", 1, web);
	add_queue(snap, CONTAINER_NETNS, 2, "eth0", 0, acks);
	add_queue(snap, INIT_NETNS, 2, "eth0", 0, gapped);
	add_queue(snap, INIT_NETNS, 1, "lo", 0, tiny);
	add_queue(snap, INIT_NETNS, 7, "veth-container0", 3, gso);
	add_queue(snap, INIT_NETNS, 9, NULL, 0, huge_only);	/* device gone */
	add_queue(snap, CONTAINER_NETNS, 5, "wg0", 0, empty);	/* no sizes known */
}
