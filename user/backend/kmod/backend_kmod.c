// SPDX-License-Identifier: GPL-2.0
/*
 * The kmod backend: asks the skbstat module over its generic-netlink family.
 * Requests are built and sent by genl_client, replies decoded by kmod_parse;
 * this file maps the backend operations onto commands and explains errors.
 * Reading and resetting need CAP_NET_ADMIN over the caller's netns;
 * attaching and detaching change the whole machine and need it in the
 * initial user namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <linux/netlink.h>
#include <linux/skbstat.h>

#include "backend/backend.h"
#include "backend/kmod/genl_client.h"
#include "backend/kmod/kmod_parse.h"
#include "model/names.h"

/* A dump the kernel flags as inconsistent is retried this many times. */
#define KMOD_DUMP_ATTEMPTS	3

static struct genl_client *kmod_client(struct backend *be)
{
	return be->priv;
}

static int kmod_open(struct backend *be)
{
	struct genl_client *client;
	int err;

	client = calloc(1, sizeof(*client));
	if (!client)
		return -ENOMEM;
	err = genl_client_open(client, SKBSTAT_GENL_NAME, SKBSTAT_GENL_VERSION);
	if (err) {
		free(client);
		if (err == -ENOENT)
			return -ENODEV;		/* no such family: module not loaded */
		fprintf(stderr, "skbstat: cannot open a generic netlink socket: %s\n",
			strerror(-err));
		return err;
	}
	be->priv = client;
	return 0;
}

static void kmod_close(struct backend *be)
{
	struct genl_client *client = kmod_client(be);

	if (!client)
		return;
	genl_client_close(client);
	free(client);
	be->priv = NULL;
}

/* Which capability a command needs, for the message when the kernel says EPERM. */
enum kmod_perm {
	KMOD_PERM_NETNS,	/* CAP_NET_ADMIN over the caller's netns */
	KMOD_PERM_INIT_USERNS,	/* CAP_NET_ADMIN in the initial user namespace */
};

/* Say what went wrong in terms of what the user asked for, and what to do. */
static void kmod_report(const struct genl_client *client, const char *what, int err,
			enum kmod_perm perm)
{
	if (err == -EPERM && perm == KMOD_PERM_INIT_USERNS)
		fprintf(stderr, "skbstat: %s needs CAP_NET_ADMIN in the initial user "
			"namespace (run as root on the host)", what);
	else if (err == -EPERM)
		fprintf(stderr, "skbstat: %s needs CAP_NET_ADMIN (run as root)", what);
	else if (err == -ETIMEDOUT)
		fprintf(stderr, "skbstat: %s: the module did not answer within %d s", what,
			GENL_CLIENT_TIMEOUT_SEC);
	else
		fprintf(stderr, "skbstat: %s failed: %s", what, strerror(-err));
	if (client->extack[0])
		fprintf(stderr, ": %s", client->extack);
	fputc('\n', stderr);
}

static int kmod_do(struct backend *be, uint8_t cmd, genl_reply_fn parse, void *arg,
		   const char *what)
{
	struct genl_client *client = kmod_client(be);
	int err;

	err = genl_client_call(client, cmd, 0, parse, arg);
	if (err)
		kmod_report(client, what, err, KMOD_PERM_NETNS);
	return err;
}

/*
 * Dumps restart from scratch when the kernel says the table changed under
 * them; @reset discards what the interrupted attempt appended.
 */
static int kmod_dump(struct backend *be, uint8_t cmd, genl_reply_fn parse,
		     struct skbstat_snapshot *snap,
		     void (*reset)(struct skbstat_snapshot *snap), const char *what)
{
	struct genl_client *client = kmod_client(be);
	int attempt, err;

	for (attempt = 0; attempt < KMOD_DUMP_ATTEMPTS; attempt++) {
		err = genl_client_call(client, cmd, NLM_F_DUMP, parse, snap);
		if (err != -EAGAIN)
			break;
		reset(snap);
	}
	if (err)
		kmod_report(client, what, err, KMOD_PERM_NETNS);
	return err;
}

static int kmod_get_status(struct backend *be, struct skbstat_status *status)
{
	status_clear(status);
	return kmod_do(be, SKBSTAT_CMD_GET_STATUS, kmod_parse_status, status,
		       "reading the module status");
}

static int kmod_get_drops(struct backend *be, struct skbstat_snapshot *snap)
{
	return kmod_dump(be, SKBSTAT_CMD_GET_DROPS, kmod_parse_drops, snap,
			 snapshot_clear_drops, "reading the drop table");
}

static int kmod_get_flows(struct backend *be, struct skbstat_snapshot *snap)
{
	return kmod_dump(be, SKBSTAT_CMD_GET_FLOWS, kmod_parse_flows, snap,
			 snapshot_clear_flows, "reading the flow table");
}

