// SPDX-License-Identifier: GPL-2.0
/*
 * SET_CONFIG switches each hook on and off on its own, and a detached hook
 * counts nothing while the others go on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/skbstat.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

static int send_udp(void *arg)
{
	return udp_send_n("10.77.0.2", 9, 50, 64) ? 1 : 0;
}

static int set_hook(int family, uint32_t hook, uint8_t enabled)
{
	struct genl_reply r;
	char attrs[32];
	size_t len;
	int err;

	len = nla_put_raw(attrs, SKBSTAT_ATTR_HOOK_ID, &hook, sizeof(hook));
	len += nla_put_raw(attrs + len, SKBSTAT_ATTR_ENABLED, &enabled, sizeof(enabled));
	err = genl_request(family, SKBSTAT_CMD_SET_CONFIG, 0, 0, attrs, len, &r);
	return err ?: r.error;
}

FIXTURE(config) {
	struct hosts h;
	int family;
};

/* SET_CONFIG is the module's own request: kmod variants only. */
FIXTURE_VARIANT(config) {
	struct backend_variant v;
};

FIXTURE_VARIANT_ADD(config, kmod_tracepoint) {
	.v = { "kmod", "tracepoint" },
};

FIXTURE_VARIANT_ADD(config, kmod_kprobe) {
	.v = { "kmod", "kprobe" },
};

FIXTURE_SETUP(config)
{
	BACKEND_SETUP(variant);
	self->family = genl_family_id(SKBSTAT_GENL_NAME);
	ASSERT_LT(0, self->family);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(config)
{
	hosts_down(&self->h);
	if (self->family > 0)
		set_hook(self->family, SKBSTAT_HOOK_QUEUES, 1);
}

TEST_F(config, detached_hook_counts_nothing)
{
	struct hook_totals q0, q1, q2, d0, d1;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, set_hook(self->family, SKBSTAT_HOOK_QUEUES, 0));
	ASSERT_EQ(0, hook_totals(&variant->v, "net:net_dev_queue", &q0));
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &d0));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, NULL));
	ASSERT_EQ(0, hook_totals(&variant->v, "net:net_dev_queue", &q1));
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &d1));

	/* Queues off: nothing; drops on: the 50 datagrams to a closed port. */
	EXPECT_EQ(q0.events, q1.events);
	EXPECT_LE(50ULL, d1.events - d0.events);

	ASSERT_EQ(0, set_hook(self->family, SKBSTAT_HOOK_QUEUES, 1));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, NULL));
	ASSERT_EQ(0, hook_totals(&variant->v, "net:net_dev_queue", &q2));
	EXPECT_LE(50ULL, q2.events - q1.events);
}

TEST_HARNESS_MAIN
