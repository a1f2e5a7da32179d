// SPDX-License-Identifier: GPL-2.0
/*
 * Raw generic-netlink sockets: sending batches, reading every reply, and
 * checking each reply against what its sender may see.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "fuzz.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define RECV_ROOM	(64 * 1024)
/* A counter this large is a subtraction that went below zero. */
#define UNDERFLOW	(1ULL << 62)

void violation(struct fuzz_stats *st, const char *fmt, ...)
{
	va_list ap;

	if (!st->violations++) {
		va_start(ap, fmt);
		vsnprintf(st->first_violation, sizeof(st->first_violation), fmt, ap);
		va_end(ap);
	}
	if (st->violations <= 10) {
		va_start(ap, fmt);
		fprintf(stderr, "fuzz: VIOLATION: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
}

int nl_open(bool big_rcvbuf)
{
	int fd, one = 1, size = 8 << 20;
	struct timeval tv = { .tv_sec = 10 };

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	/* Error replies then carry the kernel's extack, which is checked too. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* A batch of replies must not overflow; unprivileged senders get what they may. */
	if (big_rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(fd, buf, len, 0, (struct sockaddr *)&nl, sizeof(nl));
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

/* ---- attributes of replies ---- */

/* Fills @tb[type] for each attribute of @data; -EINVAL when one overruns. */
static int walk(const void *data, size_t len, const struct nlattr **tb, int max)
{
	const struct nlattr *nla = data;
	uint16_t type;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN) {
		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return -EINVAL;
		type = nla->nla_type & NLA_TYPE_MASK;
		if (type <= max)
			tb[type] = nla;
		if ((size_t)NLA_ALIGN(nla->nla_len) >= len)
			return 0;
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const void *)((const char *)nla + NLA_ALIGN(nla->nla_len));
	}
	return len ? -EINVAL : 0;
}

static const void *nla_data(const struct nlattr *nla)
{
	return (const char *)nla + NLA_HDRLEN;
}

static size_t nla_payload(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

static bool is_u32(const struct nlattr *nla)
{
	return nla && nla_payload(nla) == 4;
}

static bool is_u64(const struct nlattr *nla)
{
	return nla && nla_payload(nla) == 8;
}

static uint32_t get_u32(const struct nlattr *nla)
{
	uint32_t v;

	memcpy(&v, nla_data(nla), sizeof(v));
	return v;
}

static uint64_t get_u64(const struct nlattr *nla)
{
	uint64_t v;

	memcpy(&v, nla_data(nla), sizeof(v));
	return v;
}

static bool is_string(const struct nlattr *nla)
{
	return nla && nla_payload(nla) && ((const char *)nla_data(nla))[nla_payload(nla) - 1] == 0;
}

/* The visible part of a reply: what every sender may check. */
struct reply_view {
	const struct genlmsghdr *genl;
	const struct nlattr *tb[SKBSTAT_ATTR_MAX + 1];
};

static int reply_parse(const struct nlmsghdr *nlh, struct reply_view *v)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	v->genl = NLMSG_DATA(nlh);
	return walk(v->genl + 1, nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, v->tb,
		    SKBSTAT_ATTR_MAX);
}

/* Every hook of a GET_STATUS reply; 0 or a description of what is wrong. */
static const char *parse_status(const struct nlmsghdr *nlh, struct status_info *si)
{
	const struct nlattr *tb[SKBSTAT_HOOK_ATTR_MAX + 1], *nla;
	struct genlmsghdr *genl = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct hook_info *h;
	uint32_t id;

	memset(si, 0, sizeof(*si));
	for (nla = (void *)(genl + 1); len >= NLA_HDRLEN;
	     len -= NLA_ALIGN(nla->nla_len), nla = (void *)((char *)nla + NLA_ALIGN(nla->nla_len))) {
		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return "attribute overruns the status";
		if ((size_t)NLA_ALIGN(nla->nla_len) > len)
			len = NLA_ALIGN(nla->nla_len);
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case SKBSTAT_ATTR_VERSION:
			if (!is_u32(nla))
				return "VERSION is no u32";
			si->version = get_u32(nla);
			break;
		case SKBSTAT_ATTR_HOOK:
			if (walk(nla_data(nla), nla_payload(nla), tb, SKBSTAT_HOOK_ATTR_MAX))
				return "hook nest overruns";
			if (!is_u32(tb[SKBSTAT_HOOK_ATTR_ID]) || !is_string(tb[SKBSTAT_HOOK_ATTR_NAME]) ||
			    !tb[SKBSTAT_HOOK_ATTR_ATTACHED] || !is_u32(tb[SKBSTAT_HOOK_ATTR_MODE]) ||
			    !is_u64(tb[SKBSTAT_HOOK_ATTR_EVENTS]) ||
			    !is_u64(tb[SKBSTAT_HOOK_ATTR_BYTES]) ||
			    !is_u64(tb[SKBSTAT_HOOK_ATTR_TABLE_FULL]) ||
			    !is_u32(tb[SKBSTAT_HOOK_ATTR_ROWS]) || !is_u32(tb[SKBSTAT_HOOK_ATTR_LIMIT]))
				return "hook nest lacks a field";
			id = get_u32(tb[SKBSTAT_HOOK_ATTR_ID]);
			if (id >= SKBSTAT_HOOK_COUNT || si->hook[id].present)
				return "hook id out of range or repeated";
			h = &si->hook[id];
			h->present = true;
			h->attached = *(const uint8_t *)nla_data(tb[SKBSTAT_HOOK_ATTR_ATTACHED]);
			h->mode = get_u32(tb[SKBSTAT_HOOK_ATTR_MODE]);
			h->events = get_u64(tb[SKBSTAT_HOOK_ATTR_EVENTS]);
			h->table_full = get_u64(tb[SKBSTAT_HOOK_ATTR_TABLE_FULL]);
			if (h->events >= UNDERFLOW || get_u64(tb[SKBSTAT_HOOK_ATTR_BYTES]) >= UNDERFLOW)
				return "hook totals went below zero";
			if (h->mode >= SKBSTAT_MODE_COUNT ||
			    get_u32(tb[SKBSTAT_HOOK_ATTR_ROWS]) > get_u32(tb[SKBSTAT_HOOK_ATTR_LIMIT]))
				return "hook mode or rows out of range";
			if ((tb[SKBSTAT_HOOK_ATTR_MISSED] && !is_u64(tb[SKBSTAT_HOOK_ATTR_MISSED])) ||
			    (tb[SKBSTAT_HOOK_ATTR_GAPS] && !is_string(tb[SKBSTAT_HOOK_ATTR_GAPS])) ||
			    (tb[SKBSTAT_HOOK_ATTR_MEM_BYTES] &&
			     !is_u64(tb[SKBSTAT_HOOK_ATTR_MEM_BYTES])))
				return "hook's missed, gaps or memory malformed";
			si->hooks++;
			break;
		case SKBSTAT_ATTR_DROP_REASONS:
			if (nla_payload(nla) != 1 || *(const uint8_t *)nla_data(nla) > 1)
				return "DROP_REASONS is no u8 flag";
			break;
		default:
			return "unexpected attribute in the status";
		}
	}
	if (si->version != SKBSTAT_GENL_VERSION || si->hooks != SKBSTAT_HOOK_COUNT)
		return "wrong version or hook count";
	return NULL;
}

/*
 * One row of a dump: well formed, of the sender's netns unless it is in the
 * initial one, and no counter below zero.
 */
static const char *check_row(const struct sender *s, const struct reply_view *v)
{
	static const struct { int attr, max, netns, packets, bytes; } rows[] = {
		[SKBSTAT_CMD_GET_DROPS] = { SKBSTAT_ATTR_DROP, SKBSTAT_DROP_ATTR_MAX,
			SKBSTAT_DROP_ATTR_NETNS, SKBSTAT_DROP_ATTR_PACKETS, SKBSTAT_DROP_ATTR_BYTES },
		[SKBSTAT_CMD_GET_FLOWS] = { SKBSTAT_ATTR_FLOW, SKBSTAT_FLOW_ATTR_MAX,
			SKBSTAT_FLOW_ATTR_NETNS, SKBSTAT_FLOW_ATTR_EVENTS, SKBSTAT_FLOW_ATTR_BYTES },
		[SKBSTAT_CMD_GET_QUEUES] = { SKBSTAT_ATTR_QUEUE, SKBSTAT_QUEUE_ATTR_MAX,
			SKBSTAT_QUEUE_ATTR_NETNS, SKBSTAT_QUEUE_ATTR_PACKETS,
			SKBSTAT_QUEUE_ATTR_BYTES },
	};
	const struct nlattr *tb[SKBSTAT_FLOW_ATTR_MAX + 1];
	uint8_t cmd = v->genl->cmd;
	uint64_t packets;

	if (cmd == SKBSTAT_CMD_GET_REASONS) {
		const struct nlattr *nest = v->tb[SKBSTAT_ATTR_REASON];

		if (!nest || walk(nla_data(nest), nla_payload(nest), tb, SKBSTAT_REASON_ATTR_MAX))
			return "reason row malformed";
		if (!is_u32(tb[SKBSTAT_REASON_ATTR_ID]) || !is_string(tb[SKBSTAT_REASON_ATTR_NAME]))
			return "reason row lacks id or name";
		return NULL;
	}
	if (!v->tb[rows[cmd].attr] ||
	    walk(nla_data(v->tb[rows[cmd].attr]), nla_payload(v->tb[rows[cmd].attr]), tb,
		 rows[cmd].max))
		return "row nest missing or malformed";
	if (!is_u32(tb[rows[cmd].netns]) || !is_u64(tb[rows[cmd].packets]) ||
	    !is_u64(tb[rows[cmd].bytes]))
		return "row lacks netns or counters";
	if (s->role != ROLE_ROOT && s->role != ROLE_UNPRIV && get_u32(tb[rows[cmd].netns]) != s->netns)
		return "row of another netns";
	packets = get_u64(tb[rows[cmd].packets]);
	if (!packets || packets >= UNDERFLOW || get_u64(tb[rows[cmd].bytes]) >= UNDERFLOW)
		return "row counter zero or below zero";
	if (cmd == SKBSTAT_CMD_GET_DROPS && tb[SKBSTAT_DROP_ATTR_LOCATION] &&
	    !is_string(tb[SKBSTAT_DROP_ATTR_LOCATION]))
		return "drop location is no string";
	return NULL;
}

/* ---- what each sender sent, by sequence number ---- */

#define RING	8192

struct pending {
	uint32_t seq;
	bool used;
	uint8_t cmd_slot;
	uint8_t kind;
	int8_t cost;
	uint16_t type;
	uint16_t flags;
};

static struct pending ring[RING];

void sender_note(struct sender *s, const struct fuzz_msg *m, uint32_t seq)
{
	struct pending *p = &ring[seq % RING];

	p->seq = seq;
	p->used = true;
	p->cmd_slot = m->cmd_slot;
	p->kind = m->kind;
	p->type = m->type;
	p->flags = m->flags;
	p->cost = m->cost;
	s->st->sent[m->cmd_slot][m->kind]++;
	if (m->cost >= 0)
		s->st->costly[m->cost][m->kind]++;
	if (m->enable_only)
		s->st->config_enable++;
}

static bool privileged_reader(const struct sender *s)
{
	return s->role != ROLE_UNPRIV;
}

/* The extack TLVs after the echoed request: well formed, texts terminated. */
static void check_extack(struct sender *s, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len ||
	    walk((const char *)e + off, nlh->nlmsg_len - NLMSG_HDRLEN - off, tb, NLMSGERR_ATTR_MAX)) {
		violation(s->st, "seq %u: extack TLVs overrun the error message", nlh->nlmsg_seq);
		return;
	}
	if (tb[NLMSGERR_ATTR_MSG]) {
		if (!is_string(tb[NLMSGERR_ATTR_MSG]))
			violation(s->st, "seq %u: extack message not terminated", nlh->nlmsg_seq);
		s->st->extack_msgs++;
	}
}

