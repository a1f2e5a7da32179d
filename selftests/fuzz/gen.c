// SPDX-License-Identifier: GPL-2.0
/*
 * Request generation: a valid request of a command, then, by kind, the one
 * thing about it that is wrong.  Built byte by byte so that nothing (libnl
 * included) can refuse to send it.
 */
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "fuzz.h"

struct builder {
	uint8_t *buf;
	size_t len;
};

static void put_bytes(struct builder *b, const void *data, size_t len)
{
	if (b->len + len > MSG_ROOM)
		len = MSG_ROOM - b->len;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

static void put_random(struct rnd *r, struct builder *b, size_t len)
{
	uint8_t byte;

	while (len-- && b->len < MSG_ROOM) {
		byte = rnd_u64(r);
		put_bytes(b, &byte, 1);
	}
}

static void put_pad(struct builder *b)
{
	static const uint8_t zero[NLA_ALIGNTO];

	put_bytes(b, zero, NLA_ALIGN(b->len) - b->len);
}

/* An attribute whose nla_len says what its data has; padded to alignment. */
static void put_attr(struct builder *b, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	if (b->len + NLA_HDRLEN + NLA_ALIGN(len) > MSG_ROOM)
		return;
	put_bytes(b, &nla, sizeof(nla));
	put_bytes(b, data, len);
	put_pad(b);
}

static void put_u32(struct builder *b, uint16_t type, uint32_t v)
{
	put_attr(b, type, &v, sizeof(v));
}

static void put_u8(struct builder *b, uint16_t type, uint8_t v)
{
	put_attr(b, type, &v, sizeof(v));
}

static size_t nest_start(struct builder *b, uint16_t type)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN, .nla_type = type | NLA_F_NESTED };
	size_t off = b->len;

	put_bytes(b, &nla, sizeof(nla));
	return off;
}

static void nest_end(struct builder *b, size_t off)
{
	uint16_t len = b->len - off;

	memcpy(b->buf + off, &len, sizeof(len));
}

static void put_header(struct builder *b, uint16_t type, uint16_t flags, uint32_t seq,
		       uint8_t cmd)
{
	struct nlmsghdr nlh = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr genl = { .cmd = cmd, .version = SKBSTAT_GENL_VERSION };

	b->len = 0;
	put_bytes(b, &nlh, sizeof(nlh));
	put_bytes(b, &genl, sizeof(genl));
}

static void set_nlmsg_len(struct builder *b, uint32_t len)
{
	memcpy(b->buf, &len, sizeof(len));
}

bool cmd_is_dump(uint8_t cmd)
{
	return cmd >= SKBSTAT_CMD_GET_DROPS && cmd <= SKBSTAT_CMD_GET_REASONS;
}

static uint8_t cmd_slot(uint8_t cmd)
{
	return cmd && cmd <= SKBSTAT_CMD_MAX ? cmd : CMD_SLOT_OTHER;
}

const char *cmd_name(unsigned int slot)
{
	static const char * const names[CMD_SLOTS] = {
		[SKBSTAT_CMD_GET_STATUS] = "GET_STATUS",
		[SKBSTAT_CMD_GET_DROPS] = "GET_DROPS",
		[SKBSTAT_CMD_GET_FLOWS] = "GET_FLOWS",
		[SKBSTAT_CMD_GET_QUEUES] = "GET_QUEUES",
		[SKBSTAT_CMD_GET_REASONS] = "GET_REASONS",
		[SKBSTAT_CMD_RESET] = "RESET",
		[SKBSTAT_CMD_SET_CONFIG] = "SET_CONFIG",
		[CMD_SLOT_OTHER] = "unknown cmd",
		[CMD_SLOT_NONE] = "no genl header",
	};

	return slot < CMD_SLOTS && names[slot] ? names[slot] : "UNSPEC";
}

const char *kind_name(unsigned int kind)
{
	static const char * const names[KIND_COUNT] = {
		[KIND_VALID] = "valid",
		[KIND_UNKNOWN_ATTR] = "unknown attr",
		[KIND_DUP_ATTR] = "dup attr",
		[KIND_BAD_ATTR] = "bad attr",
		[KIND_NEST] = "nest",
		[KIND_FLAGS] = "flags",
		[KIND_GENLHDR] = "genl hdr",
		[KIND_TRUNC] = "truncated",
		[KIND_CTRL] = "ctrl type",
		[KIND_RANDOM] = "random",
		[KIND_MUTATE] = "mutated",
		[KIND_DUMP_CLOSE] = "dump closed",
	};

	return kind < KIND_COUNT ? names[kind] : "?";
}

