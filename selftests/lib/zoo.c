// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces, packets and sockets for the drop-path zoo: a router
 * topology built once per harness run (each path costs tens of packets,
 * the topology hundreds of milliseconds of ip(8) under TCG), hand-made
 * packets for what a normal socket never sends (bad checksums, lone
 * fragments), and sockets that receive and never read.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/udp.h>
#include "testlib.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

static pid_t zoo_owner;

/* The topology belongs to the harness's main process; its tests are its children. */
__attribute__((constructor)) static void zoo_owner_init(void)
{
	zoo_owner = getpid();
}

int zoo_ns_add(char *name, size_t len, const char *role)
{
	snprintf(name, len, "zoo-%s-%d", role, zoo_owner);
	sh("ip netns del %s", name);
	/*
	 * No DAD (addresses usable at once), no router advertisements; frag
	 * queues expire in a second for the reassembly-timeout paths; ping
	 * sockets allowed for the ping path.
	 */
	if (sh("ip netns add %s", name) || sh("ip -n %s link set lo up", name) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.accept_dad=0 "
	       "net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_ra=0 "
	       "net.ipv6.conf.default.accept_ra=0 net.ipv4.ipfrag_time=1 "
	       "net.ipv6.ip6frag_time=1 net.ipv4.conf.all.rp_filter=0 "
	       "net.ipv4.conf.default.rp_filter=0 'net.ipv4.ping_group_range=0 2147483647'",
	       name))
		return -EIO;
	return 0;
}

static void zoo_names(struct zoo *z)
{
	snprintf(z->a, sizeof(z->a), "zoo-a-%d", zoo_owner);
	snprintf(z->r, sizeof(z->r), "zoo-r-%d", zoo_owner);
	snprintf(z->b, sizeof(z->b), "zoo-b-%d", zoo_owner);
}

/*
 * Written when the whole topology stands: a test that the harness killed
 * half way through building it (its timeout) must not leave the next test
 * a router without routes.
 */
static void zoo_marker(char *path, size_t len)
{
	snprintf(path, len, "/run/skbstat-zoo-%d-up", zoo_owner);
}

/* Builds the topology, or finds the one an earlier test of this run built. */
int zoo_up(struct zoo *z)
{
	char marker[64];
	int fd;

	memset(z, 0, sizeof(*z));
	zoo_names(z);
	zoo_marker(marker, sizeof(marker));
	if (!access(marker, F_OK))
		goto done;
	if (zoo_ns_add(z->a, sizeof(z->a), "a") || zoo_ns_add(z->r, sizeof(z->r), "r") ||
	    zoo_ns_add(z->b, sizeof(z->b), "b"))
		goto err_down;
	if (sh("ip link add za netns %s type veth peer name zra netns %s", z->a, z->r) ||
	    sh("ip link add zb netns %s type veth peer name zrb netns %s", z->b, z->r) ||
	    sh("ip -n %s addr add 10.88.1.1/24 dev za && "
	       "ip -n %s addr add fd88:1::1/64 dev za nodad && ip -n %s link set za up && "
	       "ip -n %s route add default via 10.88.1.254 && "
	       "ip -n %s -6 route add default via fd88:1::fe",
	       z->a, z->a, z->a, z->a, z->a) ||
	    sh("ip -n %s addr add 10.88.2.1/24 dev zb && "
	       "ip -n %s addr add fd88:2::1/64 dev zb nodad && ip -n %s link set zb up && "
	       "ip -n %s route add default via 10.88.2.254 && "
	       "ip -n %s -6 route add default via fd88:2::fe",
	       z->b, z->b, z->b, z->b, z->b) ||
	    sh("ip -n %s addr add 10.88.1.254/24 dev zra && "
	       "ip -n %s addr add fd88:1::fe/64 dev zra nodad && "
	       "ip -n %s addr add 10.88.2.254/24 dev zrb && "
	       "ip -n %s addr add fd88:2::fe/64 dev zrb nodad && "
	       "ip -n %s link set zra up && ip -n %s link set zrb up",
	       z->r, z->r, z->r, z->r, z->r, z->r) ||
	    sh("ip netns exec %s sysctl -qw net.ipv4.ip_forward=1 "
	       "net.ipv6.conf.all.forwarding=1", z->r))
		goto err_down;
	fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		goto err_down;
	close(fd);
done:
	z->a_netns = netns_inode_of(z->a);
	z->r_netns = netns_inode_of(z->r);
	z->b_netns = netns_inode_of(z->b);
	return z->a_netns && z->r_netns && z->b_netns ? 0 : -ENOENT;

err_down:
	zoo_down();
	return -EIO;
}

