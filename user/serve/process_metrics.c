// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's own process, under the names every Prometheus client
 * library's process collector uses (process_resident_memory_bytes, ...),
 * so that the dashboards and alerts people have for exporters work here.
 * Read from /proc/self at each scrape; a field that cannot be read is left
 * out rather than shown as 0.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "serve/process_metrics.h"

static const struct out_metric resident_metric = {
	"process_resident_memory_bytes", "Resident memory size in bytes.",
};
static const struct out_metric virtual_metric = {
	"process_virtual_memory_bytes", "Virtual memory size in bytes.",
};
static const struct out_metric cpu_metric = {
	"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
};
static const struct out_metric start_metric = {
	"process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
};
static const struct out_metric open_fds_metric = {
	"process_open_fds", "Number of open file descriptors.",
};
static const struct out_metric max_fds_metric = {
	"process_max_fds", "Maximum number of open file descriptors.",
};

struct process_stat {
	unsigned long long utime, stime, start;	/* clock ticks */
	unsigned long long vsize, rss;		/* bytes, pages */
};

/* The fields of /proc/self/stat after the command's name, which may hold spaces. */
static int read_stat(struct process_stat *ps)
{
	char buf[1024], *p;
	size_t len;
	FILE *f;

	f = fopen("/proc/self/stat", "re");
	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	p = strrchr(buf, ')');
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt (3-13) */
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
			 "%*d %*d %*d %*d %*d %*d %llu %llu %llu", &ps->utime, &ps->stime,
			 &ps->start, &ps->vsize, &ps->rss) != 5)
		return -1;
	return 0;
}

static double boot_time(void)
{
	unsigned long long btime = 0;
	char line[256];
	FILE *f;

	f = fopen("/proc/stat", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %llu", &btime) == 1)
			break;
	fclose(f);
	return btime ? (double)btime : -1;
}

static long open_fds(void)
{
	struct dirent *e;
	long n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* this directory's own descriptor */
}

static void emit_process_row(struct out *out, const struct process_stat *ps, double ticks,
			     double boot, long fds, const struct rlimit *nofile)
{
	out_u64_metric(out, "resident_memory_bytes", OUT_GAUGE,
		       ps->rss * (unsigned long long)sysconf(_SC_PAGESIZE), &resident_metric);
	out_u64_metric(out, "virtual_memory_bytes", OUT_GAUGE, ps->vsize, &virtual_metric);
	out_double_metric(out, "cpu_seconds", OUT_COUNTER, (ps->utime + ps->stime) / ticks,
			  &cpu_metric);
	if (boot >= 0)
		out_double_metric(out, "start_time_seconds", OUT_GAUGE, boot + ps->start / ticks,
				  &start_metric);
	if (fds >= 0)
		out_u64_metric(out, "open_fds", OUT_GAUGE, fds, &open_fds_metric);
	out_u64_metric(out, "max_fds", OUT_GAUGE, nofile->rlim_cur, &max_fds_metric);
}

void process_metrics_emit(struct out *out)
{
	struct process_stat ps, example = { 0 };
	double ticks = sysconf(_SC_CLK_TCK), boot = boot_time();
	struct rlimit nofile = { 0 };
	long fds = open_fds();

	if (read_stat(&ps) || ticks <= 0 || getrlimit(RLIMIT_NOFILE, &nofile))
		return;
	out_table_begin(out, "process");
	out_schema_begin(out);
	emit_process_row(out, &example, ticks, boot, fds, &nofile);
	out_schema_end(out);
	out_row_begin(out);
	emit_process_row(out, &ps, ticks, boot, fds, &nofile);
	out_row_end(out);
	out_table_end(out);
}
