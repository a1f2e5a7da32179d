// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the module's replies, from messages built here the way the
 * module builds them (u64 counters preceded by a pad attribute).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/if_ether.h>
#include <linux/skbstat.h>
#include <skbstat/hooks.h>

#include "backend/kmod/kmod_parse.h"
#include "model/names.h"
#include "test.h"
#include "util.h"

static void put_hook(struct nl_msg *msg, uint32_t id, const char *name, uint64_t events)
{
	struct nlattr *nest = nla_nest_start(msg, SKBSTAT_ATTR_HOOK);

	nla_put_u32(msg, SKBSTAT_HOOK_ATTR_ID, id);
	if (name)
		nla_put_string(msg, SKBSTAT_HOOK_ATTR_NAME, name);
	nla_put_u8(msg, SKBSTAT_HOOK_ATTR_ATTACHED, 1);
	nla_put_u32(msg, SKBSTAT_HOOK_ATTR_MODE, SKBSTAT_MODE_KPROBE);
	test_put_u64(msg, SKBSTAT_HOOK_ATTR_PAD, SKBSTAT_HOOK_ATTR_EVENTS, events);
	test_put_u64(msg, SKBSTAT_HOOK_ATTR_PAD, SKBSTAT_HOOK_ATTR_BYTES, events * 100);
	test_put_u64(msg, SKBSTAT_HOOK_ATTR_PAD, SKBSTAT_HOOK_ATTR_TABLE_FULL, 2);
	nla_put_u32(msg, SKBSTAT_HOOK_ATTR_ROWS, 17);
	nla_put_u32(msg, SKBSTAT_HOOK_ATTR_LIMIT, 8192);
	if (name)	/* a module of before the attribute sends none */
		nla_put_u32(msg, SKBSTAT_HOOK_ATTR_LONGEST_PROBE, 3);
	nla_nest_end(msg, nest);
}

TEST(status_reply)
{
	struct skbstat_snapshot snap;
	struct nl_msg *msg = test_new_reply(SKBSTAT_CMD_GET_STATUS);
	struct skbstat_hook_status *hook;

	nla_put_u32(msg, SKBSTAT_ATTR_VERSION, SKBSTAT_GENL_VERSION);
	put_hook(msg, SKBSTAT_HOOK_DROPS, "skb:kfree_skb", 5000000000ull);
	put_hook(msg, SKBSTAT_HOOK_FLOWS, NULL, 1);	/* name falls back to hooks.h */
	put_hook(msg, 7, NULL, 1);			/* a hook from a newer module */

	snapshot_init(&snap);
	CHECK(kmod_parse_status(msg, &snap.status) == 0);
	nlmsg_free(msg);
	CHECK_U64(snap.status.version, SKBSTAT_GENL_VERSION);
	CHECK_U64(snap.status.nr_hooks, 3);
	hook = &snap.status.hooks[0];
	CHECK_STR(hook->name, "skb:kfree_skb");
	CHECK(hook->attached);
	CHECK_U64(hook->mode, SKBSTAT_MODE_KPROBE);
	CHECK_U64(hook->events, 5000000000ull);
	CHECK_U64(hook->bytes, 500000000000ull);
	CHECK_U64(hook->table_full, 2);
	CHECK_U64(hook->rows, 17);
	CHECK_U64(hook->limit, 8192);
	CHECK(hook->has_longest_probe);
	CHECK_U64(hook->longest_probe, 3);
	CHECK(!snap.status.hooks[1].has_longest_probe);
	CHECK_STR(snap.status.hooks[1].name, SKBSTAT_HOOK_NAME_FLOWS);
	CHECK_STR(snap.status.hooks[2].name, "hook7");
	snapshot_free(&snap);
	return TEST_PASSED;
}

struct drop_spec {
	uint32_t reason;
	const char *location;
	uint32_t ifindex;
	const char *dev;
	uint64_t packets;
};

