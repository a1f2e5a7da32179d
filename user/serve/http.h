/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTTP side of skbstat serve (libmicrohttpd): GET /metrics and a
 * landing page at /, on each listening address, with TLS and basic auth
 * from the web configuration, and limits that keep bad clients from
 * exhausting the process.
 */
#ifndef SKBSTAT_HTTP_H
#define SKBSTAT_HTTP_H

#include <stddef.h>

#include "serve/scrape.h"
#include "serve/web_config.h"

/* Limits on clients, each a reason a request is turned away rather than served. */
#define HTTP_MAX_CONNECTIONS	64
#define HTTP_MAX_PER_IP		16
#define HTTP_TIMEOUT_S		10	/* a connection idle this long is closed */
#define HTTP_MEMORY_PER_CONN	(32 * 1024)	/* request line and headers */

struct http_server;

/*
 * Listen on each of @listen ("ADDR:PORT", "[ADDR6]:PORT" or ":PORT" for
 * every address) and serve @st's metrics with @wc's TLS and users, which
 * must outlive the server.  Returns 0, or -errno after saying why.
 */
int http_start(struct http_server **srv, const char *const *listen, size_t nr_listen,
	       struct web_config *wc, struct scrape_state *st);
void http_stop(struct http_server *srv);

/* The port listener @i is bound to: the one the kernel chose for ":0". */
unsigned int http_port(const struct http_server *srv, size_t i);

/* Connections the server holds now, on every listener. */
unsigned int http_connections(const struct http_server *srv);

#endif /* SKBSTAT_HTTP_H */
