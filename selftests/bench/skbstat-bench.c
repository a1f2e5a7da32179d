// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat-bench: the cost each backend and attach mode adds to one event of
 * a hook, next to the floors (probes that do nothing) and the tools people
 * use today (bpftrace, drop_monitor).  Configurations alternate, round
 * after round (A/B/A/B), each set up from nothing and taken away again;
 * what it adds is its time per event minus the median of the baseline's.
 * Then the time to dump a large drops table from each backend, and to
 * answer skbstat serve's scrape of it (HTTP itself aside).
 *
 * In the lab VM under QEMU's -icount shift=0 the clock counts guest
 * instructions, so every number in ns there reads as instructions.
 *
 * A lab tool beside its modules, never shipped: it links the CLI's library
 * (build/user/libskbstat.a) and reaches the BPF backend only through
 * backend/backend.h and backend/bpf/bench_iface.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <skbstat/tables.h>

#include "backend/backend.h"
#include "backend/bpf/bench_iface.h"
#include "bench.h"
#include "cli/cli.h"
#include "model/snapshot.h"
#include "output/output.h"
#include "serve/gzip.h"
#include "serve/scrape.h"

#define ALL_HOOKS	((1u << BENCH_DROPS) | (1u << BENCH_QUEUES) | (1u << BENCH_FLOWS))
/* The trigger runs tcp:tcp_retransmit_skb's probes itself: kprobes see none. */
#define NO_FLOWS	((1u << BENCH_DROPS) | (1u << BENCH_QUEUES))
#define DROPS_ONLY	(1u << BENCH_DROPS)

/*
 * Only what looks at the keys is measured with larger tables: the floors
 * do not, and the other attach modes share their key handling with the
 * first.
 */
static const struct bench_config bench_configs[] = {
	{ "baseline", BENCH_NOTHING, NULL, NULL, ALL_HOOKS, true, NULL },
	{ "kmod-floor-tracepoint", BENCH_KMOD_FLOOR, "tracepoint", NULL, ALL_HOOKS, false, NULL },
	{ "kmod-tracepoint", BENCH_KMOD, "tracepoint", "kmod-floor-tracepoint", ALL_HOOKS, true,
	  NULL },
	{ "kmod-floor-kprobe", BENCH_KMOD_FLOOR, "kprobe", NULL, NO_FLOWS, false, NULL },
	{ "kmod-kprobe", BENCH_KMOD, "kprobe", "kmod-floor-kprobe", NO_FLOWS, false, NULL },
	{ "bpf-floor-tp_btf", BENCH_BPF_PART, "tp_btf", NULL, ALL_HOOKS, false, "floor.bpf.o" },
	{ "bpf-tp_btf", BENCH_BPF, "tp_btf", "bpf-floor-tp_btf", ALL_HOOKS, true, NULL },
	/* Parts of a tp_btf program (selftests/bench/{lookup,onerow}.bpf.c). */
	{ "bpf-lookup-tp_btf", BENCH_BPF_PART, "tp_btf", "bpf-floor-tp_btf", ALL_HOOKS, false,
	  "lookup.bpf.o" },
	{ "bpf-onerow-tp_btf", BENCH_BPF_PART, "tp_btf", "bpf-floor-tp_btf", ALL_HOOKS, false,
	  "onerow.bpf.o" },
	{ "bpf-floor-raw_tp", BENCH_BPF_PART, "raw_tp", NULL, ALL_HOOKS, false, "floor.bpf.o" },
	{ "bpf-raw_tp", BENCH_BPF, "raw_tp", "bpf-floor-raw_tp", ALL_HOOKS, false, NULL },
	{ "bpf-floor-kprobe", BENCH_BPF_PART, "kprobe", NULL, NO_FLOWS, false, "floor.bpf.o" },
	{ "bpf-kprobe", BENCH_BPF, "kprobe", "bpf-floor-kprobe", NO_FLOWS, false, NULL },
	{ "bpftrace", BENCH_BPFTRACE, NULL, NULL, ALL_HOOKS, true, NULL },
	{ "drop_monitor", BENCH_DROP_MONITOR, NULL, NULL, DROPS_ONLY, true, NULL },
};

