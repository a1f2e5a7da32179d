// SPDX-License-Identifier: GPL-2.0
/*
 * Generic-netlink transport.  libnl 3.7 has no extended-ack support, so the
 * socket options are set by hand and the error messages parsed here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "backend/kmod/genl_client.h"

/* State of one request, shared by the libnl callbacks. */
struct genl_transaction {
	struct genl_client *client;
	genl_reply_fn parse;
	void *arg;
	int err;			/* first failure, -errno */
	bool done;			/* ack, end of dump or error seen */
};

/* libnl reports its own error codes; callers of this file get errno values. */
static int nl_error_to_errno(int nl_err)
{
	switch (abs(nl_err)) {
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_PERM:		return -EPERM;
	case NLE_NOACCESS:	return -EACCES;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_DUMP_INTR:	return -EAGAIN;
	case NLE_INTR:		return -EINTR;
	case NLE_INVAL:		return -EINVAL;
	case NLE_RANGE:		return -ERANGE;
	case NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case NLE_BAD_SOCK:	return -EBADF;
	case NLE_MSG_OVERFLOW:	return -ENOBUFS;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_PARSE_ERR:	return -EPROTO;
	}
	return -EIO;
}

static void set_socket_options(struct nl_sock *sock)
{
	struct timeval timeout = { .tv_sec = GENL_CLIENT_TIMEOUT_SEC };
	int fd = nl_socket_get_fd(sock);
	int one = 1;

	/*
	 * Best effort: kernels before 4.12 lack extended acks, and then errors
	 * simply come without a message.  CAP_ACK keeps our request out of
	 * error replies, which we never look at.
	 */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* A module that never answers must not hang the CLI. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	/* Replies larger than a page are read whole instead of truncated. */
	nl_socket_enable_msg_peek(sock);
}

int genl_client_open(struct genl_client *client, const char *family, uint8_t version)
{
	int err;

	memset(client, 0, sizeof(*client));
	client->version = version;
	client->sock = nl_socket_alloc();
	if (!client->sock)
		return -ENOMEM;

	err = genl_connect(client->sock);
	if (err < 0)
		goto err_free_sock;
	set_socket_options(client->sock);

	err = genl_ctrl_resolve(client->sock, family);
	if (err < 0)
		goto err_free_sock;
	client->family = err;
	return 0;

err_free_sock:
	nl_socket_free(client->sock);
	client->sock = NULL;
	return nl_error_to_errno(err);
}

void genl_client_close(struct genl_client *client)
{
	nl_socket_free(client->sock);
	client->sock = NULL;
}

/*
 * Extended-ack attributes follow a payload of @payload_len bytes in error
 * and end-of-dump messages; keep the human-readable one.
 */
static void save_extack(struct genl_client *client, const struct nlmsghdr *nlh,
			size_t payload_len)
{
	size_t offset = NLMSG_HDRLEN + NLMSG_ALIGN(payload_len);
	struct nlattr *msg_attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || offset >= nlh->nlmsg_len)
		return;
	msg_attr = nla_find((struct nlattr *)((char *)nlh + offset),
			    nlh->nlmsg_len - offset, NLMSGERR_ATTR_MSG);
	if (msg_attr)
		nla_strlcpy(client->extack, msg_attr, sizeof(client->extack));
}

static void fail(struct genl_transaction *t, int err)
{
	if (!t->err)
		t->err = err;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct genl_transaction *t = arg;

	if (t->err)
		return NL_SKIP;		/* keep reading so the socket stays in step */
	if (!genlmsg_valid_hdr(nlmsg_hdr(msg), 0)) {
		fail(t, -EPROTO);
		return NL_SKIP;
	}
	fail(t, t->parse ? t->parse(msg, t->arg) : 0);
	return NL_OK;
}

/* A dump that fails half way ends with an errno in its NLMSG_DONE. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct genl_transaction *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int error;

	t->done = true;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(error)))
		return NL_STOP;
	memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error < 0) {
		fail(t, error);
		save_extack(t->client, nlh, sizeof(error));
	}
	return NL_STOP;
}

/* The table changed under the dump; the caller may retry it whole. */
static int on_dump_interrupted(struct nl_msg *msg, void *arg)
{
	(void)msg;
	fail(arg, -EAGAIN);
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct genl_transaction *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *peer, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct genl_transaction *t = arg;
	size_t payload_len = sizeof(*e);

	(void)peer;
	t->done = true;
	fail(t, e->error < 0 ? e->error : -e->error);
	/* Unless capped, the error echoes our request before the attributes. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= NLMSG_HDRLEN)
		payload_len += e->msg.nlmsg_len - NLMSG_HDRLEN;
	save_extack(t->client, nlh, payload_len);
	return NL_STOP;
}

static struct nl_cb *transaction_callbacks(struct genl_transaction *t)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_interrupted, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, t);
	if (t->client->recv)
		nl_cb_overwrite_recv(cb, t->client->recv);
	return cb;
}

/* Read until the request is complete; libnl returns after each datagram. */
static void receive_replies(struct genl_transaction *t, struct nl_cb *cb)
{
	int ret;

	while (!t->done) {
		ret = nl_recvmsgs_report(t->client->sock, cb);
		if (t->done)
			break;
		if (ret < 0) {
			fail(t, nl_error_to_errno(ret));
			break;
		}
		if (ret == 0) {
			/* Nothing arrived before SO_RCVTIMEO expired. */
			fail(t, -ETIMEDOUT);
			break;
		}
	}
}

struct nl_msg *genl_client_request(struct genl_client *client, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, client->family, 0, flags, cmd,
			 client->version)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int genl_client_send(struct genl_client *client, struct nl_msg *request,
		     genl_reply_fn parse, void *arg)
{
	struct genl_transaction t = { .client = client, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	client->extack[0] = '\0';
	cb = transaction_callbacks(&t);
	if (!cb) {
		nlmsg_free(request);
		return -ENOMEM;
	}

	ret = nl_send_auto(client->sock, request);
	nlmsg_free(request);
	if (ret < 0)
		fail(&t, nl_error_to_errno(ret));
	else
		receive_replies(&t, cb);

	nl_cb_put(cb);
	return t.err;
}

int genl_client_call(struct genl_client *client, uint8_t cmd, int flags,
		     genl_reply_fn parse, void *arg)
{
	struct nl_msg *request = genl_client_request(client, cmd, flags);

	if (!request)
		return -ENOMEM;
	return genl_client_send(client, request, parse, arg);
}
