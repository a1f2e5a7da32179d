// SPDX-License-Identifier: GPL-2.0
/*
 * Matching rows of two snapshots by their key columns.  The previous rows
 * are sorted by key once, and each current row looks its partner up by
 * bisection, so a 10,000-row table costs milliseconds per interval.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/skbstat.h>

#include "model/delta.h"

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* The key the backends count by; the device name follows from ifindex. */
static int cmp_drop_keys(const void *a, const void *b)
{
	const struct skbstat_drop_row *x = *(const struct skbstat_drop_row *const *)a;
	const struct skbstat_drop_row *y = *(const struct skbstat_drop_row *const *)b;
	int ret = cmp_u64(x->reason, y->reason);

	if (!ret)
		ret = cmp_str(x->location, y->location);
	if (!ret)
		ret = cmp_u64(x->ifindex, y->ifindex);
	if (!ret)
		ret = cmp_u64(x->netns, y->netns);
	return ret ? ret : cmp_u64(x->proto, y->proto);
}

static int cmp_flow_keys(const void *a, const void *b)
{
	const struct skbstat_flow_row *x = *(const struct skbstat_flow_row *const *)a;
	const struct skbstat_flow_row *y = *(const struct skbstat_flow_row *const *)b;
	int ret = cmp_u64(x->netns, y->netns);

	if (!ret)
		ret = cmp_u64(x->family, y->family);
	if (!ret)
		ret = memcmp(x->saddr, y->saddr, sizeof(x->saddr));
	if (!ret)
		ret = cmp_u64(x->sport, y->sport);
	if (!ret)
		ret = memcmp(x->daddr, y->daddr, sizeof(x->daddr));
	return ret ? ret : cmp_u64(x->dport, y->dport);
}

static int cmp_queue_keys(const void *a, const void *b)
{
	const struct skbstat_queue_row *x = *(const struct skbstat_queue_row *const *)a;
	const struct skbstat_queue_row *y = *(const struct skbstat_queue_row *const *)b;
	int ret = cmp_u64(x->netns, y->netns);

	if (!ret)
		ret = cmp_u64(x->ifindex, y->ifindex);
	return ret ? ret : cmp_u64(x->queue, y->queue);
}

/*
 * An index of @nr rows of @size bytes at @rows, sorted by @cmp, which
 * compares pointers to rows.  NULL when out of memory.
 */
static const void **index_rows(const void *rows, size_t nr, size_t size,
			       int (*cmp)(const void *, const void *))
{
	const void **index = calloc(nr + 1, sizeof(*index));
	size_t i;

	if (!index)
		return NULL;
	for (i = 0; i < nr; i++)
		index[i] = (const char *)rows + i * size;
	qsort(index, nr, sizeof(*index), cmp);
	return index;
}

static const void *find_row(const void **index, size_t nr, const void *row,
			    int (*cmp)(const void *, const void *))
{
	const void *const *found = bsearch(&row, index, nr, sizeof(*index), cmp);

	return found ? *found : NULL;
}

/*
 * The change of one counter; *@reset is set when it went backwards.  The
 * caller replaces every difference of a reset row by the current value.
 */
static uint64_t diff(uint64_t prev, uint64_t cur, bool *reset)
{
	if (cur < prev)
		*reset = true;
	return cur - prev;
}

/* Whether the hook @id's event total went backwards: all its rows restart. */
static bool table_was_reset(const struct skbstat_snapshot *prev,
			    const struct skbstat_snapshot *cur, uint32_t id)
{
	const struct skbstat_hook_status *p = NULL, *c = NULL;
	size_t i;

	for (i = 0; i < prev->status.nr_hooks; i++)
		if (prev->status.hooks[i].id == id)
			p = &prev->status.hooks[i];
	for (i = 0; i < cur->status.nr_hooks; i++)
		if (cur->status.hooks[i].id == id)
			c = &cur->status.hooks[i];
	return p && c && c->events < p->events;
}

static char *dup_or_null(const char *s, int *err)
{
	char *copy;

	if (!s)
		return NULL;
	copy = strdup(s);
	if (!copy)
		*err = -ENOMEM;
	return copy;
}

static int delta_drops(const struct skbstat_snapshot *prev, const struct skbstat_snapshot *cur,
		       struct skbstat_snapshot *delta)
{
	bool table_reset = table_was_reset(prev, cur, SKBSTAT_HOOK_DROPS);
	const void **index;
	size_t i;
	int err = 0;

	index = index_rows(prev->drops, prev->nr_drops, sizeof(*prev->drops), cmp_drop_keys);
	if (!index)
		return -ENOMEM;
	for (i = 0; i < cur->nr_drops && !err; i++) {
		const struct skbstat_drop_row *c = &cur->drops[i];
		const struct skbstat_drop_row *p = find_row(index, prev->nr_drops, c,
							    cmp_drop_keys);
		struct skbstat_drop_row *d = snapshot_add_drop(delta);

		if (!d) {
			err = -ENOMEM;
			break;
		}
		*d = *c;
		d->location = dup_or_null(c->location, &err);
		d->dev = dup_or_null(c->dev, &err);
		d->reset = table_reset;
		if (!p || table_reset)
			continue;
		d->packets = diff(p->packets, c->packets, &d->reset);
		d->bytes = diff(p->bytes, c->bytes, &d->reset);
		if (d->reset) {
			d->packets = c->packets;
			d->bytes = c->bytes;
		}
	}
	free(index);
	return err;
}