static int kmod_get_queues(struct backend *be, struct skbstat_snapshot *snap)
{
	return kmod_dump(be, SKBSTAT_CMD_GET_QUEUES, kmod_parse_queues, snap,
			 snapshot_clear_queues, "reading the queue table");
}

/* Reasons only ever accumulate, so a repeated dump needs no reset. */
static void keep_reasons(struct skbstat_snapshot *snap)
{
	(void)snap;
}

static int kmod_get_reasons(struct backend *be, struct skbstat_snapshot *snap)
{
	return kmod_dump(be, SKBSTAT_CMD_GET_REASONS, kmod_parse_reasons, snap,
			 keep_reasons, "reading the drop reason names");
}

/* A "do" request with attributes, answered by an ack. */
static int kmod_request(struct backend *be, struct nl_msg *request, const char *what,
			enum kmod_perm perm)
{
	struct genl_client *client = kmod_client(be);
	int err;

	err = genl_client_send(client, request, NULL, NULL);
	if (err)
		kmod_report(client, what, err, perm);
	return err;
}

static struct nl_msg *kmod_new_request(struct backend *be, uint8_t cmd)
{
	struct nl_msg *request = genl_client_request(kmod_client(be), cmd, 0);

	if (!request)
		fprintf(stderr, "skbstat: out of memory\n");
	return request;
}

static int kmod_reset(struct backend *be, int hook)
{
	struct nl_msg *request;

	request = kmod_new_request(be, SKBSTAT_CMD_RESET);
	if (!request)
		return -ENOMEM;
	if (hook >= 0 && nla_put_u32(request, SKBSTAT_ATTR_HOOK_ID, hook) < 0)
		goto err_free_request;
	return kmod_request(be, request, "resetting the counters", KMOD_PERM_NETNS);

err_free_request:
	nlmsg_free(request);
	fprintf(stderr, "skbstat: out of memory\n");
	return -ENOMEM;
}

/* SET_CONFIG for every hook; @mode NULL keeps each hook's current mode. */
static int kmod_set_config(struct backend *be, bool enabled, const char *mode,
			   const char *what)
{
	struct nl_msg *request;
	uint32_t mode_id = 0;
	int err;

	if (mode && attach_mode_parse(mode, &mode_id)) {
		fprintf(stderr, "skbstat: the module has no attach mode '%s' (use "
			ATTACH_MODE_NAMES ")\n", mode);
		return -EINVAL;
	}
	request = kmod_new_request(be, SKBSTAT_CMD_SET_CONFIG);
	if (!request)
		return -ENOMEM;
	if (nla_put_u8(request, SKBSTAT_ATTR_ENABLED, enabled) < 0 ||
	    (mode && nla_put_u32(request, SKBSTAT_ATTR_MODE, mode_id) < 0))
		goto err_free_request;
	err = kmod_request(be, request, what, KMOD_PERM_INIT_USERNS);
	/*
	 * -EINVAL from attach() means "no such mode" to the caller (a usage
	 * error); the kernel's own EINVAL, already reported, is a runtime one.
	 */
	return err == -EINVAL ? -EIO : err;

err_free_request:
	nlmsg_free(request);
	fprintf(stderr, "skbstat: out of memory\n");
	return -ENOMEM;
}

static int kmod_attach(struct backend *be, const struct attach_request *req)
{
	int hook;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		if (!req->rows[hook])
			continue;
		fprintf(stderr, "skbstat: the module's row limits are module parameters: "
			"'modprobe skbstat drop_rows=N flow_rows=N queue_rows=N'\n");
		return -EINVAL;
	}
	if (req->max_memory_mib) {
		fprintf(stderr, "skbstat: the module's memory cap is a module parameter: "
			"'modprobe skbstat max_memory_mib=N'\n");
		return -EINVAL;
	}
	return kmod_set_config(be, true, req->mode, "attaching the hooks");
}

static int kmod_detach(struct backend *be)
{
	return kmod_set_config(be, false, NULL, "detaching the hooks");
}

const struct backend_ops backend_kmod_ops = {
	.name		= "kmod",
	.description	= "skbstat module",
	.how_to_enable	= "the skbstat kernel module is not loaded; load it with "
			  "'modprobe skbstat' (or 'insmod build/kmod/$(uname -r)/skbstat.ko' "
			  "from a build tree), or use '-b bpf'",
	.open		= kmod_open,
	.close		= kmod_close,
	.get_status	= kmod_get_status,
	.get_drops	= kmod_get_drops,
	.get_flows	= kmod_get_flows,
	.get_queues	= kmod_get_queues,
	.get_reasons	= kmod_get_reasons,
	.reset		= kmod_reset,
	.attach		= kmod_attach,
	.detach		= kmod_detach,
};
