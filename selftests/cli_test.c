// SPDX-License-Identifier: GPL-2.0
/*
 * Every command of the CLI, in every output format, against each backend
 * on real traffic: it succeeds, and what it prints is the kernel's count.
 * The output layer's details are the unit tests' (user/tests/); this is
 * the whole chain from the probes to the text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define CLOSED_PORT	9
#define DROPS		37
#define DROP_LEN	120

static int send_drops(void *arg)
{
	return udp_send_n("10.77.0.2", CLOSED_PORT, DROPS, DROP_LEN) ? 1 : 0;
}

static int sink(void *arg)
{
	return tcp_sink(5201) ? 1 : 0;
}

/* From b to a, so that a late segment to the closed sink is no drop in b. */
static int send_tcp(void *arg)
{
	return tcp_send("10.77.0.1", 5201, 1 << 20, NULL) ? 1 : 0;
}

FIXTURE(cli) {
	struct hosts h;
};

BACKEND_VARIANTS(cli);

FIXTURE_SETUP(cli)
{
	pid_t server;

	BACKEND_SETUP(variant);
	ASSERT_EQ(0, hosts_up(&self->h));
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbc", self->h.a));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbc in "
			"'{ type filter hook input priority 0; }'", self->h.a));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbc in meta l4proto tcp "
			"numgen random mod 100 '<' 5 drop", self->h.a));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_drops, NULL));
	server = start_in_netns(self->h.a, sink, NULL);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, run_in_netns(self->h.b, send_tcp, NULL));
	ASSERT_EQ(0, wait_child(server));
}

FIXTURE_TEARDOWN(cli)
{
	hosts_down(&self->h);
}

/* Runs "skbstat -b BACKEND @args"; its status, and its output in @out. */
static int run(const struct backend_variant *v, const char *args, char **out)
{
	char *full;
	int status, err;

	if (asprintf(&full, "%s %s 2>&1", backend_args(v), args) < 0)
		return -ENOMEM;
	err = skbstat_run(full, &status, out);
	free(full);
	return err ?: status;
}

/* Each command and format works, and says something. */
TEST_F(cli, every_command_succeeds)
{
	static const char *const commands[] = {
		"status", "-j status", "-o openmetrics status",
		"drops", "-n drops", "drops --by reason,dev --top 3", "-j drops --by netns,proto",
		"drops --reason no_socket", "flows", "-j flows --top 1", "queues", "-j queues",
		"-i 0.2 -c 2 drops --by reason", "-j -i 0.2 -c 2 flows", "-i 0.2 -c 2 queues",
		"-i 0.2 -c 2 status", "-i 0.2 -c 2 top", "-j -i 0.2 -c 1 top",
		"-o openmetrics drops", "-o openmetrics flows", "-o openmetrics queues",
		NULL
	};
	char *out;
	size_t i;

	RETURN_IF_SKIPPED();
	for (i = 0; commands[i]; i++) {
		EXPECT_EQ(0, run(&variant->v, commands[i], &out)) {
			TH_LOG("skbstat %s: %s", commands[i], out);
		}
		EXPECT_NE('\0', out[0]) {
			TH_LOG("skbstat %s printed nothing", commands[i]);
		}
		free(out);
	}
}

/* UDP drops: late TCP segments to closed sockets are NO_SOCKET drops too. */
static uint64_t udp_no_socket(json_object *rows)
{
	json_object *row;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (!strcmp(row_str(row, "reason") ?: "", "NO_SOCKET") &&
		    strstr(row_str(row, "location") ?: "", "udp"))
			sum += row_u64(row, "packets");
	}
	return sum;
}

/* The text table and the JSON give the kernel's count for the same row. */
static void text_and_json_agree(struct __test_metadata *_metadata,
				FIXTURE_DATA(cli) *self, const FIXTURE_VARIANT(cli) *variant)
{
	char args[128], want[64], *out, *line;
	json_object *doc, *rows;
	bool found = false;

	snprintf(args, sizeof(args), "drops --by reason,location,dev --netns %s", self->h.b);
	ASSERT_EQ(0, skbstat_rows(&doc, &rows, backend_args(&variant->v), args, "drops"));
	EXPECT_EQ((uint64_t)DROPS, udp_no_socket(rows));
	json_object_put(doc);

	ASSERT_EQ(0, run(&variant->v, args, &out));
	/* "NO_SOCKET  __udp4_lib_rcv+0x...  vb  37  ..." in aligned columns. */
	snprintf(want, sizeof(want), "  %u  ", DROPS);
	for (line = strtok(out, "\n"); line && !found; line = strtok(NULL, "\n"))
		found = strstr(line, "NO_SOCKET") && strstr(line, "udp") &&
			strstr(line, " vb ") && strstr(line, want);
	EXPECT_TRUE(found) TH_LOG("no NO_SOCKET udp row on vb with %u packets", DROPS);
	free(out);
}