#define NR_CONFIGS	(sizeof(bench_configs) / sizeof(bench_configs[0]))
#define MAX_SCALE_KEYS	8
#define MAX_CASES	(BENCH_HOOK_COUNT + 2 * MAX_SCALE_KEYS)
#define MAX_ROUNDS	64
#define MAX_KEYS	16384
/* The drops table of the dump runs: room for any --dump-rows. */
#define DUMP_TABLE_ROWS	MAX_KEYS
/* Synthetic rows (a machine without the trigger) differ in the protocol. */
#define SYNTHETIC_PROTO_BASE	0x1000

static const char *const hook_names[BENCH_HOOK_COUNT] = {
	[BENCH_DROPS] = "skb:kfree_skb",
	[BENCH_QUEUES] = "net:net_dev_queue",
	[BENCH_FLOWS] = "tcp:tcp_retransmit_skb",
};

const char *argp_program_version = "skbstat-bench " SKBSTAT_VERSION;

/* Print "skbstat-bench: MESSAGE" and return CLI_ERR_USAGE, exit status 2. */
static int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("skbstat-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_ERR_USAGE;
}

enum bench_option {
	OPT_EVENTS = 0x100,	/* long options only */
	OPT_ROUNDS,
	OPT_CONFIGS,
	OPT_KEYS,
	OPT_FLOW_KEYS,
	OPT_MODULE,
	OPT_FLOOR_MODULE,
	OPT_BENCH_BPF,
	OPT_TRIGGER,
	OPT_UDP,
	OPT_DUMP_ROWS,
	OPT_DUMP_BACKENDS,
	OPT_SETTLE,
	OPT_LIST,
	OPT_JSON = 'j',
	OPT_OUTPUT = 'o',
};

struct bench_args {
	struct cli cli;			/* only its format: -j, -o */
	size_t events;
	size_t rounds;
	const char *configs;		/* comma list; NULL: every one */
	const char *keys;		/* comma list of drop table sizes */
	const char *flow_keys;		/* and of flows table sizes */
	struct bench_env env;
	const char *trigger;
	const char *udp_netns;		/* the udp workload, in this netns */
	size_t dump_rows;
	const char *dump_backends;
	size_t settle_ms;
	bool list;
};

/* One measurement: a hook, and how many drop keys the events cycle through. */
struct bench_case {
	enum bench_hook hook;
	uint32_t keys;
};

struct bench_plan {
	const struct bench_config *configs[NR_CONFIGS];
	size_t nr_configs;
	struct bench_case cases[MAX_CASES];
	size_t nr_cases;
	/* ns per event: [config][case][round]; negative: not measured */
	double *samples;
};

