// SPDX-License-Identifier: GPL-2.0
/*
 * A real Prometheus server and skbstat serve, started by a test in the
 * background, and PromQL queries through Prometheus's HTTP API.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testlib.h"

/* Runs @argv in the background, its output into @log; the child's pid or -errno. */
pid_t spawn_logged(char *const argv[], const char *log)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid)
		return pid;
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execvp(argv[0], argv);
	_exit(127);
}

/* SIGTERM, then the exit status (as wait_child() gives it). */
int spawn_stop(pid_t pid)
{
	if (pid <= 0)
		return -EINVAL;
	kill(pid, SIGTERM);
	return wait_child(pid);
}

int skbstat_serve_start(struct serve *s, const char *backend_args, const char *serve_args)
{
	static unsigned int started;
	char cmd[512];

	snprintf(s->log, sizeof(s->log), "/tmp/skbstat-serve-%d-%u.log", getpid(), started++);
	snprintf(cmd, sizeof(cmd), "exec %s %s serve %s", skbstat_path(), backend_args,
		 serve_args);
	s->pid = spawn_logged((char *const[]){ "/bin/sh", "-c", cmd, NULL }, s->log);
	return s->pid < 0 ? s->pid : 0;
}

/* The HTTP status curl gets with @curl_args, or -1 when it got none. */
int http_status(const char *curl_args)
{
	uint64_t code;

	if (sh_u64(&code, "curl -s -o /dev/null -m 20 -w '%%{http_code}' %s", curl_args))
		return -1;
	return code ? (int)code : -1;
}

/* Waits up to @seconds for @url to answer 200 with @curl_args. */
int http_wait_ok(const char *url, const char *curl_args, int seconds)
{
	char args[512];
	int i;

	snprintf(args, sizeof(args), "%s '%s'", curl_args, url);
	for (i = 0; i < seconds * 4; i++) {
		if (http_status(args) == 200)
			return 0;
		usleep(250000);
	}
	return -ETIMEDOUT;
}

int prom_start(struct prom *p, const char *scrape_config)
{
	char config[256], url[64];
	FILE *f;
	int err;

	snprintf(p->dir, sizeof(p->dir), "/tmp/skbstat-prom-%d", getpid());
	if (sh("rm -rf %s && mkdir -p %s/data", p->dir, p->dir))
		return -EIO;
	snprintf(config, sizeof(config), "%s/prometheus.yml", p->dir);
	f = fopen(config, "w");
	if (!f)
		return -errno;
	/* A BPF scrape reads BTF and kallsyms: seconds in the lab VM under TCG. */
	fprintf(f, "global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\n"
		"scrape_configs:\n  - job_name: skbstat\n%s", scrape_config);
	if (fclose(f))
		return -EIO;
	snprintf(p->log, sizeof(p->log), "%s/prometheus.log", p->dir);
	p->pid = spawn_logged((char *const[]){
		"prometheus", "--config.file", config, "--storage.tsdb.path", p->dir,
		"--web.listen-address", PROM_LISTEN, "--log.level", "warn", NULL }, p->log);
	if (p->pid < 0)
		return p->pid;
	snprintf(url, sizeof(url), "http://%s/-/ready", PROM_LISTEN);
	err = http_wait_ok(url, "", 120);
	if (err)
		sh_log("cat %s", p->log);
	return err;
}

void prom_stop(struct prom *p)
{
	if (p->pid > 0)
		spawn_stop(p->pid);
	p->pid = 0;
	if (p->dir[0])
		sh("rm -rf %s", p->dir);
}

/* The value of @promql's first result; -ENOENT when it has none. */
int prom_query(const char *promql, double *value)
{
	json_object *doc, *data, *result, *first, *pair;
	char cmd[1024];
	int err, status;
	char *out;

	snprintf(cmd, sizeof(cmd), "curl -s -m 20 -G 'http://%s/api/v1/query' "
		 "--data-urlencode 'query=%s'", PROM_LISTEN, promql);
	err = sh_capture(cmd, &status, &out);
	if (err)
		return err;
	doc = status ? NULL : json_tokener_parse(out);
	free(out);
	if (!doc)
		return -EIO;
	err = -ENOENT;
	if (json_object_object_get_ex(doc, "data", &data) &&
	    json_object_object_get_ex(data, "result", &result) &&
	    json_object_array_length(result) > 0) {
		first = json_object_array_get_idx(result, 0);
		if (json_object_object_get_ex(first, "value", &pair) &&
		    json_object_array_length(pair) == 2) {
			*value = strtod(json_object_get_string(json_object_array_get_idx(pair, 1)),
					NULL);
			err = 0;
		}
	}
	json_object_put(doc);
	return err;
}

/* Waits up to @seconds for @promql to be @want; its last value into *@got. */
int prom_wait_value(const char *promql, double want, int seconds, double *got)
{
	int i;

	*got = -1;
	for (i = 0; i < seconds; i++) {
		if (!prom_query(promql, got) && *got == want)
			return 0;
		sleep(1);
	}
	return -ETIMEDOUT;
}