static void put_drop(struct nl_msg *msg, const struct drop_spec *d)
{
	struct nlattr *nest = nla_nest_start(msg, SKBSTAT_ATTR_DROP);

	nla_put_u32(msg, SKBSTAT_DROP_ATTR_REASON, d->reason);
	if (d->location)
		nla_put_string(msg, SKBSTAT_DROP_ATTR_LOCATION, d->location);
	nla_put_u32(msg, SKBSTAT_DROP_ATTR_IFINDEX, d->ifindex);
	if (d->dev)
		nla_put_string(msg, SKBSTAT_DROP_ATTR_DEV, d->dev);
	nla_put_u32(msg, SKBSTAT_DROP_ATTR_NETNS, 4026531840u);
	nla_put_u16(msg, SKBSTAT_DROP_ATTR_PROTO, ETH_P_IPV6);
	test_put_u64(msg, SKBSTAT_DROP_ATTR_PAD, SKBSTAT_DROP_ATTR_PACKETS, d->packets);
	test_put_u64(msg, SKBSTAT_DROP_ATTR_PAD, SKBSTAT_DROP_ATTR_BYTES, d->packets * 60);
	nla_nest_end(msg, nest);
}

/* A dump may carry one row per message or several; both must add up. */
TEST(drop_rows_across_messages)
{
	static const struct drop_spec rows[] = {
		{ 3, "tcp_v6_rcv+0x9a", 2, "eth0", 10 },
		{ 8, "nf_hook_slow+0xe0", 3, "veth0", 20 },
		{ 2, NULL, 0, NULL, 30 },
	};
	struct nl_msg *first = test_new_reply(SKBSTAT_CMD_GET_DROPS);
	struct nl_msg *second = test_new_reply(SKBSTAT_CMD_GET_DROPS);
	struct skbstat_snapshot snap;
	const struct skbstat_drop_row *row;

	put_drop(first, &rows[0]);
	put_drop(first, &rows[1]);
	put_drop(second, &rows[2]);
	snapshot_init(&snap);
	CHECK(kmod_parse_drops(first, &snap) == 0);
	CHECK(kmod_parse_drops(second, &snap) == 0);
	nlmsg_free(first);
	nlmsg_free(second);

	CHECK_U64(snap.nr_drops, 3);
	row = &snap.drops[1];
	CHECK_U64(row->reason, 8);
	CHECK_STR(row->location, "nf_hook_slow+0xe0");
	CHECK_U64(row->ifindex, 3);
	CHECK_STR(row->dev, "veth0");
	CHECK_U64(row->netns, 4026531840u);
	CHECK_U64(row->proto, ETH_P_IPV6);
	CHECK_U64(row->packets, 20);
	CHECK_U64(row->bytes, 1200);
	row = &snap.drops[2];
	CHECK(row->location == NULL && row->dev == NULL);
	CHECK_U64(row->ifindex, 0);
	snapshot_free(&snap);
	return TEST_PASSED;
}

/* Build a one-row drop reply whose nest is filled by @fill. */
static int parse_one_drop(void (*fill)(struct nl_msg *msg), struct skbstat_snapshot *snap)
{
	struct nl_msg *msg = test_new_reply(SKBSTAT_CMD_GET_DROPS);
	struct nlattr *nest = nla_nest_start(msg, SKBSTAT_ATTR_DROP);
	int err;

	fill(msg);
	nla_nest_end(msg, nest);
	snapshot_init(snap);
	err = kmod_parse_drops(msg, snap);
	nlmsg_free(msg);
	return err;
}

static void fill_minimal(struct nl_msg *msg)
{
	nla_put_u32(msg, SKBSTAT_DROP_ATTR_REASON, 2);
	nla_put_u64(msg, SKBSTAT_DROP_ATTR_PACKETS, 1);
	nla_put_u64(msg, SKBSTAT_DROP_ATTR_BYTES, 42);
}

