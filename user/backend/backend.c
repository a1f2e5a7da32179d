// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing a backend.  The list is in order of preference for "auto": the
 * module when it is loaded (cheapest, and persistent), then BPF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "util.h"

static const struct {
	const char *name;
	const struct backend_ops *ops;
} backends[] = {
	{ "kmod",	&backend_kmod_ops },
	{ "bpf",	&backend_bpf_ops },
};

bool backend_name_known(const char *name)
{
	size_t i;

	if (!strcmp(name, BACKEND_AUTO))
		return true;
	for (i = 0; i < ARRAY_SIZE(backends); i++)
		if (!strcmp(name, backends[i].name))
			return true;
	return false;
}

const char *backend_names(void)
{
	static char names[64];
	size_t i, len;

	if (names[0])
		return names;
	len = snprintf(names, sizeof(names), "%s", BACKEND_AUTO);
	for (i = 0; i < ARRAY_SIZE(backends) && len < sizeof(names); i++)
		len += snprintf(names + len, sizeof(names) - len, ", %s", backends[i].name);
	return names;
}

static int backend_open_one(struct backend *be, const struct backend_ops *ops)
{
	int err;

	be->ops = ops;
	be->priv = NULL;
	err = ops->open(be);
	if (err)
		be->ops = NULL;
	return err;
}

static int backend_open_auto(struct backend *be)
{
	const struct backend_ops *first = NULL;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(backends); i++) {
		if (!backends[i].ops)
			continue;
		if (!first)
			first = backends[i].ops;
		err = backend_open_one(be, backends[i].ops);
		if (err != -ENODEV)
			return err;
	}
	/* Nothing is available: the preferred backend says how to fix that. */
	if (first)
		fprintf(stderr, "skbstat: %s\n", first->how_to_enable);
	return -ENODEV;
}

int backend_open(struct backend *be, const char *name)
{
	size_t i;
	int err;

	if (!strcmp(name, BACKEND_AUTO))
		return backend_open_auto(be);

	for (i = 0; i < ARRAY_SIZE(backends); i++)
		if (!strcmp(name, backends[i].name))
			break;
	if (i == ARRAY_SIZE(backends)) {
		fprintf(stderr, "skbstat: unknown backend '%s' (use %s)\n", name,
			backend_names());
		return -EINVAL;
	}
	err = backend_open_one(be, backends[i].ops);
	if (err == -ENODEV)
		fprintf(stderr, "skbstat: %s\n", backends[i].ops->how_to_enable);
	return err;
}

void backend_close(struct backend *be)
{
	if (be->ops)
		be->ops->close(be);
	be->ops = NULL;
	be->priv = NULL;
}

int backend_read(struct backend *be, unsigned int tables, bool names,
		 struct skbstat_snapshot *snap)
{
	int err = 0;

	if (tables & BACKEND_STATUS)
		err = be->ops->get_status(be, &snap->status);
	if (!err && (tables & BACKEND_DROPS) && names)
		err = be->ops->get_reasons(be, snap);
	if (!err && (tables & BACKEND_DROPS))
		err = be->ops->get_drops(be, snap);
	if (!err && (tables & BACKEND_FLOWS))
		err = be->ops->get_flows(be, snap);
	if (!err && (tables & BACKEND_QUEUES))
		err = be->ops->get_queues(be, snap);
	return err;
}
