// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the web configuration (see web_config.h) with libyaml, and
 * checking basic-auth credentials against its bcrypt hashes (libxcrypt).
 */
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "serve/web_config.h"

/* Certificates and keys are small; anything larger is not one. */
#define PEM_MAX		(1 << 20)

static int config_error(const char *path, const yaml_node_t *node, const char *what)
{
	if (node)
		fprintf(stderr, "skbstat serve: %s:%zu: %s\n", path, node->start_mark.line + 1,
			what);
	else
		fprintf(stderr, "skbstat serve: %s: %s\n", path, what);
	return -EINVAL;
}

/* @name resolved against the folder of @config, as exporter-toolkit does. */
static char *config_relative(const char *config, const char *name)
{
	char *copy, *path = NULL;

	if (name[0] == '/')
		return strdup(name);
	copy = strdup(config);
	if (!copy)
		return NULL;
	if (asprintf(&path, "%s/%s", dirname(copy), name) < 0)
		path = NULL;
	free(copy);
	return path;
}

/* The whole of a regular file of at most PEM_MAX bytes, NUL-terminated. */
static int read_pem(const char *path, char **out)
{
	struct stat st;
	char *buf;
	FILE *f;
	size_t n;
	int err = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > PEM_MAX) {
		fclose(f);
		return -EINVAL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, st.st_size, f);
	if (ferror(f))
		err = -EIO;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static const char *scalar(const yaml_node_t *node)
{
	return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value :
							 NULL;
}

static int load_pem(const char *config, const yaml_node_t *node, char **pem)
{
	const char *name = scalar(node);
	char *path, msg[300];
	int err;

	if (!name || !*name)
		return config_error(config, node, "a file name is expected here");
	path = config_relative(config, name);
	if (!path)
		return -ENOMEM;
	err = read_pem(path, pem);
	if (err) {
		snprintf(msg, sizeof(msg), "cannot read %s: %s", path,
			 err == -EINVAL ? "not a regular file of at most 1 MiB" : strerror(-err));
		err = config_error(config, node, msg);
	}
	free(path);
	return err;
}

static int parse_tls(const char *config, yaml_document_t *doc, const yaml_node_t *map,
		     struct web_config *wc)
{
	yaml_node_pair_t *pair;
	char msg[160];
	int err;

	if (map->type != YAML_MAPPING_NODE)
		return config_error(config, map, "tls_server_config must be a mapping");
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(doc, pair->value);
		const char *key = scalar(k) ?: "";

		if (!strcmp(key, "cert_file"))
			err = wc->cert_pem ? config_error(config, k, "cert_file given twice") :
					     load_pem(config, v, &wc->cert_pem);
		else if (!strcmp(key, "key_file"))
			err = wc->key_pem ? config_error(config, k, "key_file given twice") :
					    load_pem(config, v, &wc->key_pem);
		else {
			snprintf(msg, sizeof(msg),
				 "tls_server_config: '%.60s' is not supported by skbstat serve "
				 "(only cert_file and key_file are)", key);
			err = config_error(config, k, msg);
		}
		if (err)
			return err;
	}
	if (!wc->cert_pem || !wc->key_pem)
		return config_error(config, map, "tls_server_config needs cert_file and key_file");
	return 0;
}

/*
 * bcrypt hashes only: "$2a$", "$2b$" or "$2y$", a cost of 04 to 31 and
 * "$", then 53 characters of salt and hash.
 */
static bool is_bcrypt(const char *hash)
{
	int cost;

	if (strlen(hash) != 60 || strncmp(hash, "$2", 2) || !strchr("aby", hash[2]) ||
	    hash[3] != '$' || !isdigit((unsigned char)hash[4]) ||
	    !isdigit((unsigned char)hash[5]) || hash[6] != '$')
		return false;
	cost = (hash[4] - '0') * 10 + hash[5] - '0';
	return cost >= 4 && cost <= 31;
}

static int parse_users(const char *config, yaml_document_t *doc, const yaml_node_t *map,
		       struct web_config *wc)
{
	yaml_node_pair_t *pair;
	size_t i, n;

	if (map->type != YAML_MAPPING_NODE)
		return config_error(config, map, "basic_auth_users must be a mapping");
	n = map->data.mapping.pairs.top - map->data.mapping.pairs.start;
	wc->users = calloc(n ?: 1, sizeof(*wc->users));
	if (!wc->users)
		return -ENOMEM;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(doc, pair->value);
		const char *name = scalar(k), *hash = scalar(v);

		if (!name || !*name || strchr(name, ':'))
			return config_error(config, k, "a user name (without ':') is expected here");
		if (!hash || !is_bcrypt(hash))
			return config_error(config, v, "a bcrypt hash ($2y$...) is expected here");
		for (i = 0; i < wc->nr_users; i++)
			if (!strcmp(wc->users[i].name, name))
				return config_error(config, k, "this user is given twice");
		wc->users[wc->nr_users].name = strdup(name);
		wc->users[wc->nr_users].hash = strdup(hash);
		if (!wc->users[wc->nr_users].name || !wc->users[wc->nr_users].hash)
			return -ENOMEM;
		wc->nr_users++;
	}
	return 0;
}

