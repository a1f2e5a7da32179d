// SPDX-License-Identifier: GPL-2.0
/*
 * Rows with hostile strings and numbers, through the views into every
 * output format (view/, output/): device names are chosen by whoever owns
 * a network namespace (any byte but NUL, '/', ':' and white space, not
 * necessarily UTF-8), locations and reason names come from the kernel,
 * counters may be anything up to 2^64 - 1.  The input is read as a
 * snapshot (fuzz_snapshot()).  JSON must parse back, strictly and as
 * UTF-8; OpenMetrics must be lines a scraper accepts; text only must not
 * crash.
 */
#include <locale.h>
#include <stdint.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "fuzz/fuzz.h"
#include "fuzz/om_check.h"
#include "model/group.h"
#include "view/views.h"

#define MAX_ROWS	6

struct fuzz_case {
	struct skbstat_snapshot snap;
	struct drops_view_opts drops;
	struct flows_view_opts flows;
	struct queues_view_opts queues;
	struct status_view_source source;
	char *filter_dev;
};

static char *maybe_str(struct fuzz_input *in, size_t max)
{
	return fuzz_u8(in) & 1 ? fuzz_str(in, max) : NULL;
}

static void fuzz_drops(struct fuzz_input *in, struct skbstat_snapshot *snap)
{
	unsigned int n = fuzz_u8(in) % MAX_ROWS, i;
	struct skbstat_drop_row *row;
	char *name;

	for (i = 0; i < n; i++) {
		row = snapshot_add_drop(snap);
		if (!row)
			abort();
		row->reason = fuzz_u8(in) & 0x80 ? fuzz_u32(in) : fuzz_u8(in) % 8;
		row->location = maybe_str(in, 80);
		row->ifindex = fuzz_u32(in);
		row->dev = maybe_str(in, 20);
		row->netns = fuzz_u32(in);
		row->proto = fuzz_u16(in);
		row->packets = fuzz_u64(in);
		row->bytes = fuzz_u64(in);
		row->reset = fuzz_u8(in) & 1;
	}
	n = fuzz_u8(in) % MAX_ROWS;
	for (i = 0; i < n; i++) {
		uint32_t id = fuzz_u8(in) % 8;

		name = fuzz_str(in, 40);
		if (snapshot_add_reason(snap, id, name))
			abort();
		free(name);
	}
}

static void fuzz_flows(struct fuzz_input *in, struct skbstat_snapshot *snap)
{
	static const uint8_t families[] = { AF_INET, AF_INET6, AF_UNSPEC };
	unsigned int n = fuzz_u8(in) % MAX_ROWS, i;
	struct skbstat_flow_row *row;

	for (i = 0; i < n; i++) {
		row = snapshot_add_flow(snap);
		if (!row)
			abort();
		row->family = families[fuzz_u8(in) % sizeof(families)];
		row->netns = fuzz_u32(in);
		fuzz_bytes(in, row->saddr, sizeof(row->saddr));
		fuzz_bytes(in, row->daddr, sizeof(row->daddr));
		row->sport = fuzz_u16(in);
		row->dport = fuzz_u16(in);
		row->retransmits = fuzz_u64(in);
		row->bytes = fuzz_u64(in);
		row->events = fuzz_u64(in);
		row->state = fuzz_u8(in);
		row->first_ns = fuzz_u64(in);
		row->last_ns = fuzz_u64(in);
		row->reset = fuzz_u8(in) & 1;
		row->failed = fuzz_u64(in);
		row->failed_known = fuzz_u8(in) & 1;
	}
}

static void fuzz_queues(struct fuzz_input *in, struct skbstat_snapshot *snap)
{
	unsigned int n = fuzz_u8(in) % MAX_ROWS, i, b;
	struct skbstat_queue_row *row;

	for (i = 0; i < n; i++) {
		row = snapshot_add_queue(snap);
		if (!row)
			abort();
		row->netns = fuzz_u32(in);
		row->ifindex = fuzz_u32(in);
		row->dev = maybe_str(in, 20);
		row->queue = fuzz_u16(in);
		row->packets = fuzz_u64(in);
		row->bytes = fuzz_u64(in);
		for (b = 0; b < SKBSTAT_HIST_BUCKETS; b++)
			row->hist[b] = fuzz_u8(in) & 1 ? fuzz_u64(in) : 0;
		row->reset = fuzz_u8(in) & 1;
	}
}