static void count_errno(uint64_t *slots, uint64_t *other, int err)
{
	if (err <= 0 && -err < ERRNO_SLOTS)
		slots[-err]++;
	else
		(*other)++;
}

static void check_data(struct sender *s, const struct nlmsghdr *nlh, const struct pending *p)
{
	struct reply_view v;
	struct status_info si;
	const char *why;

	if (!privileged_reader(s)) {
		violation(s->st, "seq %u: an unprivileged sender got data (cmd %s)",
			  nlh->nlmsg_seq, cmd_name(p->cmd_slot));
		return;
	}
	if (reply_parse(nlh, &v)) {
		violation(s->st, "seq %u: malformed reply", nlh->nlmsg_seq);
		return;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		s->st->dumps_inconsistent++;
	if (v.genl->cmd && v.genl->cmd <= SKBSTAT_CMD_MAX)
		s->st->data_replies[v.genl->cmd]++;
	switch (v.genl->cmd) {
	case SKBSTAT_CMD_GET_STATUS:
		why = parse_status(nlh, &si);
		break;
	case SKBSTAT_CMD_GET_DROPS:
	case SKBSTAT_CMD_GET_FLOWS:
	case SKBSTAT_CMD_GET_QUEUES:
	case SKBSTAT_CMD_GET_REASONS:
		why = (nlh->nlmsg_flags & NLM_F_MULTI) ? check_row(s, &v) : "row without NLM_F_MULTI";
		s->st->rows_checked++;
		break;
	default:
		why = "reply of an unexpected command";
		break;
	}
	if (why)
		violation(s->st, "seq %u (%s): %s", nlh->nlmsg_seq, cmd_name(v.genl->cmd), why);
}

static void check_reply(struct sender *s, const struct nlmsghdr *nlh, bool *done)
{
	const struct pending *p = &ring[nlh->nlmsg_seq % RING];
	const struct nlmsgerr *e;
	int err;

	if (!p->used || p->seq != nlh->nlmsg_seq) {
		violation(s->st, "reply type %u to seq %u, which was not sent", nlh->nlmsg_type,
			  nlh->nlmsg_seq);
		return;
	}
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
			violation(s->st, "seq %u: short error message", nlh->nlmsg_seq);
			return;
		}
		e = NLMSG_DATA(nlh);
		err = e->error;
		count_errno(s->st->err_replies, &s->st->err_other, err);
		if (p->cost >= 0 && err)
			s->st->costly_failed[p->cost]++;
		else if (p->cost >= 0)
			s->st->costly_acked[p->cost]++;
		if (err > 0)
			violation(s->st, "seq %u: positive error %d", nlh->nlmsg_seq, err);
		if (!err && !privileged_reader(s) && p->type == s->family &&
		    (p->flags & NLM_F_REQUEST) && p->kind != KIND_TRUNC)
			violation(s->st, "seq %u: an unprivileged %s (%s) was acked",
				  nlh->nlmsg_seq, cmd_name(p->cmd_slot), kind_name(p->kind));
		check_extack(s, nlh);
		*done = true;
		break;
	case NLMSG_DONE:
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
			violation(s->st, "seq %u: short NLMSG_DONE", nlh->nlmsg_seq);
			return;
		}
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (!err)
			s->st->dumps_done++;
		else
			count_errno(s->st->dumps_failed, &s->st->err_other, err);
		if (!privileged_reader(s))
			violation(s->st, "seq %u: an unprivileged sender's dump ran", nlh->nlmsg_seq);
		if (!(p->flags & NLM_F_DUMP))
			violation(s->st, "seq %u: NLMSG_DONE of a request without NLM_F_DUMP",
				  nlh->nlmsg_seq);
		*done = true;
		break;
	default:
		if (nlh->nlmsg_type == s->family)
			check_data(s, nlh, p);
		else
			violation(s->st, "seq %u: reply of type %u", nlh->nlmsg_seq,
				  nlh->nlmsg_type);
		break;
	}
}