static const struct argp_option bench_options[] = {
	{ "events", OPT_EVENTS, "N", 0, "Events per run (default 20000)", 0 },
	{ "rounds", OPT_ROUNDS, "N", 0, "Rounds over all configurations (default 3)", 0 },
	{ "configs", OPT_CONFIGS, "LIST", 0,
	  "Configurations to run, comma separated (default: all; see --list)", 0 },
	{ "keys", OPT_KEYS, "LIST", 0,
	  "Drops table sizes to measure besides 1 row (default 10,100,1000,8000; '' none)", 0 },
	{ "flow-keys", OPT_FLOW_KEYS, "LIST", 0,
	  "Flows table sizes likewise (default 10,100,1000,16000; '' none)", 0 },
	{ "module", OPT_MODULE, "PATH", 0, "skbstat.ko for the kmod configurations", 0 },
	{ "floor-module", OPT_FLOOR_MODULE, "PATH", 0, "skbstat_bench_floor.ko", 0 },
	{ "bench-bpf", OPT_BENCH_BPF, "DIR", 0,
	  "Where the bench's own BPF objects are: floor.bpf.o, the BPF floor, and the parts "
	  "of a program (lookup.bpf.o, onerow.bpf.o)", 0 },
	{ "trigger", OPT_TRIGGER, "DIR", 0,
	  "The trigger module's debugfs directory (default /sys/kernel/debug/skbstat_bench)", 0 },
	{ "udp", OPT_UDP, "NETNS", 0,
	  "Instead of the trigger, send UDP from netns NETNS, whose nftables output chain "
	  "drops UDP to 127.0.0.1:9 (drops only; real time)", 0 },
	{ "dump-rows", OPT_DUMP_ROWS, "N", 0,
	  "Rows of the drops table to time a dump of (default 10000; 0: no dump)", 0 },
	{ "dump-backends", OPT_DUMP_BACKENDS, "LIST", 0,
	  "Backends to time a dump of (default kmod,bpf)", 0 },
	{ "settle", OPT_SETTLE, "MS", 0,
	  "Pause after each setup and teardown, for the work the kernel defers "
	  "(freeing programs, RCU callbacks) to end outside the timed runs (default 1000)", 0 },
	{ "list", OPT_LIST, NULL, 0, "List the configurations and exit", 0 },
	{ "output", OPT_OUTPUT, "FORMAT", 0,
	  "Output format: text (default), json or openmetrics", 0 },
	{ "json", OPT_JSON, NULL, 0, "Same as -o json", 0 },
	{ 0 }
};

static error_t parse_bench_option(int key, char *arg, struct argp_state *state)
{
	struct bench_args *args = state->input;

	switch (key) {
	case OPT_EVENTS:
		cli_parse_count(state, "--events", arg, &args->events);
		if (!args->events)
			argp_error(state, "--events must be at least 1");
		return 0;
	case OPT_ROUNDS:
		cli_parse_count(state, "--rounds", arg, &args->rounds);
		if (!args->rounds || args->rounds > MAX_ROUNDS)
			argp_error(state, "--rounds must be 1 to %d", MAX_ROUNDS);
		return 0;
	case OPT_CONFIGS:
		args->configs = arg;
		return 0;
	case OPT_KEYS:
		args->keys = arg;
		return 0;
	case OPT_FLOW_KEYS:
		args->flow_keys = arg;
		return 0;
	case OPT_MODULE:
		args->env.module = arg;
		return 0;
	case OPT_FLOOR_MODULE:
		args->env.floor_module = arg;
		return 0;
	case OPT_BENCH_BPF:
		args->env.bpf_dir = arg;
		return 0;
	case OPT_TRIGGER:
		args->trigger = arg;
		return 0;
	case OPT_UDP:
		args->udp_netns = arg;
		return 0;
	case OPT_DUMP_ROWS:
		args->dump_rows = 0;
		if (strcmp(arg, "0"))
			cli_parse_count(state, "--dump-rows", arg, &args->dump_rows);
		if (args->dump_rows > MAX_KEYS)
			argp_error(state, "--dump-rows must be at most %d", MAX_KEYS);
		return 0;
	case OPT_DUMP_BACKENDS:
		args->dump_backends = arg;
		return 0;
	case OPT_SETTLE:
		args->settle_ms = 0;
		if (strcmp(arg, "0"))
			cli_parse_count(state, "--settle", arg, &args->settle_ms);
		return 0;
	case OPT_LIST:
		args->list = true;
		return 0;
	case OPT_OUTPUT:
		if (out_format_parse(arg, &args->cli.format))
			argp_error(state, "unknown output format '%s' (use %s)", arg,
				   out_format_names());
		return 0;
	case OPT_JSON:
		args->cli.format = OUT_FORMAT_JSON;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "no arguments, only options");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp bench_argp = {
	.options = bench_options,
	.parser = parse_bench_option,
	.doc = "Measure what each backend and attach mode adds to one event of a hook, "
	       "next to empty probes (the floors), bpftrace and drop_monitor, and the time "
	       "to dump a large drops table.  A lab tool: it loads modules and BPF programs "
	       "and needs root; 'make bench' runs it in the lab VM and on this machine.\v"
	       "In the lab VM under QEMU -icount shift=0 every ns is one guest instruction.\n"
	       "\n"
	       "Examples:\n"
	       "  skbstat-bench --list\n"
	       "  skbstat-bench -j --module skbstat.ko --floor-module skbstat_bench_floor.ko "
	       "--bench-bpf build/bench\n"
	       "  skbstat-bench --udp skbbench --configs baseline,bpf-floor-tp_btf,bpf-tp_btf\n"
	       "\n"
	       "Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.",
};

/* ---- the plan ---- */

static const struct bench_config *find_config(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NR_CONFIGS; i++)
		if (strlen(bench_configs[i].name) == len &&
		    !strncmp(bench_configs[i].name, name, len))
			return &bench_configs[i];
	return NULL;
}