static int parse_root(const char *config, yaml_document_t *doc, struct web_config *wc)
{
	const yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_pair_t *pair;
	char msg[160];
	int err;

	if (!root || (root->type == YAML_SCALAR_NODE && !*scalar(root)))
		return 0;	/* an empty file: no TLS, no users */
	if (root->type != YAML_MAPPING_NODE)
		return config_error(config, root, "the configuration must be a mapping");
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(doc, pair->value);
		const char *key = scalar(k) ?: "";

		if (!strcmp(key, "tls_server_config") && !wc->cert_pem)
			err = parse_tls(config, doc, v, wc);
		else if (!strcmp(key, "basic_auth_users") && !wc->users)
			err = parse_users(config, doc, v, wc);
		else {
			snprintf(msg, sizeof(msg), "'%.60s' is not a key skbstat serve knows (or it "
				 "is given twice): tls_server_config, basic_auth_users", key);
			err = config_error(config, k, msg);
		}
		if (err)
			return err;
	}
	return 0;
}

int web_config_load(const char *path, struct web_config *wc)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	char msg[200];
	FILE *f;
	int err;

	memset(wc, 0, sizeof(*wc));
	pthread_mutex_init(&wc->cache_lock, NULL);
	if (!path)
		return 0;
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		fprintf(stderr, "skbstat serve: cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(msg, sizeof(msg), "line %zu: %s", parser.problem_mark.line + 1,
			 parser.problem ?: "not YAML");
		err = config_error(path, NULL, msg);
		goto err_parser;
	}
	err = parse_root(path, &doc, wc);
	yaml_document_delete(&doc);
	if (err)
		web_config_free(wc);
err_parser:
	yaml_parser_delete(&parser);
	fclose(f);
	return err;
}

void web_config_free(struct web_config *wc)
{
	size_t i;

	free(wc->cert_pem);
	if (wc->key_pem)
		explicit_bzero(wc->key_pem, strlen(wc->key_pem));
	free(wc->key_pem);
	for (i = 0; i < wc->nr_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	for (i = 0; i < WEB_AUTH_CACHE; i++) {
		if (wc->cache[i])
			explicit_bzero(wc->cache[i], wc->cache_len[i]);
		free(wc->cache[i]);
	}
	pthread_mutex_destroy(&wc->cache_lock);
	memset(wc, 0, sizeof(*wc));
}

/* Compares all of both, so that the time says nothing of where they differ. */
static bool same_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
	unsigned char diff = a_len != b_len;
	size_t i;

	for (i = 0; i < a_len && i < b_len; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

static char *cache_entry(const char *user, const char *password, size_t *len)
{
	size_t u = strlen(user), p = strlen(password);
	char *entry = malloc(u + p + 2);

	if (!entry)
		return NULL;
	memcpy(entry, user, u + 1);
	memcpy(entry + u + 1, password, p + 1);
	*len = u + p + 2;
	return entry;
}

static bool cache_hit(struct web_config *wc, const char *entry, size_t len)
{
	bool hit = false;
	size_t i;

	pthread_mutex_lock(&wc->cache_lock);
	for (i = 0; i < WEB_AUTH_CACHE; i++)
		if (wc->cache[i])
			hit |= same_bytes(wc->cache[i], wc->cache_len[i], entry, len);
	pthread_mutex_unlock(&wc->cache_lock);
	return hit;
}

static void cache_add(struct web_config *wc, char *entry, size_t len)
{
	size_t i;

	pthread_mutex_lock(&wc->cache_lock);
	i = wc->cache_next++ % WEB_AUTH_CACHE;
	if (wc->cache[i])
		explicit_bzero(wc->cache[i], wc->cache_len[i]);
	free(wc->cache[i]);
	wc->cache[i] = entry;
	wc->cache_len[i] = len;
	pthread_mutex_unlock(&wc->cache_lock);
}

bool web_config_authorized(struct web_config *wc, const char *user, const char *password)
{
	const struct web_user *found = NULL;
	struct crypt_data *data;
	const char *hashed;
	bool ok = false;
	size_t i, len;
	char *entry;

	if (!wc->nr_users)
		return true;
	if (!user || !password)
		return false;
	for (i = 0; i < wc->nr_users; i++)
		if (!strcmp(wc->users[i].name, user))
			found = &wc->users[i];
	if (!found)
		return false;
	entry = cache_entry(user, password, &len);
	if (!entry)
		return false;
	if (cache_hit(wc, entry, len)) {
		ok = true;
		goto out_free;
	}
	data = calloc(1, sizeof(*data));
	if (!data)
		goto out_free;
	hashed = crypt_r(password, found->hash, data);
	ok = hashed && hashed[0] != '*' &&
	     same_bytes(hashed, strlen(hashed), found->hash, strlen(found->hash));
	explicit_bzero(data, sizeof(*data));
	free(data);
	if (ok) {
		cache_add(wc, entry, len);	/* the cache owns it now */
		return true;
	}
out_free:
	explicit_bzero(entry, len);
	free(entry);
	return ok;
}
