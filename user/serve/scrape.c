// SPDX-License-Identifier: GPL-2.0
/*
 * What a scrape of skbstat serve holds.  The label sets are stable, and
 * bounded by default:
 *   drops   by reason, device, netns and protocol (no location);
 *   flows   summed per netns and address family; per flow only with
 *           --top-flows N, for the N flows that retransmitted most;
 *   queues  per device and queue;
 *   status  per hook, as 'skbstat -o openmetrics status' has them.
 * --max-series N keeps at most N series of each of these families and
 * says how many it left out in skbstat_scrape_series_left_out{family}.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "model/group.h"
#include "model/snapshot.h"
#include "serve/process_metrics.h"
#include "serve/scrape.h"
#include "view/views.h"

enum series_family {
	SERIES_DROPS,
	SERIES_NETNS_FLOWS,
	SERIES_FLOWS,
	SERIES_QUEUES,
	SERIES_COUNT,
};

static const char *const series_names[SERIES_COUNT] = {
	[SERIES_DROPS] = "drops",
	[SERIES_NETNS_FLOWS] = "netns_flows",
	[SERIES_FLOWS] = "flows",
	[SERIES_QUEUES] = "queues",
};

#define SCRAPE_DROP_KEYS	(DROP_KEY_REASON | DROP_KEY_DEV | DROP_KEY_NETNS | DROP_KEY_PROTO)

void scrape_init(struct scrape_state *st, const struct scrape_opts *opts)
{
	memset(st, 0, sizeof(*st));
	st->opts = *opts;
	pthread_mutex_init(&st->lock, NULL);
}

void scrape_fini(struct scrape_state *st)
{
	if (st->be_open)
		backend_close(&st->be);
	pthread_mutex_destroy(&st->lock);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Everything a scrape shows, read in one go.  The backend stays open
 * between scrapes (its kernel symbols, reasons and maps are read once);
 * a read that fails (module unloaded or reloaded, BPF detached or
 * attached again) reopens it and reads once more.
 */
static int read_backend(struct scrape_state *st, struct skbstat_snapshot *snap)
{
	int err;

	if (st->be_open) {
		err = backend_read(&st->be, BACKEND_ALL, true, snap);
		if (!err)
			return 0;
		backend_close(&st->be);
		st->be_open = false;
		snapshot_free(snap);
		snapshot_init(snap);
	}
	err = backend_open(&st->be, st->opts.backend);
	if (err)
		return err;
	st->be_open = true;
	return backend_read(&st->be, BACKEND_ALL, true, snap);
}

static size_t left_out(size_t nr, size_t max)
{
	return max && nr > max ? nr - max : 0;
}

static int emit_counters(const struct scrape_state *st, const struct skbstat_snapshot *snap,
			 const char *backend, struct out *out, size_t *omitted)
{
	const struct status_view_source source = { .backend = backend, .description = backend };
	struct drops_view_opts drops = {
		.keys = SCRAPE_DROP_KEYS, .top = st->opts.max_series,
		.left_out = &omitted[SERIES_DROPS],
	};
	struct flows_view_opts flows = { .top = st->opts.top_flows };
	struct queues_view_opts queues = { .top = st->opts.max_series };
	size_t top;
	int err;

	err = view_status(&source, &snap->status, out);
	if (!err)
		err = view_drops(snap, &drops, out);
	if (!err)
		err = view_flows_by_netns(snap, st->opts.max_series,
					  &omitted[SERIES_NETNS_FLOWS], out);
	if (!err && st->opts.top_flows) {
		top = st->opts.max_series && st->opts.max_series < st->opts.top_flows ?
		      st->opts.max_series : st->opts.top_flows;
		flows.top = top;
		omitted[SERIES_FLOWS] = left_out(snap->nr_flows, top);
		err = view_flows(snap, &flows, out);
	}
	if (!err) {
		omitted[SERIES_QUEUES] = left_out(snap->nr_queues, st->opts.max_series);
		queues.busiest_first = omitted[SERIES_QUEUES] > 0;
		err = view_queues(snap, &queues, out);
	}
	return err;
}

