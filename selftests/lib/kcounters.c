// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own counters: /proc/net/snmp and /proc/net/netstat come as
 * pairs of lines, "Group: Name1 Name2 ..." then "Group: value1 value2 ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "testlib.h"

static int find_in_pair(char *names, char *values, const char *name, uint64_t *value)
{
	char *nsave, *vsave, *n, *v;

	n = strtok_r(names, " \n", &nsave);
	v = strtok_r(values, " \n", &vsave);
	for (; n && v; n = strtok_r(NULL, " \n", &nsave), v = strtok_r(NULL, " \n", &vsave)) {
		if (!strcmp(n, name)) {
			*value = strtoull(v, NULL, 10);
			return 0;
		}
	}
	return -ENOENT;
}

static int read_counter(const char *path, const char *prefix, const char *name, uint64_t *value)
{
	char *names = NULL, *values = NULL;
	size_t nlen = 0, vlen = 0;
	int err = -ENOENT;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&names, &nlen, f) > 0 && getline(&values, &vlen, f) > 0) {
		if (strncmp(names, prefix, strlen(prefix)))
			continue;
		err = find_in_pair(names + strlen(prefix), values + strlen(prefix), name, value);
		if (!err)
			break;
	}
	free(names);
	free(values);
	fclose(f);
	return err;
}

/* @group: "Udp", "Tcp", "TcpExt", ...; looked up in snmp, then netstat. */
int kcounter_read(const char *group, const char *name, uint64_t *value)
{
	char prefix[64];
	int err;

	snprintf(prefix, sizeof(prefix), "%s: ", group);
	err = read_counter("/proc/net/snmp", prefix, name, value);
	if (err == -ENOENT)
		err = read_counter("/proc/net/netstat", prefix, name, value);
	return err;
}

/*
 * A counter once the kernel has finished what was sent: local traffic
 * (loopback, or a veth between namespaces) is received in a softirq that a
 * slow (debug) kernel leaves to ksoftirqd, after the send has returned.
 * Reads it with @read_fn until it reaches @base + @want or stays put for
 * 300 ms (5 s at most), so that a count short of @want is a real one, not
 * an early read.
 */
int counter_settled(int (*read_fn)(const void *arg, uint64_t *value), const void *arg,
		    uint64_t base, uint64_t want, uint64_t *value)
{
	const struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
	unsigned int still = 0, waited;
	uint64_t last = 0;
	int err;

	for (waited = 0; waited < 250; waited++) {
		err = read_fn(arg, value);
		if (err)
			return err;
		if (*value - base >= want)
			return 0;
		still = waited && *value == last ? still + 1 : 0;
		if (still >= 15)
			return 0;
		last = *value;
		nanosleep(&tick, NULL);
	}
	return 0;
}

struct kcounter_name {
	const char *group;
	const char *name;
};

static int kcounter_read_named(const void *arg, uint64_t *value)
{
	const struct kcounter_name *k = arg;

	return kcounter_read(k->group, k->name, value);
}

int kcounter_settled(const char *group, const char *name, uint64_t base, uint64_t want,
		     uint64_t *value)
{
	const struct kcounter_name k = { group, name };

	return counter_settled(kcounter_read_named, &k, base, want, value);
}
