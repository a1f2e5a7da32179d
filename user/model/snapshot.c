// SPDX-License-Identifier: GPL-2.0
/*
 * Storage for the neutral snapshot.  Rows are kept in growable arrays so a
 * table of any size the kernel allows fits without a compiled-in limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"

void snapshot_init(struct skbstat_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
}

/* Make room for one more element; doubling keeps appends amortised O(1). */
static int reserve_one(void **array, size_t *cap, size_t nr, size_t elem_size)
{
	size_t new_cap;
	void *grown;

	if (nr < *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 16;
	grown = reallocarray(*array, new_cap, elem_size);
	if (!grown)
		return -ENOMEM;
	*array = grown;
	*cap = new_cap;
	return 0;
}

struct skbstat_hook_status *status_add_hook(struct skbstat_status *status)
{
	struct skbstat_hook_status *hook;

	if (reserve_one((void **)&status->hooks, &status->cap_hooks, status->nr_hooks,
			sizeof(*hook)))
		return NULL;
	hook = &status->hooks[status->nr_hooks++];
	memset(hook, 0, sizeof(*hook));
	return hook;
}

struct skbstat_drop_row *snapshot_add_drop(struct skbstat_snapshot *snap)
{
	struct skbstat_drop_row *row;

	if (reserve_one((void **)&snap->drops, &snap->cap_drops, snap->nr_drops, sizeof(*row)))
		return NULL;
	row = &snap->drops[snap->nr_drops++];
	memset(row, 0, sizeof(*row));
	return row;
}

struct skbstat_flow_row *snapshot_add_flow(struct skbstat_snapshot *snap)
{
	struct skbstat_flow_row *row;

	if (reserve_one((void **)&snap->flows, &snap->cap_flows, snap->nr_flows, sizeof(*row)))
		return NULL;
	row = &snap->flows[snap->nr_flows++];
	memset(row, 0, sizeof(*row));
	return row;
}

struct skbstat_queue_row *snapshot_add_queue(struct skbstat_snapshot *snap)
{
	struct skbstat_queue_row *row;

	if (reserve_one((void **)&snap->queues, &snap->cap_queues, snap->nr_queues,
			sizeof(*row)))
		return NULL;
	row = &snap->queues[snap->nr_queues++];
	memset(row, 0, sizeof(*row));
	return row;
}

void snapshot_clear_drops(struct skbstat_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->nr_drops; i++) {
		free(snap->drops[i].location);
		free(snap->drops[i].dev);
	}
	snap->nr_drops = 0;
}

void snapshot_clear_flows(struct skbstat_snapshot *snap)
{
	snap->nr_flows = 0;
}

void snapshot_clear_queues(struct skbstat_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->nr_queues; i++)
		free(snap->queues[i].dev);
	snap->nr_queues = 0;
}

void status_clear(struct skbstat_status *status)
{
	size_t i;

	for (i = 0; i < status->nr_hooks; i++)
		free(status->hooks[i].name);
	status->nr_hooks = 0;
	status->version = 0;
	status->drop_reasons = SKBSTAT_DROP_REASONS_UNKNOWN;
	memset(&status->memory, 0, sizeof(status->memory));
}

/* Index of the first reason whose id is >= @id. */
static size_t reason_lower_bound(const struct skbstat_snapshot *snap, uint32_t id)
{
	size_t lo = 0, hi = snap->nr_reasons;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (snap->reasons[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int snapshot_add_reason(struct skbstat_snapshot *snap, uint32_t id, const char *name)
{
	size_t pos = reason_lower_bound(snap, id);
	struct skbstat_reason *slot;
	char *copy;

	copy = strdup(name);
	if (!copy)
		return -ENOMEM;

	if (pos < snap->nr_reasons && snap->reasons[pos].id == id) {
		/* The kernel's table has one name per id; the last one wins. */
		free(snap->reasons[pos].name);
		snap->reasons[pos].name = copy;
		return 0;
	}

	if (reserve_one((void **)&snap->reasons, &snap->cap_reasons, snap->nr_reasons,
			sizeof(*slot))) {
		free(copy);
		return -ENOMEM;
	}
	/* Kernels send ids in ascending order, so this usually moves nothing. */
	slot = &snap->reasons[pos];
	memmove(slot + 1, slot, (snap->nr_reasons - pos) * sizeof(*slot));
	slot->id = id;
	slot->name = copy;
	snap->nr_reasons++;
	return 0;
}

void snapshot_move_reasons(struct skbstat_snapshot *to, struct skbstat_snapshot *from)
{
	size_t i;

	for (i = 0; i < to->nr_reasons; i++)
		free(to->reasons[i].name);
	free(to->reasons);
	to->reasons = from->reasons;
	to->nr_reasons = from->nr_reasons;
	to->cap_reasons = from->cap_reasons;
	from->reasons = NULL;
	from->nr_reasons = 0;
	from->cap_reasons = 0;
}

const char *snapshot_reason_name(const struct skbstat_snapshot *snap, uint32_t id)
{
	size_t pos = reason_lower_bound(snap, id);

	if (pos < snap->nr_reasons && snap->reasons[pos].id == id)
		return snap->reasons[pos].name;
	return NULL;
}

void snapshot_free(struct skbstat_snapshot *snap)
{
	size_t i;

	status_clear(&snap->status);
	snapshot_clear_drops(snap);
	snapshot_clear_flows(snap);
	snapshot_clear_queues(snap);
	for (i = 0; i < snap->nr_reasons; i++)
		free(snap->reasons[i].name);
	free(snap->status.hooks);
	free(snap->drops);
	free(snap->flows);
	free(snap->queues);
	free(snap->reasons);
	snapshot_init(snap);
}

bool snapshot_has_netns(const struct skbstat_snapshot *snap, uint32_t netns)
{
	size_t i;

	for (i = 0; i < snap->nr_drops; i++)
		if (snap->drops[i].netns == netns)
			return true;
	for (i = 0; i < snap->nr_flows; i++)
		if (snap->flows[i].netns == netns)
			return true;
	for (i = 0; i < snap->nr_queues; i++)
		if (snap->queues[i].netns == netns)
			return true;
	return false;
}
