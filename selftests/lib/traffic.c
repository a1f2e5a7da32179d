// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "testlib.h"

static int udp_socket_to(const char *addr, uint16_t port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
		return -EINVAL;
	return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

/* Sends exactly @n datagrams of @len bytes; each send must succeed. */
int udp_send_n(const char *addr, uint16_t port, unsigned int n, size_t len)
{
	char payload[1500] = { 0 };
	struct sockaddr_in sin;
	unsigned int i;
	int fd, err = 0;

	if (len > sizeof(payload))
		return -EINVAL;
	fd = udp_socket_to(addr, port, &sin);
	if (fd < 0)
		return fd == -EINVAL ? fd : -errno;
	for (i = 0; i < n; i++) {
		if (sendto(fd, payload, len, 0, (struct sockaddr *)&sin, sizeof(sin)) != (ssize_t)len) {
			err = -errno;
			break;
		}
	}
	close(fd);
	return err;
}
