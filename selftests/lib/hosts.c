// SPDX-License-Identifier: GPL-2.0
/*
 * Test hosts: named network namespaces joined by a veth pair.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

static int netns_name(char *name, size_t len, const char *role)
{
	if (snprintf(name, len, "skbt-%s-%d", role, getpid()) >= (int)len)
		return -ENAMETOOLONG;
	sh("ip netns del %s", name);
	return sh("ip netns add %s", name) ? -EIO : 0;
}

/* No IPv6: no router or neighbour solicitations to count by surprise. */
static int netns_quiet(const char *name)
{
	if (sh("ip -n %s link set lo up", name) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1", name))
		return -EIO;
	return 0;
}

int netns_add(char *name, size_t len, const char *role)
{
	return netns_name(name, len, role) ?: netns_quiet(name);
}

uint32_t netns_inode_of(const char *name)
{
	char path[128];
	struct stat st;

	if (snprintf(path, sizeof(path), "/run/netns/%s", name) >= (int)sizeof(path))
		return 0;
	return stat(path, &st) ? 0 : st.st_ino;
}

/* How long netns_add_reusing() waits for a dead netns's inode to be free. */
#define REUSE_TRIES		250
#define REUSE_WAIT_US		20000

/*
 * The kernel gives a new namespace the lowest free inode, and frees a dead
 * netns's in its cleanup work, a little after the last reference went.
 * Namespaces are made until one gets @inode: one with a higher inode means
 * @inode is not free yet; one with a lower inode fills a hole some other
 * namespace left.  Each is kept until the end, so that none of their
 * inodes comes free again meanwhile.
 */
int netns_add_reusing(char *name, size_t len, const char *role, uint32_t inode,
		      bool *reused)
{
	char held[REUSE_TRIES][32];
	char tag[16];
	int n, i, err = 0;
	uint32_t got;

	*reused = false;
	for (n = 0; n < REUSE_TRIES; n++) {
		snprintf(tag, sizeof(tag), "%s%d", role, n);
		err = netns_name(held[n], sizeof(held[n]), tag);
		if (err)
			break;
		got = netns_inode_of(held[n]);
		if (got == inode) {
			*reused = true;
			break;
		}
		if (got > inode)
			usleep(REUSE_WAIT_US);
	}
	if (n == REUSE_TRIES)
		n--;		/* none got it: the last one will do */
	for (i = 0; i < n; i++)
		sh("ip netns del %s", held[i]);
	if (err)
		return err;
	snprintf(name, len, "%s", held[n]);
	err = netns_quiet(name);
	if (err)
		sh("ip netns del %s", name);
	return err;
}

/*
 * Host a (10.77.0.1, device "va") and host b (10.77.0.2, device "vb"),
 * each in its own netns, joined by a veth pair.
 */
int hosts_up(struct hosts *h)
{
	memset(h, 0, sizeof(*h));
	if (netns_add(h->a, sizeof(h->a), "a") || netns_add(h->b, sizeof(h->b), "b"))
		goto err_down;
	if (sh("ip link add va netns %s type veth peer name vb netns %s", h->a, h->b) ||
	    sh("ip -n %s addr add 10.77.0.1/24 dev va", h->a) ||
	    sh("ip -n %s addr add 10.77.0.2/24 dev vb", h->b) ||
	    sh("ip -n %s link set va up", h->a) ||
	    sh("ip -n %s link set vb up", h->b))
		goto err_down;
	h->a_netns = netns_inode_of(h->a);
	h->b_netns = netns_inode_of(h->b);
	return 0;

err_down:
	hosts_down(h);
	return -EIO;
}

void hosts_down(struct hosts *h)
{
	if (h->a[0])
		sh("ip netns del %s", h->a);
	if (h->b[0])
		sh("ip netns del %s", h->b);
}

/* Runs fn(arg) in a child inside netns @name; returns its exit status. */
int run_in_netns(const char *name, int (*fn)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		_exit(netns_enter(name) ? 125 : fn(arg));
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Starts fn(arg) in a child inside netns @name and returns its pid. */
pid_t start_in_netns(const char *name, int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();

	if (pid)
		return pid < 0 ? -errno : pid;
	_exit(netns_enter(name) ? 125 : fn(arg));
}

int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