static const struct out_metric up_metric = {
	"skbstat_up", "1 when the backend could be read in this scrape, else 0.",
};
static const struct out_metric duration_metric = {
	"skbstat_scrape_duration_seconds", "How long this scrape took to read and render.",
};
static const struct out_metric scrapes_metric = {
	"skbstat_scrapes_total", "Scrapes since skbstat serve started.",
};
static const struct out_metric errors_metric = {
	"skbstat_scrape_errors_total", "Scrapes that could not read the backend.",
};
static const struct out_metric build_metric = {
	"skbstat_build_info", "The skbstat that serves these metrics; the value is 1.",
};
static const struct out_metric left_out_metric = {
	"skbstat_scrape_series_left_out",
	"Series of a family this scrape left out to stay within --max-series.",
};

static void emit_exporter_row(struct out *out, const char *backend, bool up, double seconds,
			      uint64_t scrapes, uint64_t errors)
{
	out_str(out, "backend", OUT_LABEL, backend);
	out_u64_metric(out, "up", OUT_GAUGE, up, &up_metric);
	out_double_metric(out, "duration", OUT_GAUGE, seconds, &duration_metric);
	out_u64_metric(out, "scrapes", OUT_COUNTER, scrapes, &scrapes_metric);
	out_u64_metric(out, "errors", OUT_COUNTER, errors, &errors_metric);
}

static void emit_self(struct out *out, const char *backend, bool up, double seconds,
		      const struct scrape_state *st, const size_t *omitted)
{
	int i;

	out_table_begin(out, "exporter");
	out_schema_begin(out);
	emit_exporter_row(out, "", 0, 0, 0, 0);
	out_schema_end(out);
	out_row_begin(out);
	emit_exporter_row(out, backend, up, seconds, st->scrapes, st->errors);
	out_row_end(out);
	out_table_end(out);

	out_table_begin(out, "build");
	out_row_begin(out);
	out_str(out, "version", OUT_LABEL, SKBSTAT_VERSION);
	out_u64_metric(out, "info", OUT_GAUGE, 1, &build_metric);
	out_row_end(out);
	out_table_end(out);

	out_table_begin(out, "series");
	for (i = 0; i < SERIES_COUNT; i++) {
		out_row_begin(out);
		out_str(out, "family", OUT_LABEL, series_names[i]);
		out_u64_metric(out, "left_out", OUT_GAUGE, omitted[i], &left_out_metric);
		out_row_end(out);
	}
	out_table_end(out);
}

/* The backend's state is logged when it changes, not at every scrape. */
static void log_read(struct scrape_state *st, const char *backend, int err)
{
	if (err == st->last_err)
		return;
	if (err)
		fprintf(stderr, "skbstat serve: cannot read the %s backend: %s; scrapes say "
			"skbstat_up 0\n", backend, strerror(-err));
	else
		fprintf(stderr, "skbstat serve: reading the %s backend\n", backend);
	st->last_err = err;
}

int scrape_render(struct scrape_state *st, enum out_format format, char **body, size_t *len)
{
	size_t omitted[SERIES_COUNT] = { 0 };
	struct skbstat_snapshot snap;
	char backend[32];
	struct timespec t0;
	struct out *out;
	int err, read_err;
	FILE *f;

	*body = NULL;
	f = open_memstream(body, len);
	if (!f)
		return -ENOMEM;
	out = out_new(format, f, 0);
	if (!out) {
		fclose(f);
		free(*body);
		return -ENOMEM;
	}
	pthread_mutex_lock(&st->lock);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snapshot_init(&snap);
	st->scrapes++;
	read_err = read_backend(st, &snap);
	snprintf(backend, sizeof(backend), "%s",
		 st->be_open ? st->be.ops->name : st->opts.backend);
	log_read(st, backend, read_err);
	err = read_err ? 0 : emit_counters(st, &snap, backend, out, omitted);
	if (read_err)
		st->errors++;
	emit_self(out, backend, !read_err, seconds_since(&t0), st, omitted);
	process_metrics_emit(out);
	snapshot_free(&snap);
	pthread_mutex_unlock(&st->lock);
	if (!err)
		err = out_finish(out);
	out_free(out);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		free(*body);
		*body = NULL;
	}
	return err;
}