static int plan_configs(struct bench_plan *plan, const char *list)
{
	const struct bench_config *c;
	const char *p = list;
	size_t i, len;

	if (!list) {
		for (i = 0; i < NR_CONFIGS; i++)
			plan->configs[plan->nr_configs++] = &bench_configs[i];
		return 0;
	}
	while (*p) {
		len = strcspn(p, ",");
		c = find_config(p, len);
		if (!c)
			return usage_error("no configuration '%.*s' (see 'skbstat-bench --list')",
					   (int)len, p);
		for (i = 0; i < plan->nr_configs; i++)
			if (plan->configs[i] == c)
				break;
		if (i == plan->nr_configs)
			plan->configs[plan->nr_configs++] = c;
		p += len + !!p[len];
	}
	if (!plan->nr_configs || plan->configs[0]->kind != BENCH_NOTHING)
		return usage_error("--configs must start with baseline, what the others "
				   "are measured against");
	return 0;
}

/* One row of each hook, then the table sizes of @keys for @hook. */
static int plan_cases(struct bench_plan *plan, enum bench_hook hook, const char *keys)
{
	const char *p = keys;
	unsigned long k;
	char *end;

	if (!plan->nr_cases) {
		plan->cases[plan->nr_cases++] = (struct bench_case){ BENCH_DROPS, 1 };
		plan->cases[plan->nr_cases++] = (struct bench_case){ BENCH_QUEUES, 1 };
		plan->cases[plan->nr_cases++] = (struct bench_case){ BENCH_FLOWS, 1 };
	}
	while (*p) {
		errno = 0;
		k = strtoul(p, &end, 10);
		if (errno || end == p || (*end && *end != ',') || !k || k > MAX_KEYS)
			return usage_error("--keys and --flow-keys take numbers from 1 to %d, "
					   "comma separated", MAX_KEYS);
		if (plan->nr_cases == MAX_CASES)
			return usage_error("--keys and --flow-keys take at most %d sizes each",
					   MAX_SCALE_KEYS);
		plan->cases[plan->nr_cases++] = (struct bench_case){ hook, k };
		p = *end ? end + 1 : end;
	}
	return 0;
}

static double *sample_at(const struct bench_plan *plan, size_t config, size_t kase, size_t round)
{
	return &plan->samples[(config * plan->nr_cases + kase) * MAX_ROUNDS + round];
}

/* ---- measuring ---- */

static uint64_t round_up(uint64_t n, uint32_t k)
{
	return (n + k - 1) / k * k;
}

/*
 * One case under the configuration that is set up: a warm-up run that
 * makes the table's rows (their insertion is not what is measured), then
 * the timed run.  The events are a multiple of the keys, so every row is
 * hit as often as every other.
 */