/*
 * Reads every reply queued on @fd.  Requests were handled when sendmsg()
 * returned, so what is not queued yet is the rest of a dump, which each
 * recvmsg() continues.  With @until_done, waits for a DONE or error.
 */
int sender_drain(struct sender *s, int fd, bool until_done)
{
	static uint8_t buf[RECV_ROOM];
	const struct nlmsghdr *nlh;
	bool done = false;
	ssize_t n;
	size_t len;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), until_done && !done ? 0 : MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				s->st->overruns++;
				continue;
			}
			if (errno == EAGAIN && !until_done)
				return 0;
			if (errno == EAGAIN && done)
				return 0;
			return -errno;
		}
		len = n;
		for (nlh = (void *)buf; len >= NLMSG_HDRLEN;
		     len -= NLMSG_ALIGN(nlh->nlmsg_len), nlh = (void *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len))) {
			if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len) {
				violation(s->st, "reply of %u bytes in a read of %zu",
					  nlh->nlmsg_len, len);
				break;
			}
			check_reply(s, nlh, &done);
			if (NLMSG_ALIGN(nlh->nlmsg_len) >= len)
				break;
		}
	}
}

/* ---- single requests, for setup and the checks after the run ---- */

typedef int (*reply_fn)(const struct nlmsghdr *nlh, void *arg);

