// SPDX-License-Identifier: GPL-2.0
/*
 * The caller's netns and whether it is the initial one.  The caller's
 * netns is its cookie, as the rows' is: the kernel never gives a cookie to
 * another netns, while it hands a dead netns's inode to the next one it
 * makes, which would then see the dead one's rows.
 *
 * Whether it is the initial netns is decided by inode, which is safe there
 * alone: init_net never dies, so no other netns ever has its inode.  The
 * attach records the initial netns's inode in the layout map (the kernel's
 * own init_net, found from init_task).  Without it: init's netns is the
 * initial one when init is the initial pid namespace's; elsewhere (a
 * container, a sandbox that hides pid 1) kernels since 6.18 name the
 * initial netns's fixed inode in their BTF, and before them the caller
 * counts as a container.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <skbstat/tables.h>

#include "backend/bpf/backend_bpf_netns.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE		71	/* since 5.14; older libc headers lack it */
#endif

/*
 * The cookie of the netns this process is in: a socket belongs to the
 * netns it was made in.  Any kernel that runs the BPF backend (bpf_loop(),
 * 5.17) answers.
 */
static int netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len))
		err = -errno;
	else if (len != sizeof(*cookie))
		err = -EPROTO;
	close(fd);
	return err;
}

static int netns_inode(const char *path, uint32_t *inode)
{
	struct stat sb;

	if (stat(path, &sb))
		return -errno;
	*inode = sb.st_ino;
	return 0;
}

/* PROC_PID_INIT_INO: the inode of the initial pid namespace, fixed by the kernel. */
#define PID_NS_INIT_INO		0xEFFFFFFCU

static bool initial_pid_ns(void)
{
	uint32_t inode;

	return !netns_inode("/proc/self/ns/pid", &inode) && inode == PID_NS_INIT_INO;
}

/* NET_NS_INIT_INO from the kernel's BTF; -ENOENT before 6.18. */
static int btf_init_netns(uint32_t *inode)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_enum *e;
	const struct btf_type *t;
	int id, n, i, err = -ENOENT;

	if (!btf)
		return -errno;
	n = btf__type_cnt(btf);
	for (id = 1; err && id < n; id++) {
		t = btf__type_by_id(btf, id);
		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (i = 0; i < btf_vlen(t); i++) {
			if (!strcmp(btf__name_by_offset(btf, e[i].name_off), "NET_NS_INIT_INO")) {
				*inode = e[i].val;
				err = 0;
				break;
			}
		}
	}
	btf__free(btf);
	return err;
}

/* What the attach recorded; -ENOENT when nothing is attached or it found none. */
static int recorded_init_netns(int layout_fd, uint32_t *inode)
{
	uint32_t key = SKBSTAT_LAYOUT_INIT_NETNS;
	uint64_t value = 0;

	if (layout_fd < 0 || bpf_map_lookup_elem(layout_fd, &key, &value) || !value)
		return -ENOENT;
	*inode = value;
	return 0;
}

int bpfbe_caller_netns(int layout_fd, uint64_t *cookie, bool *initial)
{
	uint32_t inode, init_netns;
	int err;

	/* No cookie, no rows: by the inode a dead netns's rows would show. */
	err = netns_cookie(cookie);
	if (!err)
		err = netns_inode("/proc/self/ns/net", &inode);
	if (err == -ENOPROTOOPT) {
		/* 5.10: the first of the features the BPF backend needs that it lacks. */
		fprintf(stderr, "skbstat: the BPF backend needs SO_NETNS_COOKIE (Linux 5.14 and "
			"later), which this kernel lacks; the module (-b kmod) works here\n");
		return err;
	}
	if (err) {
		fprintf(stderr, "skbstat: cannot tell this process's network namespace: %s\n",
			strerror(-err));
		return err;
	}
	/*
	 * /proc/1 is the initial netns's init only in the initial pid
	 * namespace: in a container it is the container's.  Unknown is not
	 * initial: the caller sees its own rows only.
	 */
	if (!recorded_init_netns(layout_fd, &init_netns) ||
	    (initial_pid_ns() && !netns_inode("/proc/1/ns/net", &init_netns)) ||
	    !btf_init_netns(&init_netns))
		*initial = init_netns == inode;
	else
		*initial = false;
	return 0;
}