/*
 * Valid requests lean to reads.  Those of RESET and SET_CONFIG are mostly
 * cheap forms anyway (see gen_message()), but each still costs more than
 * a read.
 */
static uint8_t pick_valid_cmd(struct rnd *r)
{
	static const struct { uint8_t cmd; uint16_t weight; } w[] = {
		{ SKBSTAT_CMD_GET_STATUS, 290 },
		{ SKBSTAT_CMD_GET_DROPS, 230 },
		{ SKBSTAT_CMD_GET_FLOWS, 130 },
		{ SKBSTAT_CMD_GET_QUEUES, 180 },
		{ SKBSTAT_CMD_GET_REASONS, 110 },
		{ SKBSTAT_CMD_RESET, 40 },
		{ SKBSTAT_CMD_SET_CONFIG, 20 },
	};
	uint32_t x = rnd_below(r, 1000);
	unsigned int i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (x < w[i].weight)
			return w[i].cmd;
		x -= w[i].weight;
	}
	return SKBSTAT_CMD_GET_STATUS;
}

static uint16_t valid_flags(struct rnd *r, uint8_t cmd)
{
	if (cmd_is_dump(cmd))
		return NLM_F_REQUEST | NLM_F_DUMP | (rnd_chance(r, 200) ? NLM_F_ACK : 0);
	return NLM_F_REQUEST | (rnd_chance(r, 600) ? NLM_F_ACK : 0);
}

/* The attributes of a valid request of @cmd. */
static void put_valid_attrs(struct rnd *r, struct builder *b, uint8_t cmd)
{
	bool any = false;

	if (cmd == SKBSTAT_CMD_RESET && rnd_chance(r, 500))
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, rnd_below(r, SKBSTAT_HOOK_COUNT));
	if (cmd != SKBSTAT_CMD_SET_CONFIG)
		return;
	if (rnd_chance(r, 600))
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, rnd_below(r, SKBSTAT_HOOK_COUNT));
	/* Mostly enable: the traffic should be counted most of the time. */
	if (rnd_chance(r, 700)) {
		put_u8(b, SKBSTAT_ATTR_ENABLED, rnd_chance(r, 800));
		any = true;
	}
	/* A change of mode re-attaches through kprobes: 150 ms under TCG. */
	if (!any || rnd_chance(r, 100))
		put_u32(b, SKBSTAT_ATTR_MODE, rnd_below(r, SKBSTAT_MODE_COUNT));
}

/*
 * A SET_CONFIG that runs its handler but switches nothing: ENABLED 1 is a
 * no-op on an attached hook and re-attaches one that a costly request
 * detached, so there are at most as many of those as costly requests.
 */
static void put_config_enable(struct rnd *r, struct builder *b)
{
	if (rnd_chance(r, 600))
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, rnd_below(r, SKBSTAT_HOOK_COUNT));
	put_u8(b, SKBSTAT_ATTR_ENABLED, 1);
}

/*
 * A SET_CONFIG that switches: detaches, or attaches in a mode (the same one
 * at times), so that what the budget lets through is never a no-op form.
 */
static void put_config_switch(struct rnd *r, struct builder *b)
{
	if (rnd_chance(r, 600))
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, rnd_below(r, SKBSTAT_HOOK_COUNT));
	if (rnd_chance(r, 400)) {
		put_u8(b, SKBSTAT_ATTR_ENABLED, 0);
		return;
	}
	if (rnd_chance(r, 500))
		put_u8(b, SKBSTAT_ATTR_ENABLED, 1);
	put_u32(b, SKBSTAT_ATTR_MODE, rnd_below(r, SKBSTAT_MODE_COUNT));
}

static void finish(struct builder *b)
{
	put_pad(b);
	set_nlmsg_len(b, b->len);
}

