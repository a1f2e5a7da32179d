// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

int netns_inode(uint32_t *inode)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	*inode = st.st_ino;
	return 0;
}

int link_up(const char *ifname)
{
	struct ifreq ifr = {};
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		goto err_close;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		goto err_close;
	close(fd);
	return 0;

err_close:
	err = -errno;
	close(fd);
	return err;
}

/* Moves the calling process into the named netns (/run/netns/@name, as ip-netns(8) keeps them). */
int netns_enter(const char *name)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET))
		err = -errno;
	close(fd);
	return err;
}

int netns_new(void)
{
	if (unshare(CLONE_NEWNET))
		return -errno;
	return link_up("lo");
}

static int ns_child_main(int go_fd, int result_fd, int (*fn)(void *arg, int out_fd), void *arg)
{
	uint32_t inode;
	char go;
	int status;

	if (netns_new() || netns_inode(&inode))
		return 125;
	if (write(result_fd, &inode, sizeof(inode)) != sizeof(inode))
		return 125;
	if (read(go_fd, &go, 1) != 1)
		return 125;
	status = fn(arg, result_fd);
	/* Keep the netns alive until the parent is done looking at it. */
	while (read(go_fd, &go, 1) > 0)
		;
	return status;
}

int ns_child_start(struct ns_child *c, int (*fn)(void *arg, int out_fd), void *arg)
{
	int go[2], result[2];

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(result, O_CLOEXEC))
		goto err_close_go;
	c->pid = fork();
	if (c->pid < 0)
		goto err_close_result;
	if (!c->pid) {
		close(go[1]);
		close(result[0]);
		_exit(ns_child_main(go[0], result[1], fn, arg));
	}
	close(go[0]);
	close(result[1]);
	c->go_fd = go[1];
	c->result_fd = result[0];
	if (read(c->result_fd, &c->netns, sizeof(c->netns)) != sizeof(c->netns)) {
		ns_child_finish(c);
		return -ECHILD;
	}
	return 0;

err_close_result:
	close(result[0]);
	close(result[1]);
err_close_go:
	close(go[0]);
	close(go[1]);
	return -errno;
}

/* Lets the child run and reads @len bytes of its results; its netns stays. */
int ns_child_go(struct ns_child *c, void *result, size_t len)
{
	if (write(c->go_fd, "g", 1) != 1)
		return -EPIPE;
	if (len && read(c->result_fd, result, len) != (ssize_t)len) {
		memset(result, 0, len);
		return -EIO;
	}
	return 0;
}

/* Lets the child exit, taking its netns along; returns its exit status. */
int ns_child_finish(struct ns_child *c)
{
	int status;

	close(c->go_fd);
	close(c->result_fd);
	if (waitpid(c->pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Lets the child run without waiting for it. */
int ns_child_release(struct ns_child *c)
{
	return write(c->go_fd, "g", 1) == 1 ? 0 : -EPIPE;
}

/* Kills a child that may still be running, and reaps it. */
void ns_child_stop(struct ns_child *c)
{
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	close(c->go_fd);
	close(c->result_fd);
}
