// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmits per netns and address family: what skbstat serve exports by
 * default, because one series per TCP flow has no bound a scraper can
 * plan for.  The per-flow view is view_flows.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "view/views.h"

struct netns_flows {
	uint32_t netns;
	uint8_t family;
	uint64_t flows;
	uint64_t retransmits;
	uint64_t bytes;
	uint64_t events;
	uint64_t failed;
	bool failed_known;	/* as every row's: the hook's mode sees failures */
};

static const struct out_metric netns_flows_metric = {
	"skbstat_netns_retransmitting_flows",
	"TCP flows with a row in the flows table, per netns and family.",
};

static const struct out_metric netns_retransmits_metric = {
	"skbstat_netns_retransmits_total",
	"TCP segments retransmitted, per netns and family (as TcpRetransSegs counts them).",
};

static const struct out_metric netns_bytes_metric = {
	"skbstat_netns_retransmit_bytes_total",
	"Bytes in the TCP segments retransmitted, per netns and family.",
};

static const struct out_metric netns_events_metric = {
	"skbstat_netns_retransmit_events_total",
	"TCP retransmit calls, per netns and family; a GSO packet is one.",
};

static const struct out_metric netns_failed_metric = {
	"skbstat_netns_retransmit_failed_total",
	"TCP segments whose retransmit failed, per netns and family (as TCPRetransFail "
	"counts them).",
};

static int cmp_netns_flows(const void *a, const void *b)
{
	const struct netns_flows *x = a, *y = b;

	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	return (x->family > y->family) - (x->family < y->family);
}

static void emit_netns_flows(struct out *out, const struct netns_flows *g)
{
	out_u64(out, "netns", OUT_LABEL, g->netns);
	out_str(out, "family", OUT_LABEL,
		g->family == AF_INET6 ? "ipv6" : g->family == AF_INET ? "ipv4" : "-");
	out_u64_metric(out, "flows", OUT_GAUGE, g->flows, &netns_flows_metric);
	out_u64_metric(out, "retransmits", OUT_COUNTER, g->retransmits,
		       &netns_retransmits_metric);
	out_u64_metric(out, "bytes", OUT_COUNTER, g->bytes, &netns_bytes_metric);
	out_u64_metric(out, "events", OUT_COUNTER, g->events, &netns_events_metric);
	/* As per flow (view_flows.c): no sample where the mode cannot see failures. */
	if (g->failed_known)
		out_u64_metric(out, "failed", OUT_COUNTER, g->failed, &netns_failed_metric);
	else
		out_str_metric(out, "failed", OUT_COUNTER, NULL, &netns_failed_metric);
}

/* The sums per (netns, family), sorted by them; *@nr groups in *@groups. */
static int group_flows(const struct skbstat_snapshot *snap, struct netns_flows **groups,
		       size_t *nr)
{
	struct netns_flows *g = calloc(snap->nr_flows ?: 1, sizeof(*g));
	size_t i, n = 0;

	if (!g)
		return -ENOMEM;
	for (i = 0; i < snap->nr_flows; i++) {
		const struct skbstat_flow_row *row = &snap->flows[i];

		g[i] = (struct netns_flows){
			.netns = row->netns, .family = row->family, .flows = 1,
			.retransmits = row->retransmits, .bytes = row->bytes,
			.events = row->events, .failed = row->failed,
			.failed_known = row->failed_known,
		};
	}
	qsort(g, snap->nr_flows, sizeof(*g), cmp_netns_flows);
	for (i = 0; i < snap->nr_flows; i++) {
		if (n && !cmp_netns_flows(&g[n - 1], &g[i])) {
			g[n - 1].flows++;
			g[n - 1].retransmits += g[i].retransmits;
			g[n - 1].bytes += g[i].bytes;
			g[n - 1].events += g[i].events;
			g[n - 1].failed += g[i].failed;
			g[n - 1].failed_known &= g[i].failed_known;
			continue;
		}
		g[n++] = g[i];
	}
	*groups = g;
	*nr = n;
	return 0;
}

int view_flows_by_netns(const struct skbstat_snapshot *snap, size_t max_rows,
			size_t *left_out, struct out *out)
{
	const struct netns_flows example = { .family = AF_INET, .failed_known = true };
	struct netns_flows *groups;
	size_t i, nr;
	int err;

	err = group_flows(snap, &groups, &nr);
	if (err)
		return err;
	*left_out = max_rows && nr > max_rows ? nr - max_rows : 0;
	out_table_begin(out, "netns_flows");
	out_schema_begin(out);
	emit_netns_flows(out, &example);
	out_schema_end(out);
	for (i = 0; i < nr - *left_out; i++) {
		out_row_begin(out);
		emit_netns_flows(out, &groups[i]);
		out_row_end(out);
	}
	out_table_end(out);
	free(groups);
	return 0;
}
