/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skbstat-fuzz: random and mutated generic-netlink requests to the skbstat
 * family, from several senders at once, with traffic and resets running.
 * Functions return 0 or -errno.
 */
#ifndef _SKBSTAT_FUZZ_H
#define _SKBSTAT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/skbstat.h>

/* ---- seeded PRNG (splitmix64): every sender's stream repeats from the seed ---- */
struct rnd {
	uint64_t s;
};

static inline uint64_t rnd_u64(struct rnd *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint32_t rnd_below(struct rnd *r, uint32_t n)
{
	return n ? (uint32_t)(((rnd_u64(r) >> 32) * n) >> 32) : 0;
}

/* True with probability @per_mille / 1000. */
static inline bool rnd_chance(struct rnd *r, unsigned int per_mille)
{
	return rnd_below(r, 1000) < per_mille;
}

/* ---- what was sent ---- */
enum fuzz_kind {
	KIND_VALID,		/* a well-formed request */
	KIND_UNKNOWN_ATTR,	/* attribute types the command's policy lacks */
	KIND_DUP_ATTR,		/* the same attribute more than once */
	KIND_BAD_ATTR,		/* known attribute, wrong length, value or flags */
	KIND_NEST,		/* deep, broken or misflagged nests */
	KIND_FLAGS,		/* valid body, odd nlmsg flags */
	KIND_GENLHDR,		/* unknown command, version, reserved bits */
	KIND_TRUNC,		/* truncated or overlong headers, trailing bytes */
	KIND_CTRL,		/* netlink control types (NOOP, DONE, ...) */
	KIND_RANDOM,		/* random bytes after the netlink header */
	KIND_MUTATE,		/* a valid request with bytes flipped */
	KIND_DUMP_CLOSE,	/* a dump whose socket is closed before its end */

	KIND_COUNT
};

/* Command slots of the statistics: the genl commands, then the rest. */
#define CMD_SLOT_OTHER	(SKBSTAT_CMD_MAX + 1)	/* unknown command byte */
#define CMD_SLOT_NONE	(SKBSTAT_CMD_MAX + 2)	/* no genl header at all */
#define CMD_SLOTS	(SKBSTAT_CMD_MAX + 3)

#define ERRNO_SLOTS	160	/* -error of NLMSG_ERROR/DONE; 0 is an ack */

/*
 * Requests that cost far more than the rest: a host RESET waits for an RCU
 * grace period per hook and a SET_CONFIG that detaches or changes mode for
 * tracepoint_synchronize_unregister() and kprobe registration, tens to
 * hundreds of milliseconds under TCG with the genl mutex held, which every
 * other sender then waits for.  Each sender sends them at a fixed share.
 */
enum fuzz_cost {
	COST_RESET,		/* RESET by root of the initial netns */
	COST_CONFIG,		/* SET_CONFIG with a MODE or ENABLED 0 */

	COST_COUNT
};

#define COST_BIT(c)	(1u << (c))

struct fuzz_stats {
	uint64_t sent[CMD_SLOTS][KIND_COUNT];
	uint64_t batches;
	uint64_t err_replies[ERRNO_SLOTS];	/* NLMSG_ERROR by -error */
	uint64_t err_other;			/* errno out of range */
	uint64_t extack_msgs;			/* errors that carried an extack text */
	uint64_t data_replies[CMD_SLOTS];	/* genl messages by command */
	uint64_t dumps_done;			/* NLMSG_DONE with 0 */
	uint64_t dumps_failed[ERRNO_SLOTS];	/* NLMSG_DONE with an error */
	uint64_t dumps_inconsistent;		/* NLM_F_DUMP_INTR seen */
	uint64_t dumps_closed;			/* socket closed mid-dump */
	uint64_t dumps_resumed;			/* ... and the dump redone to its end */
	uint64_t sockets_closed;		/* closed with replies still queued */
	uint64_t overruns;			/* ENOBUFS on receive */
	uint64_t rows_checked;
	/* costly requests (enum fuzz_cost) by kind, and their answers */
	uint64_t costly[COST_COUNT][KIND_COUNT];
	uint64_t costly_acked[COST_COUNT];
	uint64_t costly_failed[COST_COUNT];
	uint64_t config_enable;			/* SET_CONFIG of ENABLED 1 only: no switch */
	uint64_t violations;
	char first_violation[512];
	/* concurrent load */
	uint64_t datagrams;
	uint64_t netns_made;
	uint64_t resets_ok;
	uint64_t resets_failed;
	uint64_t host_resets_ok;		/* the resetter's, of the host's tables */
	uint64_t host_resets_failed;
	int skipped;				/* -errno: the sender could not start */
};

enum fuzz_role {
	ROLE_ROOT,		/* root in the initial netns */
	ROLE_NETNS,		/* root in a netns of its own */
	ROLE_UNPRIV,		/* uid nobody, no capabilities, initial netns */
	ROLE_USERNS,		/* nobody owning a user and net namespace: a container */

	ROLE_COUNT
};

struct sender {
	enum fuzz_role role;
	uint16_t family;
	uint64_t count;
	struct rnd rnd;
	unsigned int costly;	/* COST_BIT()s of the commands costly from this sender */
	uint32_t netns;		/* own netns inode */
	struct fuzz_stats *st;
	int fd;
};

/* gen.c */
#define MSG_ROOM	4096

struct fuzz_msg {
	size_t len;		/* bytes of this message in the batch */
	uint8_t cmd_slot;
	uint8_t kind;
	uint16_t type;
	uint16_t flags;
	int8_t cost;		/* enum fuzz_cost of a costly request, or -1 */
	bool enable_only;	/* a SET_CONFIG that can switch nothing on */
	bool last;		/* the kernel stops reading the batch here */
};

/* What the next message may cost: COST_BIT()s costly from the sender, and allowed now. */
struct cost_gate {
	unsigned int costly;
	unsigned int allowed;
};

size_t gen_message(struct rnd *r, const struct cost_gate *gate, uint16_t family, uint32_t seq,
		   uint8_t *buf, struct fuzz_msg *m);
size_t gen_valid(struct rnd *r, uint16_t family, uint8_t cmd, uint16_t flags, uint32_t seq,
		 uint8_t *buf);
size_t gen_request(uint16_t family, uint8_t cmd, uint16_t flags, uint32_t seq, int hook,
		   int enabled, int mode, uint8_t *buf);
bool cmd_is_dump(uint8_t cmd);
const char *cmd_name(unsigned int slot);
const char *kind_name(unsigned int kind);

/* nl.c */
int nl_open(bool big_rcvbuf);
int nl_family_id(const char *name);
int nl_send(int fd, const void *buf, size_t len);
void sender_note(struct sender *s, const struct fuzz_msg *m, uint32_t seq);
int sender_drain(struct sender *s, int fd, bool until_done);
void violation(struct fuzz_stats *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The answer to one valid request, for the checks after the run. */
struct hook_info {
	bool present;
	bool attached;
	uint32_t mode;
	uint64_t events;
	uint64_t table_full;
};

struct status_info {
	uint32_t version;
	int hooks;
	struct hook_info hook[SKBSTAT_HOOK_COUNT];
};

struct drop_sum {
	uint32_t netns;		/* rows of this netns only; 0: every row */
	uint32_t reason;	/* ... and this reason for @reason_packets */
	uint64_t packets;
	uint64_t reason_packets;
	uint64_t rows;
	uint64_t foreign_rows;	/* rows of another netns */
};

int nl_get_status(int fd, uint16_t family, struct status_info *si);
int nl_set_config(int fd, uint16_t family, int hook, int enabled, int mode);
int nl_reset(int fd, uint16_t family, int hook);
int nl_reason_id(int fd, uint16_t family, const char *name, uint32_t *id);
int nl_drop_sum(int fd, uint16_t family, struct drop_sum *ds);
int nl_drop_print(int fd, uint16_t family);

/* ../lib/netns.c, shared with the selftests */
int netns_inode(uint32_t *inode);
int netns_new(void);			/* unshare into a fresh netns with lo up */

/* load.c: traffic, resets and the checks after the run */
int traffic_run(uint16_t family, struct fuzz_stats *st, volatile int *stop);
int resetter_run(uint16_t family, struct fuzz_stats *st, volatile int *stop, uint64_t seed);
int verify_after(uint16_t family, const struct status_info *before, unsigned int drops,
		 char *report, size_t len);

#endif /* _SKBSTAT_FUZZ_H */
