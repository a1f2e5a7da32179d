// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of flow and queue rows, from messages built the way the module
 * builds them: addresses sized by family, the histogram as a nest whose
 * attribute i + 1 is bucket i.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/skbstat.h>
#include <skbstat/hooks.h>

#include "backend/kmod/kmod_parse.h"
#include "test.h"
#include "util.h"

struct flow_spec {
	uint8_t family;
	const char *saddr;
	const char *daddr;
	uint16_t sport;
	uint16_t dport;
	uint64_t retransmits;
	uint8_t state;
	uint64_t failed;	/* UINT64_MAX: no SKBSTAT_FLOW_ATTR_FAILED */
};

static void put_addr(struct nl_msg *msg, int type, uint8_t family, const char *text)
{
	uint8_t addr[16];

	if (inet_pton(family, text, addr) != 1)
		abort();
	nla_put(msg, type, family == AF_INET6 ? 16 : 4, addr);
}

static void put_flow(struct nl_msg *msg, const struct flow_spec *f)
{
	struct nlattr *nest = nla_nest_start(msg, SKBSTAT_ATTR_FLOW);

	nla_put_u32(msg, SKBSTAT_FLOW_ATTR_NETNS, 4026532001u);
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, f->family);
	put_addr(msg, SKBSTAT_FLOW_ATTR_SADDR, f->family, f->saddr);
	put_addr(msg, SKBSTAT_FLOW_ATTR_DADDR, f->family, f->daddr);
	nla_put_u16(msg, SKBSTAT_FLOW_ATTR_SPORT, f->sport);
	nla_put_u16(msg, SKBSTAT_FLOW_ATTR_DPORT, f->dport);
	test_put_u64(msg, SKBSTAT_FLOW_ATTR_PAD, SKBSTAT_FLOW_ATTR_RETRANSMITS, f->retransmits);
	test_put_u64(msg, SKBSTAT_FLOW_ATTR_PAD, SKBSTAT_FLOW_ATTR_BYTES, f->retransmits * 1448);
	test_put_u64(msg, SKBSTAT_FLOW_ATTR_PAD, SKBSTAT_FLOW_ATTR_EVENTS, f->retransmits / 2);
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_STATE, f->state);
	test_put_u64(msg, SKBSTAT_FLOW_ATTR_PAD, SKBSTAT_FLOW_ATTR_FIRST_NS, 1000);
	test_put_u64(msg, SKBSTAT_FLOW_ATTR_PAD, SKBSTAT_FLOW_ATTR_LAST_NS, 5000000000ull);
	if (f->failed != UINT64_MAX)
		test_put_u64(msg, SKBSTAT_FLOW_ATTR_PAD, SKBSTAT_FLOW_ATTR_FAILED, f->failed);
	nla_nest_end(msg, nest);
}

static bool addr_is(const uint8_t *addr, uint8_t family, const char *text)
{
	uint8_t expected[16] = { 0 };

	return inet_pton(family, text, expected) == 1 &&
	       !memcmp(addr, expected, family == AF_INET6 ? 16 : 4);
}

