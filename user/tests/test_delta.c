// SPDX-License-Identifier: GPL-2.0
/*
 * Interval mode from recorded snapshots: the change between two reads, in
 * every view and format (tests/golden/delta_*), rows that appear, vanish or
 * stay idle, and counters that went backwards after a reset or a reload,
 * which must show as "reset", never as a difference that wrapped around.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/skbstat.h>

#include "model/delta.h"
#include "model/group.h"
#include "test.h"
#include "view/views.h"

#define INIT_NETNS	4026531840u
#define CONTAINER_NETNS	4026532001u
#define BIG		9007199254740993ull	/* beyond a double's exact range */
#define INTERVAL	2.0

static void add_reasons(struct skbstat_snapshot *snap)
{
	snapshot_add_reason(snap, 2, "NOT_SPECIFIED");
	snapshot_add_reason(snap, 3, "NO_SOCKET");
	snapshot_add_reason(snap, 8, "NETFILTER_DROP");
}

static void add_hook(struct skbstat_snapshot *snap, uint32_t id, const char *name,
		     uint64_t events, uint64_t bytes, uint64_t table_full)
{
	struct skbstat_hook_status *hook = status_add_hook(&snap->status);

	if (!hook)
		abort();
	hook->id = id;
	hook->name = strdup(name);
	hook->attached = true;
	hook->events = events;
	hook->bytes = bytes;
	hook->table_full = table_full;
	hook->rows = 6;
	hook->limit = 8192;
}

/* The first read. */
static void drops_before(struct skbstat_snapshot *snap)
{
	snapshot_init(snap);
	add_reasons(snap);
	add_hook(snap, SKBSTAT_HOOK_DROPS, SKBSTAT_HOOK_NAME_DROPS, 5000, 300000, 0);
	fixture_add_drop(snap, 3, "tcp_v4_rcv+0x8c", 2, "eth0", INIT_NETNS, ETH_P_IP,
			 100, 6000);
	fixture_add_drop(snap, 8, "nf_hook_slow+0xe0", 3, "veth-container0",
			 CONTAINER_NETNS, ETH_P_IP, 50, 3000);
	fixture_add_drop(snap, 2, "sk_stream_kill_queues+0x50", 0, NULL, INIT_NETNS,
			 ETH_P_IP, 10, 600);
	fixture_add_drop(snap, 3, "tcp_v6_rcv+0x9a", 2, "eth0", INIT_NETNS, ETH_P_IPV6,
			 BIG, 12345678901234567000ull);
	fixture_add_drop(snap, 8, NULL, 2, "eth0", INIT_NETNS, ETH_P_IP, 500, 40000);
	fixture_add_drop(snap, 3, "udp_queue_rcv_one_skb+0x1a2", 3, "veth-container0",
			 CONTAINER_NETNS, 0x1234, 7, 294);
}

/*
 * The second read, in another row order: one row grew by 1000, one by 45,
 * the big one by 2; one vanished, one went backwards (zeroed and counted
 * 20 since), one stayed idle and one is new.  The reasons were not read
 * again.
 */
static void drops_after(struct skbstat_snapshot *snap, uint64_t hook_events)
{
	snapshot_init(snap);
	add_hook(snap, SKBSTAT_HOOK_DROPS, SKBSTAT_HOOK_NAME_DROPS, hook_events, 360000, 0);
	fixture_add_drop(snap, 3, "udp_queue_rcv_one_skb+0x1a2", 3, "veth-container0",
			 CONTAINER_NETNS, 0x1234, 7, 294);
	fixture_add_drop(snap, 999, "mystery_rcv+0x10", 3, "veth-container0",
			 CONTAINER_NETNS, ETH_P_ARP, 7, 294);
	fixture_add_drop(snap, 8, NULL, 2, "eth0", INIT_NETNS, ETH_P_IP, 20, 1600);
	fixture_add_drop(snap, 3, "tcp_v6_rcv+0x9a", 2, "eth0", INIT_NETNS, ETH_P_IPV6,
			 BIG + 2, 12345678901234567120ull);
	fixture_add_drop(snap, 8, "nf_hook_slow+0xe0", 3, "veth-container0",
			 CONTAINER_NETNS, ETH_P_IP, 95, 5700);
	fixture_add_drop(snap, 3, "tcp_v4_rcv+0x8c", 2, "eth0", INIT_NETNS, ETH_P_IP,
			 1100, 66000);
}

/* Compute the change from @before to @after into @delta; abort on failure. */
static void delta_of(const struct skbstat_snapshot *before,
		     const struct skbstat_snapshot *after, struct skbstat_snapshot *delta)
{
	snapshot_init(delta);
	if (snapshot_delta(before, after, delta))
		abort();
}

static enum test_result drops_golden(const char *stem, unsigned int keys,
				     uint64_t hook_events)
{
	struct skbstat_snapshot before, after, delta;
	struct drops_view_opts opts = { .keys = keys, .interval = INTERVAL };
	struct view_case c = { &delta, &opts, view_case_drops };
	enum test_result result;

	drops_before(&before);
	drops_after(&after, hook_events);
	delta_of(&before, &after, &delta);
	result = view_case_golden(stem, &c);
	snapshot_free(&before);
	snapshot_free(&after);
	snapshot_free(&delta);
	return result;
}

/* Changes, rates, a new row, a reset row; idle and vanished rows left out. */
TEST(drops_changes)
{
	return drops_golden("delta_drops", DROP_KEYS_ALL, 6000);
}

/* A group with a reset row is marked reset, its sum the counts since. */
TEST(drops_changes_by_reason)
{
	return drops_golden("delta_drops_by_reason", DROP_KEY_REASON, 6000);
}

