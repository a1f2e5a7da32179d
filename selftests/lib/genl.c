// SPDX-License-Identifier: GPL-2.0
/*
 * Generic-netlink requests built byte by byte, so that tests can send what
 * libnl would refuse to: unknown attributes, wrong types, reserved bits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "testlib.h"

int genl_family_id(const char *name)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id;

	if (!sk)
		return -ENOMEM;
	id = genl_connect(sk);
	if (!id)
		id = genl_ctrl_resolve(sk, name);
	nl_socket_free(sk);
	return id < 0 ? -ENOENT : id;
}

size_t nla_put_raw(void *buf, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *nla = buf;

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)buf + NLA_HDRLEN, data, len);
	memset((char *)buf + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_HDRLEN + NLA_ALIGN(len);
}

static void parse_extack(const struct nlmsghdr *nlh, struct genl_reply *reply)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t off = sizeof(*err);
	const struct nlattr *nla;

	/* Without NLM_F_CAPPED the original request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (NLMSG_HDRLEN + off + NLA_HDRLEN <= nlh->nlmsg_len) {
		nla = (const void *)((const char *)err + off);
		if (nla->nla_len < NLA_HDRLEN)
			break;
		if (nla->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(reply->extack, sizeof(reply->extack), "%.*s",
				 (int)(nla->nla_len - NLA_HDRLEN), (const char *)(nla + 1));
		off += NLA_ALIGN(nla->nla_len);
	}
}

/* Reads replies until the ack (or the end of a dump) and fills @reply. */
static int read_reply(int fd, struct genl_reply *reply)
{
	char buf[32768];
	struct nlmsghdr *nlh;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nlh = (void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			reply->error = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			parse_extack(nlh, reply);
			return 0;
		}
	}
}

int genl_request(int family, uint8_t cmd, uint8_t reserved, uint16_t flags,
		 const void *attrs, size_t attrs_len, struct genl_reply *reply)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr genl;
		char attrs[1024];
	} req = {};
	int fd, one = 1, err;

	if (attrs_len > sizeof(req.attrs))
		return -EINVAL;
	memset(reply, 0, sizeof(*reply));
	req.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + attrs_len);
	req.nlh.nlmsg_type = family;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req.nlh.nlmsg_seq = 1;
	req.genl.cmd = cmd;
	req.genl.version = 1;
	req.genl.reserved = reserved;
	memcpy(req.attrs, attrs, attrs_len);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0)
		err = -errno;
	else
		err = read_reply(fd, reply);
	close(fd);
	return err;
}
