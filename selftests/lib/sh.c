// SPDX-License-Identifier: GPL-2.0
/*
 * Shell commands for setup that people do with ip(8) and nft(8) anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "testlib.h"

static char *vformat(const char *fmt, va_list ap)
{
	char *cmd;

	return vasprintf(&cmd, fmt, ap) < 0 ? NULL : cmd;
}

/* Runs a shell command quietly unless $V is set; returns its exit status. */
static int vsh(const char *redirect, const char *fmt, va_list ap)
{
	char *cmd, *full;
	int st;

	cmd = vformat(fmt, ap);
	if (!cmd)
		return -ENOMEM;
	if (asprintf(&full, "{ %s\n}%s", cmd, redirect) < 0) {
		free(cmd);
		return -ENOMEM;
	}
	if (getenv("V"))
		fprintf(stderr, "+ %s\n", cmd);
	st = system(full);
	free(full);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int sh(const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vsh(getenv("V") ? "" : " >/dev/null 2>&1", fmt, ap);
	va_end(ap);
	return err;
}

/* What a failed check wants shown: the whole command's output, to stderr. */
int sh_log(const char *fmt, ...)
{
	va_list ap;
	int err;

	fflush(stdout);
	va_start(ap, fmt);
	err = vsh(" >&2", fmt, ap);
	va_end(ap);
	return err;
}

/* Runs a shell command and returns the first line of its output as a number. */
int sh_u64(uint64_t *value, const char *fmt, ...)
{
	char line[128], *cmd;
	va_list ap;
	FILE *p;
	int err = 0;

	va_start(ap, fmt);
	cmd = vformat(fmt, ap);
	va_end(ap);
	if (!cmd)
		return -ENOMEM;
	p = popen(cmd, "re");
	free(cmd);
	if (!p)
		return -errno;
	if (!fgets(line, sizeof(line), p))
		err = -ENODATA;
	else
		*value = strtoull(line, NULL, 0);
	if (pclose(p))
		err = err ?: -EIO;
	return err;
}
