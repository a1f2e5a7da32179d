// SPDX-License-Identifier: GPL-2.0
/*
 * Whether this process may change what the whole machine counts: the one
 * check every backend makes before attaching, detaching or resetting.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/backend.h"

/* The kernel's fixed inode number of the initial user namespace (PROC_USER_INIT_INO). */
#define INIT_USER_NS_INODE	0xEFFFFFFDU

int backend_check_machine_wide(const char *what)
{
	struct stat st;

	if (stat("/proc/self/ns/user", &st)) {
		fprintf(stderr, "skbstat: %s: cannot tell the user namespace "
			"(/proc/self/ns/user): %s\n", what, strerror(errno));
		return -EPERM;
	}
	if (st.st_ino == INIT_USER_NS_INODE)
		return 0;
	fprintf(stderr, "skbstat: %s changes the whole machine: only root in the initial user "
		"namespace may do it, not a container\n", what);
	return -EPERM;
}