static int measure_case(struct bench_workload *w, const struct bench_case *kase,
			size_t events, double *per_event)
{
	uint64_t n = round_up(events, kase->keys), warm, ns;
	int err;

	warm = round_up(events / 10 > kase->keys ? events / 10 : kase->keys, kase->keys);
	err = bench_workload_run(w, kase->hook, warm, kase->keys, &ns);
	if (!err)
		err = bench_workload_run(w, kase->hook, n, kase->keys, &ns);
	if (!err)
		*per_event = (double)ns / n;
	return err;
}

/*
 * Under -icount the guest clock jumps while the vCPU idles, so a pause costs
 * next to no real time there.
 */
static void settle(const struct bench_args *args)
{
	usleep(args->settle_ms * 1000);
}

static int run_round(struct bench_plan *plan, const struct bench_args *args,
		     struct bench_workload *w, size_t round)
{
	const struct bench_config *c;
	struct bench_live live;
	size_t i, k;
	int err;

	for (i = 0; i < plan->nr_configs; i++) {
		c = plan->configs[i];
		fprintf(stderr, "skbstat-bench: round %zu/%zu: %s\n", round + 1, args->rounds,
			c->name);
		err = bench_setup(&live, c, &args->env, false);
		if (err) {
			fprintf(stderr, "skbstat-bench: cannot set up %s: %s\n", c->name,
				strerror(-err));
			return err;
		}
		settle(args);
		for (k = 0; !err && k < plan->nr_cases; k++) {
			const struct bench_case *kase = &plan->cases[k];

			if (!(c->hooks & (1u << kase->hook)) ||
			    (k >= BENCH_HOOK_COUNT && !c->scale) ||
			    !bench_workload_can(w, kase->hook, kase->keys))
				continue;
			err = measure_case(w, kase, args->events, sample_at(plan, i, k, round));
		}
		bench_teardown(&live);
		settle(args);
		if (err) {
			fprintf(stderr, "skbstat-bench: measuring %s failed: %s\n", c->name,
				strerror(-err));
			return err;
		}
	}
	return 0;
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stats {
	size_t n;
	double min, median, max;
};

static void stats_of(const double *v, size_t nr, struct stats *s)
{
	double sorted[MAX_ROUNDS];

	s->n = nr;
	if (!nr)
		return;
	memcpy(sorted, v, nr * sizeof(*v));
	qsort(sorted, nr, sizeof(sorted[0]), cmp_double);
	s->min = sorted[0];
	s->max = sorted[nr - 1];
	s->median = nr % 2 ? sorted[nr / 2] : (sorted[nr / 2 - 1] + sorted[nr / 2]) / 2;
}

/* The samples of one configuration and case. */
static void case_stats(const struct bench_plan *plan, size_t config, size_t kase,
		       struct stats *s)
{
	double v[MAX_ROUNDS];
	size_t r, n = 0;

	for (r = 0; r < MAX_ROUNDS; r++) {
		double x = *sample_at(plan, config, kase, r);

		if (x >= 0)
			v[n++] = x;
	}
	stats_of(v, n, s);
}

static int config_index(const struct bench_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; name && i < plan->nr_configs; i++)
		if (!strcmp(plan->configs[i]->name, name))
			return i;
	return -1;
}

/* ---- output ---- */

/*
 * What a configuration adds is its minimum less the baseline's minimum
 * (the runs least disturbed by anything else: what counts in real time on
 * a busy machine), and its median less the baseline's median.  Spread is
 * its slowest run less its fastest.
 */
struct result_row {
	const char *config;
	const char *hook;
	uint32_t rows;
	size_t runs;
	struct stats total;		/* ns per event, baseline included */
	double added_min, added_median, spread;
	const char *floor;
	double ratio;			/* added over the floor's added; 0: no floor */
};

