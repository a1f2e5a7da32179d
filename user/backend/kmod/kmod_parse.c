// SPDX-License-Identifier: GPL-2.0
/*
 * Reply decoding for the kmod backend.  Every nest is checked against a
 * policy; attributes this CLI does not know are ignored, so an older CLI
 * keeps working with a newer module that adds fields.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/skbstat.h>
#include <skbstat/hooks.h>

#include "backend/kmod/kmod_parse.h"
#include "model/snapshot.h"
#include "util.h"

/* Longest "func+0xoff/0xsize" we accept: KSYM_NAME_LEN is 512. */
#define LOCATION_MAX_LEN	1024
#define HOOK_NAME_MAX_LEN	128
#define REASON_NAME_MAX_LEN	128

static struct nla_policy hook_policy[SKBSTAT_HOOK_ATTR_MAX + 1] = {
	[SKBSTAT_HOOK_ATTR_ID]		= { .type = NLA_U32 },
	[SKBSTAT_HOOK_ATTR_NAME]	= { .type = NLA_STRING, .maxlen = HOOK_NAME_MAX_LEN },
	[SKBSTAT_HOOK_ATTR_ATTACHED]	= { .type = NLA_U8 },
	[SKBSTAT_HOOK_ATTR_MODE]	= { .type = NLA_U32 },
	[SKBSTAT_HOOK_ATTR_EVENTS]	= { .type = NLA_U64 },
	[SKBSTAT_HOOK_ATTR_BYTES]	= { .type = NLA_U64 },
	[SKBSTAT_HOOK_ATTR_TABLE_FULL]	= { .type = NLA_U64 },
	[SKBSTAT_HOOK_ATTR_ROWS]	= { .type = NLA_U32 },
	[SKBSTAT_HOOK_ATTR_LIMIT]	= { .type = NLA_U32 },
	[SKBSTAT_HOOK_ATTR_LONGEST_PROBE] = { .type = NLA_U32 },
	[SKBSTAT_HOOK_ATTR_MISSED]	= { .type = NLA_U64 },
	[SKBSTAT_HOOK_ATTR_GAPS]	= { .type = NLA_STRING },
	[SKBSTAT_HOOK_ATTR_MEM_BYTES]	= { .type = NLA_U64 },
	[SKBSTAT_HOOK_ATTR_MEM_PERCPU_BYTES] = { .type = NLA_U64 },
	[SKBSTAT_HOOK_ATTR_POSSIBLE_CPUS] = { .type = NLA_U32 },
};

static struct nla_policy drop_policy[SKBSTAT_DROP_ATTR_MAX + 1] = {
	[SKBSTAT_DROP_ATTR_REASON]	= { .type = NLA_U32 },
	[SKBSTAT_DROP_ATTR_LOCATION]	= { .type = NLA_STRING, .maxlen = LOCATION_MAX_LEN },
	[SKBSTAT_DROP_ATTR_IFINDEX]	= { .type = NLA_U32 },
	[SKBSTAT_DROP_ATTR_DEV]		= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[SKBSTAT_DROP_ATTR_NETNS]	= { .type = NLA_U32 },
	[SKBSTAT_DROP_ATTR_PROTO]	= { .type = NLA_U16 },
	[SKBSTAT_DROP_ATTR_PACKETS]	= { .type = NLA_U64 },
	[SKBSTAT_DROP_ATTR_BYTES]	= { .type = NLA_U64 },
};

static struct nla_policy flow_policy[SKBSTAT_FLOW_ATTR_MAX + 1] = {
	[SKBSTAT_FLOW_ATTR_NETNS]	= { .type = NLA_U32 },
	[SKBSTAT_FLOW_ATTR_FAMILY]	= { .type = NLA_U8 },
	[SKBSTAT_FLOW_ATTR_SADDR]	= { .type = NLA_BINARY, .minlen = 4, .maxlen = 16 },
	[SKBSTAT_FLOW_ATTR_DADDR]	= { .type = NLA_BINARY, .minlen = 4, .maxlen = 16 },
	[SKBSTAT_FLOW_ATTR_SPORT]	= { .type = NLA_U16 },
	[SKBSTAT_FLOW_ATTR_DPORT]	= { .type = NLA_U16 },
	[SKBSTAT_FLOW_ATTR_RETRANSMITS]	= { .type = NLA_U64 },
	[SKBSTAT_FLOW_ATTR_FAILED]	= { .type = NLA_U64 },
	[SKBSTAT_FLOW_ATTR_BYTES]	= { .type = NLA_U64 },
	[SKBSTAT_FLOW_ATTR_STATE]	= { .type = NLA_U8 },
	[SKBSTAT_FLOW_ATTR_FIRST_NS]	= { .type = NLA_U64 },
	[SKBSTAT_FLOW_ATTR_LAST_NS]	= { .type = NLA_U64 },
	[SKBSTAT_FLOW_ATTR_EVENTS]	= { .type = NLA_U64 },
};

