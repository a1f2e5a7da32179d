// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat-flood: the traffic of lifecycle stress (run.sh), which starts in
 * a millisecond where an interpreter takes seconds under the debug kernel.
 *
 *   skbstat-flood udp ADDR PORT RATE      datagrams/s to a closed port, forever
 *   skbstat-flood udpn ADDR PORT N        N datagrams, then exit
 *   skbstat-flood sink PORT               a TCP server that reads and discards
 *   skbstat-flood tcp ADDR PORT SIZE RATE transfers of SIZE bytes at RATE bytes/s
 *
 * Everything is paced in 10 ms steps, to leave the vCPU to what is stressed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define STEP_US		10000

static int parse_addr(const char *addr, const char *port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(atoi(port));
	return inet_pton(AF_INET, addr, &sin->sin_addr) == 1 ? 0 : -EINVAL;
}

/* A closed port: every datagram is a NO_SOCKET drop at the receiver. */
static int udp(const struct sockaddr_in *sin, unsigned long count, unsigned long rate)
{
	unsigned long burst = rate / 100 ? rate / 100 : 1, i, sent = 0;
	char payload[200] = { 'x' };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 1;
	while (!count || sent < count) {
		for (i = 0; i < burst && (!count || sent < count); i++, sent++)
			sendto(fd, payload, count ? 100 : sizeof(payload), 0,
			       (const struct sockaddr *)sin, sizeof(*sin));
		if (!count)
			usleep(STEP_US);
	}
	close(fd);
	return 0;
}

static int sink(const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	struct timeval idle = { .tv_sec = 30 };
	char buf[65536];
	int l, c, one = 1;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&sin, sizeof(sin)) || listen(l, 16))
		return 1;
	for (;;) {
		c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
		while (read(c, buf, sizeof(buf)) > 0)
			;
		close(c);
	}
}

/* Transfers one after another; the receiver's nftables rule makes retransmits. */
static int tcp(const struct sockaddr_in *sin, unsigned long size, unsigned long rate)
{
	size_t chunk = rate / 100 > 1024 ? rate / 100 : 1024;
	struct timeval limit = { .tv_sec = 10 };
	unsigned long steps = size / chunk ? size / chunk : 1, i;
	char *buf = calloc(1, chunk);
	int fd;

	if (!buf)
		return 1;
	for (;;) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return 1;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
		if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin))) {
			close(fd);
			usleep(20 * STEP_US);
			continue;
		}
		for (i = 0; i < steps; i++) {
			if (send(fd, buf, chunk, MSG_NOSIGNAL) < 0)
				break;
			usleep(STEP_US);
		}
		close(fd);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: skbstat-flood udp ADDR PORT RATE | udpn ADDR PORT N | "
		"sink PORT | tcp ADDR PORT SIZE RATE\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin;

	if (argc == 3 && !strcmp(argv[1], "sink"))
		return sink(argv[2]);
	if (argc < 5 || parse_addr(argv[2], argv[3], &sin))
		return usage();
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return udp(&sin, 0, strtoul(argv[4], NULL, 10));
	if (argc == 5 && !strcmp(argv[1], "udpn"))
		return udp(&sin, strtoul(argv[4], NULL, 10), 0);
	if (argc == 6 && !strcmp(argv[1], "tcp"))
		return tcp(&sin, strtoul(argv[4], NULL, 10), strtoul(argv[5], NULL, 10));
	return usage();
}