/* Only the harness's main process takes the topology down, at its end. */
void zoo_down(void)
{
	char path[64];
	struct zoo z;

	if (getpid() != zoo_owner)
		return;
	zoo_names(&z);
	zoo_marker(path, sizeof(path));
	unlink(path);
	sh("ip netns del %s", z.a);
	sh("ip netns del %s", z.r);
	sh("ip netns del %s", z.b);
}

int zoo_mac_of(const char *ns, const char *ifname, uint8_t mac[6])
{
	char cmd[256], *out = NULL;
	unsigned int m[6];
	int status, err, i;

	snprintf(cmd, sizeof(cmd), "ip -n %s -br link show dev %s", ns, ifname);
	err = sh_capture(cmd, &status, &out);
	if (err)
		return err;
	err = -ENODEV;
	if (!status && sscanf(out, "%*s %*s %x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
			      &m[4], &m[5]) == 6) {
		for (i = 0; i < 6; i++)
			mac[i] = m[i];
		err = 0;
	}
	free(out);
	return err;
}

static int sockaddr_of(int family, const char *addr, uint16_t port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return inet_pton(AF_INET, addr, &sin->sin_addr) == 1 ? 0 : -EINVAL;
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	*len = sizeof(*sin6);
	return inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1 ? 0 : -EINVAL;
}

/*
 * @n sends; EPERM means a netfilter rule of this host dropped the packet
 * on its way out (the output and postrouting paths): sent, for the zoo.
 */
static int send_n(int fd, const void *buf, size_t len, unsigned int n,
		  const struct sockaddr_storage *ss, socklen_t sslen)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sendto(fd, buf, len, 0, (const struct sockaddr *)ss, sslen) != (ssize_t)len &&
		    errno != EPERM)
			return -errno;
	return 0;
}

/* @n datagrams of @len bytes (more than the MTU: fragments); @ttl < 0: default. */
int zoo_udp_send(int family, const char *dst, uint16_t port, unsigned int n, size_t len,
		 int ttl)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char *buf;
	int fd, err;

	err = sockaddr_of(family, dst, port, &ss, &sslen);
	if (err)
		return err;
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ttl >= 0 && (family == AF_INET ?
			 setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) :
			 setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)))) {
		err = -errno;
		goto out;
	}
	buf = calloc(1, len ?: 1);
	err = buf ? send_n(fd, buf, len, n, &ss, sslen) : -ENOMEM;
	free(buf);
out:
	close(fd);
	return err;
}

/* One UDP GSO send: @segs segments of @seg bytes in one skb. */
int zoo_udp_gso_send(int family, const char *dst, uint16_t port, uint16_t seg,
		     unsigned int segs)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	size_t len = (size_t)seg * segs;
	int fd, err, val = seg;
	char *buf;

	err = sockaddr_of(family, dst, port, &ss, &sslen);
	if (err)
		return err;
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &val, sizeof(val))) {
		err = errno == ENOPROTOOPT ? -EOPNOTSUPP : -errno;
		close(fd);
		return err;
	}
	buf = calloc(1, len);
	err = buf ? send_n(fd, buf, len, 1, &ss, sslen) : -ENOMEM;
	free(buf);
	close(fd);
	return err;
}

/*
 * @n times @buf on a raw socket of @proto; IPPROTO_RAW means @buf is the
 * whole IP packet (IPv4: the kernel fills in total length and header
 * checksum, nothing else).
 */
int zoo_raw_send(int family, const char *dst, int proto, const void *buf, size_t len,
		 unsigned int n)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd, err;

	err = sockaddr_of(family, dst, 0, &ss, &sslen);
	if (err)
		return err;
	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	err = send_n(fd, buf, len, n, &ss, sslen);
	close(fd);
	return err;
}

/* @n Ethernet frames to @dst_mac (NULL: broadcast) out of @ifname. */
int zoo_l2_send(const char *ifname, const uint8_t *dst_mac, uint16_t ethertype,
		const void *payload, size_t len, unsigned int n)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	unsigned char frame[ETH_FRAME_LEN] = { 0 };
	struct ethhdr *eth = (struct ethhdr *)frame;
	size_t flen = ETH_HLEN + len;
	unsigned int i;
	int fd, err = 0;

	if (len > sizeof(frame) - ETH_HLEN)
		return -EINVAL;
	ll.sll_ifindex = if_nametoindex(ifname);
	if (!ll.sll_ifindex)
		return -ENODEV;
	if (flen < ETH_ZLEN)
		flen = ETH_ZLEN;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (dst_mac)
		memcpy(eth->h_dest, dst_mac, ETH_ALEN);
	else
		memset(eth->h_dest, 0xff, ETH_ALEN);
	memcpy(ll.sll_addr, eth->h_dest, ETH_ALEN);
	eth->h_proto = htons(ethertype);
	memcpy(frame + ETH_HLEN, payload, len);
	for (i = 0; i < n && !err; i++)
		if (sendto(fd, frame, flen, 0, (struct sockaddr *)&ll, sizeof(ll)) != (ssize_t)flen)
			err = -errno;
	close(fd);
	return err;
}

