// SPDX-License-Identifier: GPL-2.0
/*
 * Both backends attached at once see one mixed workload: drops of several
 * reasons, a lossy TCP flow, one whose retransmissions fail, and veth
 * traffic.  Their rows must be
 * identical, field by field.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

static const struct backend_variant kmod = { "kmod", "tracepoint" };
static const struct backend_variant bpf = { "bpf", "tp_btf" };

static const char * const drop_fields[] = {
	"reason", "location", "dev", "netns", "proto", "packets", "bytes", NULL
};
static const char * const flow_fields[] = {
	"family", "saddr", "sport", "daddr", "dport", "netns", "retransmits", "bytes",
	"events", "failed", "state", NULL
};
static const char * const queue_fields[] = {
	"dev", "netns", "queue", "packets", "bytes", "hist", NULL
};

static int sink(void *arg)
{
	return tcp_sink(5201) ? 1 : 0;
}

static int drops_workload(void *arg)
{
	return udp_send_n("10.77.0.2", 9, 33, 100) ||		/* NO_SOCKET */
	       udp_send_n("10.77.0.2", 5353, 21, 300) ||	/* NETFILTER_DROP */
	       eth_send_types("va", 0x5000, 40) ? 1 : 0;	/* UNHANDLED_PROTO */
}

/* Exit status 0 when the transfer had to retransmit, 2 when it did not. */
static int lossy_transfer(void *arg)
{
	uint64_t before = 0, after = 0;

	if (kcounter_read("Tcp", "RetransSegs", &before) ||
	    tcp_send("10.77.0.2", 5201, 2 << 20, NULL) ||
	    kcounter_read("Tcp", "RetransSegs", &after))
		return 1;
	return after > before ? 0 : 2;
}

static void row_line(json_object *row, const char * const *fields, char *line, size_t len)
{
	size_t used = 0, k;
	json_object *f;

	line[0] = '\0';
	for (k = 0; fields[k] && used < len; k++) {
		f = NULL;
		json_object_object_get_ex(row, fields[k], &f);
		used += snprintf(line + used, len - used, "%s=%s ", fields[k],
				 f ? json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN) : "-");
	}
}

/*
 * The rows of @table in the test's two namespaces, a line per row with the
 * fields in a fixed order, sorted: two backends agree when the texts do.
 */
static char *rows_text(const struct backend_variant *v, const char *table,
		       const char * const *fields, const struct hosts *h)
{
	json_object *doc, *rows, *row;
	char **lines, line[1024];
	size_t i, n = 0, len = 1;

	if (skbstat_rows(&doc, &rows, backend_args(v), table, table))
		return NULL;
	lines = calloc(json_object_array_length(rows) + 1, sizeof(*lines));
	for (i = 0; lines && i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != h->a_netns && row_u64(row, "netns") != h->b_netns)
			continue;
		row_line(row, fields, line, sizeof(line));
		lines[n] = strdup(line);
		len += strlen(line) + 1;
		n++;
	}
	json_object_put(doc);
	return lines_join_sorted(lines, n, len);
}
#define FAILING_PORT	5202

static int failing_sink(void *arg)
{
	return tcp_sink(FAILING_PORT) ? 1 : 0;
}

static int failing_flow(void *arg)
{
	struct retransmit_fails r;

	return tcp_failing_retransmits("10.77.0.2", FAILING_PORT, 3, &r) ? 1 : 0;
}

FIXTURE(both) {
	struct hosts h;
};

FIXTURE_SETUP(both)
{
	int err = backend_up(&kmod);

	if (!err)
		err = backend_up(&bpf);
	if (err == -EOPNOTSUPP)
		SKIP(return, "needs both backends");
	ASSERT_EQ(0, err);
	/* Rows of dead namespaces whose inodes ours may reuse must not count. */
	ASSERT_EQ(0, sh("%s -b kmod reset", skbstat_path()));
	ASSERT_EQ(0, sh("%s -b bpf reset", skbstat_path()));
	ASSERT_EQ(0, hosts_up(&self->h));
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in udp dport 5353 drop",
			self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in meta l4proto tcp "
			"numgen random mod 100 '<' 7 drop", self->h.b));
}

FIXTURE_TEARDOWN(both)
{
	hosts_down(&self->h);
}

static void compare(struct __test_metadata *_metadata, const char *table,
		    const char * const *fields, const struct hosts *h)
{
	char *k = NULL, *b = NULL;
	int tries;

	/*
	 * The backends are read one after the other: a late segment of the
	 * finished transfer may be dropped in between.  Equal rows are looked
	 * for once traffic has stopped.
	 */
	for (tries = 0; tries < 5; tries++) {
		free(k);
		free(b);
		k = rows_text(&kmod, table, fields, h);
		b = rows_text(&bpf, table, fields, h);
		if (!k || !b || !strcmp(k, b))
			break;
		usleep(500000);
	}
	ASSERT_NE(NULL, k);
	ASSERT_NE(NULL, b);
	EXPECT_NE('\0', k[0]);
	EXPECT_STREQ(k, b);
	TH_LOG("%s:\n%s", table, k);
	free(k);
	free(b);
}

TEST_F(both, same_rows)
{
	int tries, lossy = 2;
	pid_t server;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, run_in_netns(self->h.a, drops_workload, NULL));
	/* A transfer that the random rule spared has no flow row: again, then. */
	for (tries = 0; tries < 5 && lossy == 2; tries++) {
		server = start_in_netns(self->h.b, sink, NULL);
		ASSERT_LT(0, server);
		lossy = run_in_netns(self->h.a, lossy_transfer, NULL);
		ASSERT_EQ(0, wait_child(server));
	}
	ASSERT_EQ(0, lossy);
	server = start_in_netns(self->h.b, failing_sink, NULL);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, run_in_netns(self->h.a, failing_flow, NULL));
	/* The sink never hears of the end: every segment out is dropped. */
	kill(server, SIGKILL);
	wait_child(server);

	compare(_metadata, "drops", drop_fields, &self->h);
	compare(_metadata, "flows", flow_fields, &self->h);
	compare(_metadata, "queues", queue_fields, &self->h);
}

TEST_HARNESS_MAIN
