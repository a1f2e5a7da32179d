// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading and loading the module while packets are being dropped leaves
 * the kernel log clean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"

#define CYCLES 20

static int flood(void *arg, int out_fd)
{
	for (;;)
		udp_send_n("127.0.0.1", 9, 1000, 64);
	return 0;
}

/* rmmod fails with EAGAIN while a netlink request holds the module. */
static int unload_retrying(void)
{
	int i, err = -EAGAIN;

	for (i = 0; i < 100 && (err == -EAGAIN || err == -EBUSY); i++) {
		err = kmod_unload();
		if (err)
			usleep(10000);
	}
	return err;
}

TEST(unload_under_drops)
{
	struct ns_child child;
	char bad[4096];
	int mark, i, status;
	char *out;

	ASSERT_EQ(0, kmod_load());
	mark = klog_mark();
	ASSERT_LE(0, mark);
	ASSERT_EQ(0, ns_child_start(&child, flood, NULL));
	ASSERT_EQ(0, ns_child_release(&child));

	for (i = 0; i < CYCLES; i++) {
		usleep(200000);
		ASSERT_EQ(0, skbstat_run("-b kmod drops --by reason >/dev/null", &status, &out));
		free(out);
		EXPECT_EQ(0, status);
		ASSERT_EQ(0, unload_retrying());
		usleep(100000);
		ASSERT_EQ(0, kmod_load());
	}
	ns_child_stop(&child);

	EXPECT_EQ(0, klog_bad_lines(mark, bad, sizeof(bad))) {
		TH_LOG("kernel log:\n%s", bad);
	}
}

TEST_HARNESS_MAIN
