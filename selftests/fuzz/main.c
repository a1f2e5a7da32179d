// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat-fuzz - a generic-netlink fuzzer for the skbstat family.
 *
 * Four senders (root, root in a netns, an unprivileged user, a container:
 * nobody owning a user and a net namespace) send batches of random and
 * mutated requests while a netns drops datagrams and a resetter resets the
 * host's tables.  Every reply is checked against what its sender may see.
 * Afterwards the module must still answer and count a known drop exactly.
 * Exit 0 when every check held, 1 when one did not, 2 on a setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include "fuzz.h"

/*
 * Messages per sendmsg(): the kernel handles a batch in one call, and a
 * batch's replies, error echoes included, must fit even an unprivileged
 * receive buffer.
 */
#define BATCH_MAX	48
#define BATCH_BYTES	(32 * 1024)
#define NOBODY		65534

struct shared {
	volatile int stop;
	struct fuzz_stats role[ROLE_COUNT];
	struct fuzz_stats load;
};

struct options {
	uint64_t seed;
	uint64_t count;
	const char *summary;
	unsigned int drops;
	bool traffic;
	bool resets;
	bool verify;
};

static const char * const role_names[ROLE_COUNT] = {
	[ROLE_ROOT] = "root, initial netns",
	[ROLE_NETNS] = "root, own netns",
	[ROLE_UNPRIV] = "nobody, no capabilities",
	[ROLE_USERNS] = "nobody in own user+net ns",
};

/* Shares of the messages: most from root, where every handler can run. */
static const unsigned int role_share[ROLE_COUNT] = { 70, 10, 10, 10 };

/*
 * At most one costly request (enum fuzz_cost) per this many messages of a
 * sender, spread evenly: ~25-125 ms each under TCG against ~0.2 ms for the
 * rest, so they stay under a fifth of the run and still come by the
 * hundred per 100,000 messages, in every kind that reaches their handler.
 * A share rather than a rate keeps a seed's messages the same run to run.
 */
static const unsigned int cost_every[COST_COUNT] = {
	[COST_RESET] = 700,
	[COST_CONFIG] = 700,
};

/* Host RESETs from root of the initial netns; SET_CONFIG from root of any netns. */
static unsigned int role_costly(enum fuzz_role role)
{
	switch (role) {
	case ROLE_ROOT:
		return COST_BIT(COST_RESET) | COST_BIT(COST_CONFIG);
	case ROLE_NETNS:
		return COST_BIT(COST_CONFIG);
	default:
		/* A netns's own RESET is a rebase; SET_CONFIG is refused. */
		return 0;
	}
}

static uint64_t costly_sent(const struct fuzz_stats *st, int cost)
{
	uint64_t n = 0;
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		n += st->costly[cost][k];
	return n;
}

/* The costly requests a sender may send after @sent messages. */
static unsigned int cost_allowed(const struct sender *s, uint64_t sent)
{
	unsigned int allowed = 0;
	int c;

	for (c = 0; c < COST_COUNT; c++)
		if (costly_sent(s->st, c) * cost_every[c] <= sent)
			allowed |= COST_BIT(c);
	return allowed & s->costly;
}

/* A dump whose socket closes before the end, then the same dump read to its end. */
static void dump_close_resume(struct sender *s, uint32_t *seq)
{
	uint8_t buf[MSG_ROOM], junk[4096];
	struct fuzz_msg m = { .kind = KIND_DUMP_CLOSE, .type = s->family,
			      .flags = NLM_F_REQUEST | NLM_F_DUMP, .cost = -1 };
	uint64_t done;
	int fd;

	m.cmd_slot = SKBSTAT_CMD_GET_DROPS + rnd_below(&s->rnd, 4);
	fd = nl_open(s->role != ROLE_UNPRIV);
	if (fd < 0)
		return;
	m.len = gen_valid(&s->rnd, s->family, m.cmd_slot, m.flags, *seq, buf);
	sender_note(s, &m, (*seq)++);
	if (!nl_send(fd, buf, m.len) && rnd_chance(&s->rnd, 500))
		(void)!recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
	close(fd);
	s->st->dumps_closed++;

	fd = nl_open(s->role != ROLE_UNPRIV);
	if (fd < 0)
		return;
	m.len = gen_valid(&s->rnd, s->family, m.cmd_slot, m.flags, *seq, buf);
	sender_note(s, &m, (*seq)++);
	done = s->st->dumps_done;
	if (!nl_send(fd, buf, m.len))
		sender_drain(s, fd, true);
	if (s->st->dumps_done > done)
		s->st->dumps_resumed++;
	close(fd);
}

