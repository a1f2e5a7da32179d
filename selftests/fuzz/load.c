// SPDX-License-Identifier: GPL-2.0
/*
 * What runs beside the fuzzing senders (traffic that makes drops, resets)
 * and the checks once they have all stopped.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

#define CLOSED_PORT	9	/* discard: nothing listens in a fresh netns */

/* Sends @n datagrams to the closed port of this netns's loopback; how many went. */
static unsigned int udp_to_closed(bool v6, unsigned int n)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(CLOSED_PORT),
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(CLOSED_PORT),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char payload[64] = "skbstat-fuzz";
	unsigned int sent = 0;
	int fd;

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	while (n--) {
		if (v6 ? sendto(fd, payload, sizeof(payload), 0, (void *)&sin6, sizeof(sin6)) > 0 :
			 sendto(fd, payload, sizeof(payload), 0, (void *)&sin, sizeof(sin)) > 0)
			sent++;
	}
	close(fd);
	return sent;
}

/* A netns that drops a few datagrams and goes away: new rows, a netns freed under them. */
static void short_lived_netns(struct fuzz_stats *st)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		if (netns_new())
			_exit(1);
		udp_to_closed(false, 4);
		udp_to_closed(true, 2);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status))
		st->netns_made++;
}

/*
 * Drops in a netns of its own until told to stop, and now and then a
 * reset of that netns's view while its rows are counting.
 */
int traffic_run(uint16_t family, struct fuzz_stats *st, volatile int *stop)
{
	unsigned int round = 0;
	int fd, err;

	err = netns_new();
	if (err)
		return err;
	fd = nl_open(true);
	if (fd < 0)
		return fd;
	while (!*stop) {
		st->datagrams += udp_to_closed(false, 6);
		st->datagrams += udp_to_closed(true, 2);
		round++;
		if (!(round % 16)) {
			if (nl_reset(fd, family, -1))
				st->resets_failed++;
			else
				st->resets_ok++;
		}
		/* A netns made and torn down costs the vCPU more than the rest. */
		if (!(round % 150))
			short_lived_netns(st);
		/* Steady drops, but most of a TCG vCPU left to the senders. */
		usleep(20000);
	}
	close(fd);
	return 0;
}

/* Resets of the host's tables (new tables, an RCU grace period) while everything runs. */
int resetter_run(uint16_t family, struct fuzz_stats *st, volatile int *stop, uint64_t seed)
{
	struct rnd r = { seed };
	int fd, hook;

	fd = nl_open(true);
	if (fd < 0)
		return fd;
	while (!*stop) {
		hook = rnd_chance(&r, 500) ? -1 : (int)rnd_below(&r, SKBSTAT_HOOK_COUNT);
		if (nl_reset(fd, family, hook))
			st->host_resets_failed++;
		else
			st->host_resets_ok++;
		/*
		 * Each holds the genl mutex for a grace period per hook, ~25 ms
		 * under TCG: now and then only, as the senders' own are.
		 */
		usleep(1000000 + rnd_below(&r, 1000000));
	}
	close(fd);
	return 0;
}

/* UdpNoPorts of the caller's netns, from /proc/net/snmp. */
static int udp_noports(uint64_t *value)
{
	char names[1024], values[1024], *n, *v, *sn, *sv;
	FILE *f = fopen("/proc/net/snmp", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		if (strncmp(names, "Udp:", 4))
			continue;
		n = strtok_r(names, " \n", &sn);
		v = strtok_r(values, " \n", &sv);
		while (n && v) {
			if (!strcmp(n, "NoPorts")) {
				*value = strtoull(v, NULL, 10);
				err = 0;
				break;
			}
			n = strtok_r(NULL, " \n", &sn);
			v = strtok_r(NULL, " \n", &sv);
		}
		break;
	}
	fclose(f);
	return err;
}