/*
 * The hook's total went backwards: the table was zeroed (skbstat reset, a
 * reload), so even rows that grew past their old counts start afresh.
 */
TEST(drops_table_reset)
{
	return drops_golden("delta_drops_table_reset", DROP_KEYS_ALL, 600);
}

/* The pure function itself: exact differences, never a wrapped one. */
TEST(drops_values)
{
	struct skbstat_snapshot before, after, delta;
	size_t i, resets = 0;

	drops_before(&before);
	drops_after(&after, 6000);
	delta_of(&before, &after, &delta);
	CHECK_U64(delta.nr_drops, after.nr_drops);
	CHECK_U64(delta.nr_reasons, 3);
	for (i = 0; i < delta.nr_drops; i++) {
		const struct skbstat_drop_row *d = &delta.drops[i];

		CHECK(d->packets <= after.drops[i].packets);
		CHECK(d->bytes <= after.drops[i].bytes);
		resets += d->reset;
	}
	CHECK_U64(resets, 1);
	CHECK_U64(delta.drops[2].packets, 20);		/* the reset row */
	CHECK(delta.drops[2].reset);
	CHECK_U64(delta.drops[3].packets, 2);		/* BIG + 2 - BIG */
	CHECK_U64(delta.drops[3].bytes, 120);
	CHECK_U64(delta.drops[1].packets, 7);		/* new */
	CHECK(!delta.drops[1].reset);
	CHECK_U64(delta.drops[0].packets, 0);		/* idle */
	CHECK_U64(delta.status.hooks[0].events, 1000);
	snapshot_free(&before);
	snapshot_free(&after);
	snapshot_free(&delta);
	return TEST_PASSED;
}

/* Nothing changed: the header only, no rows of zeros. */
TEST(drops_idle)
{
	struct skbstat_snapshot before, delta;
	struct drops_view_opts opts = { .keys = DROP_KEY_REASON, .interval = 1 };
	struct view_case c = { &delta, &opts, view_case_drops };
	char *text;

	drops_before(&before);
	delta_of(&before, &before, &delta);
	text = out_render(OUT_FORMAT_TEXT, view_case_emit, &c);
	snapshot_free(&before);
	snapshot_free(&delta);
	CHECK_STR(text, "REASON  PACKETS  PKT/S  BYTES  BYTES/S\n");
	free(text);
	return TEST_PASSED;
}

static void flows_after(struct skbstat_snapshot *snap)
{
	size_t i;

	fixture_flows(snap);
	for (i = 0; i < snap->nr_flows; i++) {
		struct skbstat_flow_row *row = &snap->flows[i];

		if (row->sport == 5201) {		/* 10 more segments */
			row->retransmits += 10;
			row->bytes += 14480;
			row->events += 6;
			row->failed += 2;
		} else if (row->sport == 22) {		/* zeroed, then 1 */
			row->retransmits = 1;
			row->bytes = 1448;
			row->events = 1;
			row->failed = 0;
		} else if (row->sport == 443) {		/* the big one, 1 more */
			row->retransmits += 1;
			row->bytes += 1448;
			row->events += 1;
		}
	}
}

TEST(flows_changes)
{
	struct skbstat_snapshot before, after, delta;
	struct flows_view_opts opts = { .now_ns = FIXTURE_NOW_NS, .interval = INTERVAL };
	struct view_case c = { &delta, &opts, view_case_flows };
	enum test_result result;

	fixture_flows(&before);
	flows_after(&after);
	delta_of(&before, &after, &delta);
	result = view_case_golden("delta_flows", &c);
	snapshot_free(&before);
	snapshot_free(&after);
	snapshot_free(&delta);
	return result;
}

static void queues_after(struct skbstat_snapshot *snap)
{
	size_t i;

	fixture_queues(snap);
	for (i = 0; i < snap->nr_queues; i++) {
		struct skbstat_queue_row *row = &snap->queues[i];

		if (row->ifindex == 2 && row->queue == 1) {	/* 2000 x 1500 B */
			row->hist[10] += 2000;
			row->packets += 2000;
			row->bytes += 3000000;
		} else if (row->ifindex == 7) {			/* zeroed, then 3 */
			memset(row->hist, 0, sizeof(row->hist));
			row->hist[6] = 3;
			row->packets = 3;
			row->bytes = 200;
		}
	}
}

/* Queues that sent something, the histogram of the interval alone. */
TEST(queues_changes)
{
	struct skbstat_snapshot before, after, delta;
	struct queues_view_opts opts = { .interval = INTERVAL };
	struct view_case c = { &delta, &opts, view_case_queues };
	enum test_result result;

	fixture_queues(&before);
	queues_after(&after);
	delta_of(&before, &after, &delta);
	result = view_case_golden("delta_queues", &c);
	snapshot_free(&before);
	snapshot_free(&after);
	snapshot_free(&delta);
	return result;
}

/* Hooks: events per second; the queues hook was reset. */
TEST(status_changes)
{
	const struct status_view_source source = { "kmod", "skbstat module", INTERVAL };
	struct skbstat_snapshot before, after, delta;
	struct view_case c = { &delta, &source, view_case_status };
	enum test_result result;

	fixture_status(&before);
	fixture_status(&after);
	after.status.hooks[0].events += 3000;
	after.status.hooks[0].bytes += 180000;
	after.status.hooks[1].events += 1;
	after.status.hooks[1].table_full += 1;
	after.status.hooks[2].events = 0;
	before.status.hooks[2].events = 77;
	delta_of(&before, &after, &delta);
	result = view_case_golden("delta_status", &c);
	snapshot_free(&before);
	snapshot_free(&after);
	snapshot_free(&delta);
	return result;
}
