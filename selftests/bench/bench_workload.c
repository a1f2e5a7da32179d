// SPDX-License-Identifier: GPL-2.0
/*
 * The workloads of skbstat-bench, each as close to the hook alone as the
 * kernel allows:
 *  - trigger: the lab-only module skbstat_bench_trigger makes the events
 *    in the kernel and times its own loop (the lab VM, whose clock counts
 *    instructions under QEMU's -icount); for tcp:tcp_retransmit_skb it runs
 *    the tracepoint's probes itself, so no kprobe sees those events;
 *  - udp: datagrams to 127.0.0.1 from a socket in a network namespace
 *    whose nftables output chain drops them, so each send is one
 *    skb:kfree_skb and nothing is transmitted (a machine without modules;
 *    real time, the fastest batch of each run).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "bench.h"

/* The discard port: nothing listens, and the netns's nftables drops it anyway. */
#define UDP_PORT	9
#define UDP_PAYLOAD	16
#define UDP_BATCH	100

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A socket created in @netns, which it keeps whatever netns this process is in. */
static int socket_in_netns(const char *netns)
{
	char path[256];
	int self, ns, sock, err;

	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0) {
		err = -errno;
		fprintf(stderr, "skbstat-bench: no network namespace %s: %s\n",
			netns, strerror(-err));
		return err;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(ns, CLONE_NEWNET)) {
		err = -errno;
		fprintf(stderr, "skbstat-bench: cannot enter netns %s: %s\n",
			netns, strerror(-err));
		goto out_close;
	}
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	err = sock < 0 ? -errno : sock;
	if (setns(self, CLONE_NEWNET)) {
		fprintf(stderr, "skbstat-bench: cannot return from netns %s: %s\n", netns,
			strerror(errno));
		if (sock >= 0)
			close(sock);
		err = -EIO;
	}
out_close:
	if (self >= 0)
		close(self);
	close(ns);
	return err;
}

/* The first send must be dropped on output, or this is not the workload. */
static int udp_open(struct bench_workload *w, const char *netns)
{
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_port = htons(UDP_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	char payload[UDP_PAYLOAD] = { 0 };
	int err;

	if (!netns) {
		fprintf(stderr, "skbstat-bench: the udp workload needs a netns that drops its "
			"output\n");
		return -EINVAL;
	}
	w->sock = socket_in_netns(netns);
	if (w->sock < 0)
		return w->sock;
	/* Connected: the route is looked up once, not per datagram. */
	if (connect(w->sock, (struct sockaddr *)&dst, sizeof(dst))) {
		err = -errno;
		goto err_close;
	}
	if (send(w->sock, payload, sizeof(payload), 0) >= 0 || errno != EPERM) {
		fprintf(stderr, "skbstat-bench: UDP to port %d in netns %s is not dropped on "
			"output (no nftables rule?)\n", UDP_PORT, netns);
		err = -EINVAL;
		goto err_close;
	}
	return 0;

err_close:
	close(w->sock);
	w->sock = -1;
	return err;
}

int bench_workload_open(struct bench_workload *w, enum bench_workload_kind kind,
			const char *dir, const char *netns)
{
	char path[512];

	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->sock = -1;
	if (kind == BENCH_WORKLOAD_UDP)
		return udp_open(w, netns);
	w->dir = dir;
	snprintf(path, sizeof(path), "%s/drops", dir);
	if (access(path, W_OK)) {
		int err = -errno;

		fprintf(stderr, "skbstat-bench: no trigger at %s: %s (load "
			"skbstat_bench_trigger.ko, mount debugfs)\n", path, strerror(-err));
		return err;
	}
	return 0;
}

void bench_workload_close(struct bench_workload *w)
{
	if (w->sock >= 0)
		close(w->sock);
	w->sock = -1;
}

bool bench_workload_can(const struct bench_workload *w, enum bench_hook hook, uint32_t keys)
{
	if (w->kind == BENCH_WORKLOAD_TRIGGER)
		return hook != BENCH_QUEUES || keys == 1;
	return hook == BENCH_DROPS && keys == 1;
}

static int trigger_run(struct bench_workload *w, enum bench_hook hook, uint64_t events,
		       uint32_t keys, uint64_t *ns)
{
	char path[512], buf[64];
	unsigned long long done, took;
	int fd, len, err = 0;
	ssize_t n;

	static const char *const files[BENCH_HOOK_COUNT] = {
		[BENCH_DROPS] = "drops",
		[BENCH_QUEUES] = "queues",
		[BENCH_FLOWS] = "flows",
	};

	snprintf(path, sizeof(path), "%s/%s", w->dir, files[hook]);
	if (hook != BENCH_QUEUES)
		len = snprintf(buf, sizeof(buf), "%" PRIu64 " %u", events, keys);
	else
		len = snprintf(buf, sizeof(buf), "%" PRIu64, events);

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != len)
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err) {
		fprintf(stderr, "skbstat-bench: the trigger %s failed: %s\n", path, strerror(-err));
		return err;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &done, &took) != 2 || done != events) {
		fprintf(stderr, "skbstat-bench: the trigger %s says '%s'\n", path, buf);
		return -EIO;
	}
	*ns = took;
	return 0;
}

/*
 * Real time on a machine that does other work too: a run is timed in
 * batches, and its time per event is that of its fastest batch, the one
 * that nothing preempted or interrupted (cache and frequency effects stay).
 */
static int udp_run(struct bench_workload *w, uint64_t events, uint64_t *ns)
{
	char payload[UDP_PAYLOAD] = { 0 };
	double best = 0, per_event;
	uint64_t done, i, n, start;

	for (done = 0; done < events; done += n) {
		n = events - done < UDP_BATCH ? events - done : UDP_BATCH;
		start = bench_now_ns();
		for (i = 0; i < n; i++) {
			if (send(w->sock, payload, sizeof(payload), 0) < 0 && errno != EPERM)
				return -errno;
		}
		per_event = (double)(bench_now_ns() - start) / n;
		if (!done || per_event < best)
			best = per_event;
	}
	*ns = best * events;
	return 0;
}

int bench_workload_run(struct bench_workload *w, enum bench_hook hook, uint64_t events,
		       uint32_t keys, uint64_t *ns)
{
	if (!bench_workload_can(w, hook, keys))
		return -EOPNOTSUPP;
	if (w->kind == BENCH_WORKLOAD_TRIGGER)
		return trigger_run(w, hook, events, keys, ns);
	return udp_run(w, events, ns);
}