/* Sends @len bytes and reads to the ack, error or DONE; -errno of the kernel's answer. */
static int transact(int fd, const uint8_t *req, size_t len, reply_fn fn, void *arg)
{
	static uint8_t buf[RECV_ROOM];
	uint32_t seq = ((const struct nlmsghdr *)req)->nlmsg_seq;
	const struct nlmsghdr *nlh;
	int err, ret = 0;
	ssize_t n;

	err = nl_send(fd, req, len);
	if (err)
		return err;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (void *)buf; NLMSG_OK(nlh, (size_t)n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
				memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				return err ? err : ret;
			}
			if (fn && !ret)
				ret = fn(nlh, arg);
		}
	}
}

static uint32_t next_seq = 1;

int nl_family_id(const char *name)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr genl;
		struct nlattr nla;
		char name[GENL_NAMSIZ];
	} req = {
		.nlh = {
			.nlmsg_type = GENL_ID_CTRL,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = next_seq++,
		},
		.genl = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
		.nla = { .nla_type = CTRL_ATTR_FAMILY_NAME },
	};
	static uint8_t buf[RECV_ROOM];
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlmsghdr *nlh;
	int fd, err = -ENOENT;
	ssize_t n;

	snprintf(req.name, sizeof(req.name), "%s", name);
	req.nla.nla_len = NLA_HDRLEN + strlen(req.name) + 1;
	req.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(req.nla.nla_len);
	fd = nl_open(false);
	if (fd < 0)
		return fd;
	err = nl_send(fd, &req, req.nlh.nlmsg_len);
	if (err)
		goto out_close;
	err = -ENOENT;
	n = recv(fd, buf, sizeof(buf), 0);
	for (nlh = (void *)buf; n > 0 && NLMSG_OK(nlh, (size_t)n); nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
			break;
		}
		if (nlh->nlmsg_type != GENL_ID_CTRL ||
		    walk((char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
			 nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb, CTRL_ATTR_MAX) ||
		    !tb[CTRL_ATTR_FAMILY_ID])
			continue;
		err = *(const uint16_t *)nla_data(tb[CTRL_ATTR_FAMILY_ID]);
		break;
	}
