// SPDX-License-Identifier: GPL-2.0
/*
 * TCP retransmits are counted per flow, in segments, exactly as the
 * kernel's TcpRetransSegs (minus TCPRetransFail) counts them, and failed
 * retransmits as its TCPRetransFail counts them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define SINK_PORT	5201
#define TRANSFER	(3 << 20)
#define LOSS_PERCENT	7
#define FAIL_MIN	3	/* failed retransmissions to wait for */

struct transfer {
	const char *to;			/* the sink's address */
	uint16_t sport;
	uint64_t retrans_segs;		/* TcpRetransSegs delta on the sender */
	uint64_t retrans_fail;		/* TCPRetransFail delta */
	int err;
};

static int sink(void *arg)
{
	return tcp_sink(SINK_PORT) ? 1 : 0;
}

static int sink6(void *arg)
{
	return tcp_sink_family(AF_INET6, SINK_PORT) ? 1 : 0;
}

static int send_transfer(void *arg)
{
	struct transfer *t = arg;
	uint64_t segs0 = 0, fail0 = 0, segs1 = 0, fail1 = 0;

	t->err = kcounter_read("Tcp", "RetransSegs", &segs0) ?:
		 kcounter_read("TcpExt", "TCPRetransFail", &fail0) ?:
		 tcp_send(t->to, SINK_PORT, TRANSFER, &t->sport) ?:
		 kcounter_read("Tcp", "RetransSegs", &segs1) ?:
		 kcounter_read("TcpExt", "TCPRetransFail", &fail1);
	t->retrans_segs = segs1 - segs0;
	t->retrans_fail = fail1 - fail0;
	return t->err ? 1 : 0;
}

/* In the sender's netns. */
static int send_failing(void *arg)
{
	struct transfer *t = arg;
	struct retransmit_fails r;

	t->err = tcp_failing_retransmits("10.77.0.2", SINK_PORT, FAIL_MIN, &r);
	t->sport = r.sport;
	t->retrans_segs = r.retrans_segs;
	t->retrans_fail = r.retrans_fail;
	return t->err ? 1 : 0;
}

FIXTURE(flows) {
	struct hosts h;
	struct transfer *t;
};

BACKEND_VARIANTS(flows);

FIXTURE_SETUP(flows)
{
	BACKEND_SETUP(variant);
	self->t = mmap(NULL, sizeof(*self->t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->t);
	ASSERT_EQ(0, hosts_up(&self->h));
	/* Loss on the receiver's input makes the sender retransmit. */
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in meta l4proto tcp "
			"numgen random mod 100 '<' %d drop", self->h.b, LOSS_PERCENT));
}

FIXTURE_TEARDOWN(flows)
{
	hosts_down(&self->h);
	if (self->t && self->t != MAP_FAILED)
		munmap(self->t, sizeof(*self->t));
}

/* A flow's family and addresses as the CLI's JSON names them. */
struct flow_addrs {
	const char *family;
	const char *saddr;
	const char *daddr;
	int (*sink)(void *arg);
};

static const struct flow_addrs over_ipv4 = { "ipv4", "10.77.0.1", "10.77.0.2", sink };
static const struct flow_addrs over_ipv6 = { "ipv6", "fd77::1", "fd77::2", sink6 };

/*
 * Retransmits of the rows of netns @netns; with @sport, only of that flow,
 * whose 4-tuple must be ours (@fa).  A netns inode can be a dead netns's
 * again, so tests compare before and after.
 */
static int retransmits_in(struct __test_metadata *_metadata, const struct backend_variant *v,
			  uint32_t netns, uint16_t sport, const struct flow_addrs *fa,
			  uint64_t *sum, unsigned int *flows)
{
	json_object *doc, *rows, *row;
	size_t i;
	int err;

	err = skbstat_rows(&doc, &rows, backend_args(v), "flows", "flows");
	if (err)
		return err;
	*sum = 0;
	*flows = 0;
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != netns)
			continue;
		*sum += row_u64(row, "retransmits");
		if (!sport || row_u64(row, "sport") != sport)
			continue;
		EXPECT_STREQ(fa->family, row_str(row, "family"));
		EXPECT_STREQ(fa->saddr, row_str(row, "saddr"));
		EXPECT_STREQ(fa->daddr, row_str(row, "daddr"));
		EXPECT_EQ((uint64_t)SINK_PORT, row_u64(row, "dport"));
		(*flows)++;
	}
	json_object_put(doc);
	return 0;
}

/* What skbstat counted for one flow of netns @netns, whose 4-tuple must be ours. */
struct flow_counts {
	unsigned int rows;
	uint64_t retransmits;
	uint64_t failed;
	bool failed_known;	/* a number, not null */
};

static int flow_counts_of(struct __test_metadata *_metadata, const struct backend_variant *v,
			  uint32_t netns, uint16_t sport, struct flow_counts *c)
{
	json_object *doc, *rows, *row, *failed;
	size_t i;
	int err;

	err = skbstat_rows(&doc, &rows, backend_args(v), "flows", "flows");
	if (err)
		return err;
	memset(c, 0, sizeof(*c));
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != netns || row_u64(row, "sport") != sport)
			continue;
		EXPECT_STREQ("10.77.0.2", row_str(row, "daddr"));
		EXPECT_EQ((uint64_t)SINK_PORT, row_u64(row, "dport"));
		EXPECT_TRUE(json_object_object_get_ex(row, "failed", &failed));
		c->rows++;
		c->retransmits = row_u64(row, "retransmits");
		c->failed_known = failed != NULL;
		c->failed = json_object_get_uint64(failed);
	}
	json_object_put(doc);
	return 0;
}

