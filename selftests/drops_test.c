// SPDX-License-Identifier: GPL-2.0
/*
 * Drops are counted exactly, by reason, in the netns where they happen.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"

#define CLOSED_PORT 9

struct udp_result {
	uint64_t noports_delta;
	int err;
};

struct udp_job {
	unsigned int packets;
	size_t len;
};

/* In the child's netns: send to a closed port, report UdpNoPorts' delta. */
static int send_to_closed_port(void *arg, int out_fd)
{
	const struct udp_job *job = arg;
	struct udp_result res = {};
	uint64_t before = 0, after = 0;

	res.err = kcounter_read("Udp", "NoPorts", &before);
	if (!res.err)
		res.err = udp_send_n("127.0.0.1", CLOSED_PORT, job->packets, job->len);
	if (!res.err)
		res.err = kcounter_read("Udp", "NoPorts", &after);
	res.noports_delta = after - before;
	return write(out_fd, &res, sizeof(res)) == sizeof(res) ? 0 : 1;
}

static int no_socket_drops(const char *backend, uint32_t netns, uint64_t *packets)
{
	json_object *doc;
	char args[128];
	int err;

	snprintf(args, sizeof(args), "-b %s drops --by reason,netns", backend);
	err = skbstat_json(&doc, args);
	if (err)
		return err;
	*packets = drops_sum(doc, "NO_SOCKET", netns);
	json_object_put(doc);
	return 0;
}

FIXTURE(drops) {
	int unused;
};

FIXTURE_VARIANT(drops) {
	const char *backend;
};

FIXTURE_VARIANT_ADD(drops, kmod) {
	.backend = "kmod",
};

FIXTURE_SETUP(drops)
{
	ASSERT_EQ(0, backend_up(variant->backend));
}

FIXTURE_TEARDOWN(drops)
{
}

static void udp_closed_port(struct __test_metadata *_metadata, const char *backend,
			    unsigned int packets)
{
	struct udp_job job = { .packets = packets, .len = 100 };
	struct udp_result res = {};
	uint64_t before, after;
	struct ns_child child;

	ASSERT_EQ(0, ns_child_start(&child, send_to_closed_port, &job));
	ASSERT_EQ(0, no_socket_drops(backend, child.netns, &before));
	ASSERT_EQ(0, ns_child_go(&child, &res, sizeof(res)));
	ASSERT_EQ(0, res.err);
	ASSERT_EQ(0, no_socket_drops(backend, child.netns, &after));

	/* The kernel's own counter and ours must both see every datagram. */
	EXPECT_EQ(packets, res.noports_delta);
	EXPECT_EQ(packets, after - before);
}

TEST_F(drops, udp_closed_port_one)
{
	udp_closed_port(_metadata, variant->backend, 1);
}

TEST_F(drops, udp_closed_port_many)
{
	udp_closed_port(_metadata, variant->backend, 1237);
}

TEST_HARNESS_MAIN
