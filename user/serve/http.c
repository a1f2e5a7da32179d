// SPDX-License-Identifier: GPL-2.0
/*
 * Requests: GET or HEAD of / (a landing page) or /metrics; any other method
 * is 405 and any other path 404.  A path is never a file name: nothing is
 * read from disk for a request.  With users in the web configuration,
 * every request needs one of them (401 otherwise).  /metrics negotiates
 * the format (OpenMetrics 1.0.0 for a client that accepts
 * application/openmetrics-text, else the Prometheus text format 0.0.4) and
 * gzip.  libmicrohttpd answers requests too large for its per-connection
 * memory itself (431 or 414) and closes idle connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "serve/gzip.h"
#include "serve/http.h"
#include "util.h"

struct http_server {
	struct MHD_Daemon **daemons;
	size_t nr_daemons;
	struct web_config *wc;
	struct scrape_state *st;
};

static const char landing_page[] =
	"<!DOCTYPE html>\n<html><head><title>skbstat</title></head><body>\n"
	"<h1>skbstat</h1>\n"
	"<p>Exact counts of the packets the kernel drops, the TCP segments it "
	"retransmits and what each device queues.</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

#define CONTENT_TYPE_PROMETHEUS	"text/plain; version=0.0.4; charset=utf-8"
#define CONTENT_TYPE_OPENMETRICS \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

static enum MHD_Result answer(struct MHD_Connection *c, unsigned int status,
			      const char *type, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * Whether a header that lists tokens (Accept, Accept-Encoding) has @token
 * with a quality above 0.
 */
static bool header_accepts(struct MHD_Connection *c, const char *header, const char *token)
{
	const char *list = MHD_lookup_connection_value(c, MHD_HEADER_KIND, header);
	size_t len = strlen(token);
	const char *p, *end, *q;

	for (p = list; p && *p; p = end ? end + 1 : NULL) {
		end = strchr(p, ',');
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, token, len) || (p[len] && !strchr(";, \t", p[len])))
			continue;
		q = strstr(p, ";q=");
		if (q && (!end || q < end) && strtod(q + 3, NULL) <= 0)
			return false;
		return true;
	}
	return false;
}

static enum MHD_Result serve_metrics(struct http_server *srv, struct MHD_Connection *c)
{
	bool openmetrics = header_accepts(c, MHD_HTTP_HEADER_ACCEPT,
					  "application/openmetrics-text");
	bool gzipped = header_accepts(c, MHD_HTTP_HEADER_ACCEPT_ENCODING, "gzip");
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len, zlen;
	char *body;
	void *z;

	if (scrape_render(srv->st, openmetrics ? OUT_FORMAT_OPENMETRICS_1 :
			  OUT_FORMAT_PROMETHEUS_TEXT, &body, &len))
		return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			      "skbstat serve: out of memory\n");
	if (gzipped) {
		z = gzip(body, len, &zlen);
		if (z) {
			free(body);
			body = z;
			len = zlen;
		} else {
			gzipped = false;
		}
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				openmetrics ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_PROMETHEUS);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding");
	if (gzipped)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result refuse_credentials(struct MHD_Connection *c)
{
	static const char text[] = "skbstat serve: these credentials are not accepted\n";
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	ret = MHD_queue_basic_auth_fail_response(c, "skbstat", r);
	MHD_destroy_response(r);
	return ret;
}

static bool authorized(struct http_server *srv, struct MHD_Connection *c)
{
	char *user, *password = NULL;
	bool ok;

	if (!srv->wc->nr_users)
		return true;
	user = MHD_basic_auth_get_username_password(c, &password);
	ok = web_config_authorized(srv->wc, user, password);
	if (password)
		explicit_bzero(password, strlen(password));
	MHD_free(user);
	MHD_free(password);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_state)
{
	static int seen;
	struct http_server *srv = cls;

	(void)version;
	(void)upload_data;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return answer(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			      "skbstat serve: only GET and HEAD\n");
	/* The first call only has the headers; a GET's body is read and dropped. */
	if (!*req_state) {
		*req_state = &seen;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!authorized(srv, c))
		return refuse_credentials(c);
	if (!strcmp(url, "/metrics"))
		return serve_metrics(srv, c);
	if (!strcmp(url, "/"))
		return answer(c, MHD_HTTP_OK, "text/html; charset=utf-8", landing_page);
	return answer(c, MHD_HTTP_NOT_FOUND, "text/plain", "skbstat serve: see /metrics\n");
}