size_t gen_valid(struct rnd *r, uint16_t family, uint8_t cmd, uint16_t flags, uint32_t seq,
		 uint8_t *buf)
{
	struct builder b = { .buf = buf };

	put_header(&b, family, flags ? flags : valid_flags(r, cmd), seq, cmd);
	put_valid_attrs(r, &b, cmd);
	finish(&b);
	return b.len;
}

/* A request with exactly the attributes given (-1: absent), for the checks. */
size_t gen_request(uint16_t family, uint8_t cmd, uint16_t flags, uint32_t seq, int hook,
		   int enabled, int mode, uint8_t *buf)
{
	struct builder b = { .buf = buf };

	put_header(&b, family, flags, seq, cmd);
	if (hook >= 0)
		put_u32(&b, SKBSTAT_ATTR_HOOK_ID, hook);
	if (enabled >= 0)
		put_u8(&b, SKBSTAT_ATTR_ENABLED, enabled);
	if (mode >= 0)
		put_u32(&b, SKBSTAT_ATTR_MODE, mode);
	finish(&b);
	return b.len;
}

/* Types no request takes: UNSPEC, reply-only ones, past the maximum, anything. */
static uint16_t unknown_type(struct rnd *r, uint8_t cmd)
{
	switch (rnd_below(r, 5)) {
	case 0:
		return rnd_below(r, SKBSTAT_ATTR_HOOK_ID);	/* UNSPEC .. REASON */
	case 1:
		return SKBSTAT_ATTR_MAX + 1 + rnd_below(r, 16);
	case 2:
		/* Known request attributes, but not of this command. */
		if (cmd != SKBSTAT_CMD_RESET && cmd != SKBSTAT_CMD_SET_CONFIG)
			return SKBSTAT_ATTR_HOOK_ID + rnd_below(r, 3);
		return cmd == SKBSTAT_CMD_RESET ? SKBSTAT_ATTR_ENABLED + rnd_below(r, 2) : 0;
	case 3:
		return rnd_below(r, 0x4000);
	default:
		return rnd_u64(r);	/* flags bits too */
	}
}

static void put_random_attr(struct rnd *r, struct builder *b, uint16_t type)
{
	uint8_t data[32];
	uint16_t len = rnd_below(r, sizeof(data) + 1);
	unsigned int i;

	for (i = 0; i < len; i++)
		data[i] = rnd_u64(r);
	put_attr(b, type, data, len);
}

static void gen_unknown(struct rnd *r, struct builder *b, uint8_t cmd)
{
	unsigned int n = 1 + rnd_below(r, 3);

	put_valid_attrs(r, b, cmd);
	while (n--)
		put_random_attr(r, b, unknown_type(r, cmd));
}

static uint16_t request_attr(struct rnd *r)
{
	return SKBSTAT_ATTR_HOOK_ID + rnd_below(r, 3);	/* HOOK_ID, ENABLED, MODE */
}

static void put_request_value(struct rnd *r, struct builder *b, uint16_t type)
{
	if (type == SKBSTAT_ATTR_ENABLED)
		put_u8(b, type, rnd_below(r, 2));
	else
		put_u32(b, type, rnd_below(r, 3));
}

/*
 * Netlink takes repeated attributes (the last one wins), so duplicates run
 * the handler.  @quiet: it must not run a costly one; true when it may.
 */
static bool gen_dup(struct rnd *r, struct builder *b, uint8_t cmd, bool quiet)
{
	uint16_t type = request_attr(r);
	unsigned int n = 2 + rnd_below(r, 4);

	if (quiet && cmd == SKBSTAT_CMD_RESET) {
		/* ENABLED or MODE: RESET's policy refuses both. */
		type = SKBSTAT_ATTR_ENABLED + rnd_below(r, 2);
	} else if (quiet && cmd == SKBSTAT_CMD_SET_CONFIG) {
		/* Every duplicate of what switches nothing: HOOK_ID, or ENABLED 1. */
		put_config_enable(r, b);
		type = SKBSTAT_ATTR_HOOK_ID + rnd_below(r, 2);
		while (n--) {
			if (type == SKBSTAT_ATTR_ENABLED)
				put_u8(b, type, 1);
			else
				put_request_value(r, b, type);
		}
		return false;
	}
	put_valid_attrs(r, b, cmd);
	while (n--)
		put_request_value(r, b, type);
	return cmd != SKBSTAT_CMD_RESET || type == SKBSTAT_ATTR_HOOK_ID;
}

