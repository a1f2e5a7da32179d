// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink transport against a family every kernel has: the generic
 * netlink controller ("nlctrl").  No module and no root needed; skipped
 * where netlink sockets are not allowed at all.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "backend/kmod/genl_client.h"
#include "test.h"

struct family_census {
	unsigned int messages;
	bool found_nlctrl;
};

static int count_family(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_census *census = arg;

	if (nla_parse(tb, CTRL_ATTR_MAX, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0),
		      NULL) < 0)
		return -EPROTO;
	census->messages++;
	if (tb[CTRL_ATTR_FAMILY_NAME] && !strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]),
						 "nlctrl"))
		census->found_nlctrl = true;
	return 0;
}

static bool open_controller(struct genl_client *client)
{
	return genl_client_open(client, "nlctrl", 2) == 0;
}

/* Every family is one message, so the dump spans many reads. */
TEST(dump_many_messages)
{
	struct family_census census = { 0 };
	struct genl_client client;

	if (!open_controller(&client))
		return TEST_SKIPPED;
	CHECK(genl_client_call(&client, CTRL_CMD_GETFAMILY, NLM_F_DUMP, count_family,
			       &census) == 0);
	genl_client_close(&client);
	CHECK(census.messages > 1);
	CHECK(census.found_nlctrl);
	return TEST_PASSED;
}

static int ask_for_family(struct genl_client *client, const char *name,
			  struct family_census *census)
{
	struct nl_msg *request = genl_client_request(client, CTRL_CMD_GETFAMILY, 0);

	if (!request)
		return -ENOMEM;
	nla_put_string(request, CTRL_ATTR_FAMILY_NAME, name);
	return genl_client_send(client, request, count_family, census);
}

/* A "do" gets a reply and then an ack; both must be consumed. */
TEST(do_request_then_another)
{
	struct family_census census = { 0 };
	struct genl_client client;

	if (!open_controller(&client))
		return TEST_SKIPPED;
	CHECK(ask_for_family(&client, "nlctrl", &census) == 0);
	CHECK_U64(census.messages, 1);
	CHECK(census.found_nlctrl);
	CHECK(ask_for_family(&client, "nlctrl", &census) == 0);
	CHECK_U64(census.messages, 2);
	genl_client_close(&client);
	return TEST_PASSED;
}

TEST(missing_family)
{
	struct genl_client client;
	int err = genl_client_open(&client, "skbstat-no-such", 1);

	if (err == -EAFNOSUPPORT || err == -EPERM || err == -EACCES)
		return TEST_SKIPPED;
	CHECK(err == -ENOENT);
	return TEST_PASSED;
}

/* The kernel explains strict-validation failures; the message must reach us. */
TEST(kernel_error_carries_extack)
{
	struct family_census census = { 0 };
	struct genl_client client;
	struct nl_msg *request;
	int err;

	if (!open_controller(&client))
		return TEST_SKIPPED;
	request = genl_client_request(&client, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	CHECK(request);
	nla_put_u32(request, CTRL_ATTR_MAX + 10, 1);
	err = genl_client_send(&client, request, count_family, &census);
	CHECK(err == -EINVAL);
	CHECK(client.extack[0] != '\0');

	/* The error must not leave the socket out of step with the kernel. */
	census.messages = 0;
	CHECK(ask_for_family(&client, "nlctrl", &census) == 0);
	CHECK(client.extack[0] == '\0');
	CHECK_U64(census.messages, 1);
	genl_client_close(&client);
	return TEST_PASSED;
}
