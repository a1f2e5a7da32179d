// SPDX-License-Identifier: GPL-2.0
/*
 * OpenMetrics renderer, for Prometheus: the node_exporter textfile
 * collector or a scrape.  Each counter or gauge field that carries a
 * struct out_metric becomes one metric family; the row's labels (fields
 * of role OUT_LABEL) become its labels:
 *
 *	# HELP skbstat_drops_total Packets the kernel dropped.
 *	# TYPE skbstat_drops_total counter
 *	skbstat_drops_total{reason="NO_SOCKET",dev="eth0"} 120
 *	...
 *	# EOF
 *
 * A family's samples must be contiguous, but rows carry one value of each
 * family, so samples are buffered per family until the table ends.  Three
 * dialects: for the textfile collector (-o openmetrics), TYPE lines name
 * the sample, "_total" included, as the Prometheus text format 0.0.4 and
 * promtool expect, and "# EOF" ends it; for a scrape, 0.0.4 itself (no
 * "# EOF"), or OpenMetrics 1.0.0, where a counter's HELP and TYPE name its
 * family, without "_total".  Totals only: rates are the scraper's job.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output/output_renderer.h"
#include "output/utf8.h"
#include "util.h"

struct om_family {
	const char *name;
	const char *help;
	bool counter;
	char *samples;
	size_t len;
	FILE *f;			/* writes @samples */
	char value[32];			/* this row's value, "" for none */
};

enum om_dialect {
	OM_TEXTFILE,
	OM_PROMETHEUS_TEXT,
	OM_OPENMETRICS_1,
};

struct om_renderer {
	struct out_renderer base;
	enum om_dialect dialect;

	/* Pointers: each family's memstream holds the address of its buffer. */
	struct om_family **families;
	size_t nr_families;
	bool in_table;
	bool in_schema;

	char *labels;			/* this row's 'name="value",...' */
	size_t labels_len;
	FILE *labels_f;
};

static struct om_renderer *to_om(struct out_renderer *r)
{
	return container_of(r, struct om_renderer, base);
}

/* [a-zA-Z_][a-zA-Z0-9_]*: what both label and metric names allow. */
static bool om_name_valid(const char *name)
{
	if (!name || !(isalpha((unsigned char)*name) || *name == '_'))
		return false;
	for (name++; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_')
			return false;
	return true;
}

/*
 * Label values escape backslash, double quote and newline; HELP text no
 * quote.  Both must be UTF-8.  Returns 0 or -ENOMEM.
 */
static int om_escape(FILE *f, const char *text, bool quote)
{
	char *repaired = NULL;

	if (!utf8_valid(text)) {
		repaired = utf8_repair(text);
		if (!repaired)
			return -ENOMEM;
		text = repaired;
	}
	for (; *text; text++) {
		if (*text == '\\')
			fputs("\\\\", f);
		else if (*text == '\n')
			fputs("\\n", f);
		else if (*text == '"' && quote)
			fputs("\\\"", f);
		else
			fputc(*text, f);
	}
	free(repaired);
	return 0;
}

static void free_families(struct om_renderer *m)
{
	size_t i;

	for (i = 0; i < m->nr_families; i++) {
		if (m->families[i]->f)
			fclose(m->families[i]->f);
		free(m->families[i]->samples);
		free(m->families[i]);
	}
	free(m->families);
	m->families = NULL;
	m->nr_families = 0;
}

static struct om_family *find_family(struct om_renderer *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nr_families; i++)
		if (!strcmp(m->families[i]->name, name))
			return m->families[i];
	return NULL;
}

static struct om_family *add_family(struct om_renderer *m, const struct out_field *field)
{
	struct om_family **grown, *family;

	grown = reallocarray(m->families, m->nr_families + 1, sizeof(*grown));
	if (!grown)
		return NULL;
	m->families = grown;
	family = calloc(1, sizeof(*family));
	if (!family)
		return NULL;
	family->f = open_memstream(&family->samples, &family->len);
	if (!family->f)
		goto err_free_family;
	family->name = field->metric->name;
	family->help = field->metric->help;
	family->counter = (field->kind & OUT_ROLE_MASK) == OUT_COUNTER;
	m->families[m->nr_families++] = family;
	return family;

err_free_family:
	free(family);
	return NULL;
}

static int om_table_begin(struct out_renderer *r, const char *name)
{
	struct om_renderer *m = to_om(r);

	(void)name;	/* metric names say which table they come from */
	free_families(m);
	m->in_table = true;
	return 0;
}

static int om_table_end(struct out_renderer *r)
{
	struct om_renderer *m = to_om(r);
	FILE *f = r->stream;
	size_t i, name_len;
	int err = 0;

	for (i = 0; i < m->nr_families; i++) {
		struct om_family *family = m->families[i];

		if (fclose(family->f))
			err = -ENOMEM;
		family->f = NULL;
		name_len = strlen(family->name);
		/* OpenMetrics names a counter's family; its samples add "_total". */
		if (m->dialect == OM_OPENMETRICS_1 && family->counter && name_len > 6 &&
		    !strcmp(family->name + name_len - 6, "_total"))
			name_len -= 6;
		fprintf(f, "# HELP %.*s ", (int)name_len, family->name);
		err = om_escape(f, family->help ? family->help : family->name, false) ?: err;
		fprintf(f, "\n# TYPE %.*s %s\n", (int)name_len, family->name,
			family->counter ? "counter" : "gauge");
		if (family->samples)
			fputs(family->samples, f);
	}
	free_families(m);
	m->in_table = false;
	return err;
}