static int delta_flows(const struct skbstat_snapshot *prev, const struct skbstat_snapshot *cur,
		       struct skbstat_snapshot *delta)
{
	bool table_reset = table_was_reset(prev, cur, SKBSTAT_HOOK_FLOWS);
	const void **index;
	size_t i;

	index = index_rows(prev->flows, prev->nr_flows, sizeof(*prev->flows), cmp_flow_keys);
	if (!index)
		return -ENOMEM;
	for (i = 0; i < cur->nr_flows; i++) {
		const struct skbstat_flow_row *c = &cur->flows[i];
		const struct skbstat_flow_row *p = find_row(index, prev->nr_flows, c,
							    cmp_flow_keys);
		struct skbstat_flow_row *d = snapshot_add_flow(delta);

		if (!d) {
			free(index);
			return -ENOMEM;
		}
		*d = *c;
		d->reset = table_reset;
		if (!p || table_reset)
			continue;
		d->retransmits = diff(p->retransmits, c->retransmits, &d->reset);
		d->bytes = diff(p->bytes, c->bytes, &d->reset);
		d->events = diff(p->events, c->events, &d->reset);
		/* Since the mode began to see failures, all of them are new. */
		if (p->failed_known && c->failed_known)
			d->failed = diff(p->failed, c->failed, &d->reset);
		if (d->reset) {
			d->retransmits = c->retransmits;
			d->bytes = c->bytes;
			d->events = c->events;
			d->failed = c->failed;
		}
	}
	free(index);
	return 0;
}

static int delta_queues(const struct skbstat_snapshot *prev, const struct skbstat_snapshot *cur,
			struct skbstat_snapshot *delta)
{
	bool table_reset = table_was_reset(prev, cur, SKBSTAT_HOOK_QUEUES);
	const void **index;
	size_t i, b;
	int err = 0;

	index = index_rows(prev->queues, prev->nr_queues, sizeof(*prev->queues),
			   cmp_queue_keys);
	if (!index)
		return -ENOMEM;
	for (i = 0; i < cur->nr_queues && !err; i++) {
		const struct skbstat_queue_row *c = &cur->queues[i];
		const struct skbstat_queue_row *p = find_row(index, prev->nr_queues, c,
							     cmp_queue_keys);
		struct skbstat_queue_row *d = snapshot_add_queue(delta);

		if (!d) {
			err = -ENOMEM;
			break;
		}
		*d = *c;
		d->dev = dup_or_null(c->dev, &err);
		d->reset = table_reset;
		if (!p || table_reset)
			continue;
		d->packets = diff(p->packets, c->packets, &d->reset);
		d->bytes = diff(p->bytes, c->bytes, &d->reset);
		for (b = 0; b < SKBSTAT_HIST_BUCKETS; b++)
			d->hist[b] = diff(p->hist[b], c->hist[b], &d->reset);
		if (d->reset) {
			d->packets = c->packets;
			d->bytes = c->bytes;
			memcpy(d->hist, c->hist, sizeof(d->hist));
		}
	}
	free(index);
	return err;
}

static int delta_hooks(const struct skbstat_status *prev, const struct skbstat_status *cur,
		       struct skbstat_status *delta)
{
	size_t i, j;

	delta->version = cur->version;
	delta->drop_reasons = cur->drop_reasons;
	for (i = 0; i < cur->nr_hooks; i++) {
		const struct skbstat_hook_status *c = &cur->hooks[i], *p = NULL;
		struct skbstat_hook_status *d = status_add_hook(delta);

		if (!d)
			return -ENOMEM;
		*d = *c;
		d->reset = false;
		d->name = c->name ? strdup(c->name) : NULL;
		if (c->name && !d->name)
			return -ENOMEM;
		for (j = 0; j < prev->nr_hooks && !p; j++)
			if (prev->hooks[j].id == c->id)
				p = &prev->hooks[j];
		if (!p)
			continue;
		d->events = diff(p->events, c->events, &d->reset);
		d->bytes = diff(p->bytes, c->bytes, &d->reset);
		d->table_full = diff(p->table_full, c->table_full, &d->reset);
		d->missed = diff(p->missed, c->missed, &d->reset);
		if (d->reset) {
			d->events = c->events;
			d->bytes = c->bytes;
			d->table_full = c->table_full;
			d->missed = c->missed;
		}
	}
	return 0;
}

static int delta_reasons(const struct skbstat_snapshot *prev,
			 const struct skbstat_snapshot *cur, struct skbstat_snapshot *delta)
{
	const struct skbstat_snapshot *names = cur->nr_reasons ? cur : prev;
	size_t i;
	int err;

	for (i = 0; i < names->nr_reasons; i++) {
		err = snapshot_add_reason(delta, names->reasons[i].id, names->reasons[i].name);
		if (err)
			return err;
	}
	return 0;
}

int snapshot_delta(const struct skbstat_snapshot *prev, const struct skbstat_snapshot *cur,
		   struct skbstat_snapshot *delta)
{
	int err;

	err = delta_hooks(&prev->status, &cur->status, &delta->status);
	/* Memory is a level, not a count: the interval shows the current one. */
	delta->status.memory = cur->status.memory;
	if (!err)
		err = delta_drops(prev, cur, delta);
	if (!err)
		err = delta_flows(prev, cur, delta);
	if (!err)
		err = delta_queues(prev, cur, delta);
	if (!err)
		err = delta_reasons(prev, cur, delta);
	return err;
}