/* IPv4 and IPv6 rows, two in one message and one in the next. */
TEST(flow_rows_v4_v6)
{
	static const struct flow_spec rows[] = {
		{ AF_INET, "10.0.0.1", "10.0.0.2", 5201, 40322, 12, TCP_ESTABLISHED,
		  UINT64_MAX },
		{ AF_INET6, "fe80::1", "2001:db8::ff", 22, 51000, 7000000000ull,
		  TCP_FIN_WAIT1, 9000000000ull },
		{ AF_INET, "192.168.1.1", "192.168.1.2", 65535, 1, 1, TCP_SYN_SENT, 0 },
	};
	struct nl_msg *first = test_new_reply(SKBSTAT_CMD_GET_FLOWS);
	struct nl_msg *second = test_new_reply(SKBSTAT_CMD_GET_FLOWS);
	const struct skbstat_flow_row *row;
	struct skbstat_snapshot snap;

	put_flow(first, &rows[0]);
	put_flow(first, &rows[1]);
	put_flow(second, &rows[2]);
	snapshot_init(&snap);
	CHECK(kmod_parse_flows(first, &snap) == 0);
	CHECK(kmod_parse_flows(second, &snap) == 0);
	nlmsg_free(first);
	nlmsg_free(second);

	CHECK_U64(snap.nr_flows, 3);
	row = &snap.flows[0];
	CHECK_U64(row->family, AF_INET);
	CHECK(addr_is(row->saddr, AF_INET, "10.0.0.1"));
	CHECK(addr_is(row->daddr, AF_INET, "10.0.0.2"));
	CHECK_U64(row->sport, 5201);
	CHECK_U64(row->dport, 40322);
	CHECK_U64(row->state, TCP_ESTABLISHED);
	CHECK_U64(row->netns, 4026532001u);
	CHECK(!row->failed_known);	/* a hook that cannot see failures */
	row = &snap.flows[1];
	CHECK(row->failed_known);
	CHECK_U64(row->failed, 9000000000ull);
	CHECK_U64(row->family, AF_INET6);
	CHECK(addr_is(row->saddr, AF_INET6, "fe80::1"));
	CHECK(addr_is(row->daddr, AF_INET6, "2001:db8::ff"));
	CHECK_U64(row->retransmits, 7000000000ull);
	CHECK_U64(row->bytes, 7000000000ull * 1448);
	CHECK_U64(row->events, 3500000000ull);
	CHECK_U64(row->state, TCP_FIN_WAIT1);
	CHECK_U64(row->first_ns, 1000);
	CHECK_U64(row->last_ns, 5000000000ull);
	CHECK_U64(snap.flows[2].sport, 65535);
	CHECK(snap.flows[2].failed_known);
	CHECK_U64(snap.flows[2].failed, 0);
	snapshot_clear_flows(&snap);
	CHECK_U64(snap.nr_flows, 0);
	snapshot_free(&snap);
	return TEST_PASSED;
}

/* Build a one-row reply of @cmd whose @nest_type nest is filled by @fill. */
static int parse_one(uint8_t cmd, int nest_type, void (*fill)(struct nl_msg *msg),
		     int (*parse)(struct nl_msg *msg, void *snap), struct skbstat_snapshot *snap)
{
	struct nl_msg *msg = test_new_reply(cmd);
	struct nlattr *nest = nla_nest_start(msg, nest_type);
	int err;

	fill(msg);
	nla_nest_end(msg, nest);
	snapshot_init(snap);
	err = parse(msg, snap);
	nlmsg_free(msg);
	return err;
}

static int parse_one_flow(void (*fill)(struct nl_msg *msg), struct skbstat_snapshot *snap)
{
	return parse_one(SKBSTAT_CMD_GET_FLOWS, SKBSTAT_ATTR_FLOW, fill, kmod_parse_flows, snap);
}

static void fill_flow_ports(struct nl_msg *msg)
{
	nla_put_u16(msg, SKBSTAT_FLOW_ATTR_SPORT, 1);
	nla_put_u16(msg, SKBSTAT_FLOW_ATTR_DPORT, 2);
}

/* Only what a row cannot do without: no netns, bytes, state or times. */
static void fill_flow_minimal(struct nl_msg *msg)
{
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, AF_INET);
	put_addr(msg, SKBSTAT_FLOW_ATTR_SADDR, AF_INET, "10.0.0.1");
	put_addr(msg, SKBSTAT_FLOW_ATTR_DADDR, AF_INET, "10.0.0.2");
	fill_flow_ports(msg);
	nla_put_u64(msg, SKBSTAT_FLOW_ATTR_RETRANSMITS, 4);
}

static void fill_flow_future_attribute(struct nl_msg *msg)
{
	fill_flow_minimal(msg);
	nla_put_u32(msg, SKBSTAT_FLOW_ATTR_MAX + 5, 1);
}

