// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces die and the kernel hands their inode numbers to the next ones
 * it makes.  A new netns never sees what a dead one counted (rows are keyed
 * by the netns cookie, which the kernel never reuses), and both backends
 * retire the dead one's rows (the module when the netns dies, BPF at the
 * next read): they stop taking room in the table, and the host keeps their
 * counts in one netns gone row (netns 0, no location).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

/* Each namespace makes one row: NO_SOCKET on lo. */
#define NAMESPACES	10
#define DROP_ROWS	16
#define DROPS		77

static int drop_locally(void *arg)
{
	return udp_send_n("127.0.0.1", 9, *(unsigned int *)arg, 10) ? 1 : 0;
}

/* Makes netns @name with lo up and DROPS datagrams to a closed port in it. */
static int netns_with_drops(const char *name, uint32_t *inode)
{
	unsigned int n = DROPS;

	if (sh("ip netns add %s && ip -n %s link set lo up", name, name))
		return -EIO;
	*inode = netns_inode_of(name);
	if (!*inode)
		return -ENOENT;
	return run_in_netns(name, drop_locally, &n) ? -EIO : 0;
}

/* Rows, and NO_SOCKET packets, of netns @inode in the view of a caller in @ns. */
static int seen_by(const struct backend_variant *v, const char *ns, uint32_t inode,
		   uint64_t *packets, unsigned int *rows, unsigned int *foreign)
{
	json_object *doc, *all, *row;
	char cmd[256];
	int err, status;
	char *out;
	size_t i;

	snprintf(cmd, sizeof(cmd), "%s%s%s %s -j drops", ns[0] ? "nsenter --net=/run/netns/" : "",
		 ns, ns[0] ? " " : "", skbstat_path());
	snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " %s", backend_args(v));
	err = sh_capture(cmd, &status, &out);
	if (err)
		return err;
	doc = status ? NULL : json_tokener_parse(out);
	free(out);
	all = doc ? json_rows(doc, "drops") : NULL;
	if (!all) {
		json_object_put(doc);
		return -EIO;
	}
	*packets = 0;
	*rows = 0;
	if (foreign)
		*foreign = 0;
	for (i = 0; i < json_object_array_length(all); i++) {
		row = json_object_array_get_idx(all, i);
		if (row_u64(row, "netns") != inode) {
			if (foreign)
				(*foreign)++;
			continue;
		}
		(*rows)++;
		if (!strcmp(row_str(row, "reason") ?: "", "NO_SOCKET"))
			*packets += row_u64(row, "packets");
	}
	json_object_put(doc);
	return 0;
}

/* The host's netns gone row: netns 0 and no location. */
static int gone_packets(const struct backend_variant *v, uint64_t *packets)
{
	json_object *doc, *rows;
	int err;

	err = skbstat_rows(&doc, &rows, backend_args(v), "drops", "drops");
	if (err)
		return err;
	*packets = drops_gone(doc);
	json_object_put(doc);
	return 0;
}

/* Waits until the host sees no row of any of @inodes: their netns are gone. */
static int wait_retired(const struct backend_variant *v, const uint32_t *inodes, int n)
{
	unsigned int rows, left;
	uint64_t packets;
	int i, tries;

	for (tries = 0; tries < 120; tries++) {
		left = 0;
		for (i = 0; i < n; i++) {
			if (seen_by(v, "", inodes[i], &packets, &rows, NULL))
				return -EIO;
			left += rows;
		}
		if (!left)
			return 0;
		usleep(250 * 1000);
	}
	return -ETIMEDOUT;
}

FIXTURE(netns_gone) {
	char names[2 * NAMESPACES][32];
	int made;
};

BACKEND_VARIANTS(netns_gone);

FIXTURE_SETUP(netns_gone)
{
	int err = backend_up_limits(&variant->v, DROP_ROWS, 0, 0);

	if (err == -EOPNOTSUPP)
		SKIP(return, "%s/%s not available here", variant->v.backend, variant->v.mode);
	ASSERT_EQ(0, err);
	self->made = 0;
}

