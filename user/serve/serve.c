// SPDX-License-Identifier: GPL-2.0
/*
 * Serving until told to stop: SIGHUP reads the web configuration again (a
 * bad one is logged and the old one kept), SIGINT or SIGTERM stop.  Every
 * scrape reads the backend at that moment; nothing is polled in between.
 * Logs go to stderr.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"
#include "serve/scrape.h"
#include "serve/serve.h"
#include "serve/web_config.h"

/* Stops the server and starts it again with @wc; the old one stays on failure. */
static int restart(struct http_server **srv, const struct serve_config *args,
		   struct web_config *wc, struct scrape_state *st)
{
	http_stop(*srv);
	*srv = NULL;
	return http_start(srv, args->listen, args->nr_listen, wc, st);
}

/*
 * Reads the web configuration again and restarts the server with it; if
 * either fails, the server goes on with *@wc, as it was.
 */
static int reload(struct http_server **srv, const struct serve_config *args,
		  struct web_config **wc, struct scrape_state *st)
{
	struct web_config *fresh = calloc(1, sizeof(*fresh));

	if (fresh && !web_config_load(args->web_config, fresh)) {
		if (!restart(srv, args, fresh, st)) {
			web_config_free(*wc);
			free(*wc);
			*wc = fresh;
			fprintf(stderr, "skbstat serve: web configuration %s read again\n",
				args->web_config);
			return 0;
		}
		web_config_free(fresh);
	}
	free(fresh);
	fprintf(stderr, "skbstat serve: keeping the web configuration as it was\n");
	return *srv ? 0 : restart(srv, args, *wc, st);
}

int serve_forever(const struct serve_config *args)
{
	struct scrape_opts opts;
	struct http_server *srv = NULL;
	struct scrape_state st;
	struct web_config *wc;
	sigset_t signals;
	int err, sig;

	opts = (struct scrape_opts){ .backend = args->backend, .max_series = args->max_series,
				     .top_flows = args->top_flows };
	/* On the heap: a reload replaces it while the server points to it. */
	wc = calloc(1, sizeof(*wc));
	if (!wc)
		return -ENOMEM;
	err = web_config_load(args->web_config, wc);
	if (err)
		goto err_free;
	/* Blocked before the server's threads start, so that they inherit it. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGHUP);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	scrape_init(&st, &opts);
	err = http_start(&srv, args->listen, args->nr_listen, wc, &st);
	if (err)
		goto err_free_config;
	fprintf(stderr, "skbstat serve: serving /metrics (backend %s) on %s%s\n", args->backend,
		args->listen[0], args->nr_listen > 1 ? " and more" : "");
	if (args->nr_listen == 1 && strlen(args->listen[0]) > 2 &&
	    !strcmp(args->listen[0] + strlen(args->listen[0]) - 2, ":0"))
		fprintf(stderr, "skbstat serve: the kernel chose port %u\n", http_port(srv, 0));
	while (!sigwait(&signals, &sig) && sig == SIGHUP) {
		err = reload(&srv, args, &wc, &st);
		if (err)
			goto err_free_config;
	}
	fprintf(stderr, "skbstat serve: stopping\n");
	http_stop(srv);
err_free_config:
	scrape_fini(&st);
	web_config_free(wc);
err_free:
	free(wc);
	return err;
}
