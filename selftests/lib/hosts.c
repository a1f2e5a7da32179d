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

static int netns_add(char *name, size_t len, const char *role)
{
	snprintf(name, len, "skbt-%s-%d", role, getpid());
	sh("ip netns del %s", name);
	/* No IPv6: no router or neighbour solicitations to count by surprise. */
	if (sh("ip netns add %s", name) || sh("ip -n %s link set lo up", name) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1", name))
		return -EIO;
	return 0;
}

uint32_t netns_inode_of(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return stat(path, &st) ? 0 : st.st_ino;
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
