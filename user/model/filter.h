/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Row filters: "--netns 4026531840 --dev eth0 --reason no_socket" keeps
 * the rows that match every filter given, before they are grouped.
 */
#ifndef SKBSTAT_FILTER_H
#define SKBSTAT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

struct drop_filter {
	bool by_netns;
	uint32_t netns;
	const char *dev;		/* NULL: any device */
	bool by_reason;
	uint32_t reason;
};

bool drop_filter_match(const struct drop_filter *filter, const struct skbstat_drop_row *row);

/*
 * Copy the rows that match into *@kept (free() it; the copies share the
 * strings of @rows, which must outlive them).
 */
int drops_filter(const struct skbstat_drop_row *rows, size_t nr,
		 const struct drop_filter *filter, struct skbstat_drop_row **kept,
		 size_t *nr_kept);

/*
 * Whether @name is a device worth filtering by: one the rows name (maybe in
 * another netns), or one that exists in the caller's netns but has no rows.
 */
bool device_known(const char *name, bool named_by_rows);

/* The inode of the netns 'ip netns' calls @name: -EINVAL for no name, else -errno. */
int netns_by_name(const char *name, uint32_t *inode);

/*
 * A netns is known when rows name it (it may be gone, its rows stay) or
 * when it lives: 'ip netns' names it or a process is in it.
 */
bool netns_known(uint32_t inode, bool named_by_rows);

#endif /* SKBSTAT_FILTER_H */
