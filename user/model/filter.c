// SPDX-License-Identifier: GPL-2.0
/*
 * Filtering rows by their key columns.  Devices match by name, so "--dev
 * eth0" finds eth0 in every netns the caller can see.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "model/filter.h"

bool drop_filter_match(const struct drop_filter *filter, const struct skbstat_drop_row *row)
{
	if (filter->by_netns && row->netns != filter->netns)
		return false;
	if (filter->by_reason && row->reason != filter->reason)
		return false;
	if (filter->dev && (!row->dev || strcmp(row->dev, filter->dev)))
		return false;
	return true;
}

int drops_filter(const struct skbstat_drop_row *rows, size_t nr,
		 const struct drop_filter *filter, struct skbstat_drop_row **kept,
		 size_t *nr_kept)
{
	struct skbstat_drop_row *out;
	size_t i, n = 0;

	/* One extra element so that zero rows still gives a valid pointer. */
	out = calloc(nr + 1, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		if (drop_filter_match(filter, &rows[i]))
			out[n++] = rows[i];
	*kept = out;
	*nr_kept = n;
	return 0;
}

bool device_known(const char *name, bool named_by_rows)
{
	return named_by_rows || if_nametoindex(name) != 0;
}

#define NETNS_RUN_DIR	"/run/netns"

int netns_by_name(const char *name, uint32_t *inode)
{
	char path[PATH_MAX];
	struct statfs fs;
	struct stat st;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	if (stat(path, &st))
		return -errno;
	/* A name ip netns bound: a stale file is no namespace. */
	if (statfs(path, &fs) || fs.f_type != NSFS_MAGIC)
		return -ENOENT;
	*inode = st.st_ino;
	return 0;
}

static bool netns_in_dir(const char *dir, const char *suffix, uint32_t inode)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	bool found = false;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name, suffix);
		found = !stat(path, &st) && st.st_ino == inode;
	}
	closedir(d);
	return found;
}

/* Alive: named by ip netns, or some process is in it. */
bool netns_known(uint32_t inode, bool named_by_rows)
{
	return named_by_rows || netns_in_dir(NETNS_RUN_DIR, "", inode) ||
	       netns_in_dir("/proc", "/ns/net", inode);
}