out_close:
	close(fd);
	return err;
}

static int status_reply(const struct nlmsghdr *nlh, void *arg)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	return parse_status(nlh, arg) ? -EBADMSG : 0;
}

int nl_get_status(int fd, uint16_t family, struct status_info *si)
{
	uint8_t req[MSG_ROOM];
	size_t len;
	int err;

	memset(si, 0, sizeof(*si));
	len = gen_request(family, SKBSTAT_CMD_GET_STATUS, NLM_F_REQUEST | NLM_F_ACK, next_seq++,
			  -1, -1, -1, req);
	err = transact(fd, req, len, status_reply, si);
	if (!err && si->hooks != SKBSTAT_HOOK_COUNT)
		err = -EBADMSG;
	return err;
}

int nl_set_config(int fd, uint16_t family, int hook, int enabled, int mode)
{
	uint8_t req[MSG_ROOM];
	size_t len;

	len = gen_request(family, SKBSTAT_CMD_SET_CONFIG, NLM_F_REQUEST | NLM_F_ACK, next_seq++,
			  hook, enabled, mode, req);
	return transact(fd, req, len, NULL, NULL);
}

int nl_reset(int fd, uint16_t family, int hook)
{
	uint8_t req[MSG_ROOM];
	size_t len;

	len = gen_request(family, SKBSTAT_CMD_RESET, NLM_F_REQUEST | NLM_F_ACK, next_seq++,
			  hook, -1, -1, req);
	return transact(fd, req, len, NULL, NULL);
}

struct reason_find {
	const char *name;
	uint32_t id;
	bool found;
};

static int reason_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[SKBSTAT_REASON_ATTR_MAX + 1];
	struct reason_find *rf = arg;
	struct reply_view v;

	if (reply_parse(nlh, &v) || !v.tb[SKBSTAT_ATTR_REASON] ||
	    walk(nla_data(v.tb[SKBSTAT_ATTR_REASON]), nla_payload(v.tb[SKBSTAT_ATTR_REASON]), tb,
		 SKBSTAT_REASON_ATTR_MAX) ||
	    !is_u32(tb[SKBSTAT_REASON_ATTR_ID]) || !is_string(tb[SKBSTAT_REASON_ATTR_NAME]))
		return -EBADMSG;
	if (!strcmp(nla_data(tb[SKBSTAT_REASON_ATTR_NAME]), rf->name)) {
		rf->id = get_u32(tb[SKBSTAT_REASON_ATTR_ID]);
		rf->found = true;
	}
	return 0;
}

