/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skbstat serve's entry point.  Only skbstat-serve links serve/ (and its
 * HTTP and TLS libraries): in skbstat, serve_forever is NULL (a weak
 * symbol), and the serve command becomes skbstat-serve.
 */
#ifndef SKBSTAT_SERVE_H
#define SKBSTAT_SERVE_H

#include <stddef.h>

#define SERVE_MAX_LISTEN	16

struct serve_config {
	const char *backend;		/* as -b */
	const char *listen[SERVE_MAX_LISTEN];
	size_t nr_listen;
	const char *web_config;		/* NULL: none */
	size_t max_series;		/* 0: no limit */
	size_t top_flows;		/* 0: no per-flow series */
};

/* Serves until SIGINT or SIGTERM; returns 0, or -errno after saying why. */
int serve_forever(const struct serve_config *config) __attribute__((weak));

#endif /* SKBSTAT_SERVE_H */