/*
 * A request attribute wrong in one way: length, value, flags, nla_len.
 * Only NLA_F_NET_BYTEORDER on a u32 passes the policy, and runs the
 * handler: not when @quiet.  True when the request may run its handler.
 */
static bool gen_bad_attr(struct rnd *r, struct builder *b, uint8_t cmd, bool quiet)
{
	static const uint16_t lens[] = { 0, 1, 2, 3, 5, 6, 7, 8, 16, 64 };
	uint16_t type = request_attr(r), len;
	uint32_t v, max;
	struct nlattr nla;
	uint8_t u8;

	put_valid_attrs(r, b, cmd);
	switch (rnd_below(r, 5)) {
	case 0: {
		uint8_t data[64] = { 0 };

		len = lens[rnd_below(r, sizeof(lens) / sizeof(lens[0]))];
		/* One byte is ENABLED's right length, and zero a valid value. */
		if (type == SKBSTAT_ATTR_ENABLED && len == 1)
			len = 2;
		put_attr(b, type, data, len);
		break;
	}
	case 1:
		/* Just past each maximum, or anywhere past it. */
		max = type == SKBSTAT_ATTR_HOOK_ID ? SKBSTAT_HOOK_COUNT :
		      type == SKBSTAT_ATTR_MODE ? SKBSTAT_MODE_COUNT : 2;
		v = rnd_chance(r, 500) ? max : (uint32_t)rnd_u64(r);
		if (v < max)
			v = max;
		u8 = v;
		if (type == SKBSTAT_ATTR_ENABLED)
			put_u8(b, type, u8 < 2 ? u8 | 2 : u8);
		else
			put_u32(b, type, v);
		break;
	case 2:
		if (!quiet && rnd_chance(r, 500)) {
			put_u32(b, type | NLA_F_NET_BYTEORDER, 1);
			return type != SKBSTAT_ATTR_ENABLED;
		}
		put_u32(b, type | NLA_F_NESTED, 1);
		break;
	case 3:
		/* nla_len shorter than a header: the rest cannot be parsed. */
		nla.nla_len = rnd_below(r, NLA_HDRLEN);
		nla.nla_type = type;
		put_bytes(b, &nla, sizeof(nla));
		put_random(r, b, 4 * rnd_below(r, 3));
		break;
	default:
		/* nla_len past the end of the message. */
		nla.nla_len = NLA_HDRLEN + 4 + 4 * (1 + rnd_below(r, 64));
		nla.nla_type = type;
		v = rnd_below(r, 2);
		put_bytes(b, &nla, sizeof(nla));
		put_bytes(b, &v, sizeof(v));
		break;
	}
	return false;
}

static void put_deep_nest(struct rnd *r, struct builder *b, unsigned int depth)
{
	size_t off;

	if (!depth || b->len + 64 > MSG_ROOM) {
		put_request_value(r, b, request_attr(r));
		return;
	}
	off = nest_start(b, 1 + rnd_below(r, SKBSTAT_ATTR_MAX + 2));
	if (rnd_chance(r, 200))
		put_random_attr(r, b, rnd_below(r, 16));
	put_deep_nest(r, b, depth - 1);
	nest_end(b, off);
}

static void gen_nest(struct rnd *r, struct builder *b, uint8_t cmd)
{
	size_t off;

	put_valid_attrs(r, b, cmd);
	switch (rnd_below(r, 4)) {
	case 0:
		put_deep_nest(r, b, 1 + rnd_below(r, 80));
		break;
	case 1:
		/* An inner attribute longer than its nest. */
		off = nest_start(b, request_attr(r));
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, 0);
		nest_end(b, off);
		b->buf[off + NLA_HDRLEN] += 4 + 4 * rnd_below(r, 8);
		put_u32(b, SKBSTAT_ATTR_MODE, 0);
		break;
	case 2:
		/* A nest claiming more than the message has. */
		off = nest_start(b, request_attr(r));
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, 0);
		nest_end(b, off);
		b->buf[off] += 4 * (1 + rnd_below(r, 32));
		break;
	default:
		/* A forged reply row as if it were a request. */
		off = nest_start(b, SKBSTAT_ATTR_DROP + rnd_below(r, 4));
		put_u32(b, SKBSTAT_DROP_ATTR_NETNS, rnd_u64(r));
		put_u32(b, SKBSTAT_DROP_ATTR_REASON, rnd_below(r, 100));
		put_random_attr(r, b, SKBSTAT_DROP_ATTR_LOCATION);
		nest_end(b, off);
		break;
	}
}

