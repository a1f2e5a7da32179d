// SPDX-License-Identifier: GPL-2.0
/*
 * Replies built the way the module builds them, for the parser tests.
 */
#include <stdlib.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/skbstat.h>

#include "test.h"

/* Only helpers for the cases of other files. */
TEST_NO_CASES();

#define FAKE_FAMILY_ID	0x30

struct nl_msg *test_new_reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, FAKE_FAMILY_ID, 0, 0, cmd, SKBSTAT_GENL_VERSION))
		abort();
	return msg;
}

void test_put_u64(struct nl_msg *msg, int pad_type, int type, uint64_t value)
{
	nla_put(msg, pad_type, 0, NULL);
	nla_put_u64(msg, type, value);
}
