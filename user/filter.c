// SPDX-License-Identifier: GPL-2.0
/*
 * Filtering rows by their key columns.  Devices match by name, so "--dev
 * eth0" finds eth0 in every netns the caller can see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "filter.h"

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