static void fuzz_status(struct fuzz_input *in, struct skbstat_status *status)
{
	unsigned int n = fuzz_u8(in) % 4, i;
	struct skbstat_hook_status *hook;

	status->version = fuzz_u32(in);
	for (i = 0; i < n; i++) {
		hook = status_add_hook(status);
		if (!hook)
			abort();
		hook->id = fuzz_u8(in) % 4;
		hook->name = fuzz_str(in, 40);
		hook->attached = fuzz_u8(in) & 1;
		hook->mode = fuzz_u8(in) % 4;
		hook->events = fuzz_u64(in);
		hook->bytes = fuzz_u64(in);
		hook->table_full = fuzz_u64(in);
		hook->has_missed = fuzz_u8(in) & 1;
		hook->missed = fuzz_u64(in);
		hook->rows = fuzz_u32(in);
		hook->limit = fuzz_u32(in);
		hook->has_longest_probe = fuzz_u8(in) & 1;
		hook->longest_probe = fuzz_u32(in);
		hook->reset = fuzz_u8(in) & 1;
	}
}

/* Rates over a whole second or a fraction: 0 is running totals. */
static double fuzz_interval(struct fuzz_input *in)
{
	static const double intervals[] = { 0, 0, 1, 0.1, 86400 };

	return intervals[fuzz_u8(in) % (sizeof(intervals) / sizeof(intervals[0]))];
}

static void fuzz_case_read(struct fuzz_input *in, struct fuzz_case *c)
{
	uint8_t opts;

	memset(c, 0, sizeof(*c));
	snapshot_init(&c->snap);
	fuzz_status(in, &c->snap.status);
	fuzz_drops(in, &c->snap);
	fuzz_flows(in, &c->snap);
	fuzz_queues(in, &c->snap);

	opts = fuzz_u8(in);
	c->drops.keys = fuzz_u8(in) & DROP_KEYS_ALL;
	c->drops.top = fuzz_u8(in) % 4;
	c->drops.numeric = opts & 1;
	c->drops.interval = fuzz_interval(in);
	if (opts & 2) {
		c->filter_dev = fuzz_str(in, 20);
		c->drops.filter.dev = c->filter_dev;
		c->queues.dev = c->filter_dev;
	}
	c->flows.top = fuzz_u8(in) % 4;
	c->flows.now_ns = fuzz_u64(in);
	c->flows.numeric = opts & 4;
	c->flows.interval = c->drops.interval;
	c->queues.top = fuzz_u8(in) % 4;
	c->queues.busiest_first = opts & 8;
	c->queues.interval = c->drops.interval;
	c->source.backend = "bpf";
	c->source.description = "BPF";
	c->source.interval = c->drops.interval;
}

static int emit_all(struct out *out, const void *ctx)
{
	const struct fuzz_case *c = ctx;

	return view_status(&c->source, &c->snap.status, out) ?:
	       view_drops(&c->snap, &c->drops, out) ?:
	       view_flows(&c->snap, &c->flows, out) ?:
	       view_queues(&c->snap, &c->queues, out);
}

static void check_json(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc;

	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tok, text, strlen(text));
	if (!doc) {
		fprintf(stderr, "JSON output does not parse back: %s\n%s\n",
			json_tokener_error_desc(json_tokener_get_error(tok)), text);
		abort();
	}
	json_object_put(doc);
	json_tokener_free(tok);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* om_check() reads UTF-8 as a scraper does, whatever the caller's locale. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct fuzz_case c;
	char *text;

	fuzz_case_read(&in, &c);
	text = out_render(OUT_FORMAT_TEXT, emit_all, &c);
	free(text);
	text = out_render(OUT_FORMAT_JSON, emit_all, &c);
	if (text)
		check_json(text);
	free(text);
	text = out_render(OUT_FORMAT_OPENMETRICS, emit_all, &c);
	if (text && om_check(text))
		abort();
	free(text);
	free(c.filter_dev);
	snapshot_free(&c.snap);
	return 0;
}