struct probe_result {
	int err;
	uint32_t netns;
	uint64_t stale_rows;	/* rows visible before the netns did anything: none */
	uint64_t noports;	/* the kernel's own count of the datagrams dropped */
	struct drop_sum view;	/* the netns's own view after the datagrams */
};

/*
 * In a fresh netns: reset its view, drop @n datagrams, read its own view;
 * then keep the netns alive until @hold is closed, while the host reads it
 * (the module retires a dead netns's rows).
 */
static void probe_child(uint16_t family, uint32_t reason, unsigned int n, int out, int hold)
{
	char c;
	struct probe_result res = { 0 };
	struct drop_sum stale = { 0 };
	uint64_t before = 0, after = 0;
	int fd, tries;

	res.err = netns_new();
	if (!res.err)
		res.err = netns_inode(&res.netns);
	fd = res.err ? -1 : nl_open(true);
	if (fd < 0 && !res.err)
		res.err = fd;
	if (!res.err) {
		/* Its inode may be a dead netns's, whose rows are never its. */
		res.err = nl_drop_sum(fd, family, &stale);
		res.stale_rows = stale.rows;
	}
	if (!res.err)
		res.err = nl_reset(fd, family, -1);
	if (!res.err)
		res.err = udp_noports(&before);
	if (!res.err && udp_to_closed(false, n) != n)
		res.err = -EIO;
	/*
	 * Loopback hands the datagrams to the backlog; under load ksoftirqd
	 * drops them later: wait until the kernel's own counter has them all.
	 */
	for (tries = 0; !res.err && tries < 1000; tries++) {
		res.err = udp_noports(&after);
		if (res.err || after - before >= n)
			break;
		usleep(10000);
	}
	res.noports = after - before;
	res.view.reason = reason;
	if (!res.err)
		res.err = nl_drop_sum(fd, family, &res.view);
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(1);
	while (read(hold, &c, 1) > 0)
		;
	_exit(0);
}

/* A probe's netns lives until probe_release(). */
struct probe {
	pid_t pid;
	int hold;		/* the write end the child waits on */
};

static void probe_release(struct probe *p)
{
	int status;

	if (p->hold >= 0)
		close(p->hold);
	if (p->pid > 0)
		waitpid(p->pid, &status, 0);
	p->hold = -1;
	p->pid = 0;
}

static int run_probe(uint16_t family, uint32_t reason, unsigned int n, struct probe_result *res,
		     struct probe *p)
{
	int pipefd[2], holdfd[2], err = 0;

	p->pid = 0;
	p->hold = -1;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	if (pipe2(holdfd, O_CLOEXEC)) {
		err = -errno;
		goto out_close;
	}
	p->hold = holdfd[1];
	p->pid = fork();
	if (p->pid < 0) {
		err = -errno;
		p->pid = 0;
		close(holdfd[0]);
		goto out_close;
	}
	if (!p->pid) {
		close(pipefd[0]);
		close(holdfd[1]);
		probe_child(family, reason, n, pipefd[1], holdfd[0]);
	}
	close(holdfd[0]);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (read(pipefd[0], res, sizeof(*res)) != sizeof(*res))
		err = -EIO;
out_close:
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return err ? err : res->err;
}

/* An unprivileged reader must still be refused. */
static int unprivileged_status(uint16_t family)
{
	struct status_info si;
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		fd = nl_open(false);
		_exit(fd >= 0 && nl_get_status(fd, family, &si) == -EPERM ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return WEXITSTATUS(status) ? -EPROTO : 0;
}

#define REPORT(...) (off += snprintf(report + off, off < len ? len - off : 0, __VA_ARGS__))
#define CHECK(cond, ...) do {					\
	bool ok_ = (cond);					\
	REPORT("- %s: ", ok_ ? "ok" : "FAILED");		\
	REPORT(__VA_ARGS__);					\
	REPORT("\n");						\
	if (!ok_) {						\
		failed++;					\
		fprintf(stderr, "fuzz: check failed: ");	\
		fprintf(stderr, __VA_ARGS__);			\
		fputc('\n', stderr);				\
	}							\
} while (0)