/*
 * libmicrohttpd logs a line per connection it turns away: a flood of
 * clients would be a flood of log lines.  At most LOG_BURST lines per
 * LOG_WINDOW_S seconds; the first line after says how many were not shown.
 */
#define LOG_BURST	10
#define LOG_WINDOW_S	10

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static unsigned long shown, hidden;
	static time_t window;
	time_t now = time(NULL);

	(void)cls;
	pthread_mutex_lock(&lock);
	if (now >= window + LOG_WINDOW_S) {
		if (hidden)
			fprintf(stderr, "skbstat serve: %lu more messages of libmicrohttpd in %d s "
				"not shown\n", hidden, LOG_WINDOW_S);
		window = now;
		shown = 0;
		hidden = 0;
	}
	if (shown++ < LOG_BURST) {
		fputs("skbstat serve: ", stderr);
		vfprintf(stderr, fmt, ap);
	} else {
		hidden++;
	}
	pthread_mutex_unlock(&lock);
}

/* "ADDR:PORT", "[ADDR6]:PORT" or ":PORT" into a socket address. */
static int parse_listen(const char *text, struct sockaddr_storage *sa, bool *ipv6)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM };
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(text, ':'), *port;
	struct addrinfo *res;
	size_t len;
	char *end;

	if (!colon || !colon[1] || strtoul(colon + 1, &end, 10) > 65535 || *end)
		return -EINVAL;
	port = colon + 1;
	len = colon - text;
	if (len && text[0] == '[') {
		if (len < 2 || text[len - 1] != ']')
			return -EINVAL;
		text++;
		len -= 2;
	}
	if (len >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, len);
	host[len] = '\0';
	if (getaddrinfo(len ? host : NULL, port, &hints, &res))
		return -EINVAL;
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*ipv6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	return 0;
}

static struct MHD_Daemon *start_one(struct http_server *srv, const char *listen)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	struct sockaddr_storage sa;
	struct MHD_Daemon *d;
	bool ipv6;

	if (parse_listen(listen, &sa, &ipv6)) {
		fprintf(stderr, "skbstat serve: '%s' is no ADDR:PORT to listen on "
			"(e.g. 127.0.0.1:19816, [::1]:19816, :19816)\n", listen);
		return NULL;
	}
	if (ipv6)
		flags |= MHD_USE_IPv6;
	if (srv->wc->cert_pem)
		flags |= MHD_USE_TLS;
	/* The logger first: libmicrohttpd logs the options that follow with it. */
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
			     MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONNECTIONS,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_PER_IP,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MEMORY_PER_CONN,
			     srv->wc->cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
			     srv->wc->cert_pem, MHD_OPTION_HTTPS_MEM_KEY, srv->wc->key_pem,
			     MHD_OPTION_END);
	if (!d)
		fprintf(stderr, "skbstat serve: cannot listen on %s%s\n", listen,
			srv->wc->cert_pem ? " with this certificate and key" : "");
	return d;
}

int http_start(struct http_server **out, const char *const *listen, size_t nr_listen,
	       struct web_config *wc, struct scrape_state *st)
{
	struct http_server *srv = calloc(1, sizeof(*srv));
	size_t i;

	if (!srv)
		return -ENOMEM;
	srv->wc = wc;
	srv->st = st;
	srv->daemons = calloc(nr_listen, sizeof(*srv->daemons));
	if (!srv->daemons)
		goto err_stop;
	for (i = 0; i < nr_listen; i++) {
		srv->daemons[i] = start_one(srv, listen[i]);
		if (!srv->daemons[i])
			goto err_stop;
		srv->nr_daemons++;
	}
	*out = srv;
	return 0;

err_stop:
	http_stop(srv);
	return -EINVAL;
}

void http_stop(struct http_server *srv)
{
	size_t i;

	if (!srv)
		return;
	for (i = 0; i < srv->nr_daemons; i++)
		MHD_stop_daemon(srv->daemons[i]);
	free(srv->daemons);
	free(srv);
}

unsigned int http_port(const struct http_server *srv, size_t i)
{
	const union MHD_DaemonInfo *info;

	if (i >= srv->nr_daemons)
		return 0;
	info = MHD_get_daemon_info(srv->daemons[i], MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : 0;
}

unsigned int http_connections(const struct http_server *srv)
{
	const union MHD_DaemonInfo *info;
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < srv->nr_daemons; i++) {
		info = MHD_get_daemon_info(srv->daemons[i], MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		n += info ? info->num_connections : 0;
	}
	return n;
}