static struct nla_policy queue_policy[SKBSTAT_QUEUE_ATTR_MAX + 1] = {
	[SKBSTAT_QUEUE_ATTR_NETNS]	= { .type = NLA_U32 },
	[SKBSTAT_QUEUE_ATTR_IFINDEX]	= { .type = NLA_U32 },
	[SKBSTAT_QUEUE_ATTR_DEV]	= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[SKBSTAT_QUEUE_ATTR_QUEUE]	= { .type = NLA_U16 },
	[SKBSTAT_QUEUE_ATTR_PACKETS]	= { .type = NLA_U64 },
	[SKBSTAT_QUEUE_ATTR_BYTES]	= { .type = NLA_U64 },
	[SKBSTAT_QUEUE_ATTR_HIST]	= { .type = NLA_NESTED },
};

static struct nla_policy reason_policy[SKBSTAT_REASON_ATTR_MAX + 1] = {
	[SKBSTAT_REASON_ATTR_ID]	= { .type = NLA_U32 },
	[SKBSTAT_REASON_ATTR_NAME]	= { .type = NLA_STRING, .maxlen = REASON_NAME_MAX_LEN },
};

/* A reply the policy rejects means the module and the CLI disagree on the API. */
static int bad_reply(const char *what, const char *detail)
{
	fprintf(stderr, "skbstat: the module sent a malformed %s (%s); "
		"are the module and the CLI from the same release?\n", what, detail);
	return -EPROTO;
}

/* Names attributes a row cannot do without, for the message when one is missing. */
struct required_attr {
	int type;
	const char *missing;
};

static int check_required(struct nlattr **tb, const struct required_attr *required,
			  size_t nr, const char *what)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!tb[required[i].type])
			return bad_reply(what, required[i].missing);
	return 0;
}

static int parse_nest(struct nlattr **tb, int maxtype, struct nlattr *nest,
		      struct nla_policy *policy, const char *what)
{
	if (nla_parse_nested(tb, maxtype, nest, policy) < 0)
		return bad_reply(what, "an attribute has the wrong type or size");
	return 0;
}

/* Copy an optional string attribute; NULL when absent or empty. */
static int dup_string(const struct nlattr *attr, char **dst)
{
	*dst = NULL;
	if (!attr || !nla_get_string(attr)[0])
		return 0;
	*dst = strdup(nla_get_string(attr));
	return *dst ? 0 : -ENOMEM;
}

