// SPDX-License-Identifier: GPL-2.0
/*
 * Reads /dev/kmsg from a mark on, looking for the lines that mean the kernel
 * found a bug: the same patterns the lab VM runner checks after each run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "testlib.h"

static const char bad_pattern[] =
	"WARNING:|BUG:|Oops|lockdep|possible recursive locking|general protection|"
	"refcount_t:|list_add corruption|list_del corruption|rcu: INFO|kernel BUG";

/* Returns an fd positioned at the end of the log, for klog_bad_lines(). */
int klog_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Copies the bad lines logged since @mark into @buf; returns their count. */
int klog_bad_lines(int mark, char *buf, size_t len)
{
	char rec[8192];
	size_t used = 0;
	regex_t re;
	ssize_t n;
	int bad = 0;

	if (regcomp(&re, bad_pattern, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	buf[0] = '\0';
	for (;;) {
		n = read(mark, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records: go on */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (regexec(&re, rec, 0, NULL, 0))
			continue;
		bad++;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s", rec);
		if (used >= len)
			used = len;
	}
	regfree(&re);
	close(mark);
	return bad;
}
