// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat serve: a Prometheus exporter (user/serve/).  Its HTTP and TLS
 * libraries are not linked into skbstat, whose every other command would
 * load them (GnuTLS alone runs a hundred times skbstat's own start-up):
 * skbstat-serve, the same program with serve/ linked in, does the serving,
 * and skbstat serve becomes it.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "serve/serve.h"

/* Prometheus' list of exporter ports fills 9100-9999: the default lies beyond it. */
#define SERVE_DEFAULT_LISTEN	":19816"

enum {
	OPT_LISTEN = 0x100,
	OPT_WEB_CONFIG,
	OPT_MAX_SERIES,
	OPT_TOP_FLOWS,
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
	struct serve_config *args = state->input;

	switch (key) {
	case OPT_LISTEN:
		if (args->nr_listen == SERVE_MAX_LISTEN) {
			argp_error(state, "--listen %d times at most", SERVE_MAX_LISTEN);
			/* Under ARGP_NO_EXIT argp_error() returns: store nothing. */
			return EINVAL;
		}
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

/*
 * Becomes skbstat-serve, found beside this program (the build tree) or in
 * ../lib/skbstat/ from it (make install, the package), with the same
 * backend and the serve command's own arguments.
 */
static int exec_serve(const struct cli *cli, int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 32], *dir;
	char *args[argc + 4];
	ssize_t len;
	int i;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		fprintf(stderr, "skbstat: cannot find where skbstat is: %s\n", strerror(errno));
		return -errno;
	}
	self[len] = '\0';
	dir = dirname(self);
	args[0] = "skbstat-serve";
	args[1] = "-b";
	args[2] = (char *)cli->backend;
	for (i = 0; i < argc; i++)
		args[3 + i] = argv[i];
	args[3 + argc] = NULL;
	snprintf(path, sizeof(path), "%s/skbstat-serve", dir);
	execv(path, args);
	snprintf(path, sizeof(path), "%s/../lib/skbstat/skbstat-serve", dir);
	execv(path, args);
	fprintf(stderr, "skbstat: serve needs skbstat-serve, installed with skbstat in %s: %s\n",
		path, strerror(errno));
	return -ENOENT;
}

static int serve_run(struct cli *cli, int argc, char **argv)
{
	struct serve_config args = { .nr_listen = 0 };

	cli_parse_command(&cmd_serve, cli, argc, argv, &args);
	if (!serve_forever)
		return exec_serve(cli, argc, argv);
	if (!args.nr_listen)
		args.listen[args.nr_listen++] = SERVE_DEFAULT_LISTEN;
	args.backend = cli->backend;
	return serve_forever(&args);
}

const struct command cmd_serve = {
	.name = "serve",
	.summary = "serve the counters to Prometheus at /metrics",
	.argp = &serve_argp,
	.run = serve_run,
};
