// SPDX-License-Identifier: GPL-2.0
/*
 * Grouping is sort-then-merge: rows with equal key columns become adjacent
 * after sorting by key, so one pass sums them without a hash table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/group.h"
#include "util.h"

static const struct {
	const char *name;
	unsigned int key;
} drop_key_names[] = {
	{ "reason",	DROP_KEY_REASON },
	{ "location",	DROP_KEY_LOCATION },
	{ "dev",	DROP_KEY_DEV },
	{ "netns",	DROP_KEY_NETNS },
	{ "proto",	DROP_KEY_PROTO },
};

static int drop_key_lookup(const char *name, unsigned int *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(drop_key_names); i++) {
		if (!strcmp(name, drop_key_names[i].name)) {
			*key = drop_key_names[i].key;
			return 0;
		}
	}
	return -EINVAL;
}

int drop_keys_parse(char *list, unsigned int *keys, const char **bad)
{
	unsigned int mask = 0, key;
	char *name, *rest = list;

	/* strsep, unlike strtok, reports empty names such as "reason,,dev". */
	while ((name = strsep(&rest, ",")) != NULL) {
		if (drop_key_lookup(name, &key)) {
			*bad = name;
			return -EINVAL;
		}
		mask |= key;
	}
	*keys = mask;
	return 0;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* Unknown (NULL) strings sort first, so "-" rows lead their block. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_dev(const struct skbstat_drop_row *a, const struct skbstat_drop_row *b)
{
	int ret = cmp_str(a->dev, b->dev);

	return ret ? ret : cmp_u32(a->ifindex, b->ifindex);
}

/* Compare only the selected key columns, in the order they are displayed. */
static int cmp_keys(const struct skbstat_drop_row *a, const struct skbstat_drop_row *b,
		    unsigned int keys)
{
	int ret = 0;

	if (!ret && (keys & DROP_KEY_REASON))
		ret = cmp_u32(a->reason, b->reason);
	if (!ret && (keys & DROP_KEY_LOCATION))
		ret = cmp_str(a->location, b->location);
	if (!ret && (keys & DROP_KEY_DEV))
		ret = cmp_dev(a, b);
	if (!ret && (keys & DROP_KEY_NETNS))
		ret = cmp_u32(a->netns, b->netns);
	if (!ret && (keys & DROP_KEY_PROTO))
		ret = cmp_u32(a->proto, b->proto);
	return ret;
}

static int cmp_rows_by_key(const void *a, const void *b, void *keys)
{
	const struct skbstat_drop_row *const *ra = a, *const *rb = b;

	return cmp_keys(*ra, *rb, *(unsigned int *)keys);
}

static int cmp_groups_for_display(const void *a, const void *b, void *keys)
{
	const struct drop_group *ga = a, *gb = b;

	if (ga->packets != gb->packets)
		return ga->packets > gb->packets ? -1 : 1;
	return cmp_keys(ga->first, gb->first, *(unsigned int *)keys);
}

/* Sum runs of equal keys in @sorted into @groups; returns the group count. */
static size_t merge_runs(const struct skbstat_drop_row **sorted, size_t nr,
			 unsigned int keys, struct drop_group *groups)
{
	size_t i, n = 0;

	for (i = 0; i < nr; i++) {
		if (!n || cmp_keys(groups[n - 1].first, sorted[i], keys)) {
			groups[n].first = sorted[i];
			groups[n].packets = 0;
			groups[n].bytes = 0;
			groups[n].reset = false;
			n++;
		}
		groups[n - 1].packets += sorted[i]->packets;
		groups[n - 1].bytes += sorted[i]->bytes;
		groups[n - 1].reset |= sorted[i]->reset;
	}
	return n;
}

int drops_group(const struct skbstat_drop_row *rows, size_t nr, unsigned int keys,
		struct drop_group **groups, size_t *nr_groups)
{
	const struct skbstat_drop_row **sorted;
	struct drop_group *out;
	size_t i, n;

	/* One extra element so that zero rows still gives a valid pointer. */
	sorted = calloc(nr + 1, sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	out = calloc(nr + 1, sizeof(*out));
	if (!out)
		goto err_free_sorted;

	for (i = 0; i < nr; i++)
		sorted[i] = &rows[i];
	qsort_r(sorted, nr, sizeof(*sorted), cmp_rows_by_key, &keys);
	n = merge_runs(sorted, nr, keys, out);
	qsort_r(out, n, sizeof(*out), cmp_groups_for_display, &keys);

	free(sorted);
	*groups = out;
	*nr_groups = n;
	return 0;

err_free_sorted:
	free(sorted);
	return -ENOMEM;
}
