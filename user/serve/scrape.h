/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One scrape: read the backend now (no polling between scrapes) and render
 * its counters, with a bounded number of series, and the exporter's own
 * metrics.
 */
#ifndef SKBSTAT_SCRAPE_H
#define SKBSTAT_SCRAPE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "output/output.h"

struct scrape_opts {
	const char *backend;	/* as -b: "auto", "kmod", "bpf" */
	size_t max_series;	/* most series of each family; 0: no limit */
	size_t top_flows;	/* also per-flow series of the N flows that retransmitted most */
};

struct scrape_state {
	struct scrape_opts opts;
	/* Backends are not thread-safe: scrapes take turns. */
	pthread_mutex_t lock;
	struct backend be;	/* open between scrapes when be_open */
	bool be_open;
	uint64_t scrapes;
	uint64_t errors;
	int last_err;		/* of the last scrape's read, to log changes only */
};

void scrape_init(struct scrape_state *st, const struct scrape_opts *opts);
void scrape_fini(struct scrape_state *st);

/*
 * The metrics in @format (OUT_FORMAT_PROMETHEUS_TEXT or _OPENMETRICS_1) into
 * *@body (free() it).  A backend that cannot be read is no error: the
 * metrics say so (skbstat_up 0).  Returns 0 or -ENOMEM.
 */
int scrape_render(struct scrape_state *st, enum out_format format, char **body, size_t *len);

#endif /* SKBSTAT_SCRAPE_H */