static uint16_t odd_flags(struct rnd *r)
{
	switch (rnd_below(r, 11)) {
	case 0:
		return 0;
	case 1:
		return NLM_F_ACK;				/* no NLM_F_REQUEST */
	case 2:
		return NLM_F_REQUEST;				/* a dump without DUMP */
	case 3:
		return NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;	/* DUMP on a do too */
	case 4:
		return NLM_F_REQUEST | NLM_F_ECHO | NLM_F_ACK;
	case 5:
		return NLM_F_REQUEST | NLM_F_ROOT;
	case 6:
		return NLM_F_REQUEST | NLM_F_MATCH | NLM_F_ATOMIC;
	case 7:
		return NLM_F_REQUEST | NLM_F_REPLACE | NLM_F_EXCL | NLM_F_CREATE | NLM_F_APPEND;
	case 8:
		return NLM_F_REQUEST | NLM_F_MULTI | NLM_F_DUMP_INTR | NLM_F_DUMP_FILTERED;
	case 9:
		return (uint16_t)rnd_u64(r) | NLM_F_REQUEST;
	default:
		return (uint16_t)rnd_u64(r);
	}
}

/*
 * Genetlink ignores the version, so that case runs the handler: not when
 * @quiet.  True when the request may run its handler.
 */
static bool gen_genlhdr(struct rnd *r, struct builder *b, uint8_t *cmd, bool quiet)
{
	struct genlmsghdr *genl = (void *)(b->buf + NLMSG_HDRLEN);
	unsigned int how = rnd_below(r, 4);

	if (quiet && how == 2)
		how = 3;
	switch (how) {
	case 0:
		*cmd = SKBSTAT_CMD_MAX + 1 + rnd_below(r, 256 - SKBSTAT_CMD_MAX - 1);
		break;
	case 1:
		*cmd = SKBSTAT_CMD_UNSPEC;
		break;
	case 2:
		genl->version = rnd_u64(r);
		break;
	default:
		genl->reserved = 1 + rnd_below(r, 0xffff);
		break;
	}
	genl->cmd = *cmd;
	put_valid_attrs(r, b, *cmd);
	return how == 2;
}

/*
 * Headers whose lengths lie; the kernel stops reading the batch at most of
 * them.  A cut at an attribute's end or bytes after the message still run
 * the handler: not when @quiet.  True when the request may run its handler.
 */
static bool gen_trunc(struct rnd *r, struct builder *b, uint8_t cmd, struct fuzz_msg *m,
		      bool quiet)
{
	unsigned int how = rnd_below(r, quiet ? 3 : 5);
	size_t full;

	put_valid_attrs(r, b, cmd);
	if (b->len == NLMSG_HDRLEN + GENL_HDRLEN)
		put_u32(b, SKBSTAT_ATTR_HOOK_ID, 0);
	finish(b);
	full = b->len;
	m->last = true;
	switch (how) {
	case 0:
		/* Shorter than a netlink header: dropped without a word. */
		set_nlmsg_len(b, rnd_below(r, NLMSG_HDRLEN));
		m->cmd_slot = CMD_SLOT_NONE;
		break;
	case 1:
		/* No genl header, or part of one. */
		b->len = NLMSG_HDRLEN + rnd_below(r, GENL_HDRLEN);
		set_nlmsg_len(b, b->len);
		if (b->len == NLMSG_HDRLEN)
			m->cmd_slot = CMD_SLOT_NONE;
		break;
	case 2:
		/* Longer than what was sent. */
		set_nlmsg_len(b, full + 1 + rnd_below(r, 256));
		break;
	case 3:
		/* Cut inside the attributes; the next message starts aligned. */
		b->len = NLMSG_HDRLEN + GENL_HDRLEN + 1 +
			 rnd_below(r, full - NLMSG_HDRLEN - GENL_HDRLEN);
		set_nlmsg_len(b, b->len);
		m->last = false;
		break;
	default:
		/*
		 * Bytes after the message, too few for another header even once
		 * padded: a random header could name another family.
		 */
		put_random(r, b, 1 + rnd_below(r, NLMSG_HDRLEN - NLMSG_ALIGNTO - 1));
		break;
	}
	return how >= 3;
}