static void fill_without_packets(struct nl_msg *msg)
{
	nla_put_u32(msg, SKBSTAT_DROP_ATTR_REASON, 2);
	nla_put_u64(msg, SKBSTAT_DROP_ATTR_BYTES, 42);
}

static void fill_short_reason(struct nl_msg *msg)
{
	fill_minimal(msg);
	nla_put_u16(msg, SKBSTAT_DROP_ATTR_REASON, 2);
}

static void fill_long_dev(struct nl_msg *msg)
{
	fill_minimal(msg);
	nla_put_string(msg, SKBSTAT_DROP_ATTR_DEV, "a-name-longer-than-ifnamsiz");
}

static void fill_unterminated_location(struct nl_msg *msg)
{
	fill_minimal(msg);
	nla_put(msg, SKBSTAT_DROP_ATTR_LOCATION, 3, "abc");
}

static void fill_with_future_attribute(struct nl_msg *msg)
{
	fill_minimal(msg);
	nla_put_u32(msg, SKBSTAT_DROP_ATTR_MAX + 3, 77);
}

TEST(drop_row_minimal)
{
	struct skbstat_snapshot snap;

	CHECK(parse_one_drop(fill_minimal, &snap) == 0);
	CHECK_U64(snap.nr_drops, 1);
	CHECK_U64(snap.drops[0].bytes, 42);
	CHECK(snap.drops[0].dev == NULL);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(drop_row_rejects_malformed)
{
	static void (*const fillers[])(struct nl_msg *msg) = {
		fill_without_packets, fill_short_reason, fill_long_dev,
		fill_unterminated_location,
	};
	struct skbstat_snapshot snap;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(fillers); i++) {
		int saved = stderr_mute();

		err = parse_one_drop(fillers[i], &snap);
		stderr_unmute(saved);
		snapshot_free(&snap);
		if (err != -EPROTO)
			TEST_FAIL("malformed row %zu gave %d, expected -EPROTO", i, err);
	}
	return TEST_PASSED;
}

/* A newer module may add attributes; an older CLI must not choke on them. */
TEST(drop_row_ignores_unknown)
{
	struct skbstat_snapshot snap;

	CHECK(parse_one_drop(fill_with_future_attribute, &snap) == 0);
	CHECK_U64(snap.nr_drops, 1);
	snapshot_free(&snap);
	return TEST_PASSED;
}

static void put_reason(struct nl_msg *msg, uint32_t id, const char *name)
{
	struct nlattr *nest = nla_nest_start(msg, SKBSTAT_ATTR_REASON);

	nla_put_u32(msg, SKBSTAT_REASON_ATTR_ID, id);
	nla_put_string(msg, SKBSTAT_REASON_ATTR_NAME, name);
	nla_nest_end(msg, nest);
}

TEST(reasons_reply)
{
	struct nl_msg *msg = test_new_reply(SKBSTAT_CMD_GET_REASONS);
	struct skbstat_snapshot snap;
	char buf[NAME_BUF_LEN];

	put_reason(msg, 5, "TCP_CSUM");
	put_reason(msg, 2, "NOT_SPECIFIED");
	put_reason(msg, 0x10001, "MAC80211_UNUSABLE");	/* subsystem reasons are large */
	put_reason(msg, 3, "NO_SOCKET");
	snapshot_init(&snap);
	CHECK(kmod_parse_reasons(msg, &snap) == 0);
	nlmsg_free(msg);
	CHECK_U64(snap.nr_reasons, 4);
	CHECK_STR(drop_reason_name(&snap, 2, buf), "NOT_SPECIFIED");
	CHECK_STR(drop_reason_name(&snap, 3, buf), "NO_SOCKET");
	CHECK_STR(drop_reason_name(&snap, 5, buf), "TCP_CSUM");
	CHECK_STR(drop_reason_name(&snap, 0x10001, buf), "MAC80211_UNUSABLE");
	CHECK_STR(drop_reason_name(&snap, 4, buf), "UNKNOWN(4)");
	snapshot_free(&snap);
	return TEST_PASSED;
}
