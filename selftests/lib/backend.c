// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading the module under test, as insmod and rmmod do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "testlib.h"

/* $SKBSTAT_KO, else the module built for the running kernel. */
static const char *ko_path(void)
{
	static char path[256];
	struct utsname uts;

	if (getenv("SKBSTAT_KO"))
		return getenv("SKBSTAT_KO");
	uname(&uts);
	snprintf(path, sizeof(path), "build/kmod/%s/skbstat.ko", uts.release);
	return path;
}

bool kmod_loaded(void)
{
	return !access("/sys/module/skbstat", F_OK);
}

int kmod_load(void)
{
	int fd, err = 0;

	if (kmod_loaded())
		return 0;
	fd = open(ko_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0))
		err = -errno;
	close(fd);
	return err;
}

int kmod_unload(void)
{
	if (!kmod_loaded())
		return 0;
	return syscall(SYS_delete_module, "skbstat", O_NONBLOCK) ? -errno : 0;
}

/* Makes @backend ("kmod" or "bpf") count from now on. */
int backend_up(const char *backend)
{
	if (!strcmp(backend, "kmod"))
		return kmod_load();
	return -EOPNOTSUPP;
}