static int om_schema_begin(struct out_renderer *r)
{
	to_om(r)->in_schema = true;
	return 0;
}

static int om_schema_end(struct out_renderer *r)
{
	to_om(r)->in_schema = false;
	return 0;
}

static int om_row_begin(struct out_renderer *r)
{
	struct om_renderer *m = to_om(r);
	size_t i;

	for (i = 0; i < m->nr_families; i++)
		m->families[i]->value[0] = '\0';
	m->labels_f = open_memstream(&m->labels, &m->labels_len);
	return m->labels_f ? 0 : -ENOMEM;
}

static int om_row_end(struct out_renderer *r)
{
	struct om_renderer *m = to_om(r);
	size_t i;

	if (fclose(m->labels_f)) {
		m->labels_f = NULL;
		return -ENOMEM;
	}
	m->labels_f = NULL;
	for (i = 0; i < m->nr_families; i++) {
		struct om_family *family = m->families[i];

		if (!family->value[0])
			continue;
		if (m->labels_len)
			fprintf(family->f, "%s{%s} %s\n", family->name, m->labels, family->value);
		else
			fprintf(family->f, "%s %s\n", family->name, family->value);
	}
	free(m->labels);
	m->labels = NULL;
	m->labels_len = 0;
	return 0;
}

static int om_label(struct om_renderer *m, const struct out_field *field)
{
	const char *name = field->metric ? field->metric->name : field->key;
	FILE *f = m->labels_f;

	if (!om_name_valid(name)) {
		fprintf(stderr, "skbstat: internal error: '%s' is no label name\n", name);
		return -EINVAL;
	}
	fprintf(f, "%s%s=\"", ftell(f) ? "," : "", name);
	switch (field->type) {
	case OUT_VALUE_STR:
		if (om_escape(f, field->str ? field->str : "", true))
			return -ENOMEM;
		break;
	case OUT_VALUE_U64:
		fprintf(f, "%" PRIu64, field->u64);
		break;
	case OUT_VALUE_BOOL:
		fputs(field->boolean ? "true" : "false", f);
		break;
	default:
		fprintf(stderr, "skbstat: internal error: label '%s' is no scalar\n", name);
		return -EINVAL;
	}
	fputc('"', f);
	return 0;
}

static int om_sample(struct om_renderer *m, const struct out_field *field)
{
	struct om_family *family = find_family(m, field->metric->name);

	if (!om_name_valid(field->metric->name)) {
		fprintf(stderr, "skbstat: internal error: '%s' is no metric name\n",
			field->metric->name);
		return -EINVAL;
	}
	if (!family) {
		family = add_family(m, field);
		if (!family)
			return -ENOMEM;
	}
	if (m->in_schema)
		return 0;
	if (field->type == OUT_VALUE_U64)
		snprintf(family->value, sizeof(family->value), "%" PRIu64, field->u64);
	else if (field->type == OUT_VALUE_BOOL)
		snprintf(family->value, sizeof(family->value), "%d", field->boolean);
	else if (field->type == OUT_VALUE_DOUBLE)
		snprintf(family->value, sizeof(family->value), "%.17g", field->dbl);
	return 0;
}

/*
 * Document-level fields and info fields describe, but do not identify, so
 * they are no labels; counters and gauges are exported only when described.
 */
static int om_field(struct out_renderer *r, const struct out_field *field)
{
	struct om_renderer *m = to_om(r);

	if (!m->in_table)
		return 0;
	switch (field->kind & OUT_ROLE_MASK) {
	case OUT_LABEL:
		return m->in_schema ? 0 : om_label(m, field);
	case OUT_COUNTER:
	case OUT_GAUGE:
		if (!field->metric || field->type == OUT_VALUE_U64_ARRAY ||
		    field->type == OUT_VALUE_STR)
			return 0;
		return om_sample(m, field);
	}
	return 0;
}

static int om_finish(struct out_renderer *r)
{
	if (to_om(r)->dialect == OM_PROMETHEUS_TEXT)
		return 0;
	return fputs("# EOF\n", r->stream) < 0 ? -EIO : 0;
}

static void om_destroy(struct out_renderer *r)
{
	struct om_renderer *m = to_om(r);

	if (m->labels_f)
		fclose(m->labels_f);
	free(m->labels);
	free_families(m);
	free(m);
}

static const struct out_renderer_ops om_ops = {
	.for_humans	= false,
	.totals_only	= true,
	.table_begin	= om_table_begin,
	.table_end	= om_table_end,
	.schema_begin	= om_schema_begin,
	.schema_end	= om_schema_end,
	.row_begin	= om_row_begin,
	.row_end	= om_row_end,
	.field		= om_field,
	.finish		= om_finish,
	.destroy	= om_destroy,
};

static struct out_renderer *om_new(FILE *stream, enum om_dialect dialect)
{
	struct om_renderer *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->base.ops = &om_ops;
	m->base.stream = stream;
	m->dialect = dialect;
	return &m->base;
}

struct out_renderer *out_openmetrics_new(FILE *stream)
{
	return om_new(stream, OM_TEXTFILE);
}

struct out_renderer *out_prometheus_text_new(FILE *stream)
{
	return om_new(stream, OM_PROMETHEUS_TEXT);
}

struct out_renderer *out_openmetrics_1_new(FILE *stream)
{
	return om_new(stream, OM_OPENMETRICS_1);
}
