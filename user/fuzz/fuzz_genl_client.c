// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel sends back on the generic-netlink socket, through the
 * transport (backend/kmod/genl_client.c: acks, errors with extended-ack
 * attributes, dumps that end or fail half way) into the kmod backend's
 * reply decoding.  The first byte picks the request and its parser; the
 * rest is a sequence of datagrams, each a 16-bit length and its bytes,
 * handed to libnl in place of the socket's.
 */
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <linux/skbstat.h>

#include "backend/kmod/genl_client.h"
#include "backend/kmod/kmod_parse.h"
#include "fuzz/fuzz.h"
#include "model/snapshot.h"
#include "util.h"

#define FAKE_FAMILY_ID	0x30

static struct fuzz_input datagrams;

/* Every request goes nowhere, and is said to have gone whole. */
static int fake_send(struct nl_sock *sock, struct nl_msg *msg)
{
	(void)sock;
	return nlmsg_hdr(msg)->nlmsg_len;
}

/* The next datagram, or 0 (as SO_RCVTIMEO ends a wait) when none is left. */
static int fake_recv(struct nl_sock *sock, struct sockaddr_nl *peer, unsigned char **buf,
		     struct ucred **creds)
{
	size_t n = fuzz_u16(&datagrams);

	(void)sock;
	(void)creds;
	peer->nl_family = AF_NETLINK;
	if (n > datagrams.len)
		n = datagrams.len;
	if (!n)
		return 0;
	*buf = malloc(n);
	if (!*buf)
		abort();
	fuzz_bytes(&datagrams, *buf, n);
	return n;
}

static const struct {
	uint8_t cmd;
	int (*parse)(struct nl_msg *msg, void *arg);
} requests[] = {
	{ SKBSTAT_CMD_GET_STATUS,	kmod_parse_status },
	{ SKBSTAT_CMD_GET_DROPS,	kmod_parse_drops },
	{ SKBSTAT_CMD_GET_FLOWS,	kmod_parse_flows },
	{ SKBSTAT_CMD_GET_QUEUES,	kmod_parse_queues },
	{ SKBSTAT_CMD_GET_REASONS,	kmod_parse_reasons },
	{ SKBSTAT_CMD_RESET,		NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct genl_client client = {
		.family = FAKE_FAMILY_ID,
		.version = SKBSTAT_GENL_VERSION,
		.recv = fake_recv,
	};
	struct fuzz_input in = { data, size };
	uint8_t pick = fuzz_u8(&in);
	unsigned int which = (pick >> 1) % ARRAY_SIZE(requests);
	struct skbstat_snapshot snap;
	void *arg = &snap;
	struct nl_cb *cb;

	datagrams = in;
	client.sock = nl_socket_alloc();
	if (!client.sock)
		abort();
	/* Sequence numbers come from the clock; libnl checks them, not we. */
	nl_socket_disable_auto_ack(client.sock);
	cb = nl_socket_get_cb(client.sock);
	nl_cb_overwrite_send(cb, fake_send);
	nl_cb_put(cb);

	snapshot_init(&snap);
	if (requests[which].cmd == SKBSTAT_CMD_GET_STATUS)
		arg = &snap.status;
	genl_client_call(&client, requests[which].cmd, pick & 1 ? NLM_F_DUMP : 0,
			 requests[which].parse, arg);
	if (strnlen(client.extack, sizeof(client.extack)) == sizeof(client.extack))
		abort();
	snapshot_free(&snap);
	genl_client_close(&client);
	return 0;
}