static int run_sender(struct sender *s)
{
	static uint8_t batch[BATCH_BYTES + MSG_ROOM];
	struct cost_gate gate = { .costly = s->costly };
	bool big = s->role != ROLE_UNPRIV;
	uint64_t sent = 0;
	struct fuzz_msg m;
	uint32_t seq = 1;
	unsigned int i, n;
	size_t len;
	int fd, err;

	fd = nl_open(big);
	if (fd < 0)
		return fd;
	while (sent < s->count) {
		if (rnd_chance(&s->rnd, 3)) {
			dump_close_resume(s, &seq);
			sent += 2;
			continue;
		}
		n = 1 + rnd_below(&s->rnd, BATCH_MAX);
		for (i = 0, len = 0; i < n && sent < s->count && len < BATCH_BYTES; i++, sent++) {
			gate.allowed = cost_allowed(s, sent);
			len += gen_message(&s->rnd, &gate, s->family, seq, batch + len, &m);
			sender_note(s, &m, seq++);
			if (m.last) {
				i++;
				sent++;
				break;
			}
		}
		err = nl_send(fd, batch, len);
		if (err)
			violation(s->st, "sendmsg of a batch of %u: %s", i, strerror(-err));
		s->st->batches++;
		/* Now and then the replies (and a dump) die with the socket. */
		if (rnd_chance(&s->rnd, 2)) {
			close(fd);
			s->st->sockets_closed++;
			fd = nl_open(big);
			if (fd < 0)
				return fd;
			continue;
		}
		err = sender_drain(s, fd, false);
		if (err)
			violation(s->st, "reading replies: %s", strerror(-err));
	}
	close(fd);
	return 0;
}

/* Puts the calling process where its role says; -errno if it cannot be there. */
static int enter_role(enum fuzz_role role)
{
	switch (role) {
	case ROLE_ROOT:
		return 0;
	case ROLE_NETNS:
		return netns_new();
	case ROLE_UNPRIV:
	case ROLE_USERNS:
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			return -errno;
		/* A container: all capabilities, over its own namespaces only. */
		if (role == ROLE_USERNS && unshare(CLONE_NEWUSER | CLONE_NEWNET))
			return -errno;
		return 0;
	default:
		return -EINVAL;
	}
}

static pid_t start_child(void)
{
	pid_t pid = fork();

	if (!pid)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return pid;
}

static pid_t start_sender(enum fuzz_role role, uint16_t family, uint64_t count, uint64_t seed,
			  struct fuzz_stats *st)
{
	struct sender s = {
		.role = role, .family = family, .count = count, .st = st,
		.costly = role_costly(role),
		/* Each sender's stream depends on the seed and its role only. */
		.rnd = { seed ^ (0x9e3779b97f4a7c15ULL * (role + 1)) },
	};
	pid_t pid;
	int err;

	pid = start_child();
	if (pid)
		return pid;
	err = enter_role(role);
	if (!err)
		err = netns_inode(&s.netns);
	if (err) {
		st->skipped = err;
		_exit(0);
	}
	_exit(run_sender(&s) ? 1 : 0);
}

