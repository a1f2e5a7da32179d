/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small generic-netlink client over libnl: resolve a family, send one
 * request, feed every reply message to a parser, and report the kernel's
 * error with its extended-ack message.  It knows nothing about skbstat.
 */
#ifndef SKBSTAT_GENL_CLIENT_H
#define SKBSTAT_GENL_CLIENT_H

#include <stdint.h>
#include <netlink/msg.h>

/* How long to wait for the kernel's next message before giving up. */
#define GENL_CLIENT_TIMEOUT_SEC	10

struct genl_client {
	struct nl_sock *sock;
	int family;			/* the family's id, from the controller */
	uint8_t version;		/* sent in every request header */
	/* The kernel's extack message for the last failed request, or "". */
	char extack[256];
	/*
	 * NULL: replies come from the socket.  A fuzzer sets its own (libnl's
	 * nl_cb_overwrite_recv()) to feed made-up datagrams through the same
	 * callbacks.
	 */
	int (*recv)(struct nl_sock *sock, struct sockaddr_nl *peer, unsigned char **buf,
		    struct ucred **creds);
};

/*
 * Called once per reply message (a dump sends many).  Returns 0 or -errno;
 * after an error the remaining replies are read but not parsed.
 */
typedef int (*genl_reply_fn)(struct nl_msg *msg, void *arg);

/* Returns -ENOENT when the kernel has no family called @family. */
int genl_client_open(struct genl_client *client, const char *family, uint8_t version);
void genl_client_close(struct genl_client *client);

/* A request with its headers filled in, for the caller to add attributes. */
struct nl_msg *genl_client_request(struct genl_client *client, uint8_t cmd, int flags);

/*
 * Send @request (always consumed) and read replies until the kernel acks,
 * ends the dump or reports an error.  Returns 0 or -errno; on a kernel
 * error, client->extack holds its message when it sent one.
 */
int genl_client_send(struct genl_client *client, struct nl_msg *request,
		     genl_reply_fn parse, void *arg);

/* genl_client_request() + genl_client_send() for requests without attributes. */
int genl_client_call(struct genl_client *client, uint8_t cmd, int flags,
		     genl_reply_fn parse, void *arg);

#endif /* SKBSTAT_GENL_CLIENT_H */
