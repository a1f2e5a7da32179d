/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grouping and ordering of drop rows: "--by reason,dev" sums the rows that
 * share those key columns, then the groups are sorted for display.
 */
#ifndef SKBSTAT_GROUP_H
#define SKBSTAT_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

enum drop_key {
	DROP_KEY_REASON		= 1u << 0,
	DROP_KEY_LOCATION	= 1u << 1,
	DROP_KEY_DEV		= 1u << 2,	/* ifindex and device name */
	DROP_KEY_NETNS		= 1u << 3,
	DROP_KEY_PROTO		= 1u << 4,
};

#define DROP_KEYS_ALL	(DROP_KEY_REASON | DROP_KEY_LOCATION | DROP_KEY_DEV | \
			 DROP_KEY_NETNS | DROP_KEY_PROTO)

/* The key names accepted by --by, comma separated, for messages. */
#define DROP_KEY_NAMES	"reason,location,dev,netns,proto"

/*
 * Parse a comma separated list of key names into a DROP_KEY_* mask.
 * Returns -EINVAL and points @bad at the offending name (inside @list) when
 * a name is unknown or empty.
 */
int drop_keys_parse(char *list, unsigned int *keys, const char **bad);

/*
 * One output row.  @first is any member of the group: only the key columns
 * selected by the grouping are meaningful in it.
 */
struct drop_group {
	const struct skbstat_drop_row *first;
	uint64_t packets;
	uint64_t bytes;
	bool reset;			/* any of its rows was reset */
};

/*
 * Sum @nr rows into groups of equal @keys columns, sorted by packets
 * descending, then by the key columns.  The groups point into @rows, which
 * must outlive them.  Free *@groups with free().
 */
int drops_group(const struct skbstat_drop_row *rows, size_t nr, unsigned int keys,
		struct drop_group **groups, size_t *nr_groups);

#endif /* SKBSTAT_GROUP_H */