int nl_reason_id(int fd, uint16_t family, const char *name, uint32_t *id)
{
	struct reason_find rf = { .name = name };
	uint8_t req[MSG_ROOM];
	size_t len;
	int err;

	len = gen_request(family, SKBSTAT_CMD_GET_REASONS, NLM_F_REQUEST | NLM_F_DUMP, next_seq++,
			  -1, -1, -1, req);
	err = transact(fd, req, len, reason_reply, &rf);
	if (err)
		return err;
	if (!rf.found)
		return -ENOENT;
	*id = rf.id;
	return 0;
}

static int drop_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[SKBSTAT_DROP_ATTR_MAX + 1];
	struct drop_sum *ds = arg;
	struct reply_view v;
	uint64_t packets;

	if (reply_parse(nlh, &v) || !v.tb[SKBSTAT_ATTR_DROP] ||
	    walk(nla_data(v.tb[SKBSTAT_ATTR_DROP]), nla_payload(v.tb[SKBSTAT_ATTR_DROP]), tb,
		 SKBSTAT_DROP_ATTR_MAX) ||
	    !is_u32(tb[SKBSTAT_DROP_ATTR_NETNS]) || !is_u32(tb[SKBSTAT_DROP_ATTR_REASON]) ||
	    !is_u64(tb[SKBSTAT_DROP_ATTR_PACKETS]))
		return -EBADMSG;
	if (ds->netns && get_u32(tb[SKBSTAT_DROP_ATTR_NETNS]) != ds->netns) {
		ds->foreign_rows++;
		return 0;
	}
	packets = get_u64(tb[SKBSTAT_DROP_ATTR_PACKETS]);
	ds->rows++;
	ds->packets += packets;
	if (get_u32(tb[SKBSTAT_DROP_ATTR_REASON]) == ds->reason)
		ds->reason_packets += packets;
	return 0;
}

/* Every drop row, to stderr: what a failed count check looked at. */
static int drop_print(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[SKBSTAT_DROP_ATTR_MAX + 1];
	struct reply_view v;

	(void)arg;
	if (reply_parse(nlh, &v) || !v.tb[SKBSTAT_ATTR_DROP] ||
	    walk(nla_data(v.tb[SKBSTAT_ATTR_DROP]), nla_payload(v.tb[SKBSTAT_ATTR_DROP]), tb,
		 SKBSTAT_DROP_ATTR_MAX) ||
	    !is_u32(tb[SKBSTAT_DROP_ATTR_NETNS]) || !is_u32(tb[SKBSTAT_DROP_ATTR_REASON]) ||
	    !is_u64(tb[SKBSTAT_DROP_ATTR_PACKETS]) || !is_u32(tb[SKBSTAT_DROP_ATTR_IFINDEX]))
		return -EBADMSG;
	fprintf(stderr, "fuzz:   row netns %u reason %u ifindex %u dev %s location %s packets %llu\n",
		get_u32(tb[SKBSTAT_DROP_ATTR_NETNS]), get_u32(tb[SKBSTAT_DROP_ATTR_REASON]),
		get_u32(tb[SKBSTAT_DROP_ATTR_IFINDEX]),
		is_string(tb[SKBSTAT_DROP_ATTR_DEV]) ? (const char *)nla_data(tb[SKBSTAT_DROP_ATTR_DEV]) : "-",
		is_string(tb[SKBSTAT_DROP_ATTR_LOCATION]) ?
			(const char *)nla_data(tb[SKBSTAT_DROP_ATTR_LOCATION]) : "-",
		(unsigned long long)get_u64(tb[SKBSTAT_DROP_ATTR_PACKETS]));
	return 0;
}

int nl_drop_print(int fd, uint16_t family)
{
	uint8_t req[MSG_ROOM];
	size_t len;

	len = gen_request(family, SKBSTAT_CMD_GET_DROPS, NLM_F_REQUEST | NLM_F_DUMP, next_seq++,
			  -1, -1, -1, req);
	return transact(fd, req, len, drop_print, NULL);
}

int nl_drop_sum(int fd, uint16_t family, struct drop_sum *ds)
{
	uint8_t req[MSG_ROOM];
	size_t len;

	ds->packets = 0;
	ds->reason_packets = 0;
	ds->rows = 0;
	ds->foreign_rows = 0;
	len = gen_request(family, SKBSTAT_CMD_GET_DROPS, NLM_F_REQUEST | NLM_F_DUMP, next_seq++,
			  -1, -1, -1, req);
	return transact(fd, req, len, drop_reply, ds);
}
