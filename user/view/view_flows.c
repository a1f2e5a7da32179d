// SPDX-License-Identifier: GPL-2.0
/*
 * "skbstat flows": TCP flows that retransmitted, most retransmits first.
 * Text shows endpoints as ss(8) does and the time since the last
 * retransmit; JSON carries the raw fields and timestamps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "view/view_counters.h"
#include "view/views.h"

#define NSEC_PER_SEC	1000000000ull
#define AGE_BUF_LEN	24

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* The key columns, so that equal counts still sort the same every run. */
static int cmp_flow_keys(const struct skbstat_flow_row *a, const struct skbstat_flow_row *b)
{
	int ret = cmp_u64(a->netns, b->netns);

	if (!ret)
		ret = cmp_u64(a->family, b->family);
	if (!ret)
		ret = memcmp(a->saddr, b->saddr, sizeof(a->saddr));
	if (!ret)
		ret = cmp_u64(a->sport, b->sport);
	if (!ret)
		ret = memcmp(a->daddr, b->daddr, sizeof(a->daddr));
	if (!ret)
		ret = cmp_u64(a->dport, b->dport);
	return ret;
}

static int cmp_flows_for_display(const void *a, const void *b)
{
	const struct skbstat_flow_row *fa = *(const struct skbstat_flow_row *const *)a;
	const struct skbstat_flow_row *fb = *(const struct skbstat_flow_row *const *)b;
	int ret = cmp_u64(fb->retransmits, fa->retransmits);

	if (!ret)
		ret = cmp_u64(fb->bytes, fa->bytes);
	return ret ? ret : cmp_flow_keys(fa, fb);
}

/* "0s", "42s", "5m03s", "2h05m", "3d04h": two units at most, like ps etime. */
static const char *format_age(uint64_t last_ns, uint64_t now_ns, char buf[AGE_BUF_LEN])
{
	uint64_t s;

	if (!last_ns)
		return NULL;
	s = now_ns > last_ns ? (now_ns - last_ns) / NSEC_PER_SEC : 0;
	if (s < 60)
		snprintf(buf, AGE_BUF_LEN, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, AGE_BUF_LEN, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, AGE_BUF_LEN, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s / 60 % 60);
	else
		snprintf(buf, AGE_BUF_LEN, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 s / 3600 % 24);
	return buf;
}

static const struct view_counter flow_retransmits = {
	.key = "retransmits", .text_key = "retrans", .unit = OUT_UNIT_COUNT,
	.rate_key = "retransmits_rate", .rate_text_key = "retr/s",
	.metric = { "skbstat_flow_retransmits_total",
		    "TCP segments retransmitted, per flow (as TcpRetransSegs counts them)." },
};

static const struct view_counter flow_bytes = {
	.key = "bytes", .unit = OUT_UNIT_BYTES,
	.rate_key = "bytes_rate", .rate_text_key = "bytes/s",
	.metric = { "skbstat_flow_retransmit_bytes_total",
		    "Bytes in the TCP segments retransmitted, per flow." },
};

static const struct out_metric flow_events = {
	"skbstat_flow_retransmit_events_total",
	"TCP retransmit calls, per flow, failed ones too; a GSO packet is one.",
};

static const struct out_metric flow_failed = {
	"skbstat_flow_retransmit_failed_total",
	"TCP segments whose retransmit failed, per flow (as TCPRetransFail counts them).",
};

/*
 * Unknown where the hook's mode cannot see failures (the tracepoint before
 * 6.17): "-" in text, null in JSON, no sample in metric formats.
 */
static void emit_failed(struct out *out, const struct skbstat_flow_row *row)
{
	unsigned int kind = OUT_COUNTER | OUT_UNIT_COUNT;

	if (row->failed_known)
		out_u64_metric(out, "failed", kind, row->failed, &flow_failed);
	else
		out_str_metric(out, "failed", kind, NULL, &flow_failed);
}

