/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/serve/: skbstat serve, a Prometheus exporter: the web configuration
 * (this), the HTTP server (http.c) and what a scrape reads and renders
 * (scrape.c).  It uses the backend, model, view and output folders; the
 * command itself is cli/cmd_serve.c.
 *
 * The web configuration file, in the format of Prometheus' exporter-toolkit:
 *
 *	tls_server_config:
 *	  cert_file: server.crt		# relative paths: to this file's folder
 *	  key_file: server.key
 *	basic_auth_users:
 *	  prometheus: $2y$10$...		# bcrypt, as htpasswd -B makes it
 *
 * Both parts are optional; any other key is an error, so that a setting
 * skbstat does not honour (client certificates, say) is never ignored.
 */
#ifndef SKBSTAT_WEB_CONFIG_H
#define SKBSTAT_WEB_CONFIG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct web_user {
	char *name;
	char *hash;		/* bcrypt */
};

/* Credentials that matched once: bcrypt costs tens of milliseconds a check. */
#define WEB_AUTH_CACHE	8

struct web_config {
	char *cert_pem;		/* NULL: plain HTTP */
	char *key_pem;
	struct web_user *users;	/* none: no authentication */
	size_t nr_users;

	pthread_mutex_t cache_lock;
	char *cache[WEB_AUTH_CACHE];	/* "user\0password", as matched */
	size_t cache_len[WEB_AUTH_CACHE];
	size_t cache_next;
};

/*
 * Read @path (NULL: an empty configuration).  Returns 0, or -errno after
 * saying on stderr what is wrong and where.
 */
int web_config_load(const char *path, struct web_config *wc);
void web_config_free(struct web_config *wc);

/* Whether @user and @password match a user of @wc; always true with no users. */
bool web_config_authorized(struct web_config *wc, const char *user, const char *password);

#endif /* SKBSTAT_WEB_CONFIG_H */