static void emit_result(struct out *out, const struct result_row *r)
{
	out_str(out, "config", OUT_LABEL, r->config);
	out_str(out, "hook", OUT_LABEL, r->hook);
	out_u64(out, "rows", OUT_LABEL, r->rows);
	out_u64(out, "runs", OUT_INFO, r->runs);
	out_double(out, "per_event_min", OUT_GAUGE, r->total.min);
	out_double(out, "per_event_median", OUT_GAUGE, r->total.median);
	out_double(out, "added_min", OUT_GAUGE, r->added_min);
	out_double(out, "added_median", OUT_GAUGE, r->added_median);
	out_double(out, "spread", OUT_GAUGE, r->spread);
	out_str(out, "floor", OUT_INFO, r->floor);
	out_double(out, "ratio", OUT_GAUGE, r->ratio);
}

static void emit_results(struct out *out, const struct bench_plan *plan)
{
	struct result_row example = { .config = "baseline", .hook = hook_names[0], .rows = 1 };
	struct stats base, total, ftotal;
	size_t i, k;
	int f;

	out_table_begin(out, "overhead");
	out_schema_begin(out);
	emit_result(out, &example);
	out_schema_end(out);
	for (k = 0; k < plan->nr_cases; k++) {
		case_stats(plan, 0, k, &base);
		if (!base.n)
			continue;
		for (i = 0; i < plan->nr_configs; i++) {
			const struct bench_config *c = plan->configs[i];
			struct result_row r = {
				.config = c->name,
				.hook = hook_names[plan->cases[k].hook],
				.rows = plan->cases[k].keys,
			};

			case_stats(plan, i, k, &total);
			if (!total.n)
				continue;
			r.runs = total.n;
			r.total = total;
			r.added_min = total.min - base.min;
			r.added_median = total.median - base.median;
			r.spread = total.max - total.min;
			f = config_index(plan, c->floor);
			if (f >= 0) {
				case_stats(plan, f, k, &ftotal);
				if (ftotal.n && ftotal.median > base.median) {
					r.floor = c->floor;
					r.ratio = r.added_median / (ftotal.median - base.median);
				}
			}
			out_row_begin(out);
			emit_result(out, &r);
			out_row_end(out);
		}
	}
	out_table_end(out);
}

struct dump_row {
	const char *backend;
	size_t rows;
	struct stats ns;
	struct stats scrape_ns;		/* read and render, the backend kept open */
	size_t scrape_bytes;
	struct stats gzip_ns;		/* and compress, when Prometheus asks for it */
	size_t gzip_bytes;
};

static void emit_dump(struct out *out, const struct dump_row *d)
{
	out_str(out, "backend", OUT_LABEL, d->backend);
	out_u64(out, "rows", OUT_GAUGE, d->rows);
	out_u64(out, "runs", OUT_INFO, d->ns.n);
	out_double(out, "min_ns", OUT_GAUGE, d->ns.min);
	out_double(out, "median_ns", OUT_GAUGE, d->ns.median);
	out_double(out, "scrape_min_ns", OUT_GAUGE, d->scrape_ns.min);
	out_double(out, "scrape_median_ns", OUT_GAUGE, d->scrape_ns.median);
	out_u64(out, "scrape_bytes", OUT_GAUGE, d->scrape_bytes);
	out_double(out, "gzip_min_ns", OUT_GAUGE, d->gzip_ns.min);
	out_double(out, "gzip_median_ns", OUT_GAUGE, d->gzip_ns.median);
	out_u64(out, "gzip_bytes", OUT_GAUGE, d->gzip_bytes);
}

/* ---- dumps ---- */

/* What 'skbstat drops' asks a backend for, from opening it to the last row. */
static int dump_once(const char *backend, size_t *rows, double *ns)
{
	struct skbstat_snapshot snap;
	struct backend be;
	uint64_t start;
	int err;

	start = bench_now_ns();
	err = backend_open(&be, backend);
	if (err)
		return err;
	snapshot_init(&snap);
	err = be.ops->get_drops(&be, &snap);
	*ns = bench_now_ns() - start;
	*rows = snap.nr_drops;
	snapshot_free(&snap);
	backend_close(&be);
	return err;
}

