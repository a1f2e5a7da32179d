// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
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

/* @addr (IPv4 or IPv6) and @port as a socket address; its length, 0 if @addr is neither. */
static socklen_t inet_sockaddr(struct sockaddr_storage *ss, const char *addr, uint16_t port)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	return 0;
}

/*
 * Accepts one connection on @port of @family (IPv6: that alone, no IPv4
 * mapped into it) and reads it to the end.
 */
int tcp_sink_family(int family, uint16_t port)
{
	struct sockaddr_storage ss;
	int lfd, fd, one = 1, err = 0;
	char buf[65536];
	socklen_t len;
	ssize_t n;

	len = inet_sockaddr(&ss, family == AF_INET6 ? "::" : "0.0.0.0", port);
	lfd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) || listen(lfd, 1))
		goto err_close_listener;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		goto err_close_listener;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		err = -errno;
	close(fd);
	close(lfd);
	return err;

err_close_listener:
	err = -errno;
	close(lfd);
	return err;
}

int tcp_sink(uint16_t port)
{
	return tcp_sink_family(AF_INET, port);
}

int tcp_connect(const char *addr, uint16_t port, uint16_t *sport)
{
	struct sockaddr_storage ss;
	socklen_t len, slen = sizeof(ss);
	int fd, tries, err;

	len = inet_sockaddr(&ss, addr, port);
	if (!len)
		return -EINVAL;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* The listener may not be up yet. */
	for (tries = 0; connect(fd, (struct sockaddr *)&ss, len); tries++) {
		if (errno != ECONNREFUSED || tries == 100)
			goto err_close;
		usleep(20000);
	}
	if (sport && getsockname(fd, (struct sockaddr *)&ss, &slen))
		goto err_close;
	/* The port is at the same offset in both families' addresses. */
	if (sport)
		*sport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;

err_close:
	err = -errno;
	close(fd);
	return err;
}

#define FAILING_BYTES	8192	/* a few segments, all within the initial window */

static int block_port(uint16_t port, const char *hook, const char *match)
{
	return sh("nft add chain inet skbtf %s '{ type filter hook %s priority 0; }'", hook,
		  hook) ?:
	       sh("nft add rule inet skbtf %s tcp %s %u drop", hook, match, port);
}

/*
 * Once connected, the sender's ACKs in are lost, so that what it sends
 * stays unacknowledged; then its output is dropped, so that each
 * retransmission fails.  nf_hook_slow() turns the drop into -EPERM from
 * ip_local_out(), which __tcp_retransmit_skb() adds to TcpRetransSegs and
 * TCPRetransFail (a tail loss probe or an RTO: one segment each).  The
 * connection is aborted before the counters are read, so that no
 * retransmission falls between that read and the caller's.
 */
int tcp_failing_retransmits(const char *addr, uint16_t port, unsigned int fails,
			    struct retransmit_fails *r)
{
	struct linger abort_now = { .l_onoff = 1, .l_linger = 0 };
	uint64_t segs0 = 0, fail0 = 0, segs1 = 0, fail1 = 0;
	static const char buf[FAILING_BYTES];
	int fd, tries, err;

	memset(r, 0, sizeof(*r));
	/* Before connecting: a SYN lost on the way is retransmitted too. */
	err = kcounter_read("Tcp", "RetransSegs", &segs0) ?:
	      kcounter_read("TcpExt", "TCPRetransFail", &fail0);
	if (err)
		return err;
	fd = tcp_connect(addr, port, &r->sport);
	if (fd < 0)
		return fd;
	err = sh("nft add table inet skbtf") ?: block_port(port, "input", "sport");
	if (!err && send(fd, buf, sizeof(buf), MSG_DONTWAIT) != sizeof(buf))
		err = -EIO;
	err = err ?: block_port(port, "output", "dport");
	/*
	 * RTOs from 200 ms on, doubling: a third failure within some 2 s, but
	 * on a slow VM the output rule may land after the first retransmits
	 * went out, when the RTO has grown to seconds: wait up to a minute.
	 */
	for (tries = 0; !err && tries < 600 && fail1 - fail0 < fails; tries++) {
		usleep(100000);
		err = kcounter_read("TcpExt", "TCPRetransFail", &fail1);
	}
	if (!err && fail1 - fail0 < fails)
		err = -ETIMEDOUT;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof(abort_now));
	close(fd);
	err = err ?: kcounter_read("Tcp", "RetransSegs", &segs1) ?:
	      kcounter_read("TcpExt", "TCPRetransFail", &fail1);
	r->retrans_segs = segs1 - segs0;
	r->retrans_fail = fail1 - fail0;
	return err;
}

/*
 * Sends @bytes to @addr:@port and returns once the peer has read them all
 * and closed: every retransmission of the transfer has happened by then.
 */
int tcp_send(const char *addr, uint16_t port, size_t bytes, uint16_t *sport)
{
	char buf[65536] = { 0 };
	int fd, err;
	ssize_t n;

	fd = tcp_connect(addr, port, sport);
	if (fd < 0)
		return fd;
	for (; bytes; bytes -= n) {
		n = write(fd, buf, bytes < sizeof(buf) ? bytes : sizeof(buf));
		if (n < 0)
			goto err_close;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return 0;

err_close:
	err = -errno;
	close(fd);
	return err;
}

/*
 * Sends one broadcast frame for each of the @n EtherTypes from @first on,
 * out of @ifname: the receiver has no handler for them and drops each.
 */
int eth_send_types(const char *ifname, uint16_t first, unsigned int n)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	unsigned char frame[ETH_ZLEN] = { 0 };
	struct ethhdr *eth = (struct ethhdr *)frame;
	unsigned int i;
	int fd, err = 0;

	ll.sll_ifindex = if_nametoindex(ifname);
	if (!ll.sll_ifindex)
		return -ENODEV;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(eth->h_dest, 0xff, ETH_ALEN);
	memset(ll.sll_addr, 0xff, ETH_ALEN);
	for (i = 0; i < n; i++) {
		eth->h_proto = htons(first + i);
		if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&ll,
			   sizeof(ll)) != sizeof(frame)) {
			err = -errno;
			break;
		}
	}
	close(fd);
	return err;
}

/*
 * Opens @n connections to @addr:@port at once, without waiting for them,
 * keeps them for @ms and closes them: against a host that drops the SYNs,
 * each is a distinct flow that retransmits its SYN.
 */
int tcp_connect_many(const char *addr, uint16_t port, unsigned int n, unsigned int ms)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fds[256], err = 0;
	unsigned int i, opened = 0;

	if (n > 256 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fds[i] < 0) {
			err = -errno;
			break;
		}
		opened++;
		if (connect(fds[i], (struct sockaddr *)&sin, sizeof(sin)) && errno != EINPROGRESS) {
			err = -errno;
			break;
		}
	}
	if (!err)
		usleep(ms * 1000);
	for (i = 0; i < opened; i++)
		close(fds[i]);
	return err;
}
