// SPDX-License-Identifier: GPL-2.0
/*
 * The kmod backend: asks the skbstat module over its generic-netlink family.
 * Requests are built and sent by genl_client, replies decoded by kmod_parse;
 * this file maps the backend operations onto commands and explains errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/skbstat.h>

#include "backend.h"
#include "genl_client.h"
#include "kmod_parse.h"

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

/* Say what went wrong in terms of what the user asked for, and what to do. */
static void kmod_report(const struct genl_client *client, const char *what, int err)
{
	if (err == -EPERM)
		fprintf(stderr, "skbstat: reading the skbstat module's counters needs "
			"CAP_NET_ADMIN (run as root)");
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
		kmod_report(client, what, err);
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
		kmod_report(client, what, err);
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

const struct backend_ops backend_kmod_ops = {
	.name		= "kmod",
	.description	= "skbstat module",
	.how_to_enable	= "the skbstat kernel module is not loaded; load it with "
			  "'modprobe skbstat' (or 'insmod build/kmod/skbstat.ko'), "
			  "or use '-b bpf'",
	.open		= kmod_open,
	.close		= kmod_close,
	.get_status	= kmod_get_status,
	.get_drops	= kmod_get_drops,
	.get_reasons	= kmod_get_reasons,
};