FIXTURE_TEARDOWN(netns_gone)
{
	int i;

	for (i = 0; i < self->made; i++)
		sh("ip netns del %s 2>/dev/null", self->names[i]);
	backend_down_limits(&variant->v);
}

/* Twenty namespaces and forty CLI calls: minutes under the debug kernel. */
#define GONE_TIMEOUT	900

TEST_F_TIMEOUT(netns_gone, new_netns_never_sees_a_dead_ones_rows, GONE_TIMEOUT)
{
	uint32_t dead[NAMESPACES], inode;
	unsigned int rows, foreign, reused = 0;
	struct hook_totals before, after;
	uint64_t packets, gone;
	int i, j;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("%s %s reset", skbstat_path(), backend_args(&variant->v)));
	for (i = 0; i < NAMESPACES; i++) {
		snprintf(self->names[self->made], sizeof(self->names[0]), "skbgone%d", i);
		ASSERT_EQ(0, netns_with_drops(self->names[self->made++], &dead[i]));
		ASSERT_EQ(0, seen_by(&variant->v, self->names[i], dead[i], &packets, &rows,
				     &foreign));
		ASSERT_EQ((uint64_t)DROPS, packets);
		ASSERT_EQ(0U, foreign);
	}
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &before));
	/* Each netns has a row of its own: the table had room for all. */
	ASSERT_EQ(0ULL, before.table_full);

	for (i = 0; i < NAMESPACES; i++)
		ASSERT_EQ(0, sh("ip netns del %s", self->names[i]));
	ASSERT_EQ(0, wait_retired(&variant->v, dead, NAMESPACES));
	/* The host keeps what they dropped, in one row. */
	ASSERT_EQ(0, gone_packets(&variant->v, &gone));
	EXPECT_LE((uint64_t)NAMESPACES * DROPS, gone);

	/*
	 * As many new ones: they get the dead ones' inode numbers, see only
	 * their own drops, and find room in the table (the dead rows no
	 * longer take it: without retiring, 2 * NAMESPACES rows would not fit).
	 */
	for (i = 0; i < NAMESPACES; i++) {
		snprintf(self->names[self->made], sizeof(self->names[0]), "skbnew%d", i);
		ASSERT_EQ(0, netns_with_drops(self->names[self->made++], &inode));
		for (j = 0; j < NAMESPACES; j++)
			reused += inode == dead[j];
		ASSERT_EQ(0, seen_by(&variant->v, self->names[self->made - 1], inode, &packets,
				     &rows, &foreign));
		EXPECT_EQ((uint64_t)DROPS, packets);
		EXPECT_EQ(0U, foreign);
		EXPECT_EQ(1U, rows);
	}
	TH_LOG("%u of %d new namespaces got a dead one's inode number", reused, NAMESPACES);
	/* The kernel gives the lowest free number: the case this test is for. */
	EXPECT_LT(0U, reused);
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &after));
	EXPECT_EQ(0ULL, after.table_full);
	EXPECT_GE((uint64_t)DROP_ROWS, after.rows);
}

/* A host's rows + table_full = events holds across a retirement. */
TEST_F_TIMEOUT(netns_gone, retiring_loses_nothing, GONE_TIMEOUT)
{
	uint32_t inode;
	struct hook_totals t;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("%s %s reset", skbstat_path(), backend_args(&variant->v)));
	snprintf(self->names[self->made], sizeof(self->names[0]), "skbgone");
	ASSERT_EQ(0, netns_with_drops(self->names[self->made++], &inode));
	ASSERT_EQ(0, sh("ip netns del %s", self->names[0]));
	ASSERT_EQ(0, wait_retired(&variant->v, &inode, 1));
	ASSERT_EQ(0, totals_settled(&variant->v, "skb:kfree_skb", "drops", "packets", &t, &sum,
				    &rows));
	EXPECT_EQ(t.events, sum + t.table_full);
	EXPECT_EQ(t.rows, rows);
}

TEST_HARNESS_MAIN
