// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading and loading the module, or detaching and attaching the BPF
 * backend in each of its modes, while packets are being dropped leaves the
 * kernel log clean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include <skbstat/tables.h>

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

FIXTURE(kmod_cycles) {
};

FIXTURE_SETUP(kmod_cycles)
{
}

FIXTURE_TEARDOWN(kmod_cycles)
{
}

/* Each unload waits for RCU; under TCG on a loaded machine that adds up. */
TEST_F_TIMEOUT(kmod_cycles, unload_under_drops, 300)
{
	struct ns_child child;
	char bad[4096];
	int mark, i, status;
	char *out;

	if (!kmod_possible())
		SKIP(return, "no module here");
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

FIXTURE(bpf_cycles) {
};

FIXTURE_SETUP(bpf_cycles)
{
}

FIXTURE_TEARDOWN(bpf_cycles)
{
}

/*
 * Each cycle in the next mode; detach waits until the programs are freed.
 * Loading goes through the verifier each time, which takes seconds under
 * TCG: hence the longer timeout.
 */
TEST_F_TIMEOUT(bpf_cycles, detach_under_drops, 600)
{
	static const struct backend_variant modes[] = {
		{ "bpf", "tp_btf" }, { "bpf", "raw_tp" }, { "bpf", "kprobe" },
	};
	struct ns_child child;
	char bad[4096];
	int mark, i, err, status;
	char *out;

	err = backend_up(&modes[0]);
	if (err == -EOPNOTSUPP)
		SKIP(return, "no BPF backend here");
	ASSERT_EQ(0, err);
	mark = klog_mark();
	ASSERT_LE(0, mark);
	ASSERT_EQ(0, ns_child_start(&child, flood, NULL));
	ASSERT_EQ(0, ns_child_release(&child));

	for (i = 0; i < CYCLES; i++) {
		usleep(100000);
		err = backend_up(&modes[i % 3]);
		if (err == -EOPNOTSUPP)
			continue;	/* no kprobes on this kernel */
		ASSERT_EQ(0, err);
		usleep(100000);
		ASSERT_EQ(0, skbstat_run("-b bpf drops --by reason >/dev/null", &status, &out));
		free(out);
		EXPECT_EQ(0, status);
	}
	ns_child_stop(&child);
	EXPECT_EQ(0, sh("%s -b bpf detach", skbstat_path()));
	EXPECT_EQ(0, access("/sys/fs/bpf/skbstat", F_OK) ? 0 : -EEXIST);

	EXPECT_EQ(0, klog_bad_lines(mark, bad, sizeof(bad))) {
		TH_LOG("kernel log:\n%s", bad);
	}
}

/* Runs "skbstat -b bpf @cmd"; its exit status, and whether it says @text. */
static int bpf_cli(const char *cmd, const char *text, bool *said)
{
	char args[128];
	int status;
	char *out;

	snprintf(args, sizeof(args), "-b bpf %s 2>&1", cmd);
	if (skbstat_run(args, &status, &out))
		return -1;
	*said = text && strstr(out, text);
	free(out);
	return status;
}

#define MAPS "/sys/fs/bpf/skbstat/maps"

/* The forged flow counters differ from this version's in their type alone. */
_Static_assert(sizeof(struct skbstat_flow_val) == 56,
	       "the forgery of flows_counts has this version's value size");

/*
 * Pins outlive a package upgrade.  Maps that another version pinned (one
 * with another value size, a layout stamp of another version, pins of
 * names this version does not know) are refused with a message that says
 * how to detach, never read; detach removes whatever is there.
 */
TEST_F_TIMEOUT(bpf_cycles, pins_of_another_version, 600)
{
	static const struct backend_variant tp_btf = { "bpf", "tp_btf" };
	static const char *const reads[] = { "drops", "status", "flows", "reset" };
	static const char *const forgeries[] = {
		/* A drop table whose slots are bigger than this version's. */
		"rm " MAPS "/drops_slots && bpftool map create " MAPS "/drops_slots type array "
		"key 4 value 56 entries 64 name drops_slots",
		/* Layout 7's drop table in the place of the slots: a per-CPU hash map. */
		"rm " MAPS "/drops_slots && bpftool map create " MAPS "/drops_slots type "
		"percpu_hash key 32 value 16 entries 64 name drops_slots",
		/* Layout 2's device names: keys without the netns cookie. */
		"rm " MAPS "/devnames && bpftool map create " MAPS "/devnames type lru_hash "
		"key 8 value 16 entries 64 name devnames",
		/* Flow counters of the same value, one copy per CPU, as before layout 7. */
		"rm " MAPS "/flows_counts && bpftool map create " MAPS "/flows_counts type "
		"percpu_array key 4 value 56 entries 64 name flows_counts",
		/*
		 * The right shapes, another layout stamp: 1, and 8, the last before
		 * this one, whose IPv4 flow keys had the destination elsewhere.
		 */
		"bpftool map update pinned " MAPS "/layout key 0 0 0 0 value 1 0 0 0 0 0 0 0",
		"bpftool map update pinned " MAPS "/layout key 0 0 0 0 value 8 0 0 0 0 0 0 0",
		/* No stamp at all: an older version. */
		"rm " MAPS "/layout",
	};
	size_t f, r;
	bool said;
	int err;

	for (f = 0; f < ARRAY_SIZE(forgeries); f++) {
		err = backend_up(&tp_btf);
		if (err == -EOPNOTSUPP)
			SKIP(return, "no BPF backend here");
		ASSERT_EQ(0, err);
		ASSERT_EQ(0, sh("bpftool map create " MAPS "/unknown_pin type array key 4 "
				"value 4 entries 1 name unknown && %s", forgeries[f]));
		for (r = 0; r < ARRAY_SIZE(reads); r++) {
			EXPECT_EQ(1, bpf_cli(reads[r], "skbstat -b bpf detach", &said));
			EXPECT_TRUE(said) {
				TH_LOG("'%s' after '%s' does not say how to detach", reads[r],
				       forgeries[f]);
			}
		}
		EXPECT_EQ(1, bpf_cli("attach", "detach", &said));
		EXPECT_EQ(0, bpf_cli("detach", NULL, &said));
		EXPECT_NE(0, access("/sys/fs/bpf/skbstat", F_OK));
	}
	/* And attach works again. */
	ASSERT_EQ(0, backend_up(&tp_btf));
	EXPECT_EQ(0, bpf_cli("drops", NULL, &said));
	EXPECT_EQ(0, bpf_cli("detach", NULL, &said));
}

TEST_HARNESS_MAIN
