// SPDX-License-Identifier: GPL-2.0
/*
 * The module's generic-netlink replies, as the kmod backend decodes them
 * (backend/kmod/kmod_parse.c): a module of another version, or a broken
 * one, may send any attributes.  The first byte picks the reply (status,
 * drops, flows, queues, reasons); the rest is the message's attributes,
 * behind a well-formed genl header as the socket layer guarantees one.
 */
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/skbstat.h>

#include "backend/kmod/kmod_parse.h"
#include "fuzz/fuzz.h"
#include "model/snapshot.h"
#include "util.h"

#define FAKE_FAMILY_ID	0x30

static const struct {
	uint8_t cmd;
	int (*parse)(struct nl_msg *msg, void *arg);
} replies[] = {
	{ SKBSTAT_CMD_GET_STATUS,	kmod_parse_status },
	{ SKBSTAT_CMD_GET_DROPS,	kmod_parse_drops },
	{ SKBSTAT_CMD_GET_FLOWS,	kmod_parse_flows },
	{ SKBSTAT_CMD_GET_QUEUES,	kmod_parse_queues },
	{ SKBSTAT_CMD_GET_REASONS,	kmod_parse_reasons },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct skbstat_snapshot snap;
	unsigned int which = fuzz_u8(&in) % ARRAY_SIZE(replies);
	struct nl_msg *msg;
	void *arg = &snap;
	size_t i;

	msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + NLMSG_ALIGN(in.len) + 64);
	if (!msg || !genlmsg_put(msg, 0, 0, FAKE_FAMILY_ID, 0, 0, replies[which].cmd,
				 SKBSTAT_GENL_VERSION) ||
	    nlmsg_append(msg, (void *)in.data, in.len, NLMSG_ALIGNTO))
		abort();

	snapshot_init(&snap);
	if (replies[which].cmd == SKBSTAT_CMD_GET_STATUS)
		arg = &snap.status;
	replies[which].parse(msg, arg);
	/* What the views read of it: every string, every reason name. */
	for (i = 0; i < snap.nr_drops; i++)
		snapshot_reason_name(&snap, snap.drops[i].reason);
	for (i = 0; i < snap.nr_reasons; i++)
		if (strlen(snap.reasons[i].name) > 4096)
			abort();
	snapshot_free(&snap);
	nlmsg_free(msg);
	return 0;
}