/* @n connection attempts at once, without waiting, kept for @hold_ms. */
int zoo_tcp_syns(int family, const char *dst, uint16_t port, unsigned int n,
		 unsigned int hold_ms)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fds[64], err;
	unsigned int i, opened = 0;

	err = sockaddr_of(family, dst, port, &ss, &sslen);
	if (err || n > 64)
		return err ?: -EINVAL;
	for (i = 0; i < n && !err; i++) {
		fds[i] = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fds[i] < 0) {
			err = -errno;
			break;
		}
		opened++;
		if (connect(fds[i], (struct sockaddr *)&ss, sslen) && errno != EINPROGRESS)
			err = -errno;
	}
	usleep(hold_ms * 1000);
	for (i = 0; i < opened; i++)
		close(fds[i]);
	return err;
}

/* The Internet checksum of @data, folded onto @sum (a pseudo-header's). */
uint16_t zoo_csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static uint32_t sum16(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	return sum;
}

struct zoo_ip4 {
	uint8_t ver_ihl, tos;
	uint16_t tot_len, id, frag;
	uint8_t ttl, proto;
	uint16_t check;
	uint32_t saddr, daddr;
} __attribute__((packed));

struct zoo_ip6 {
	uint32_t flow;
	uint16_t plen;
	uint8_t next, hops;
	uint8_t saddr[16], daddr[16];
} __attribute__((packed));

struct zoo_frag6 {
	uint8_t next, reserved;
	uint16_t off;
	uint32_t id;
} __attribute__((packed));

static size_t ip4_header(void *buf, const char *src, const char *dst, uint8_t proto,
			 size_t l4len, uint16_t frag, uint16_t id)
{
	struct zoo_ip4 *ip = buf;

	memset(ip, 0, sizeof(*ip));
	ip->ver_ihl = 0x45;
	ip->tot_len = htons(sizeof(*ip) + l4len);
	ip->id = htons(id);
	ip->frag = htons(frag);
	ip->ttl = 64;
	ip->proto = proto;
	inet_pton(AF_INET, src, &ip->saddr);
	inet_pton(AF_INET, dst, &ip->daddr);
	ip->check = zoo_csum(ip, sizeof(*ip), 0);
	return sizeof(*ip);
}

/*
 * IPv4 + UDP to @dst:@dport with @payload zero bytes; @frag is the IPv4
 * flags/offset field (0x2000: more fragments); the UDP header's length
 * and checksum are those of the whole datagram of @payload bytes.
 */
size_t zoo_ip4_udp(void *buf, const char *src, const char *dst, uint16_t dport,
		   size_t payload, uint16_t frag, uint16_t id, bool bad_csum)
{
	size_t hl = ip4_header(buf, src, dst, IPPROTO_UDP, sizeof(struct udphdr) + payload,
			       frag, id);
	struct zoo_ip4 *ip = buf;
	struct udphdr *uh = (struct udphdr *)((char *)buf + hl);
	uint32_t pseudo;

	memset(uh, 0, sizeof(*uh) + payload);
	uh->source = htons(40000);
	uh->dest = htons(dport);
	uh->len = htons(sizeof(*uh) + payload);
	pseudo = sum16(&ip->saddr, 8) + IPPROTO_UDP + sizeof(*uh) + payload;
	uh->check = zoo_csum(uh, sizeof(*uh) + payload, pseudo);
	if (bad_csum)
		uh->check ^= htons(0x5a5a);
	return hl + sizeof(*uh) + payload;
}

size_t zoo_ip4_tcp_syn(void *buf, const char *src, const char *dst, uint16_t dport,
		       bool bad_csum)
{
	size_t hl = ip4_header(buf, src, dst, IPPROTO_TCP, 20, 0, 0);
	struct zoo_ip4 *ip = buf;
	uint8_t *th = (uint8_t *)buf + hl;
	uint16_t check;

	memset(th, 0, 20);
	th[0] = 40001 >> 8;
	th[1] = 40001 & 0xff;
	th[2] = dport >> 8;
	th[3] = dport & 0xff;
	th[7] = 1;			/* seq */
	th[12] = 5 << 4;		/* data offset */
	th[13] = 0x02;			/* SYN */
	th[14] = 0xff;			/* window */
	check = zoo_csum(th, 20, sum16(&ip->saddr, 8) + IPPROTO_TCP + 20);
	if (bad_csum)
		check ^= htons(0x5a5a);
	memcpy(th + 16, &check, 2);
	return hl + 20;
}