static int scrape_once(struct scrape_state *st, struct dump_row *d, double *ns,
		       double *gzip_ns)
{
	uint64_t start = bench_now_ns();
	size_t len, zlen;
	char *body;
	void *z;
	int err;

	err = scrape_render(st, OUT_FORMAT_PROMETHEUS_TEXT, &body, &len);
	if (err)
		return err;
	*ns = bench_now_ns() - start;
	z = gzip(body, len, &zlen);
	*gzip_ns = bench_now_ns() - start - *ns;
	free(body);
	free(z);
	if (!z)
		return -ENOMEM;
	d->scrape_bytes = len;
	d->gzip_bytes = zlen;
	return 0;
}

/*
 * skbstat serve's scrape of the same rows, as the exporter keeps its
 * backend: open from the first scrape on, which is not timed.  The
 * defaults: no --max-series, no per-flow series.
 */
static int time_scrapes(const char *backend, size_t rounds, struct dump_row *d)
{
	const struct scrape_opts opts = { .backend = backend };
	double v[MAX_ROUNDS], z[MAX_ROUNDS], first, first_z;
	struct scrape_state st;
	size_t r;
	int err;

	scrape_init(&st, &opts);
	err = scrape_once(&st, d, &first, &first_z);
	for (r = 0; !err && r < rounds; r++)
		err = scrape_once(&st, d, &v[r], &z[r]);
	if (!err && st.errors)
		err = -EIO;
	scrape_fini(&st);
	if (err)
		return err;
	stats_of(v, rounds, &d->scrape_ns);
	stats_of(z, rounds, &d->gzip_ns);
	return 0;
}

/*
 * Without the trigger, the one row the workload made is copied with other
 * protocols into the drops table, as a probe makes a row: the rows are as
 * real as the dump can tell, their location symbolized like any other.
 */
static int fill_synthetic(const struct bench_live *live, size_t rows)
{
	return bpfbe_bench_drops_fill(live->bpf, rows, SYNTHETIC_PROTO_BASE);
}

static int time_dump(const char *backend, const struct bench_args *args,
		     struct bench_workload *w, struct dump_row *d)
{
	const char *config = !strcmp(backend, "kmod") ? "kmod-tracepoint" : "bpf-tp_btf";
	const struct bench_config *c = find_config(config, strlen(config));
	struct bench_env env = args->env;
	double v[MAX_ROUNDS];
	struct bench_live live;
	size_t r, rows = 0;
	uint32_t keys = args->dump_rows;
	uint64_t ns;
	int err;

	env.drop_rows = DUMP_TABLE_ROWS;
	d->backend = backend;
	fprintf(stderr, "skbstat-bench: dumping %zu rows from %s\n", args->dump_rows, backend);
	err = bench_setup(&live, c, &env, true);
	if (err)
		return err;
	if (bench_workload_can(w, BENCH_DROPS, keys)) {
		err = bench_workload_run(w, BENCH_DROPS, keys, keys, &ns);
	} else if (c->kind == BENCH_BPF) {
		err = bench_workload_run(w, BENCH_DROPS, 1, 1, &ns);
		if (!err)
			err = fill_synthetic(&live, keys);
	} else {
		err = -EOPNOTSUPP;
	}
	for (r = 0; !err && r < args->rounds; r++)
		err = dump_once(backend, &rows, &v[r]);
	if (!err)
		err = time_scrapes(backend, args->rounds, d);
	bench_teardown(&live);
	if (err) {
		fprintf(stderr, "skbstat-bench: timing a dump from %s failed: %s\n", backend,
			strerror(-err));
		return err;
	}
	d->rows = rows;
	stats_of(v, args->rounds, &d->ns);
	return 0;
}

