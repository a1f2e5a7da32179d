// SPDX-License-Identifier: GPL-2.0
/*
 * SET_CONFIG switches each hook on and off on its own, and a detached hook
 * counts nothing while the others go on; a switch that fails half-way puts
 * every hook back as it was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
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

/*
 * fail_function (the debug lab kernel has it) makes the queues hook's
 * kprobe attach fail once: it runs last, after the drops and flows hooks
 * have switched to kprobes, so the rollback has work to do.
 */
#define FAIL_FUNCTION "/sys/kernel/debug/fail_function"
#define FAILING "skbstat_queues_kprobe_attach"

/* In a subshell: sh() sends the command's output to /dev/null, not the files. */
static int inject_one_failure(void)
{
	return sh("(cd " FAIL_FUNCTION " && echo " FAILING " > inject && "
		  "printf %%#x -12 > " FAILING "/retval && echo 100 > probability && "
		  "echo 1 > interval && echo 1 > times && echo 0 > verbose)");
}

static int inject_nothing(void)
{
	return sh("(echo > " FAIL_FUNCTION "/inject)");
}

static const char *const hook_names[SKBSTAT_HOOK_COUNT] = {
	"skb:kfree_skb", "tcp:tcp_retransmit_skb", "net:net_dev_queue",
};

TEST_F(config, failed_switch_puts_every_hook_back)
{
	struct hook_totals before[SKBSTAT_HOOK_COUNT], after;
	char *out = NULL;
	int i, status;

	RETURN_IF_SKIPPED();
	if (access(FAIL_FUNCTION "/inject", W_OK))
		SKIP(return, "no fail_function here (the debug lab kernel has it)");
	/* Both variants make the same switch, from tracepoints to kprobes. */
	ASSERT_EQ(0, sh("%s -b kmod attach --mode tracepoint", skbstat_path()));
	ASSERT_EQ(0, inject_one_failure());
	ASSERT_EQ(0, skbstat_run("-b kmod attach --mode kprobe 2>&1", &status, &out));
	ASSERT_EQ(0, inject_nothing());
	EXPECT_NE(0, status);
	/* The extack names the hook that failed. */
	EXPECT_NE(NULL, strstr(out ?: "", "net:net_dev_queue")) {
		TH_LOG("attach said: %s", out ?: "");
	}
	free(out);

	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		ASSERT_EQ(0, hook_totals(&variant->v, hook_names[i], &before[i]));
		EXPECT_TRUE(before[i].attached);
		EXPECT_STREQ("tracepoint", before[i].mode);
	}
	/* And they count: 50 datagrams to a closed port, each queued and dropped. */
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, NULL));
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &after));
	EXPECT_LE(50ULL, after.events - before[SKBSTAT_HOOK_DROPS].events);
	ASSERT_EQ(0, hook_totals(&variant->v, "net:net_dev_queue", &after));
	EXPECT_LE(50ULL, after.events - before[SKBSTAT_HOOK_QUEUES].events);

	/* With nothing injected, the same switch works. */
	EXPECT_EQ(0, sh("%s -b kmod attach --mode kprobe", skbstat_path()));
	ASSERT_EQ(0, hook_totals(&variant->v, "net:net_dev_queue", &after));
	EXPECT_STREQ("kprobe", after.mode);
	ASSERT_EQ(0, sh("%s -b kmod attach --mode %s", skbstat_path(), variant->v.mode));
}

TEST_HARNESS_MAIN
