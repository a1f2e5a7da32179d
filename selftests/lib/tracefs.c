// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own count of a tracepoint, to hold a backend's numbers
 * against.  A counting perf event on every CPU, as "perf stat -e
 * skb:kfree_skb -a" opens: it needs neither perf(1) nor hist triggers (this
 * machine's kernel has no CONFIG_HIST_TRIGGERS), only tracefs for the
 * event's id, and it takes a tracefs filter to count a subset of the hits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include "testlib.h"

static const char * const tracefs_dirs[] = {
	"/sys/kernel/tracing", "/sys/kernel/debug/tracing", NULL
};

/* The directory of @event ("skb/kfree_skb") under a mounted tracefs. */
static int event_dir(const char *event, char *path, size_t len)
{
	int i;

	for (i = 0; tracefs_dirs[i]; i++) {
		snprintf(path, len, "%s/events/%s", tracefs_dirs[i], event);
		if (!access(path, F_OK))
			return 0;
	}
	/* Not mounted (this machine boots without it): mount it where it belongs. */
	mkdir("/sys/kernel/tracing", 0755);
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) && errno != EBUSY)
		return -errno;
	snprintf(path, len, "/sys/kernel/tracing/events/%s", event);
	return access(path, F_OK) ? -ENOENT : 0;
}

/* Whether the format of @event has a field @field ("rx_sk"). */
bool tracefs_event_has_field(const char *event, const char *field)
{
	char path[256], line[512], want[96];
	bool found = false;
	FILE *f;

	if (event_dir(event, path, sizeof(path)))
		return false;
	strncat(path, "/format", sizeof(path) - strlen(path) - 1);
	f = fopen(path, "re");
	if (!f)
		return false;
	snprintf(want, sizeof(want), " %s;", field);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "field:") && strstr(line, want);
	fclose(f);
	return found;
}

/* The address of kernel symbol @name from /proc/kallsyms, 0 if unknown. */
uint64_t ksym_addr(const char *name)
{
	char line[512], sym[256], type;
	uint64_t addr, found = 0;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 " %c %255s", &addr, &type, sym) == 3 &&
		    !strcmp(sym, name))
			found = addr;
	}
	fclose(f);
	return found;
}

/*
 * Opens a counter of @event on every CPU, with tracefs @filter (NULL: every
 * hit).  The counts start at zero.
 */
int tp_count_open(struct tp_count *c, const char *event, const char *filter)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.sample_period = 1,
	};
	char path[256];
	uint64_t id = 0;
	long cpus, cpu;
	int err, fd;

	memset(c, 0, sizeof(*c));
	err = event_dir(event, path, sizeof(path));
	if (err)
		return err;
	if (sh_u64(&id, "cat %s/id", path))
		return -ENOENT;
	attr.config = id;
	cpus = sysconf(_SC_NPROCESSORS_CONF);
	for (cpu = 0; cpu < cpus && c->n < TP_COUNT_MAX_CPUS; cpu++) {
		fd = syscall(SYS_perf_event_open, &attr, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0 && errno == ENODEV)		/* an offline CPU */
			continue;
		if (fd < 0) {
			err = -errno;
			goto err_close;
		}
		c->fds[c->n++] = fd;
		if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter)) {
			err = -errno;
			goto err_close;
		}
	}
	return c->n ? 0 : -ENODEV;

err_close:
	tp_count_close(c);
	return err;
}

/* The hits on every CPU since the counter was opened or reset. */
int tp_count_read(const struct tp_count *c, uint64_t *value)
{
	uint64_t v;
	int i;

	*value = 0;
	for (i = 0; i < c->n; i++) {
		if (read(c->fds[i], &v, sizeof(v)) != sizeof(v))
			return -EIO;
		*value += v;
	}
	return 0;
}

void tp_count_reset(const struct tp_count *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		ioctl(c->fds[i], PERF_EVENT_IOC_RESET, 0);
}

void tp_count_close(struct tp_count *c)
{
	while (c->n)
		close(c->fds[--c->n]);
}