static int run_dumps(const struct bench_args *args, struct bench_workload *w, struct out *out)
{
	struct dump_row example = { .backend = "kmod" }, d;
	const char *p = args->dump_backends;
	char name[16];
	size_t len;
	int err = 0;

	out_table_begin(out, "dumps");
	out_schema_begin(out);
	emit_dump(out, &example);
	out_schema_end(out);
	while (!err && args->dump_rows && *p) {
		len = strcspn(p, ",");
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len + !!p[len];
		if (strcmp(name, "kmod") && strcmp(name, "bpf")) {
			err = usage_error("--dump-backends takes kmod and bpf, not '%s'", name);
			break;
		}
		err = time_dump(name, args, w, &d);
		if (err)
			break;
		out_row_begin(out);
		emit_dump(out, &d);
		out_row_end(out);
	}
	out_table_end(out);
	return err;
}

/* ---- the program ---- */

static int list_configs(struct cli *cli)
{
	struct out *out = cli_output_open(cli, 0);
	size_t i;

	if (!out)
		return -ENOMEM;
	out_table_begin(out, "configs");
	for (i = 0; i <= NR_CONFIGS; i++) {
		const struct bench_config *c = &bench_configs[i ? i - 1 : 0];

		if (!i)
			out_schema_begin(out);
		else
			out_row_begin(out);
		out_str(out, "config", OUT_LABEL, c->name);
		out_str(out, "floor", OUT_INFO, c->floor);
		out_bool(out, "queues", OUT_INFO, c->hooks & (1u << BENCH_QUEUES));
		out_bool(out, "flows", OUT_INFO, c->hooks & (1u << BENCH_FLOWS));
		out_bool(out, "scale", OUT_INFO, c->scale);
		if (!i)
			out_schema_end(out);
		else
			out_row_end(out);
	}
	out_table_end(out);
	return cli_output_close(out, 0);
}

static int bench_run(int argc, char **argv)
{
	struct bench_args args = {
		.cli = { .backend = BACKEND_AUTO, .format = OUT_FORMAT_TEXT },
		.events = 20000,
		.rounds = 3,
		.keys = "10,100,1000,8000",
		.flow_keys = "10,100,1000,16000",
		.trigger = "/sys/kernel/debug/skbstat_bench",
		.dump_rows = 10000,
		.dump_backends = "kmod,bpf",
		.settle_ms = 1000,
	};
	struct bench_plan plan = { 0 };
	struct bench_workload w;
	struct out *out;
	size_t i;
	int err;

	argp_parse(&bench_argp, argc, argv, 0, NULL, &args);
	if (args.list)
		return list_configs(&args.cli);
	err = plan_configs(&plan, args.configs);
	if (!err)
		err = plan_cases(&plan, BENCH_DROPS, args.keys);
	if (!err)
		err = plan_cases(&plan, BENCH_FLOWS, args.flow_keys);
	if (err)
		return err;
	plan.samples = malloc(plan.nr_configs * plan.nr_cases * MAX_ROUNDS *
			      sizeof(*plan.samples));
	if (!plan.samples)
		return -ENOMEM;
	for (i = 0; i < plan.nr_configs * plan.nr_cases * MAX_ROUNDS; i++)
		plan.samples[i] = -1;

	err = bench_workload_open(&w, args.udp_netns ? BENCH_WORKLOAD_UDP :
				  BENCH_WORKLOAD_TRIGGER, args.trigger, args.udp_netns);
	if (err)
		goto out_free;
	for (i = 0; !err && i < args.rounds; i++)
		err = run_round(&plan, &args, &w, i);
	if (err)
		goto out_close;

	out = cli_output_open(&args.cli, 0);
	if (!out) {
		err = -ENOMEM;
		goto out_close;
	}
	emit_results(out, &plan);
	err = run_dumps(&args, &w, out);
	err = cli_output_close(out, err);
out_close:
	bench_workload_close(&w);
out_free:
	free(plan.samples);
	return err;
}

int main(int argc, char **argv)
{
	argp_err_exit_status = EXIT_USAGE_ERROR;
	switch (bench_run(argc, argv)) {
	case 0:
		return EXIT_SUCCESS;
	case CLI_ERR_USAGE:
		return EXIT_USAGE_ERROR;
	}
	return EXIT_RUNTIME_ERROR;
}
