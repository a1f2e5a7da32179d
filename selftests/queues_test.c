// SPDX-License-Identifier: GPL-2.0
/*
 * What a device queues for transmit is counted per queue, exactly as the
 * device's own tx_packets counts it, with a size histogram that adds up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define PACKETS 517

/*
 * What va was given to send: veth counts each packet in tx_packets, or in
 * tx_dropped when the peer's backlog refuses it (a loaded or slow kernel
 * whose softirqs fall behind), after the hook has seen it either way.
 */
static const char tx_packets[] =
	"ip -n %s -j -s link show va | jq '.[0].stats64.tx.packets + .[0].stats64.tx.dropped'";

static int send_udp(void *arg)
{
	/* Three sizes, so that the histogram has three buckets to fill. */
	return udp_send_n("10.77.0.2", 9, PACKETS, 20) ||
	       udp_send_n("10.77.0.2", 9, PACKETS, 300) ||
	       udp_send_n("10.77.0.2", 9, PACKETS, 1400) ? 1 : 0;
}

struct va_queue {
	uint64_t packets;
	uint64_t bytes;
	uint64_t hist_sum;
	unsigned int rows;
};

static int va_queue(const struct backend_variant *v, uint32_t netns, struct va_queue *q)
{
	json_object *doc, *rows, *row, *hist;
	size_t i, b;
	int err;

	memset(q, 0, sizeof(*q));
	err = skbstat_rows(&doc, &rows, backend_args(v), "queues", "queues");
	if (err)
		return err;
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != netns || strcmp(row_str(row, "dev") ?: "", "va"))
			continue;
		q->packets += row_u64(row, "packets");
		q->bytes += row_u64(row, "bytes");
		if (json_object_object_get_ex(row, "hist", &hist))
			for (b = 0; b < json_object_array_length(hist); b++)
				q->hist_sum += json_object_get_int64(json_object_array_get_idx(hist, b));
		q->rows++;
	}
	json_object_put(doc);
	return 0;
}

FIXTURE(queues) {
	struct hosts h;
};

BACKEND_VARIANTS(queues);

FIXTURE_SETUP(queues)
{
	BACKEND_SETUP(variant);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(queues)
{
	hosts_down(&self->h);
}

TEST_F(queues, veth_tx_equals_tx_packets)
{
	uint64_t tx_before = 0, tx_after = 0;
	struct va_queue before, after;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, va_queue(&variant->v, self->h.a_netns, &before));
	ASSERT_EQ(0, sh_u64(&tx_before, tx_packets, self->h.a));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, NULL));
	ASSERT_EQ(0, sh_u64(&tx_after, tx_packets, self->h.a));
	ASSERT_EQ(0, va_queue(&variant->v, self->h.a_netns, &after));

	/* ARP may add a packet or two; both sides count it. */
	EXPECT_LE(3ULL * PACKETS, tx_after - tx_before);
	EXPECT_EQ(tx_after - tx_before, after.packets - before.packets);
	EXPECT_EQ(after.packets, after.hist_sum);
	/* veth has one TX queue per CPU; a single sender uses one. */
	EXPECT_EQ(1U, after.rows);
}

TEST_HARNESS_MAIN