static void emit_flow(struct out *out, const struct skbstat_flow_row *row,
		      const struct flows_view_opts *opts)
{
	char saddr[INET6_ADDRSTRLEN], daddr[INET6_ADDRSTRLEN];
	char source[ENDPOINT_BUF_LEN], dest[ENDPOINT_BUF_LEN];
	char state_buf[NAME_BUF_LEN], age_buf[AGE_BUF_LEN];

	out_u64(out, "netns", OUT_LABEL, row->netns);
	out_str(out, "family", OUT_LABEL | OUT_MACHINE,
		row->family == AF_INET6 ? "ipv6" : row->family == AF_INET ? "ipv4" : "-");
	out_str(out, "saddr", OUT_LABEL | OUT_MACHINE,
		inet_addr_name(row->family, row->saddr, saddr));
	out_u64(out, "sport", OUT_LABEL | OUT_MACHINE, row->sport);
	out_str(out, "saddr:sport", OUT_LABEL | OUT_HUMAN,
		inet_endpoint_name(row->family, row->saddr, row->sport, source));
	out_str(out, "daddr", OUT_LABEL | OUT_MACHINE,
		inet_addr_name(row->family, row->daddr, daddr));
	out_u64(out, "dport", OUT_LABEL | OUT_MACHINE, row->dport);
	out_str(out, "daddr:dport", OUT_LABEL | OUT_HUMAN,
		inet_endpoint_name(row->family, row->daddr, row->dport, dest));
	/* A flow keeps its identity when its state changes: no metric label. */
	out_str(out, "state", OUT_INFO, opts->numeric ? decimal_name(row->state, state_buf) :
		tcp_state_name(row->state, state_buf));
	view_emit_counter(out, &flow_retransmits, row->retransmits, opts->interval);
	view_emit_counter(out, &flow_bytes, row->bytes, opts->interval);
	emit_failed(out, row);
	out_u64_metric(out, "events", OUT_COUNTER | OUT_MACHINE, row->events, &flow_events);
	out_u64(out, "first_ns", OUT_INFO | OUT_MACHINE, row->first_ns);
	out_u64(out, "last_ns", OUT_INFO | OUT_MACHINE, row->last_ns);
	out_str(out, "age", OUT_INFO | OUT_HUMAN,
		format_age(row->last_ns, opts->now_ns, age_buf));
	view_emit_reset(out, row->reset, opts->interval);
}

static void emit_flows_table(struct out *out, const struct skbstat_flow_row *const *rows,
			     size_t nr, const struct flows_view_opts *opts)
{
	const struct skbstat_flow_row example = { .family = AF_INET, .failed_known = true };
	size_t i;

	out_table_begin(out, "flows");
	out_schema_begin(out);
	emit_flow(out, &example, opts);
	out_schema_end(out);
	for (i = 0; i < nr; i++) {
		out_row_begin(out);
		emit_flow(out, rows[i], opts);
		out_row_end(out);
	}
	out_table_end(out);
}

/* The netns asked for; in interval mode, only flows that retransmitted. */
static bool flow_shown(const struct flows_view_opts *opts, const struct skbstat_flow_row *row)
{
	if (opts->by_netns && row->netns != opts->netns)
		return false;
	return opts->interval <= 0 || row->retransmits || row->bytes || row->events ||
	       row->failed || row->reset;
}

int view_flows(const struct skbstat_snapshot *snap, const struct flows_view_opts *opts,
	       struct out *out)
{
	const struct skbstat_flow_row **sorted;
	size_t i, nr = 0;

	/* One extra element so that zero rows still gives a valid pointer. */
	sorted = calloc(snap->nr_flows + 1, sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < snap->nr_flows; i++)
		if (flow_shown(opts, &snap->flows[i]))
			sorted[nr++] = &snap->flows[i];
	qsort(sorted, nr, sizeof(*sorted), cmp_flows_for_display);
	if (opts->top && opts->top < nr)
		nr = opts->top;

	emit_flows_table(out, sorted, nr, opts);
	free(sorted);
	return 0;
}