/*
 * After the run: the configuration as it was before, a working GET_STATUS,
 * and @drops datagrams dropped in a fresh netns counted exactly, in that
 * netns's view and in the host's.
 */
int verify_after(uint16_t family, const struct status_info *before, unsigned int drops,
		 char *report, size_t len)
{
	struct drop_sum host = { 0 };
	struct probe_result probe;
	struct probe holder;
	struct status_info si;
	int fd, i, err, failed = 0;
	bool same = true;
	uint32_t reason = 0;
	size_t off = 0;

	fd = nl_open(true);
	if (fd < 0)
		return fd;
	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		err = nl_set_config(fd, family, i, before->hook[i].attached, before->hook[i].mode);
		CHECK(!err, "SET_CONFIG restores hook %d (attached %d, mode %u): %s", i,
		      before->hook[i].attached, before->hook[i].mode, strerror(-err));
	}
	err = nl_get_status(fd, family, &si);
	CHECK(!err, "GET_STATUS answers with version %u and %d hooks: %s", si.version, si.hooks,
	      strerror(-err));
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++)
		same &= si.hook[i].attached == before->hook[i].attached &&
			si.hook[i].mode == before->hook[i].mode;
	CHECK(!err && same, "every hook is attached and in the mode it was before the run");

	err = nl_reason_id(fd, family, "NO_SOCKET", &reason);
	CHECK(!err, "GET_REASONS names NO_SOCKET (id %u): %s", reason, strerror(-err));

	memset(&probe, 0, sizeof(probe));
	err = run_probe(family, reason, drops, &probe, &holder);
	CHECK(!err, "a fresh netns sends %u datagrams to a closed port: %s", drops, strerror(-err));
	if (!err) {
		CHECK(probe.noports == drops, "the kernel's UdpNoPorts of that netns grew by %llu",
		      (unsigned long long)probe.noports);
		CHECK(probe.view.packets == drops && probe.view.reason_packets == drops,
		      "that netns's own dump: %llu packets in %llu rows, %llu NO_SOCKET (want %u)",
		      (unsigned long long)probe.view.packets,
		      (unsigned long long)probe.view.rows,
		      (unsigned long long)probe.view.reason_packets, drops);
		CHECK(!probe.view.foreign_rows, "that netns sees no row of another netns (%llu)",
		      (unsigned long long)probe.view.foreign_rows);
		host.netns = probe.netns;
		host.reason = reason;
		err = nl_drop_sum(fd, family, &host);
		/*
		 * Exact: the netns is alive, a netns's reset is its own view,
		 * and rows of a dead netns that had its inode were retired
		 * before the kernel gave the inode again.
		 */
		CHECK(!err && host.reason_packets == drops,
		      "the host's dump, rows of netns %u: %llu packets, %llu NO_SOCKET (want %u): %s",
		      probe.netns, (unsigned long long)host.packets,
		      (unsigned long long)host.reason_packets, drops, strerror(-err));
		if (err || host.reason_packets != drops) {
			fprintf(stderr, "fuzz: every drop row the host sees:\n");
			nl_drop_print(fd, family);
			if (!nl_get_status(fd, family, &si))
				fprintf(stderr, "fuzz: drops hook: attached %d mode %u events %llu table_full %llu\n",
					si.hook[0].attached, si.hook[0].mode,
					(unsigned long long)si.hook[0].events,
					(unsigned long long)si.hook[0].table_full);
		}
		CHECK(!probe.stale_rows, "the fresh netns (inode %u) saw %llu rows before it dropped anything",
		      probe.netns, (unsigned long long)probe.stale_rows);
	}
	probe_release(&holder);
	err = unprivileged_status(family);
	CHECK(!err, "an unprivileged GET_STATUS is still refused with EPERM");
	close(fd);
	return failed ? -EPROTO : 0;
}