static uint64_t get_u64_or_zero(const struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

static uint32_t get_u32_or_zero(const struct nlattr *attr)
{
	return attr ? nla_get_u32(attr) : 0;
}

/* Old or minimal modules may omit a hook's name; the id still names it. */
static char *hook_fallback_name(uint32_t id)
{
	static const char *const names[SKBSTAT_HOOK_COUNT] = {
		[SKBSTAT_HOOK_DROPS]	= SKBSTAT_HOOK_NAME_DROPS,
		[SKBSTAT_HOOK_FLOWS]	= SKBSTAT_HOOK_NAME_FLOWS,
		[SKBSTAT_HOOK_QUEUES]	= SKBSTAT_HOOK_NAME_QUEUES,
	};
	char *name;

	if (id < SKBSTAT_HOOK_COUNT)
		return strdup(names[id]);
	if (asprintf(&name, "hook%u", id) < 0)
		return NULL;
	return name;
}

/* What the hook's probes lose; a module before these attributes says nothing. */
static void parse_hook_probe_health(struct nlattr **tb, struct skbstat_hook_status *hook)
{
	hook->has_missed = tb[SKBSTAT_HOOK_ATTR_MISSED];
	hook->missed = get_u64_or_zero(tb[SKBSTAT_HOOK_ATTR_MISSED]);
	if (tb[SKBSTAT_HOOK_ATTR_GAPS])
		nla_strlcpy(hook->gaps, tb[SKBSTAT_HOOK_ATTR_GAPS], sizeof(hook->gaps));
}

/*
 * The memory of a hook's table, when the module says (since issue 15): one
 * possible CPU's copy is the per-CPU part over the CPUs (each CPU's takes
 * as much, whether from pages or vmalloc).
 */
static void parse_hook_memory(struct nlattr **tb, uint32_t id, struct skbstat_status *status)
{
	static const char *const tables[SKBSTAT_HOOK_COUNT] = {
		[SKBSTAT_HOOK_DROPS] = "drops",
		[SKBSTAT_HOOK_FLOWS] = "flows",
		[SKBSTAT_HOOK_QUEUES] = "queues",
	};
	struct skbstat_memory *m = &status->memory;
	struct skbstat_table_memory *t;
	uint32_t cpus;

	if (id >= SKBSTAT_HOOK_COUNT || !tb[SKBSTAT_HOOK_ATTR_MEM_BYTES] ||
	    m->nr_tables >= SKBSTAT_MEMORY_TABLES)
		return;
	cpus = get_u32_or_zero(tb[SKBSTAT_HOOK_ATTR_POSSIBLE_CPUS]);
	m->possible_cpus = cpus;
	t = &m->tables[m->nr_tables++];
	t->table = tables[id];
	t->bytes = get_u64_or_zero(tb[SKBSTAT_HOOK_ATTR_MEM_BYTES]);
	t->per_cpu_bytes = cpus ? get_u64_or_zero(tb[SKBSTAT_HOOK_ATTR_MEM_PERCPU_BYTES]) / cpus
				: 0;
}

static int parse_hook(struct nlattr *nest, struct skbstat_status *status)
{
	struct nlattr *tb[SKBSTAT_HOOK_ATTR_MAX + 1];
	struct skbstat_hook_status *hook;
	int err;

	err = parse_nest(tb, SKBSTAT_HOOK_ATTR_MAX, nest, hook_policy, "hook status");
	if (err)
		return err;
	if (!tb[SKBSTAT_HOOK_ATTR_ID])
		return bad_reply("hook status", "no SKBSTAT_HOOK_ATTR_ID");

	hook = status_add_hook(status);
	if (!hook)
		return -ENOMEM;
	hook->id = nla_get_u32(tb[SKBSTAT_HOOK_ATTR_ID]);
	err = dup_string(tb[SKBSTAT_HOOK_ATTR_NAME], &hook->name);
	if (!err && !hook->name)
		hook->name = hook_fallback_name(hook->id);
	if (!hook->name)
		return -ENOMEM;
	hook->attached = tb[SKBSTAT_HOOK_ATTR_ATTACHED] &&
			 nla_get_u8(tb[SKBSTAT_HOOK_ATTR_ATTACHED]);
	hook->mode = get_u32_or_zero(tb[SKBSTAT_HOOK_ATTR_MODE]);
	hook->events = get_u64_or_zero(tb[SKBSTAT_HOOK_ATTR_EVENTS]);
	hook->bytes = get_u64_or_zero(tb[SKBSTAT_HOOK_ATTR_BYTES]);
	hook->table_full = get_u64_or_zero(tb[SKBSTAT_HOOK_ATTR_TABLE_FULL]);
	hook->rows = get_u32_or_zero(tb[SKBSTAT_HOOK_ATTR_ROWS]);
	hook->limit = get_u32_or_zero(tb[SKBSTAT_HOOK_ATTR_LIMIT]);
	hook->has_longest_probe = tb[SKBSTAT_HOOK_ATTR_LONGEST_PROBE];
	hook->longest_probe = get_u32_or_zero(tb[SKBSTAT_HOOK_ATTR_LONGEST_PROBE]);
	parse_hook_probe_health(tb, hook);
	parse_hook_memory(tb, hook->id, status);
	return 0;
}

int kmod_parse_status(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct skbstat_status *status = arg;
	struct nlattr *attr;
	int rem, err;

	/* Top level by hand: a status reply repeats SKBSTAT_ATTR_HOOK. */
	nla_for_each_attr(attr, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {
		switch (nla_type(attr)) {
		case SKBSTAT_ATTR_VERSION:
			if (nla_len(attr) < (int)sizeof(uint32_t))
				return bad_reply("status", "short SKBSTAT_ATTR_VERSION");
			status->version = nla_get_u32(attr);
			break;
		case SKBSTAT_ATTR_DROP_REASONS:
			if (nla_len(attr) < (int)sizeof(uint8_t))
				return bad_reply("status", "short SKBSTAT_ATTR_DROP_REASONS");
			status->drop_reasons = nla_get_u8(attr) ? SKBSTAT_DROP_REASONS_KERNEL :
					       SKBSTAT_DROP_REASONS_NONE;
			break;
		case SKBSTAT_ATTR_HOOK:
			err = parse_hook(attr, status);
			if (err)
				return err;
			break;
		}
	}
	return 0;
}

static int fill_drop_row(struct nlattr **tb, struct skbstat_drop_row *row)
{
	int err;

	row->reason = nla_get_u32(tb[SKBSTAT_DROP_ATTR_REASON]);
	row->packets = nla_get_u64(tb[SKBSTAT_DROP_ATTR_PACKETS]);
	row->bytes = nla_get_u64(tb[SKBSTAT_DROP_ATTR_BYTES]);
	row->ifindex = get_u32_or_zero(tb[SKBSTAT_DROP_ATTR_IFINDEX]);
	row->netns = get_u32_or_zero(tb[SKBSTAT_DROP_ATTR_NETNS]);
	row->proto = tb[SKBSTAT_DROP_ATTR_PROTO] ? nla_get_u16(tb[SKBSTAT_DROP_ATTR_PROTO]) : 0;
	err = dup_string(tb[SKBSTAT_DROP_ATTR_LOCATION], &row->location);
	if (err)
		return err;
	return dup_string(tb[SKBSTAT_DROP_ATTR_DEV], &row->dev);
}

static int parse_drop(struct nlattr *nest, struct skbstat_snapshot *snap)
{
	static const struct required_attr required[] = {
		{ SKBSTAT_DROP_ATTR_REASON,	"no SKBSTAT_DROP_ATTR_REASON" },
		{ SKBSTAT_DROP_ATTR_PACKETS,	"no SKBSTAT_DROP_ATTR_PACKETS" },
		{ SKBSTAT_DROP_ATTR_BYTES,	"no SKBSTAT_DROP_ATTR_BYTES" },
	};
	struct nlattr *tb[SKBSTAT_DROP_ATTR_MAX + 1];
	struct skbstat_drop_row *row;
	int err;

	err = parse_nest(tb, SKBSTAT_DROP_ATTR_MAX, nest, drop_policy, "drop row");
	if (!err)
		err = check_required(tb, required, ARRAY_SIZE(required), "drop row");
	if (err)
		return err;

	row = snapshot_add_drop(snap);
	if (!row)
		return -ENOMEM;
	/* A half-filled row is freed with the snapshot like any other. */
	return fill_drop_row(tb, row);
}

/* An address must have the length of its family: 4 or 16 bytes. */
static int get_addr(const struct nlattr *attr, uint8_t family, uint8_t addr[16])
{
	int len = family == AF_INET6 ? 16 : 4;

	if (!attr)
		return bad_reply("flow row", "no SKBSTAT_FLOW_ATTR_SADDR or _DADDR");
	if (nla_len(attr) != len)
		return bad_reply("flow row", "an address does not match its family");
	memcpy(addr, nla_data(attr), len);
	return 0;
}

static int fill_flow_row(struct nlattr **tb, struct skbstat_flow_row *row)
{
	int err;

	row->family = nla_get_u8(tb[SKBSTAT_FLOW_ATTR_FAMILY]);
	row->netns = get_u32_or_zero(tb[SKBSTAT_FLOW_ATTR_NETNS]);
	if (row->family == AF_UNSPEC) {
		/* The netns gone row: what flows of namespaces that died had. */
		if (row->netns || tb[SKBSTAT_FLOW_ATTR_SADDR] || tb[SKBSTAT_FLOW_ATTR_DADDR])
			return bad_reply("flow row", "AF_UNSPEC other than the netns gone row");
	} else if (row->family != AF_INET && row->family != AF_INET6) {
		return bad_reply("flow row", "a family other than AF_INET and AF_INET6");
	} else {
		err = get_addr(tb[SKBSTAT_FLOW_ATTR_SADDR], row->family, row->saddr);
		if (!err)
			err = get_addr(tb[SKBSTAT_FLOW_ATTR_DADDR], row->family, row->daddr);
		if (err)
			return err;
	}
	row->sport = nla_get_u16(tb[SKBSTAT_FLOW_ATTR_SPORT]);
	row->dport = nla_get_u16(tb[SKBSTAT_FLOW_ATTR_DPORT]);
	row->retransmits = nla_get_u64(tb[SKBSTAT_FLOW_ATTR_RETRANSMITS]);
	row->bytes = get_u64_or_zero(tb[SKBSTAT_FLOW_ATTR_BYTES]);
	row->events = get_u64_or_zero(tb[SKBSTAT_FLOW_ATTR_EVENTS]);
	/* A module whose hook cannot see failures (or older) leaves it out. */
	row->failed_known = tb[SKBSTAT_FLOW_ATTR_FAILED];
	row->failed = get_u64_or_zero(tb[SKBSTAT_FLOW_ATTR_FAILED]);
	row->state = tb[SKBSTAT_FLOW_ATTR_STATE] ? nla_get_u8(tb[SKBSTAT_FLOW_ATTR_STATE]) : 0;
	row->first_ns = get_u64_or_zero(tb[SKBSTAT_FLOW_ATTR_FIRST_NS]);
	row->last_ns = get_u64_or_zero(tb[SKBSTAT_FLOW_ATTR_LAST_NS]);
	return 0;
}

static int parse_flow(struct nlattr *nest, struct skbstat_snapshot *snap)
{
	static const struct required_attr required[] = {
		{ SKBSTAT_FLOW_ATTR_FAMILY,	"no SKBSTAT_FLOW_ATTR_FAMILY" },
		{ SKBSTAT_FLOW_ATTR_SPORT,	"no SKBSTAT_FLOW_ATTR_SPORT" },
		{ SKBSTAT_FLOW_ATTR_DPORT,	"no SKBSTAT_FLOW_ATTR_DPORT" },
		{ SKBSTAT_FLOW_ATTR_RETRANSMITS, "no SKBSTAT_FLOW_ATTR_RETRANSMITS" },
	};
	struct nlattr *tb[SKBSTAT_FLOW_ATTR_MAX + 1];
	struct skbstat_flow_row row = { 0 }, *slot;
	int err;

	err = parse_nest(tb, SKBSTAT_FLOW_ATTR_MAX, nest, flow_policy, "flow row");
	if (!err)
		err = check_required(tb, required, ARRAY_SIZE(required), "flow row");
	if (!err)
		err = fill_flow_row(tb, &row);
	if (err)
		return err;

	slot = snapshot_add_flow(snap);
	if (!slot)
		return -ENOMEM;
	*slot = row;
	return 0;
}

/*
 * Bucket i is attribute i + 1.  Type 0 is padding (architectures that align
 * u64 attributes); buckets beyond ours, from a module with a finer
 * histogram, are larger sizes and belong in our open-ended last bucket.
 */
static int parse_hist(const struct nlattr *nest, uint64_t hist[SKBSTAT_HIST_BUCKETS])
{
	const struct nlattr *attr;
	int rem, type;

	nla_for_each_nested(attr, nest, rem) {
		type = nla_type(attr);
		if (!type)
			continue;
		if (nla_len(attr) != (int)sizeof(uint64_t))
			return bad_reply("queue row", "a histogram bucket is not a u64");
		hist[type <= SKBSTAT_HIST_BUCKETS ? type - 1 : SKBSTAT_HIST_BUCKETS - 1] +=
			nla_get_u64(attr);
	}
	return 0;
}

static int fill_queue_row(struct nlattr **tb, struct skbstat_queue_row *row)
{
	int err = 0;

	row->netns = get_u32_or_zero(tb[SKBSTAT_QUEUE_ATTR_NETNS]);
	row->ifindex = nla_get_u32(tb[SKBSTAT_QUEUE_ATTR_IFINDEX]);
	row->queue = nla_get_u16(tb[SKBSTAT_QUEUE_ATTR_QUEUE]);
	row->packets = nla_get_u64(tb[SKBSTAT_QUEUE_ATTR_PACKETS]);
	row->bytes = nla_get_u64(tb[SKBSTAT_QUEUE_ATTR_BYTES]);
	if (tb[SKBSTAT_QUEUE_ATTR_HIST])
		err = parse_hist(tb[SKBSTAT_QUEUE_ATTR_HIST], row->hist);
	if (err)
		return err;
	return dup_string(tb[SKBSTAT_QUEUE_ATTR_DEV], &row->dev);
}

static int parse_queue(struct nlattr *nest, struct skbstat_snapshot *snap)
{
	static const struct required_attr required[] = {
		{ SKBSTAT_QUEUE_ATTR_IFINDEX,	"no SKBSTAT_QUEUE_ATTR_IFINDEX" },
		{ SKBSTAT_QUEUE_ATTR_QUEUE,	"no SKBSTAT_QUEUE_ATTR_QUEUE" },
		{ SKBSTAT_QUEUE_ATTR_PACKETS,	"no SKBSTAT_QUEUE_ATTR_PACKETS" },
		{ SKBSTAT_QUEUE_ATTR_BYTES,	"no SKBSTAT_QUEUE_ATTR_BYTES" },
	};
	struct nlattr *tb[SKBSTAT_QUEUE_ATTR_MAX + 1];
	struct skbstat_queue_row *row;
	int err;

	err = parse_nest(tb, SKBSTAT_QUEUE_ATTR_MAX, nest, queue_policy, "queue row");
	if (!err)
		err = check_required(tb, required, ARRAY_SIZE(required), "queue row");
	if (err)
		return err;

	row = snapshot_add_queue(snap);
	if (!row)
		return -ENOMEM;
	/* A half-filled row is freed with the snapshot like any other. */
	return fill_queue_row(tb, row);
}

static int parse_reason(struct nlattr *nest, struct skbstat_snapshot *snap)
{
	static const struct required_attr required[] = {
		{ SKBSTAT_REASON_ATTR_ID,	"no SKBSTAT_REASON_ATTR_ID" },
		{ SKBSTAT_REASON_ATTR_NAME,	"no SKBSTAT_REASON_ATTR_NAME" },
	};
	struct nlattr *tb[SKBSTAT_REASON_ATTR_MAX + 1];
	int err;

	err = parse_nest(tb, SKBSTAT_REASON_ATTR_MAX, nest, reason_policy, "drop reason");
	if (!err)
		err = check_required(tb, required, ARRAY_SIZE(required), "drop reason");
	if (err)
		return err;
	return snapshot_add_reason(snap, nla_get_u32(tb[SKBSTAT_REASON_ATTR_ID]),
				   nla_get_string(tb[SKBSTAT_REASON_ATTR_NAME]));
}

/* Dump replies: every @nest_type attribute in the message is one row. */
static int parse_rows(struct nl_msg *msg, int nest_type,
		      int (*parse_row)(struct nlattr *nest, struct skbstat_snapshot *snap),
		      struct skbstat_snapshot *snap)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *attr;
	int rem, err;

	nla_for_each_attr(attr, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(attr) != nest_type)
			continue;
		err = parse_row(attr, snap);
		if (err)
			return err;
	}
	return 0;
}

int kmod_parse_drops(struct nl_msg *msg, void *snap)
{
	return parse_rows(msg, SKBSTAT_ATTR_DROP, parse_drop, snap);
}

int kmod_parse_flows(struct nl_msg *msg, void *snap)
{
	return parse_rows(msg, SKBSTAT_ATTR_FLOW, parse_flow, snap);
}

int kmod_parse_queues(struct nl_msg *msg, void *snap)
{
	return parse_rows(msg, SKBSTAT_ATTR_QUEUE, parse_queue, snap);
}

int kmod_parse_reasons(struct nl_msg *msg, void *snap)
{
	return parse_rows(msg, SKBSTAT_ATTR_REASON, parse_reason, snap);
}