/*
 * The kprobe modes' return probe sees every attempt's result; the
 * tracepoint, only where it has the error (6.17+).
 */
static bool sees_failures(const struct backend_variant *v)
{
	return !strcmp(v->mode, "kprobe") ||
	       tracefs_event_has_field("tcp/tcp_retransmit_skb", "err");
}

TEST_F(flows, failed_retransmits_equal_retrans_fail)
{
	struct flow_counts c;
	struct hook_totals h;
	pid_t server;

	RETURN_IF_SKIPPED();
	server = start_in_netns(self->h.b, sink, NULL);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, run_in_netns(self->h.a, send_failing, self->t)) {
		TH_LOG("sender: %s", strerror(-self->t->err));
	}
	/* The sink never hears of the end: every segment out is dropped. */
	kill(server, SIGKILL);
	wait_child(server);
	ASSERT_LE((uint64_t)FAIL_MIN, self->t->retrans_fail) {
		TH_LOG("%llu failed retransmissions: the output rule did not bite",
		       (unsigned long long)self->t->retrans_fail);
	}
	ASSERT_EQ(0, flow_counts_of(_metadata, &variant->v, self->h.a_netns, self->t->sport, &c));

	/* A mode blind to failures makes no row if every attempt failed. */
	EXPECT_EQ(sees_failures(&variant->v) || self->t->retrans_segs > self->t->retrans_fail ?
		  1U : 0U, c.rows);
	EXPECT_EQ(self->t->retrans_segs - self->t->retrans_fail, c.retransmits);
	if (c.rows)
		EXPECT_EQ(sees_failures(&variant->v), c.failed_known);
	if (c.failed_known)
		EXPECT_EQ(self->t->retrans_fail, c.failed);
	/* And status says so: a gap of the hook where the mode cannot see them. */
	ASSERT_EQ(0, hook_totals(&variant->v, "tcp:tcp_retransmit_skb", &h));
	EXPECT_EQ(!sees_failures(&variant->v), h.has_gaps);
	TH_LOG("TcpRetransSegs +%llu, TCPRetransFail +%llu; skbstat: retransmits %llu, "
	       "failed %s%llu", (unsigned long long)self->t->retrans_segs,
	       (unsigned long long)self->t->retrans_fail, (unsigned long long)c.retransmits,
	       c.failed_known ? "" : "unknown ", (unsigned long long)c.failed);
}

/*
 * A lossy transfer to @fa's sink: the rows of the sender's netns grow by
 * TcpRetransSegs less TCPRetransFail, in one row with the flow's 4-tuple.
 */
static void lossy_transfer(struct __test_metadata *_metadata, FIXTURE_DATA(flows) *self,
			   const struct backend_variant *v, const struct flow_addrs *fa)
{
	uint64_t before, after;
	unsigned int flows, tries;
	pid_t server;

	ASSERT_EQ(0, retransmits_in(_metadata, v, self->h.a_netns, 0, fa, &before, &flows));
	self->t->to = fa->daddr;
	/*
	 * With TSO a transfer is a few dozen packets on the wire, and now and
	 * then the random rule spares them all: then again, with a new flow
	 * (one that retransmitted nothing has no row).
	 */
	for (tries = 0; tries < 5; tries++) {
		server = start_in_netns(self->h.b, fa->sink, NULL);
		ASSERT_LT(0, server);
		ASSERT_EQ(0, run_in_netns(self->h.a, send_transfer, self->t));
		ASSERT_EQ(0, wait_child(server));
		if (self->t->retrans_segs)
			break;
	}
	ASSERT_LT(0ULL, self->t->retrans_segs) {
		TH_LOG("no retransmits: the loss rule did not bite");
	}
	ASSERT_EQ(0, retransmits_in(_metadata, v, self->h.a_netns, self->t->sport, fa, &after,
				    &flows));

	EXPECT_EQ(1U, flows);
	EXPECT_EQ(self->t->retrans_segs - self->t->retrans_fail, after - before);
	TH_LOG("%s: %llu segments retransmitted, %llu failed", fa->family,
	       (unsigned long long)self->t->retrans_segs,
	       (unsigned long long)self->t->retrans_fail);
}

TEST_F(flows, lossy_transfer_equals_retrans_segs)
{
	RETURN_IF_SKIPPED();
	lossy_transfer(_metadata, self, &variant->v, &over_ipv4);
}

/*
 * The same over IPv6, whose flow keys take all seven words (an IPv4 one
 * four): the hosts' veth gets IPv6 addresses for it.
 */
TEST_F(flows, lossy_ipv6_transfer_equals_retrans_segs)
{
	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("ip netns exec %s sysctl -qw net.ipv6.conf.va.disable_ipv6=0 && "
			"ip -n %s addr add fd77::1/64 dev va nodad", self->h.a, self->h.a));
	ASSERT_EQ(0, sh("ip netns exec %s sysctl -qw net.ipv6.conf.vb.disable_ipv6=0 && "
			"ip -n %s addr add fd77::2/64 dev vb nodad", self->h.b, self->h.b));
	lossy_transfer(_metadata, self, &variant->v, &over_ipv6);
}

TEST_HARNESS_MAIN
