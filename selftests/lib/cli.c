// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the skbstat CLI the way a person does and reads its JSON.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "testlib.h"

const char *skbstat_path(void)
{
	const char *path = getenv("SKBSTAT");

	return path ? path : "build/user/skbstat";
}

/* Runs "skbstat @args", stdout into *@output (malloc'd), exit code into *@status. */
int skbstat_run(const char *args, int *status, char **output)
{
	char *cmd = NULL;
	int err;

	if (asprintf(&cmd, "%s %s", skbstat_path(), args) < 0)
		return -ENOMEM;
	err = sh_capture(cmd, status, output);
	free(cmd);
	return err;
}

/* Runs a shell command, stdout into *@output (malloc'd), exit code into *@status. */
int sh_capture(const char *cmd, int *status, char **output)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *p;
	int st;

	p = popen(cmd, "re");
	if (!p)
		return -errno;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		char *grown = realloc(buf, len + n + 1);

		if (!grown) {
			free(buf);
			pclose(p);
			return -ENOMEM;
		}
		buf = grown;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	if (!buf)
		buf = strdup("");
	else
		buf[len] = '\0';
	*output = buf;
	return 0;
}

int skbstat_json(json_object **out, const char *args)
{
	char *text, *full = NULL;
	int status, err;

	if (asprintf(&full, "-j %s", args) < 0)
		return -ENOMEM;
	err = skbstat_run(full, &status, &text);
	free(full);
	if (err)
		return err;
	if (status) {
		fprintf(stderr, "skbstat -j %s: exit %d\n", args, status);
		free(text);
		return -EIO;
	}
	*out = json_tokener_parse(text);
	free(text);
	return *out ? 0 : -EBADMSG;
}

const char *row_str(json_object *row, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(row, key, &v) ? json_object_get_string(v) : NULL;
}

uint64_t row_u64(json_object *row, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(row, key, &v) ? (uint64_t)json_object_get_int64(v) : 0;
}

/* What a drops row must be to count: its reason (NULL: any), netns (0: any), or gone. */
struct drops_match {
	const char *reason;
	uint32_t netns;
	bool gone;		/* the module's netns gone row: netns 0, no location */
};

static bool drops_row_matches(json_object *row, const struct drops_match *m)
{
	const char *r = row_str(row, "reason");

	if (m->gone)
		return !row_u64(row, "netns") && !row_str(row, "location");
	if (m->reason && (!r || strcmp(r, m->reason)))
		return false;
	return !m->netns || row_u64(row, "netns") == m->netns;
}

static uint64_t drops_sum_matching(json_object *doc, const struct drops_match *m)
{
	json_object *rows, *row;
	uint64_t sum = 0;
	size_t i;

	if (!json_object_object_get_ex(doc, "drops", &rows))
		return 0;
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (drops_row_matches(row, m))
			sum += row_u64(row, "packets");
	}
	return sum;
}

/* Packets of the drops rows with @reason (NULL: any) in @netns (0: any). */
uint64_t drops_sum(json_object *doc, const char *reason, uint32_t netns)
{
	const struct drops_match m = { .reason = reason, .netns = netns };

	return drops_sum_matching(doc, &m);
}

/* Packets of the module's netns gone row (netns 0, no location) in a drops document. */
uint64_t drops_gone(json_object *doc)
{
	const struct drops_match m = { .gone = true };

	return drops_sum_matching(doc, &m);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * Sorts @n lines and joins them, each ended by a newline, into one string
 * of @len bytes at most (the NUL included); frees the lines and @lines.
 * NULL lines (a failed strdup) are left out; NULL if @lines is.
 */
char *lines_join_sorted(char **lines, size_t n, size_t len)
{
	char *text;
	size_t i;

	if (!lines)
		return NULL;
	qsort(lines, n, sizeof(*lines), by_text);
	text = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (text && lines[i])
			strcat(strcat(text, lines[i]), "\n");
		free(lines[i]);
	}
	free(lines);
	return text;
}

/* The rows of table @name ("drops", "flows", "queues"), or NULL. */
json_object *json_rows(json_object *doc, const char *name)
{
	json_object *rows;

	return json_object_object_get_ex(doc, name, &rows) ? rows : NULL;
}

/* Runs "skbstat @backend_args -j @cmd" and returns the rows of @table. */
int skbstat_rows(json_object **doc, json_object **rows, const char *backend_args,
		 const char *cmd, const char *table)
{
	char args[256];
	int err;

	snprintf(args, sizeof(args), "%s %s", backend_args, cmd);
	err = skbstat_json(doc, args);
	if (err)
		return err;
	*rows = json_rows(*doc, table);
	if (!*rows) {
		json_object_put(*doc);
		return -EBADMSG;
	}
	return 0;
}