static void fill_flow_v6_family_v4_addrs(struct nl_msg *msg)
{
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, AF_INET6);
	put_addr(msg, SKBSTAT_FLOW_ATTR_SADDR, AF_INET, "10.0.0.1");
	put_addr(msg, SKBSTAT_FLOW_ATTR_DADDR, AF_INET, "10.0.0.2");
	fill_flow_ports(msg);
	nla_put_u64(msg, SKBSTAT_FLOW_ATTR_RETRANSMITS, 4);
}

static void fill_flow_v4_family_v6_addrs(struct nl_msg *msg)
{
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, AF_INET);
	put_addr(msg, SKBSTAT_FLOW_ATTR_SADDR, AF_INET6, "::1");
	put_addr(msg, SKBSTAT_FLOW_ATTR_DADDR, AF_INET6, "::2");
	fill_flow_ports(msg);
	nla_put_u64(msg, SKBSTAT_FLOW_ATTR_RETRANSMITS, 4);
}

static void fill_flow_unknown_family(struct nl_msg *msg)
{
	fill_flow_minimal(msg);
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, 44);	/* the last one wins */
}

static void fill_flow_without_retransmits(struct nl_msg *msg)
{
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, AF_INET);
	put_addr(msg, SKBSTAT_FLOW_ATTR_SADDR, AF_INET, "10.0.0.1");
	put_addr(msg, SKBSTAT_FLOW_ATTR_DADDR, AF_INET, "10.0.0.2");
	fill_flow_ports(msg);
}

static void fill_flow_without_dport(struct nl_msg *msg)
{
	nla_put_u8(msg, SKBSTAT_FLOW_ATTR_FAMILY, AF_INET);
	put_addr(msg, SKBSTAT_FLOW_ATTR_SADDR, AF_INET, "10.0.0.1");
	put_addr(msg, SKBSTAT_FLOW_ATTR_DADDR, AF_INET, "10.0.0.2");
	nla_put_u16(msg, SKBSTAT_FLOW_ATTR_SPORT, 1);
	nla_put_u64(msg, SKBSTAT_FLOW_ATTR_RETRANSMITS, 4);
}

static void fill_flow_long_addr(struct nl_msg *msg)
{
	static const uint8_t addr[20] = { 0 };

	fill_flow_minimal(msg);
	nla_put(msg, SKBSTAT_FLOW_ATTR_SADDR, sizeof(addr), addr);
}

static void fill_flow_short_retransmits(struct nl_msg *msg)
{
	fill_flow_minimal(msg);
	nla_put_u32(msg, SKBSTAT_FLOW_ATTR_RETRANSMITS, 4);
}

TEST(flow_row_minimal)
{
	struct skbstat_snapshot snap;

	CHECK(parse_one_flow(fill_flow_minimal, &snap) == 0);
	CHECK_U64(snap.nr_flows, 1);
	CHECK_U64(snap.flows[0].retransmits, 4);
	CHECK_U64(snap.flows[0].bytes, 0);
	CHECK_U64(snap.flows[0].last_ns, 0);
	snapshot_free(&snap);
	CHECK(parse_one_flow(fill_flow_future_attribute, &snap) == 0);
	CHECK_U64(snap.nr_flows, 1);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(flow_row_rejects_malformed)
{
	static void (*const fillers[])(struct nl_msg *msg) = {
		fill_flow_v6_family_v4_addrs, fill_flow_v4_family_v6_addrs,
		fill_flow_unknown_family, fill_flow_without_retransmits,
		fill_flow_without_dport, fill_flow_long_addr, fill_flow_short_retransmits,
	};
	struct skbstat_snapshot snap;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(fillers); i++) {
		int saved = stderr_mute();

		err = parse_one_flow(fillers[i], &snap);
		stderr_unmute(saved);
		/* A rejected row must not be half in the snapshot. */
		if (snap.nr_flows)
			TEST_FAIL("malformed flow row %zu left a row behind", i);
		snapshot_free(&snap);
		if (err != -EPROTO)
			TEST_FAIL("malformed flow row %zu gave %d, expected -EPROTO", i, err);
	}
	return TEST_PASSED;
}

