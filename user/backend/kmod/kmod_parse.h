/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/backend/kmod/: the module's backend (backend_kmod.c), a generic
 * netlink client (genl_client.c) and the parsing of the module's replies.
 *
 * Decoding the skbstat module's netlink replies into the snapshot.  Each
 * function takes one reply message (a dump sends one per row) and has the
 * genl_reply_fn signature, so it plugs straight into genl_client_send().
 */
#ifndef SKBSTAT_KMOD_PARSE_H
#define SKBSTAT_KMOD_PARSE_H

#include <netlink/msg.h>

/* @status: struct skbstat_status */
int kmod_parse_status(struct nl_msg *msg, void *status);
/* @snap: struct skbstat_snapshot; rows are appended */
int kmod_parse_drops(struct nl_msg *msg, void *snap);
int kmod_parse_flows(struct nl_msg *msg, void *snap);
int kmod_parse_queues(struct nl_msg *msg, void *snap);
/* @snap: struct skbstat_snapshot; names are added to its reason table */
int kmod_parse_reasons(struct nl_msg *msg, void *snap);

#endif /* SKBSTAT_KMOD_PARSE_H */