/*
 * IPv6 + UDP, the whole packet (for an IPPROTO_RAW socket).  @frag_off >= 0
 * adds a fragment header at that offset (more fragments if @more): the
 * datagram is @payload bytes, of which this fragment carries the UDP
 * header (offset 0) and @payload bytes, or @payload bytes alone.
 */
size_t zoo_ip6_udp(void *buf, const char *src, const char *dst, uint16_t dport,
		   size_t payload, int frag_off, bool more, uint32_t id, bool bad_csum)
{
	struct zoo_ip6 *ip6 = buf;
	struct zoo_frag6 *fh = (struct zoo_frag6 *)(ip6 + 1);
	uint8_t *l4 = frag_off >= 0 ? (uint8_t *)(fh + 1) : (uint8_t *)(ip6 + 1);
	struct udphdr *uh = (struct udphdr *)l4;
	size_t l4len = payload + (frag_off <= 0 ? sizeof(*uh) : 0);
	uint32_t pseudo;

	memset(buf, 0, sizeof(*ip6) + sizeof(*fh) + l4len);
	ip6->flow = htonl(6u << 28);
	ip6->hops = 64;
	inet_pton(AF_INET6, src, ip6->saddr);
	inet_pton(AF_INET6, dst, ip6->daddr);
	ip6->next = frag_off >= 0 ? 44 : IPPROTO_UDP;
	ip6->plen = htons(l4len + (frag_off >= 0 ? sizeof(*fh) : 0));
	if (frag_off >= 0) {
		fh->next = IPPROTO_UDP;
		fh->off = htons((frag_off & ~7) | (more ? 1 : 0));
		fh->id = htonl(id);
	}
	if (frag_off <= 0) {
		uh->source = htons(40000);
		uh->dest = htons(dport);
		uh->len = htons(sizeof(*uh) + payload);
		pseudo = sum16(ip6->saddr, 32) + sizeof(*uh) + payload + IPPROTO_UDP;
		uh->check = zoo_csum(uh, sizeof(*uh) + payload, pseudo);
		if (bad_csum)
			uh->check ^= htons(0x5a5a);
	}
	return (l4 - (uint8_t *)buf) + l4len;
}

/*
 * Gives the receiver's softirq time to queue what was sent: returns once
 * the first datagram is there, which on a loaded machine (IPv6 neighbour
 * discovery on a fresh veth, the CI's other lanes) took more than 500 ms
 * once, and the socket was closed with nothing to drop.
 */
static void wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	poll(&p, 1, ms);
	usleep(50000);
}

static int queue_then_close(const char *rx_ns, int domain, int type, int proto,
			    const char *addr, uint16_t port, int rcvbuf, const char *tx_ns,
			    int (*tx)(int fd, void *arg), void *arg)
{
	struct sockaddr_storage ss;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	socklen_t sslen;
	int fd, err;

	if (netns_enter(rx_ns))
		return 125;
	fd = socket(domain, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return errno == EACCES || errno == EAFNOSUPPORT ? 124 : 1;
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		return 2;
	if (domain == AF_PACKET) {
		ll.sll_ifindex = if_nametoindex(addr);
		if (!ll.sll_ifindex || bind(fd, (struct sockaddr *)&ll, sizeof(ll)))
			return 3;
	} else if (addr) {
		if (sockaddr_of(domain, addr, port, &ss, &sslen) ||
		    bind(fd, (struct sockaddr *)&ss, sslen))
			return 3;
	}
	if (netns_enter(tx_ns))
		return 125;
	err = tx(fd, arg);
	wait_readable(fd, 2000);
	close(fd);
	return err ? 4 : 0;
}

int zoo_queue_then_close(const char *rx_ns, int domain, int type, int proto,
			 const char *addr, uint16_t port, int rcvbuf, const char *tx_ns,
			 int (*tx)(int fd, void *arg), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -errno;
	if (!pid)
		_exit(queue_then_close(rx_ns, domain, type, proto, addr, port, rcvbuf, tx_ns, tx,
				       arg));
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	if (!WIFEXITED(st))
		return -EINTR;
	if (WEXITSTATUS(st) == 124)
		return -EOPNOTSUPP;
	return WEXITSTATUS(st) ? -EIO : 0;
}
