// SPDX-License-Identifier: GPL-2.0
/*
 * Tables never grow past their limits, whatever the traffic, and every
 * event is accounted for: rows + table_full = events, exactly.  Dumps of
 * more rows than fit in one message come back whole.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define DROP_ROWS	64
#define FLOW_ROWS	4
#define ETHERTYPES	300
#define CONNECTIONS	12
#define DEAD_PORT	6000
#define BIG_DUMP	10000

struct eth_job {
	uint16_t first;
	unsigned int n;
};

static int send_eth_types(void *arg)
{
	const struct eth_job *job = arg;

	return eth_send_types("va", job->first, job->n) ? 1 : 0;
}

static int connect_to_dead_port(void *arg)
{
	/* The first SYN retransmit comes after 1 s. */
	return tcp_connect_many("10.77.0.2", DEAD_PORT, CONNECTIONS, 1600) ? 1 : 0;
}

FIXTURE(limits) {
	struct hosts h;
};

BACKEND_VARIANTS(limits);

FIXTURE_SETUP(limits)
{
	int err = backend_up_limits(&variant->v, DROP_ROWS, FLOW_ROWS, 0);

	if (err == -EOPNOTSUPP)
		SKIP(return, "%s/%s not available here", variant->v.backend, variant->v.mode);
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(limits)
{
	hosts_down(&self->h);
	backend_down_limits(&variant->v);
}

TEST_F(limits, drops_table_full_is_exact)
{
	struct eth_job job = { .first = 0x4000, .n = ETHERTYPES };
	struct hook_totals t;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, totals_settled(&variant->v, "skb:kfree_skb", "drops", "packets",
				    &t, &sum, &rows));

	EXPECT_EQ((uint64_t)DROP_ROWS, t.limit);
	EXPECT_EQ((uint64_t)DROP_ROWS, t.rows);
	EXPECT_EQ((uint64_t)DROP_ROWS, rows);
	EXPECT_LE((uint64_t)(ETHERTYPES - DROP_ROWS), t.table_full);
	EXPECT_EQ(t.events, sum + t.table_full);
}

/*
 * table_full is scoped to the view: a netns sees the events of its own that
 * found the table full, never the host's, and its reset restarts them.  In
 * every view rows + table_full = events.
 */
TEST_F(limits, table_full_is_each_views_own)
{
	struct eth_job job = { .first = 0x4000, .n = ETHERTYPES };
	struct hook_totals host, in_a, in_b;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	/* Unknown ethertypes from a: dropped in b, on its end of the veth. */
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, totals_settled(&variant->v, "skb:kfree_skb", "drops", "packets",
				    &host, &sum, &rows));
	ASSERT_LE((uint64_t)(ETHERTYPES - DROP_ROWS), host.table_full);

	ASSERT_EQ(0, hook_totals_in(self->h.b, &variant->v, "skb:kfree_skb", &in_b));
	ASSERT_EQ(0, table_sum_in(self->h.b, &variant->v, "drops", "packets", &sum, &rows));
	EXPECT_LE((uint64_t)(ETHERTYPES - DROP_ROWS), in_b.table_full);
	EXPECT_GE(host.table_full, in_b.table_full);
	EXPECT_EQ(in_b.rows, rows);
	EXPECT_EQ(in_b.events, sum + in_b.table_full);
	/* a dropped nothing: none of the host's table_full is its. */
	ASSERT_EQ(0, hook_totals_in(self->h.a, &variant->v, "skb:kfree_skb", &in_a));
	EXPECT_EQ(0ULL, in_a.table_full);

	/* b's reset restarts its view, table_full included; the host's stays. */
	ASSERT_EQ(0, sh("nsenter --net=/run/netns/%s %s %s reset drops", self->h.b,
			skbstat_path(), backend_args(&variant->v)));
	ASSERT_EQ(0, hook_totals_in(self->h.b, &variant->v, "skb:kfree_skb", &in_b));
	EXPECT_EQ(0ULL, in_b.table_full);
	EXPECT_EQ(0ULL, in_b.events);
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &in_a));
	EXPECT_LE(host.table_full, in_a.table_full);
}

TEST_F(limits, flows_table_full_is_exact)
{
	struct hook_totals t;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in tcp dport %d drop",
			self->h.b, DEAD_PORT));
	ASSERT_EQ(0, run_in_netns(self->h.a, connect_to_dead_port, NULL));
	ASSERT_EQ(0, totals_settled(&variant->v, "tcp:tcp_retransmit_skb", "flows", "events",
				    &t, &sum, &rows));

	EXPECT_EQ((uint64_t)FLOW_ROWS, t.rows);
	EXPECT_EQ((uint64_t)FLOW_ROWS, rows);
	EXPECT_LE((uint64_t)(CONNECTIONS - FLOW_ROWS), t.table_full);
	EXPECT_EQ(t.events, sum + t.table_full);
}

FIXTURE(big) {
	struct hosts h;
};

BACKEND_VARIANTS(big);

FIXTURE_SETUP(big)
{
	int err = backend_up_limits(&variant->v, BIG_DUMP + 2000, 0, 0);

	if (err == -EOPNOTSUPP)
		SKIP(return, "%s/%s not available here", variant->v.backend, variant->v.mode);
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(big)
{
	hosts_down(&self->h);
	backend_down_limits(&variant->v);
}

/* 10,000 rows take many dump messages; every one must arrive, once. */
TEST_F(big, dump_of_ten_thousand_rows)
{
	struct eth_job job = { .first = 0x1000, .n = BIG_DUMP };
	json_object *doc, *rows, *row;
	uint64_t found = 0, packets = 0;
	size_t i;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, skbstat_rows(&doc, &rows, backend_args(&variant->v), "drops", "drops"));
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != self->h.b_netns ||
		    strcmp(row_str(row, "reason") ?: "", "UNHANDLED_PROTO"))
			continue;
		found++;
		packets += row_u64(row, "packets");
	}
	json_object_put(doc);
	EXPECT_EQ((uint64_t)BIG_DUMP, found);
	EXPECT_EQ((uint64_t)BIG_DUMP, packets);
}

/*
 * BPF keeps device names in an LRU map: it holds a name for every device
 * the rows may name (drop and queue rows, twice over), so that no row's
 * device name is evicted by other rows' devices.
 */
TEST_F(big, device_names_sized_with_the_tables)
{
	unsigned long entries = 0;
	int status;
	char *out, *p;

	RETURN_IF_SKIPPED();
	if (strcmp(variant->v.backend, "bpf"))
		SKIP(return, "the module asks the kernel for names");
	ASSERT_EQ(0, sh_capture("bpftool -j map show pinned /sys/fs/bpf/skbstat/maps/devnames",
				&status, &out));
	ASSERT_EQ(0, status);
	p = strstr(out, "\"max_entries\":");
	if (p)
		entries = strtoul(p + strlen("\"max_entries\":"), NULL, 10);
	free(out);
	EXPECT_LE(2UL * (BIG_DUMP + 2000 + 1024), entries);
}

TEST_HARNESS_MAIN