static void gen_mutate(struct rnd *r, struct builder *b, uint8_t cmd)
{
	unsigned int n = 1 + rnd_below(r, 8);
	size_t pos;

	put_valid_attrs(r, b, cmd);
	if (b->len < NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN)
		put_random_attr(r, b, request_attr(r));
	finish(b);
	while (n--) {
		/* Past nlmsg_len and nlmsg_type: the message must still reach the family. */
		pos = 6 + rnd_below(r, b->len - 6);
		if (pos >= 8 && pos < NLMSG_HDRLEN)
			pos = NLMSG_HDRLEN + (pos - 8);	/* leave seq/pid: replies are matched by seq */
		switch (rnd_below(r, 4)) {
		case 0:
			b->buf[pos] ^= 1 << rnd_below(r, 8);
			break;
		case 1:
			b->buf[pos] = 0xff;
			break;
		case 2:
			b->buf[pos] = 0;
			break;
		default:
			b->buf[pos] = rnd_u64(r);
			break;
		}
	}
}

/* Flags with which no do handler runs: no NLM_F_REQUEST, or a dump of a do. */
static uint16_t inert_flags(struct rnd *r)
{
	switch (rnd_below(r, 5)) {
	case 0:
		return 0;
	case 1:
		return NLM_F_ACK;
	case 2:
		return NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;
	case 3:
		return (uint16_t)rnd_u64(r) & ~NLM_F_REQUEST;
	default:
		return (uint16_t)rnd_u64(r) | NLM_F_DUMP;
	}
}

static bool runs_do(uint16_t flags)
{
	return (flags & NLM_F_REQUEST) && (flags & NLM_F_DUMP) != NLM_F_DUMP;
}

/* The enum fuzz_cost of @cmd from a sender of @gate, or -1 when it is cheap. */
static int cmd_cost(const struct cost_gate *gate, uint8_t cmd)
{
	int cost = cmd == SKBSTAT_CMD_RESET ? COST_RESET :
		   cmd == SKBSTAT_CMD_SET_CONFIG ? COST_CONFIG : -1;

	return cost >= 0 && (gate->costly & COST_BIT(cost)) ? cost : -1;
}

static uint8_t read_cmd(struct rnd *r)
{
	return SKBSTAT_CMD_GET_STATUS + rnd_below(r, SKBSTAT_CMD_GET_REASONS);
}

/*
 * One message of a random kind.  A costly request (cmd_cost()) that @gate
 * does not allow now takes a form that cannot run the costly handler: a
 * rejected one of the same kind where there is one, a SET_CONFIG of
 * ENABLED 1 only, or else a read command.  m->cost says what it may cost.
 */
