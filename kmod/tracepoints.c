// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching to tracepoints that the kernel does not export to modules:
 * tcp:tcp_retransmit_skb and net:net_dev_queue are found by name among
 * the core kernel's tracepoints.
 */
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "tracepoints.h"

struct tracepoint_search {
	const char *name;
	struct tracepoint *found;
};

static void match_tracepoint(struct tracepoint *tp, void *priv)
{
	struct tracepoint_search *search = priv;

	if (!search->found && !strcmp(tp->name, search->name))
		search->found = tp;
}

static struct tracepoint *find_tracepoint(const char *name)
{
	struct tracepoint_search search = { .name = name };

	for_each_kernel_tracepoint(match_tracepoint, &search);
	return search.found;
}

int skbstat_tracepoint_attach(const char *name, void *probe)
{
	struct tracepoint *tp = find_tracepoint(name);

	if (!tp) {
		pr_err("tracepoint %s not found\n", name);
		return -ENOENT;
	}
	return tracepoint_probe_register(tp, probe, NULL);
}

void skbstat_tracepoint_detach(const char *name, void *probe)
{
	struct tracepoint *tp = find_tracepoint(name);

	if (tp)
		tracepoint_probe_unregister(tp, probe, NULL);
}
