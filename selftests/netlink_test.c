// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink API rejects malformed requests with EINVAL and an extack
 * message, and a rejected request changes nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <linux/skbstat.h>
#include <stdio.h>
#include <string.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define DROPS_BEFORE 17ULL

struct sent {
	int err;
};

static int send_drops(void *arg, int out_fd)
{
	struct sent s = { .err = udp_send_n("127.0.0.1", 9, DROPS_BEFORE, 10) };

	return write(out_fd, &s, sizeof(s)) == sizeof(s) ? 0 : 1;
}

static uint64_t drops_in(uint32_t netns)
{
	json_object *doc;
	uint64_t n;

	if (skbstat_json(&doc, "-b kmod drops --by reason,netns"))
		return UINT64_MAX;
	n = drops_sum(doc, "NO_SOCKET", netns);
	json_object_put(doc);
	return n;
}

FIXTURE(netlink) {
	int family;
	struct ns_child child;	/* alive until the teardown: the module retires a dead netns's rows */
	bool child_up;
	uint64_t drops;		/* NO_SOCKET drops in the child's netns */
};

FIXTURE_SETUP(netlink)
{
	struct sent s;

	if (!kmod_possible())
		SKIP(return, "no module here");
	ASSERT_EQ(0, kmod_load());
	/* Floods of earlier tests (the BPF ones too) may have filled the table. */
	ASSERT_EQ(0, sh("%s -b kmod reset", skbstat_path()));
	self->family = genl_family_id(SKBSTAT_GENL_NAME);
	ASSERT_LT(0, self->family);
	/* Rows that a wrongly accepted reset would wipe out. */
	ASSERT_EQ(0, ns_child_start(&self->child, send_drops, NULL));
	self->child_up = true;
	/* Its inode may be a dead netns's: whose rows were retired, never its. */
	ASSERT_EQ(0ULL, drops_in(self->child.netns));
	self->drops = DROPS_BEFORE;
	ASSERT_EQ(0, ns_child_go(&self->child, &s, sizeof(s)));
	ASSERT_EQ(0, s.err);
	ASSERT_EQ(self->drops, drops_in(self->child.netns));
}

FIXTURE_TEARDOWN(netlink)
{
	if (self->child_up)
		ns_child_finish(&self->child);
}

#define EXPECT_REJECTED(reply) EXPECT_REJECTED_WITH(reply, -EINVAL)

#define EXPECT_REJECTED_WITH(reply, err)				\
	do {								\
		EXPECT_EQ(err, (reply).error);				\
		EXPECT_NE('\0', (reply).extack[0]);			\
		TH_LOG("extack: %s", (reply).extack);			\
	} while (0)

TEST_F(netlink, status_unknown_attribute)
{
	uint32_t v = 1;
	char attrs[64];
	size_t len = nla_put_raw(attrs, SKBSTAT_ATTR_MAX + 1, &v, sizeof(v));
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_GET_STATUS, 0, 0, attrs, len, &r));
	EXPECT_REJECTED(r);
}

TEST_F(netlink, status_attribute_of_another_command)
{
	uint32_t hook = SKBSTAT_HOOK_DROPS;
	char attrs[64];
	size_t len = nla_put_raw(attrs, SKBSTAT_ATTR_HOOK_ID, &hook, sizeof(hook));
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_GET_STATUS, 0, 0, attrs, len, &r));
	EXPECT_REJECTED(r);
}

TEST_F(netlink, dump_unknown_attribute)
{
	uint64_t v = 0;
	char attrs[64];
	size_t len = nla_put_raw(attrs, SKBSTAT_ATTR_MAX + 7, &v, sizeof(v));
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_GET_DROPS, 0, NLM_F_DUMP,
				  attrs, len, &r));
	EXPECT_REJECTED(r);
}

TEST_F(netlink, reserved_header_field)
{
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_GET_STATUS, 1, 0, NULL, 0, &r));
	EXPECT_REJECTED(r);
}

TEST_F(netlink, reset_wrong_type_changes_nothing)
{
	uint8_t hook = SKBSTAT_HOOK_DROPS;
	char attrs[64];
	size_t len = nla_put_raw(attrs, SKBSTAT_ATTR_HOOK_ID, &hook, sizeof(hook));
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_RESET, 0, 0, attrs, len, &r));
	EXPECT_REJECTED(r);
	EXPECT_EQ(self->drops, drops_in(self->child.netns));
}

TEST_F(netlink, reset_unknown_hook_changes_nothing)
{
	uint32_t hook = SKBSTAT_HOOK_COUNT;
	char attrs[64];
	size_t len = nla_put_raw(attrs, SKBSTAT_ATTR_HOOK_ID, &hook, sizeof(hook));
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_RESET, 0, 0, attrs, len, &r));
	/* A value out of the policy's range: ERANGE, as for every genl family. */
	EXPECT_REJECTED_WITH(r, -ERANGE);
	EXPECT_EQ(self->drops, drops_in(self->child.netns));
}

/* The control for the two above: a well-formed reset does wipe the rows. */
TEST_F(netlink, reset_drops_clears_rows)
{
	uint32_t hook = SKBSTAT_HOOK_DROPS;
	char attrs[64];
	size_t len = nla_put_raw(attrs, SKBSTAT_ATTR_HOOK_ID, &hook, sizeof(hook));
	struct genl_reply r;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, genl_request(self->family, SKBSTAT_CMD_RESET, 0, 0, attrs, len, &r));
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(0ULL, drops_in(self->child.netns));
}

TEST_HARNESS_MAIN