/* What Prometheus scrapes passes its own linter, and carries the count. */
static void openmetrics_passes_promtool(struct __test_metadata *_metadata,
				FIXTURE_DATA(cli) *self, const FIXTURE_VARIANT(cli) *variant)
{
	static const char *const tables[] = { "status", "drops", "flows", "queues", NULL };
	char cmd[256], want[128], *out;
	int status;
	size_t i;

	/* make deps installs it (Debian package prometheus). */
	ASSERT_EQ(0, sh("command -v promtool >/dev/null"));
	for (i = 0; tables[i]; i++) {
		snprintf(cmd, sizeof(cmd), "%s %s -o openmetrics %s | promtool check metrics 2>&1",
			 skbstat_path(), backend_args(&variant->v), tables[i]);
		ASSERT_EQ(0, sh_capture(cmd, &status, &out));
		EXPECT_EQ(0, status) TH_LOG("%s: %s", tables[i], out);
		free(out);
	}
	snprintf(cmd, sizeof(cmd), "-o openmetrics drops --reason no_socket --netns %s",
		 self->h.b);
	ASSERT_EQ(0, run(&variant->v, cmd, &out));
	snprintf(want, sizeof(want), "netns=\"%u\",proto=\"ipv4\"} %u\n", self->h.b_netns,
		 DROPS);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no '%s' in:\n%s", want, out);
	free(out);
}

/*
 * Interval mode shows what changed: no more UDP is sent, so its drops do
 * not change (a late TCP segment still may be dropped meanwhile).
 */
static void interval_shows_changes(struct __test_metadata *_metadata,
				FIXTURE_DATA(cli) *self, const FIXTURE_VARIANT(cli) *variant)
{
	json_object *doc, *rows, *row;
	const char *location;
	char args[128];
	size_t i;

	snprintf(args, sizeof(args), "-i 0.2 -c 1 drops --netns %s", self->h.b);
	ASSERT_EQ(0, skbstat_rows(&doc, &rows, backend_args(&variant->v), args, "drops"));
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		location = row_str(row, "location") ?: "";
		if (strstr(location, "udp"))
			EXPECT_EQ(0U, row_u64(row, "packets")) TH_LOG("%s", location);
	}
	json_object_put(doc);
}

/* reset zeroes one table and leaves the others. */
static void reset_one_table(struct __test_metadata *_metadata,
				FIXTURE_DATA(cli) *self, const FIXTURE_VARIANT(cli) *variant)
{
	json_object *doc, *rows;
	uint64_t sum, nr;
	char *out;

	ASSERT_EQ(0, table_sum(&variant->v, "queues", "packets", &sum, &nr));
	EXPECT_LT(0U, sum);
	ASSERT_EQ(0, run(&variant->v, "reset drops", &out));
	free(out);
	ASSERT_EQ(0, skbstat_rows(&doc, &rows, backend_args(&variant->v), "drops", "drops"));
	EXPECT_EQ(0U, drops_sum(doc, "NO_SOCKET", self->h.b_netns));
	json_object_put(doc);
	ASSERT_EQ(0, table_sum(&variant->v, "queues", "packets", &sum, &nr));
	EXPECT_LT(0U, sum);
}

/*
 * One setup (namespaces, a lossy transfer) for all the checks of the
 * numbers: under TCG each setup takes seconds.
 */
TEST_F(cli, counts_agree_in_every_format)
{
	RETURN_IF_SKIPPED();
	text_and_json_agree(_metadata, self, variant);
	openmetrics_passes_promtool(_metadata, self, variant);
	interval_shows_changes(_metadata, self, variant);
	/* BPF says how many runs the kernel skipped, for every hook. */
	if (!strcmp(variant->v.backend, "bpf")) {
		json_object *doc, *hooks, *missed;
		size_t i;

		ASSERT_EQ(0, skbstat_rows(&doc, &hooks, backend_args(&variant->v), "status",
					  "hooks"));
		EXPECT_EQ(3U, json_object_array_length(hooks));
		for (i = 0; i < json_object_array_length(hooks); i++) {
			missed = json_object_object_get(json_object_array_get_idx(hooks, i),
							"missed");
			EXPECT_TRUE(missed && json_object_is_type(missed, json_type_int));
		}
		json_object_put(doc);
	}
	/* Last: it zeroes the drops the others read. */
	reset_one_table(_metadata, self, variant);
}

TEST_HARNESS_MAIN