static void put_queue_head(struct nl_msg *msg, const char *dev, uint16_t queue,
			   uint64_t packets)
{
	nla_put_u32(msg, SKBSTAT_QUEUE_ATTR_NETNS, 4026531840u);
	nla_put_u32(msg, SKBSTAT_QUEUE_ATTR_IFINDEX, 2);
	if (dev)
		nla_put_string(msg, SKBSTAT_QUEUE_ATTR_DEV, dev);
	nla_put_u16(msg, SKBSTAT_QUEUE_ATTR_QUEUE, queue);
	test_put_u64(msg, SKBSTAT_QUEUE_ATTR_PAD, SKBSTAT_QUEUE_ATTR_PACKETS, packets);
	test_put_u64(msg, SKBSTAT_QUEUE_ATTR_PAD, SKBSTAT_QUEUE_ATTR_BYTES, packets * 1000);
}

/* Bucket i is attribute i + 1, all of them, as the module sends it. */
static void put_queue(struct nl_msg *msg, const char *dev, uint16_t queue, uint64_t base)
{
	struct nlattr *nest = nla_nest_start(msg, SKBSTAT_ATTR_QUEUE);
	struct nlattr *hist;
	int i;

	put_queue_head(msg, dev, queue, base * SKBSTAT_HIST_BUCKETS);
	hist = nla_nest_start(msg, SKBSTAT_QUEUE_ATTR_HIST);
	for (i = 0; i < SKBSTAT_HIST_BUCKETS; i++)
		nla_put_u64(msg, i + 1, base + i);
	nla_nest_end(msg, hist);
	nla_nest_end(msg, nest);
}

TEST(queue_rows)
{
	struct nl_msg *first = test_new_reply(SKBSTAT_CMD_GET_QUEUES);
	struct nl_msg *second = test_new_reply(SKBSTAT_CMD_GET_QUEUES);
	const struct skbstat_queue_row *row;
	struct skbstat_snapshot snap;
	int i;

	put_queue(first, "eth0", 0, 100);
	put_queue(first, "eth0", 7, 6000000000ull);
	put_queue(second, NULL, 65535, 1);
	snapshot_init(&snap);
	CHECK(kmod_parse_queues(first, &snap) == 0);
	CHECK(kmod_parse_queues(second, &snap) == 0);
	nlmsg_free(first);
	nlmsg_free(second);

	CHECK_U64(snap.nr_queues, 3);
	row = &snap.queues[1];
	CHECK_STR(row->dev, "eth0");
	CHECK_U64(row->ifindex, 2);
	CHECK_U64(row->netns, 4026531840u);
	CHECK_U64(row->queue, 7);
	CHECK_U64(row->packets, 6000000000ull * SKBSTAT_HIST_BUCKETS);
	CHECK_U64(row->bytes, 6000000000ull * SKBSTAT_HIST_BUCKETS * 1000);
	for (i = 0; i < SKBSTAT_HIST_BUCKETS; i++)
		CHECK_U64(row->hist[i], 6000000000ull + i);
	row = &snap.queues[2];
	CHECK(row->dev == NULL);
	CHECK_U64(row->queue, 65535);
	CHECK_U64(row->hist[0], 1);
	CHECK_U64(row->hist[SKBSTAT_HIST_BUCKETS - 1], SKBSTAT_HIST_BUCKETS);
	snapshot_clear_queues(&snap);
	CHECK_U64(snap.nr_queues, 0);
	snapshot_free(&snap);
	return TEST_PASSED;
}

static int parse_one_queue(void (*fill)(struct nl_msg *msg), struct skbstat_snapshot *snap)
{
	return parse_one(SKBSTAT_CMD_GET_QUEUES, SKBSTAT_ATTR_QUEUE, fill, kmod_parse_queues,
			 snap);
}

