// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat serve: a Prometheus exporter.  Every scrape reads the backend at
 * that moment; nothing is polled in between.  SIGHUP reads the web
 * configuration again (a bad one is logged and the old one kept);
 * SIGINT or SIGTERM stop.  Logs go to stderr.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "serve/http.h"
#include "serve/scrape.h"
#include "serve/web_config.h"

/* Prometheus' list of exporter ports fills 9100-9999: the default lies beyond it. */
#define SERVE_DEFAULT_LISTEN	":19816"
#define SERVE_MAX_LISTEN	16

enum {
	OPT_LISTEN = 0x100,
	OPT_WEB_CONFIG,
	OPT_MAX_SERIES,
	OPT_TOP_FLOWS,
};

struct serve_args {
	const char *listen[SERVE_MAX_LISTEN];
	size_t nr_listen;
	const char *web_config;
	size_t max_series;
	size_t top_flows;
};

static const struct argp_option serve_options[] = {
	{ "listen", OPT_LISTEN, "ADDR:PORT", 0,
	  "Listen here (repeatable; default " SERVE_DEFAULT_LISTEN ", every address)", 0 },
	{ "web-config", OPT_WEB_CONFIG, "FILE", 0,
	  "TLS and basic-auth users, in the format of Prometheus' exporter-toolkit", 0 },
	{ "max-series", OPT_MAX_SERIES, "N", 0,
	  "Export at most N series of each family (drops, per-netns flows, flows, "
	  "queues); skbstat_scrape_series_left_out says how many were left out", 0 },
	{ "top-flows", OPT_TOP_FLOWS, "N", 0,
	  "Also export each of the N flows that retransmitted most (default: flows "
	  "summed per netns and family only)", 0 },
	{ 0 }
};

static error_t parse_serve_opt(int key, char *arg, struct argp_state *state)
{
	struct serve_args *args = state->input;

	switch (key) {
	case OPT_LISTEN:
		if (args->nr_listen == SERVE_MAX_LISTEN)
			argp_error(state, "--listen %d times at most", SERVE_MAX_LISTEN);
		args->listen[args->nr_listen++] = arg;
		return 0;
	case OPT_WEB_CONFIG:
		args->web_config = arg;
		return 0;
	case OPT_MAX_SERIES:
		cli_parse_count(state, "--max-series", arg, &args->max_series);
		return 0;
	case OPT_TOP_FLOWS:
		cli_parse_count(state, "--top-flows", arg, &args->top_flows);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "serve takes no argument, not '%s'", arg);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp serve_argp = {
	.options = serve_options,
	.parser = parse_serve_opt,
	.doc = "Serve the counters to Prometheus at /metrics, read from the backend at each "
	       "scrape: OpenMetrics 1.0.0 to a client that asks for it, else the Prometheus "
	       "text format 0.0.4, gzip-compressed when accepted.  Drops by reason, device, "
	       "netns and protocol; retransmits per netns and family; queues per device and "
	       "queue; the hooks' status; the exporter's own metrics.\v"
	       "Examples:\n"
	       "  skbstat serve\n"
	       "  skbstat -b bpf serve --listen 127.0.0.1:19816 --max-series 500\n"
	       "  skbstat serve --web-config /etc/skbstat/web.yml --top-flows 20",
};

/* Stops the server and starts it again with @wc; the old one stays on failure. */
static int restart(struct http_server **srv, const struct serve_args *args,
		   struct web_config *wc, struct scrape_state *st)
{
	http_stop(*srv);
	*srv = NULL;
	return http_start(srv, args->listen, args->nr_listen, wc, st);
}

static int reload(struct http_server **srv, const struct serve_args *args,
		  struct web_config *wc, struct scrape_state *st)
{
	struct web_config fresh;
	int err;

	err = web_config_load(args->web_config, &fresh);
	if (err) {
		fprintf(stderr, "skbstat serve: keeping the web configuration as it was\n");
		return 0;
	}
	err = restart(srv, args, &fresh, st);
	if (err) {
		web_config_free(&fresh);
		fprintf(stderr, "skbstat serve: keeping the web configuration as it was\n");
		return restart(srv, args, wc, st);
	}
	web_config_free(wc);
	*wc = fresh;
	/* The server keeps a pointer to the configuration: point it at its new home. */
	err = restart(srv, args, wc, st);
	if (!err)
		fprintf(stderr, "skbstat serve: web configuration %s read again\n",
			args->web_config);
	return err;
}

static int serve_run(struct cli *cli, int argc, char **argv)
{
	struct serve_args args = { .nr_listen = 0 };
	struct scrape_opts opts;
	struct http_server *srv = NULL;
	struct scrape_state st;
	struct web_config wc;
	sigset_t signals;
	int err, sig;

	cli_parse_command(&cmd_serve, cli, argc, argv, &args);
	if (!args.nr_listen)
		args.listen[args.nr_listen++] = SERVE_DEFAULT_LISTEN;
	opts = (struct scrape_opts){ .backend = cli->backend, .max_series = args.max_series,
				     .top_flows = args.top_flows };
	err = web_config_load(args.web_config, &wc);
	if (err)
		return err;
	/* Blocked before the server's threads start, so that they inherit it. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGHUP);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	scrape_init(&st, &opts);
	err = http_start(&srv, args.listen, args.nr_listen, &wc, &st);
	if (err)
		goto err_free_config;
	fprintf(stderr, "skbstat serve: serving /metrics (backend %s) on %s%s\n", cli->backend,
		args.listen[0], args.nr_listen > 1 ? " and more" : "");
	while (!sigwait(&signals, &sig) && sig == SIGHUP) {
		err = reload(&srv, &args, &wc, &st);
		if (err)
			goto err_free_config;
	}
	fprintf(stderr, "skbstat serve: stopping\n");
	http_stop(srv);
err_free_config:
	scrape_fini(&st);
	web_config_free(&wc);
	return err;
}

const struct command cmd_serve = {
	.name = "serve",
	.summary = "serve the counters to Prometheus at /metrics",
	.argp = &serve_argp,
	.run = serve_run,
};