static int wait_for(pid_t pid, const char *what)
{
	int status;

	if (pid <= 0)
		return 0;
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	fprintf(stderr, "fuzz: %s %s %d\n", what,
		WIFSIGNALED(status) ? "died of signal" : "exited with",
		WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return -ECHILD;
}

static void add_stats(struct fuzz_stats *sum, const struct fuzz_stats *s)
{
	const uint64_t *src = (const uint64_t *)s;
	uint64_t *dst = (uint64_t *)sum;
	size_t i;

	/* Every counter up to the first violation's text is a u64. */
	for (i = 0; i < offsetof(struct fuzz_stats, first_violation) / sizeof(uint64_t); i++)
		dst[i] += src[i];
	if (!sum->first_violation[0])
		memcpy(sum->first_violation, s->first_violation, sizeof(s->first_violation));
}

static uint64_t sent_total(const struct fuzz_stats *st)
{
	uint64_t n = 0;
	int c, k;

	for (c = 0; c < CMD_SLOTS; c++)
		for (k = 0; k < KIND_COUNT; k++)
			n += st->sent[c][k];
	return n;
}

static const char *errno_name(int e)
{
	const char *name;

	if (!e)
		return "0 (ack)";
	name = strerrorname_np(e);
	return name ? name : "?";
}

static void write_summary(FILE *f, const struct options *o, const struct shared *sh,
			  const struct fuzz_stats *t, double seconds, const char *verify,
			  bool passed)
{
	uint64_t row, n = sent_total(t), errors = 0;
	struct utsname u;
	int c, k, r, e;

	uname(&u);
	fprintf(f, "# skbstat generic-netlink fuzz\n\n");
	fprintf(f, "| | |\n|---|---|\n");
	fprintf(f, "| result | %s |\n", passed ? "passed" : "**FAILED**");
	fprintf(f, "| seed | `--seed 0x%016llx` |\n", (unsigned long long)o->seed);
	fprintf(f, "| messages | %llu in %llu batches (asked: %llu) |\n", (unsigned long long)n,
		(unsigned long long)t->batches, (unsigned long long)o->count);
	fprintf(f, "| duration | %.1f s, %.0f us per message |\n", seconds,
		n ? seconds * 1e6 / n : 0.0);
	fprintf(f, "| kernel | %s %s (%s) |\n", u.sysname, u.release, u.machine);
	fprintf(f, "| violations | %llu |\n\n", (unsigned long long)t->violations);

	fprintf(f, "## Messages per command and kind\n\n| command |");
	for (k = 0; k < KIND_COUNT; k++)
		fprintf(f, " %s |", kind_name(k));
	fprintf(f, " total |\n|---|");
	for (k = 0; k <= KIND_COUNT; k++)
		fprintf(f, "---:|");
	fprintf(f, "\n");
	for (c = 0; c < CMD_SLOTS; c++) {
		if (!c)
			continue;
		row = 0;
		fprintf(f, "| %s |", cmd_name(c));
		for (k = 0; k < KIND_COUNT; k++) {
			fprintf(f, " %llu |", (unsigned long long)t->sent[c][k]);
			row += t->sent[c][k];
		}
		fprintf(f, " %llu |\n", (unsigned long long)row);
	}
	fprintf(f, "\n## Costly requests\n\n");
	fprintf(f, "At most one of each kind per %u / %u messages of a sender (host RESET / SET_CONFIG);\n"
		"sent in a form that runs the handler unless the mutation or cut broke it.\n\n",
		cost_every[COST_RESET], cost_every[COST_CONFIG]);
	fprintf(f, "| request |");
	for (k = 0; k < KIND_COUNT; k++)
		fprintf(f, " %s |", kind_name(k));
	fprintf(f, " total | error | ack |\n|---|");
	for (k = 0; k <= KIND_COUNT + 2; k++)
		fprintf(f, "---:|");
	fprintf(f, "\n");
	for (c = 0; c < COST_COUNT; c++) {
		fprintf(f, "| %s |", c == COST_RESET ? "host RESET (root, initial netns)" :
			"SET_CONFIG with MODE or ENABLED 0 (root)");
		for (k = 0; k < KIND_COUNT; k++)
			fprintf(f, " %llu |", (unsigned long long)t->costly[c][k]);
		fprintf(f, " %llu | %llu | %llu |\n", (unsigned long long)costly_sent(t, c),
			(unsigned long long)t->costly_failed[c],
			(unsigned long long)t->costly_acked[c]);
	}
	fprintf(f, "\nAlso: %llu host RESETs by the resetter (%llu failed); %llu SET_CONFIG of ENABLED 1 only,\n"
		"which re-attach what a costly one detached and are no-ops otherwise.\n",
		(unsigned long long)sh->load.host_resets_ok,
		(unsigned long long)sh->load.host_resets_failed,
		(unsigned long long)t->config_enable);

	fprintf(f, "\n## Senders\n\n| sender | messages | acks | errors | data replies | dumps done | violations |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct fuzz_stats *s = &sh->role[r];
		uint64_t data = 0, errs = 0;

		for (c = 0; c < CMD_SLOTS; c++)
			data += s->data_replies[c];
		for (e = 1; e < ERRNO_SLOTS; e++)
			errs += s->err_replies[e];
		if (s->skipped) {
			fprintf(f, "| %s | skipped: %s | | | | | |\n", role_names[r],
				strerror(-s->skipped));
			continue;
		}
		fprintf(f, "| %s | %llu | %llu | %llu | %llu | %llu | %llu |\n", role_names[r],
			(unsigned long long)sent_total(s), (unsigned long long)s->err_replies[0],
			(unsigned long long)errs, (unsigned long long)data,
			(unsigned long long)s->dumps_done, (unsigned long long)s->violations);
	}

	fprintf(f, "\n## Replies by errno\n\n| errno | NLMSG_ERROR | NLMSG_DONE |\n|---|---:|---:|\n");
	for (e = 0; e < ERRNO_SLOTS; e++) {
		if (!t->err_replies[e] && !t->dumps_failed[e] && (e || !t->dumps_done))
			continue;
		fprintf(f, "| %s | %llu | %llu |\n", errno_name(e),
			(unsigned long long)t->err_replies[e],
			(unsigned long long)(e ? t->dumps_failed[e] : t->dumps_done));
		errors += e ? t->err_replies[e] : 0;
	}
	if (t->err_other)
		fprintf(f, "| out of range | %llu | |\n", (unsigned long long)t->err_other);
	fprintf(f, "\nErrors with an extack message: %llu of %llu.\n",
		(unsigned long long)t->extack_msgs, (unsigned long long)errors);
	fprintf(f, "Data replies: ");
	for (c = 1; c <= SKBSTAT_CMD_MAX; c++)
		if (t->data_replies[c])
			fprintf(f, "%s %llu; ", cmd_name(c), (unsigned long long)t->data_replies[c]);
	fprintf(f, "rows checked %llu.\n", (unsigned long long)t->rows_checked);

	fprintf(f, "\n## Dumps\n\n| | |\n|---|---:|\n");
	fprintf(f, "| completed (NLMSG_DONE 0) | %llu |\n", (unsigned long long)t->dumps_done);
	fprintf(f, "| flagged NLM_F_DUMP_INTR (reset mid-dump) | %llu |\n",
		(unsigned long long)t->dumps_inconsistent);
	fprintf(f, "| interrupted: socket closed mid-dump | %llu |\n",
		(unsigned long long)t->dumps_closed);
	fprintf(f, "| resumed: the same dump redone to its end | %llu |\n",
		(unsigned long long)t->dumps_resumed);
	fprintf(f, "| sockets closed with replies queued | %llu |\n",
		(unsigned long long)t->sockets_closed);
	fprintf(f, "| receive overruns (ENOBUFS) | %llu |\n", (unsigned long long)t->overruns);

	fprintf(f, "\n## Concurrent load\n\n| | |\n|---|---:|\n");
	fprintf(f, "| UDP datagrams to a closed port (netns) | %llu |\n",
		(unsigned long long)sh->load.datagrams);
	fprintf(f, "| short-lived netns that dropped and went away | %llu |\n",
		(unsigned long long)sh->load.netns_made);
	fprintf(f, "| resets of the traffic netns's view ok / failed | %llu / %llu |\n",
		(unsigned long long)sh->load.resets_ok, (unsigned long long)sh->load.resets_failed);
	fprintf(f, "| resets of the host's tables (resetter) ok / failed | %llu / %llu |\n",
		(unsigned long long)sh->load.host_resets_ok,
		(unsigned long long)sh->load.host_resets_failed);

	fprintf(f, "\n## Checks\n\n");
	fprintf(f, "- %s: every reply well formed and within what its sender may see (%llu violations)%s%s\n",
		t->violations ? "FAILED" : "ok", (unsigned long long)t->violations,
		t->violations ? "; first: " : "", t->first_violation);
	fputs(verify, f);
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--count N] [--seed S] [--summary FILE] [--drops N]\n"
		"          [--no-traffic] [--no-resets] [--no-verify]\n"
		"  --count N      messages to send over all senders (default 10000)\n"
		"  --seed S       PRNG seed (default: random, printed)\n"
		"  --summary FILE write a markdown summary\n"
		"  --drops N      datagrams of the check after the run (default 100)\n"
		"Needs root and the skbstat module loaded.  Exit 0: every check held.\n", prog);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "summary", required_argument, NULL, 'o' },
		{ "drops", required_argument, NULL, 'd' },
		{ "no-traffic", no_argument, NULL, 'T' },
		{ "no-resets", no_argument, NULL, 'R' },
		{ "no-verify", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool seeded = false;
	int c;

	*o = (struct options){ .count = 10000, .drops = 100, .traffic = true, .resets = true,
			       .verify = true };
	while ((c = getopt_long(argc, argv, "n:s:o:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->count = strtoull(optarg, NULL, 0);
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'o':
			o->summary = optarg;
			break;
		case 'd':
			o->drops = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			o->traffic = false;
			break;
		case 'R':
			o->resets = false;
			break;
		case 'V':
			o->verify = false;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind != argc || !o->drops)
		return -EINVAL;
	if (!seeded && getrandom(&o->seed, sizeof(o->seed), 0) != sizeof(o->seed))
		o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return 0;
}

int main(int argc, char **argv)
{
	pid_t senders[ROLE_COUNT] = { 0 }, traffic = 0, resetter = 0;
	char verify[4096] = "- verification after the run: skipped\n";
	struct status_info before;
	struct fuzz_stats total = { 0 };
	struct timespec t0, t1;
	bool children_ok = true, passed;
	struct options o;
	struct shared *sh;
	uint64_t share, rest;
	double seconds;
	int family, fd, r, err;
	FILE *f;

	if (parse_options(argc, argv, &o)) {
		usage(stderr, argv[0]);
		return 2;
	}
	printf("fuzz: seed 0x%016llx (--seed to repeat), %llu messages\n",
	       (unsigned long long)o.seed, (unsigned long long)o.count);
	fflush(stdout);
	family = nl_family_id(SKBSTAT_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "fuzz: no generic-netlink family %s: %s\n", SKBSTAT_GENL_NAME,
			strerror(-family));
		return 2;
	}
	fd = nl_open(true);
	err = fd < 0 ? fd : nl_get_status(fd, family, &before);
	if (fd >= 0)
		close(fd);
	if (err) {
		fprintf(stderr, "fuzz: GET_STATUS before the run: %s\n", strerror(-err));
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset(sh, 0, sizeof(*sh));
	fflush(NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o.traffic) {
		traffic = start_child();
		if (!traffic)
			_exit(traffic_run(family, &sh->load, &sh->stop) ? 1 : 0);
	}
	if (o.resets) {
		resetter = start_child();
		if (!resetter)
			_exit(resetter_run(family, &sh->load, &sh->stop, o.seed) ? 1 : 0);
	}
	/* Root gets what the shares leave over, so that the counts add up. */
	rest = o.count;
	for (r = ROLE_COUNT - 1; r >= 0; r--) {
		share = r == ROLE_ROOT ? rest : o.count * role_share[r] / 100;
		rest -= share;
		senders[r] = start_sender(r, family, share, o.seed, &sh->role[r]);
	}
	for (r = 0; r < ROLE_COUNT; r++)
		if (wait_for(senders[r], role_names[r]))
			children_ok = false;
	sh->stop = 1;
	if (wait_for(traffic, "traffic") || wait_for(resetter, "resetter"))
		children_ok = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (r = 0; r < ROLE_COUNT; r++)
		add_stats(&total, &sh->role[r]);
	err = 0;
	if (o.verify)
		err = verify_after(family, &before, o.drops, verify, sizeof(verify));
	passed = children_ok && !err && !total.violations;
	if (!children_ok)
		strncat(verify, "- FAILED: a sender, the traffic or the resetter did not end well\n",
			sizeof(verify) - strlen(verify) - 1);

	if (o.summary) {
		f = fopen(o.summary, "we");
		if (!f) {
			fprintf(stderr, "fuzz: %s: %s\n", o.summary, strerror(errno));
			return 2;
		}
		write_summary(f, &o, sh, &total, seconds, verify, passed);
		fclose(f);
	} else {
		fputs(verify, stdout);
	}
	printf("fuzz: %llu messages in %.1f s (%.0f us each), %llu violations, checks after the run %s\n",
	       (unsigned long long)sent_total(&total), seconds,
	       sent_total(&total) ? seconds * 1e6 / sent_total(&total) : 0.0,
	       (unsigned long long)total.violations, o.verify ? (err ? "FAILED" : "ok") : "skipped");
	return passed ? 0 : 1;
}