size_t gen_message(struct rnd *r, const struct cost_gate *gate, uint16_t family, uint32_t seq,
		   uint8_t *buf, struct fuzz_msg *m)
{
	static const uint16_t weights[KIND_COUNT] = {
		[KIND_VALID] = 200, [KIND_UNKNOWN_ATTR] = 80, [KIND_DUP_ATTR] = 60,
		[KIND_BAD_ATTR] = 120, [KIND_NEST] = 80, [KIND_FLAGS] = 100,
		[KIND_GENLHDR] = 60, [KIND_TRUNC] = 50, [KIND_CTRL] = 30,
		[KIND_RANDOM] = 80, [KIND_MUTATE] = 140,
	};
	struct builder b = { .buf = buf };
	uint32_t x = rnd_below(r, 1000);
	uint8_t cmd = 1 + rnd_below(r, SKBSTAT_CMD_MAX);
	bool quiet, runs = false;
	unsigned int kind;
	int cost;

	for (kind = 0; kind < KIND_COUNT - 1 && x >= weights[kind]; kind++)
		x -= weights[kind];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->cost = -1;
	if (kind == KIND_VALID)
		cmd = pick_valid_cmd(r);
	cost = cmd_cost(gate, cmd);
	quiet = cost >= 0 && !(gate->allowed & COST_BIT(cost));
	/* No cheap form of a valid host RESET; mutations are anyone's guess. */
	if (quiet && (kind == KIND_MUTATE || (kind == KIND_VALID && cost == COST_RESET))) {
		cmd = read_cmd(r);
		cost = -1;
		quiet = false;
	}
	put_header(&b, family, valid_flags(r, cmd), seq, cmd);
	m->cmd_slot = cmd_slot(cmd);

	/*
	 * Unknown and nested attributes, control types and random bytes never
	 * pass the strict policies (or reach the family), so whatever their
	 * command they are cheap: runs stays false.
	 */
	switch (kind) {
	case KIND_VALID:
		if (quiet) {
			put_config_enable(r, &b);
			m->enable_only = true;
		} else if (cost == COST_CONFIG) {
			put_config_switch(r, &b);
			runs = true;
		} else {
			put_valid_attrs(r, &b, cmd);
			runs = true;
		}
		break;
	case KIND_UNKNOWN_ATTR:
		gen_unknown(r, &b, cmd);
		break;
	case KIND_DUP_ATTR:
		runs = gen_dup(r, &b, cmd, quiet);
		m->enable_only = quiet && cmd == SKBSTAT_CMD_SET_CONFIG;
		break;
	case KIND_BAD_ATTR:
		runs = gen_bad_attr(r, &b, cmd, quiet);
		break;
	case KIND_NEST:
		gen_nest(r, &b, cmd);
		break;
	case KIND_FLAGS:
		if (quiet && cost == COST_RESET) {
			((struct nlmsghdr *)buf)->nlmsg_flags = inert_flags(r);
			put_valid_attrs(r, &b, cmd);
		} else if (quiet) {
			((struct nlmsghdr *)buf)->nlmsg_flags = odd_flags(r);
			put_config_enable(r, &b);
			m->enable_only = runs_do(((struct nlmsghdr *)buf)->nlmsg_flags);
		} else {
			((struct nlmsghdr *)buf)->nlmsg_flags = odd_flags(r);
			put_valid_attrs(r, &b, cmd);
			runs = runs_do(((struct nlmsghdr *)buf)->nlmsg_flags);
		}
		break;
	case KIND_GENLHDR:
		runs = gen_genlhdr(r, &b, &cmd, quiet);
		m->cmd_slot = cmd_slot(cmd);
		break;
	case KIND_TRUNC:
		runs = gen_trunc(r, &b, cmd, m, quiet);
		goto out;
	case KIND_CTRL:
		/* Below NLMSG_MIN_TYPE: netlink itself answers, at most with an ack. */
		((struct nlmsghdr *)buf)->nlmsg_type = rnd_below(r, NLMSG_MIN_TYPE);
		((struct nlmsghdr *)buf)->nlmsg_flags = odd_flags(r);
		put_random(r, &b, rnd_below(r, 32));
		break;
	case KIND_RANDOM:
		b.len = NLMSG_HDRLEN;
		put_random(r, &b, rnd_below(r, 300));
		if (b.len < NLMSG_HDRLEN + GENL_HDRLEN)
			m->cmd_slot = CMD_SLOT_NONE;
		else
			m->cmd_slot = cmd_slot(buf[NLMSG_HDRLEN]);
		if (rnd_chance(r, 300))
			((struct nlmsghdr *)buf)->nlmsg_flags = odd_flags(r);
		break;
	default:
		gen_mutate(r, &b, cmd);
		/* A read mutated into a costly command would go past the gate. */
		if (buf[NLMSG_HDRLEN] != cmd && cmd_cost(gate, buf[NLMSG_HDRLEN]) >= 0)
			buf[NLMSG_HDRLEN] = cmd;
		m->cmd_slot = cmd_slot(buf[NLMSG_HDRLEN]);
		runs = true;
		break;
	}
	finish(&b);
out:
	if (cost >= 0 && runs && !quiet)
		m->cost = cost;
	m->len = NLMSG_ALIGN(b.len);
	memset(buf + b.len, 0, m->len - b.len);
	m->type = ((struct nlmsghdr *)buf)->nlmsg_type;
	m->flags = ((struct nlmsghdr *)buf)->nlmsg_flags;
	return m->len;
}