static void fill_queue_without_hist(struct nl_msg *msg)
{
	put_queue_head(msg, "lo", 0, 3);
}

/*
 * Where u64 attributes must be aligned the kernel puts pad attributes of
 * type 0 into the nest; a newer module may send more, finer buckets at the
 * top, which all belong in our open-ended last one.
 */
static void fill_queue_padded_and_longer_hist(struct nl_msg *msg)
{
	struct nlattr *hist;

	put_queue_head(msg, "lo", 0, 3);
	hist = nla_nest_start(msg, SKBSTAT_QUEUE_ATTR_HIST);
	nla_put(msg, 0, 0, NULL);
	nla_put_u64(msg, 7, 11);
	nla_put(msg, 0, 0, NULL);
	nla_put_u64(msg, SKBSTAT_HIST_BUCKETS, 5);
	nla_put_u64(msg, SKBSTAT_HIST_BUCKETS + 1, 6);
	nla_put_u64(msg, SKBSTAT_HIST_BUCKETS + 9, 7);
	nla_nest_end(msg, hist);
}

static void fill_queue_u32_bucket(struct nl_msg *msg)
{
	struct nlattr *hist;

	put_queue_head(msg, "lo", 0, 3);
	hist = nla_nest_start(msg, SKBSTAT_QUEUE_ATTR_HIST);
	nla_put_u32(msg, 1, 3);
	nla_nest_end(msg, hist);
}

static void fill_queue_without_packets(struct nl_msg *msg)
{
	nla_put_u32(msg, SKBSTAT_QUEUE_ATTR_IFINDEX, 2);
	nla_put_u16(msg, SKBSTAT_QUEUE_ATTR_QUEUE, 0);
	nla_put_u64(msg, SKBSTAT_QUEUE_ATTR_BYTES, 1);
}

static void fill_queue_without_queue(struct nl_msg *msg)
{
	nla_put_u32(msg, SKBSTAT_QUEUE_ATTR_IFINDEX, 2);
	nla_put_u64(msg, SKBSTAT_QUEUE_ATTR_PACKETS, 1);
	nla_put_u64(msg, SKBSTAT_QUEUE_ATTR_BYTES, 1);
}

static void fill_queue_long_dev(struct nl_msg *msg)
{
	fill_queue_without_hist(msg);
	nla_put_string(msg, SKBSTAT_QUEUE_ATTR_DEV, "a-name-longer-than-ifnamsiz");
}

TEST(queue_row_optional_parts)
{
	const struct skbstat_queue_row *row;
	struct skbstat_snapshot snap;
	size_t i;

	CHECK(parse_one_queue(fill_queue_without_hist, &snap) == 0);
	CHECK_U64(snap.nr_queues, 1);
	for (i = 0; i < SKBSTAT_HIST_BUCKETS; i++)
		CHECK_U64(snap.queues[0].hist[i], 0);
	snapshot_free(&snap);

	CHECK(parse_one_queue(fill_queue_padded_and_longer_hist, &snap) == 0);
	CHECK_U64(snap.nr_queues, 1);
	row = &snap.queues[0];
	CHECK_U64(row->hist[6], 11);
	CHECK_U64(row->hist[SKBSTAT_HIST_BUCKETS - 1], 5 + 6 + 7);
	snapshot_free(&snap);
	return TEST_PASSED;
}

TEST(queue_row_rejects_malformed)
{
	static void (*const fillers[])(struct nl_msg *msg) = {
		fill_queue_u32_bucket, fill_queue_without_packets, fill_queue_without_queue,
		fill_queue_long_dev,
	};
	struct skbstat_snapshot snap;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(fillers); i++) {
		int saved = stderr_mute();

		err = parse_one_queue(fillers[i], &snap);
		stderr_unmute(saved);
		snapshot_free(&snap);
		if (err != -EPROTO)
			TEST_FAIL("malformed queue row %zu gave %d, expected -EPROTO", i, err);
	}
	return TEST_PASSED;
}
