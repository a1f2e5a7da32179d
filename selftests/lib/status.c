// SPDX-License-Identifier: GPL-2.0
/*
 * Per-hook totals and table sums, read through the CLI.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testlib.h"

/* @hook's totals in the status document @doc, -ENOENT if it has none. */
static int totals_of(json_object *doc, const char *hook, struct hook_totals *t)
{
	json_object *hooks = json_rows(doc, "hooks"), *h, *attached;
	int err = -ENOENT;
	size_t i;

	if (!hooks)
		return -EBADMSG;
	for (i = 0; i < json_object_array_length(hooks); i++) {
		h = json_object_array_get_idx(hooks, i);
		if (strcmp(row_str(h, "name") ?: "", hook))
			continue;
		t->events = row_u64(h, "events");
		t->bytes = row_u64(h, "bytes");
		t->table_full = row_u64(h, "table_full");
		t->rows = row_u64(h, "rows");
		t->limit = row_u64(h, "limit");
		t->longest_probe = row_u64(h, "longest_probe");
		t->attached = json_object_object_get_ex(h, "attached", &attached) &&
			      json_object_get_boolean(attached);
		snprintf(t->mode, sizeof(t->mode), "%s", row_str(h, "mode") ?: "");
		t->has_gaps = (row_str(h, "gaps") ?: "")[0] != '\0';
		err = 0;
	}
	return err;
}

int hook_totals(const struct backend_variant *v, const char *hook, struct hook_totals *t)
{
	json_object *doc, *hooks;
	int err;

	err = skbstat_rows(&doc, &hooks, backend_args(v), "status", "hooks");
	if (err)
		return err;
	err = totals_of(doc, hook, t);
	json_object_put(doc);
	return err;
}

/* "skbstat -j @what" run by a caller in the named netns @netns, parsed. */
static int json_in(const char *netns, const struct backend_variant *v, const char *what,
		   json_object **doc)
{
	char cmd[256];
	int err, status;
	char *out;

	snprintf(cmd, sizeof(cmd), "nsenter --net=/run/netns/%s %s %s -j %s", netns,
		 skbstat_path(), backend_args(v), what);
	err = sh_capture(cmd, &status, &out);
	if (err)
		return err;
	*doc = status ? NULL : json_tokener_parse(out);
	free(out);
	return *doc ? 0 : -EIO;
}

int hook_totals_in(const char *netns, const struct backend_variant *v, const char *hook,
		   struct hook_totals *t)
{
	json_object *doc;
	int err;

	err = json_in(netns, v, "status", &doc);
	if (err)
		return err;
	err = totals_of(doc, hook, t);
	json_object_put(doc);
	return err;
}

int table_sum_in(const char *netns, const struct backend_variant *v, const char *table,
		 const char *counter, uint64_t *sum, uint64_t *rows)
{
	json_object *doc, *r;
	size_t i;
	int err;

	err = json_in(netns, v, table, &doc);
	if (err)
		return err;
	r = json_rows(doc, table);
	*sum = 0;
	*rows = r ? json_object_array_length(r) : 0;
	for (i = 0; i < *rows; i++)
		*sum += row_u64(json_object_array_get_idx(r, i), counter);
	json_object_put(doc);
	return r ? 0 : -EBADMSG;
}

/* Sum of @counter over every row of @table, and the number of rows. */
int table_sum(const struct backend_variant *v, const char *table, const char *counter,
	      uint64_t *sum, uint64_t *rows)
{
	json_object *doc, *r;
	size_t i;
	int err;

	err = skbstat_rows(&doc, &r, backend_args(v), table, table);
	if (err)
		return err;
	*sum = 0;
	*rows = json_object_array_length(r);
	for (i = 0; i < *rows; i++)
		*sum += row_u64(json_object_array_get_idx(r, i), counter);
	json_object_put(doc);
	return 0;
}

/*
 * Reads totals, rows, totals again, until nothing happened in between, so
 * that "rows + table_full = events" can be checked exactly on a live system.
 */
int totals_settled(const struct backend_variant *v, const char *hook, const char *table,
		   const char *counter, struct hook_totals *t, uint64_t *sum, uint64_t *rows)
{
	struct hook_totals again;
	int tries, err;

	for (tries = 0; tries < 20; tries++) {
		err = hook_totals(v, hook, t) ?: table_sum(v, table, counter, sum, rows) ?:
		      hook_totals(v, hook, &again);
		if (err)
			return err;
		if (again.events == t->events)
			return 0;
	}
	return -EAGAIN;
}
