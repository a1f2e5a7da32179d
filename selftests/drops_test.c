// SPDX-License-Identifier: GPL-2.0
/*
 * Drops are counted exactly, by reason, on the right device, in the netns
 * where they happen, at the place in the kernel that dropped them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define CLOSED_PORT	9
#define FILTERED_PORT	7777

struct udp_job {
	const char *addr;
	uint16_t port;
	unsigned int packets;
	size_t len;
};

struct udp_result {
	uint64_t noports_delta;
	int err;
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
		res.err = kcounter_settled("Udp", "NoPorts", before, job->packets, &after);
	res.noports_delta = after - before;
	return write(out_fd, &res, sizeof(res)) == sizeof(res) ? 0 : 1;
}

static int send_udp(void *arg)
{
	const struct udp_job *job = arg;

	return udp_send_n(job->addr, job->port, job->packets, job->len) ? 1 : 0;
}

struct eth_job {
	uint16_t first;
	unsigned int n;
};

static int send_eth_types(void *arg)
{
	const struct eth_job *job = arg;

	return eth_send_types("va", job->first, job->n) ? 1 : 0;
}

struct drop_sum {
	uint64_t packets;
	uint64_t bytes;
	unsigned int rows;
};

/* The rows of @reason in @netns, summed; with @dev, only those on that device. */
static int drops_sum_of(const struct backend_variant *v, const char *reason, uint32_t netns,
			const char *dev, struct drop_sum *sum)
{
	json_object *doc, *rows, *row;
	const char *d;
	size_t i;
	int err;

	err = skbstat_rows(&doc, &rows, backend_args(v), "drops", "drops");
	if (err)
		return err;
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (strcmp(row_str(row, "reason") ?: "", reason) || row_u64(row, "netns") != netns)
			continue;
		d = row_str(row, "dev");
		if (dev && (!d || strcmp(d, dev)))
			continue;
		sum->packets += row_u64(row, "packets");
		sum->bytes += row_u64(row, "bytes");
		sum->rows++;
	}
	json_object_put(doc);
	return 0;
}

/* Packets of the rows of @reason in @netns; with @dev, only on that device. */
static int drops_of(const struct backend_variant *v, const char *reason, uint32_t netns,
		    const char *dev, uint64_t *packets, unsigned int *rows_seen)
{
	struct drop_sum sum;
	int err = drops_sum_of(v, reason, netns, dev, &sum);

	*packets = sum.packets;
	if (rows_seen)
		*rows_seen = sum.rows;
	return err;
}

/* The location of the single row of @reason in @netns, or "" if not exactly one. */
static void location_of(const struct backend_variant *v, const char *reason, uint32_t netns,
			char *buf, size_t len)
{
	json_object *doc, *rows, *row;
	unsigned int found = 0;
	size_t i;

	buf[0] = '\0';
	if (skbstat_rows(&doc, &rows, backend_args(v), "drops", "drops"))
		return;
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (strcmp(row_str(row, "reason") ?: "", reason) || row_u64(row, "netns") != netns)
			continue;
		if (!found++)
			snprintf(buf, len, "%s", row_str(row, "location") ?: "");
	}
	if (found != 1)
		buf[0] = '\0';
	json_object_put(doc);
}

/* "func+0x1a2" or "func+0x1a2 [module]", as %pS prints it without the size. */
static bool location_plausible(const char *loc)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, "^[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+( \\[[A-Za-z0-9_]+\\])?$",
		    REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, loc, 0, NULL, 0);
	regfree(&re);
	return ok;
}

FIXTURE(drops) {
	struct hosts h;
	bool ovs_loaded;	/* this test loaded openvswitch: it unloads it */
};

BACKEND_VARIANTS(drops);

FIXTURE_SETUP(drops)
{
	BACKEND_SETUP(variant);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(drops)
{
	hosts_down(&self->h);
	/*
	 * Loaded, openvswitch turns conntrack on in every netns made after:
	 * its per-netns init (ovs_ct_limit_init()) calls nf_conncount_init(),
	 * which takes nf_ct_netns_get(net, NFPROTO_INET), so the conntrack
	 * defrag hooks of LOCAL_OUT and PRE_ROUTING stand in each new netns.
	 * A later test's hand-made fragments would then be reassembled, and
	 * dropped, by their sender (the zoo's fragment paths).
	 */
	if (self->ovs_loaded)
		sh("modprobe -r -q openvswitch 2>/dev/null");
}

static void udp_closed_port(struct __test_metadata *_metadata, const struct backend_variant *v,
			    unsigned int packets)
{
	struct udp_job job = { .packets = packets, .len = 100 };
	struct udp_result res = {};
	uint64_t before, after;
	struct ns_child child;
	char loc[128];

	ASSERT_EQ(0, ns_child_start(&child, send_to_closed_port, &job));
	ASSERT_EQ(0, drops_of(v, "NO_SOCKET", child.netns, "lo", &before, NULL));
	ASSERT_EQ(0, ns_child_go(&child, &res, sizeof(res)));
	ASSERT_EQ(0, res.err);
	ASSERT_EQ(0, drops_of(v, "NO_SOCKET", child.netns, "lo", &after, NULL));
	location_of(v, "NO_SOCKET", child.netns, loc, sizeof(loc));
	ASSERT_EQ(0, ns_child_finish(&child));

	/* The kernel's own counter and ours must both see every datagram. */
	EXPECT_EQ(packets, res.noports_delta);
	EXPECT_EQ(packets, after - before);

	/* Where UDP's receive path frees it: inlined into udp_rcv() on 7.x. */
	EXPECT_TRUE(!strncmp(loc, "__udp4_lib_rcv+0x", 17) || !strncmp(loc, "udp_rcv+0x", 10)) {
		TH_LOG("location '%s'", loc);
	}
}

TEST_F(drops, udp_closed_port_one)
{
	RETURN_IF_SKIPPED();
	udp_closed_port(_metadata, &variant->v, 1);
}

TEST_F(drops, udp_closed_port_many)
{
	RETURN_IF_SKIPPED();
	udp_closed_port(_metadata, &variant->v, 1237);
}

/* Writes @value to the sysctl file @path; its old value goes to @old. */
static int sysctl_swap(const char *path, const char *value, char *old, size_t len)
{
	FILE *f = fopen(path, "r+e");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(old, len, f))
		err = -EIO;
	old[strcspn(old, "\n")] = '\0';
	if (!err && (fseek(f, 0, SEEK_SET) || fputs(value, f) < 0))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/*
 * With kernel.kptr_restrict=2 the kernel hides its addresses from everyone:
 * drops are still counted and shown by reason, exactly; only locations
 * may be missing ("?").
 */
TEST_F(drops, kptr_restrict_keeps_reasons)
{
	static const char path[] = "/proc/sys/kernel/kptr_restrict";
	struct udp_job job = { .packets = 7, .len = 10 };
	struct udp_result res = {};
	uint64_t before, after;
	struct ns_child child;
	char old[16], was[16];

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ns_child_start(&child, send_to_closed_port, &job));
	ASSERT_EQ(0, sysctl_swap(path, "2", old, sizeof(old)));
	EXPECT_EQ(0, drops_of(&variant->v, "NO_SOCKET", child.netns, "lo", &before, NULL));
	EXPECT_EQ(0, ns_child_go(&child, &res, sizeof(res)));
	EXPECT_EQ(0, drops_of(&variant->v, "NO_SOCKET", child.netns, "lo", &after, NULL));
	ASSERT_EQ(0, sysctl_swap(path, old, was, sizeof(was)));
	ASSERT_EQ(0, ns_child_finish(&child));
	EXPECT_EQ(job.packets, res.noports_delta);
	EXPECT_EQ(job.packets, after - before);
}

/* An nftables drop rule: NETFILTER_DROP on vb in b equals the rule's counter. */
TEST_F(drops, netfilter_drop_equals_rule_counter)
{
	struct udp_job job = { "10.77.0.2", FILTERED_PORT, 421, 200 };
	uint64_t before, after, rule = 0;
	unsigned int rows;
	char loc[128];

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in udp dport %d counter drop",
			self->h.b, FILTERED_PORT));

	ASSERT_EQ(0, drops_of(&variant->v, "NETFILTER_DROP", self->h.b_netns, "vb", &before,
			      NULL));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, &job));
	ASSERT_EQ(0, drops_of(&variant->v, "NETFILTER_DROP", self->h.b_netns, "vb", &after,
			      &rows));
	ASSERT_EQ(0, sh_u64(&rule, "ip netns exec %s nft -j list chain inet skbt in | "
			    "jq '[.nftables[].rule?.expr[]?.counter?.packets // empty] | add'",
			    self->h.b));

	EXPECT_EQ(job.packets, rule);
	EXPECT_EQ(rule, after - before);
	EXPECT_EQ(1U, rows);
	/* Where netfilter frees the packet differs between kernels: nf_hook_slow or nf_tables. */
	location_of(&variant->v, "NETFILTER_DROP", self->h.b_netns, loc, sizeof(loc));
	EXPECT_TRUE(location_plausible(loc)) {
		TH_LOG("location '%s'", loc);
	}
}

/* Frames of EtherTypes nobody handles: one row per protocol, rx_dropped of vb. */
TEST_F(drops, unhandled_protocols_equal_rx_dropped)
{
	struct eth_job job = { .first = 0x4000, .n = 300 };
	uint64_t before, after, dropped_before = 0, dropped_after = 0;
	const char *stat = "ip -n %s -j -s link show vb | jq '.[0].stats64.rx.dropped'";
	unsigned int rows;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, drops_of(&variant->v, "UNHANDLED_PROTO", self->h.b_netns, "vb", &before,
			      NULL));
	ASSERT_EQ(0, sh_u64(&dropped_before, stat, self->h.b));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, sh_u64(&dropped_after, stat, self->h.b));
	ASSERT_EQ(0, drops_of(&variant->v, "UNHANDLED_PROTO", self->h.b_netns, "vb", &after,
			      &rows));

	EXPECT_EQ(job.n, dropped_after - dropped_before);
	EXPECT_EQ(job.n, after - before);
	EXPECT_EQ(job.n, rows);
}

/* Debian's ovs-dpctl, as make deps unpacks it (selftests/fetch-ovs-dpctl.sh). */
static const char *ovs_dpctl(void)
{
	const char *path = getenv("SKBSTAT_OVS_DPCTL") ?: "/var/cache/skbstat/ovs/ovs-dpctl";

	return access(path, X_OK) ? NULL : path;
}

#define OVS_DP		"skbtdp"
#define OVS_FLOW_STAT	"ip netns exec %s %s dump-flows " OVS_DP " | sed -n 's/.* %s:\\([0-9]*\\),.*/\\1/p'"

/*
 * A drop reason of a subsystem (6.4+): openvswitch's datapath in b takes vb,
 * and one flow without actions drops every IPv4 frame from a as
 * OVS_DROP_LAST_ACTION (0x20001).  Its rows equal the flow's own packet and
 * byte counters, bytes with the Ethernet header the datapath pushed back.
 */
TEST_F(drops, openvswitch_reason_equals_flow_counter)
{
	struct udp_job job = { "10.77.0.2", CLOSED_PORT, 333, 60 };
	uint64_t flow_packets = 0, flow_bytes = 0;
	struct drop_sum before, after;
	const char *dpctl = ovs_dpctl();

	RETURN_IF_SKIPPED();
	if (!dpctl)
		SKIP(return, "no ovs-dpctl: make deps unpacks it");
	self->ovs_loaded = access("/sys/module/openvswitch", F_OK) != 0;
	if (sh("modprobe -q openvswitch 2>/dev/null")) {
		self->ovs_loaded = false;
		SKIP(return, "no openvswitch module");
	}
	/* Its BTF names the reasons where the module registers them (6.4+). */
	if (sh("grep -qa OVS_DROP_LAST_ACTION /sys/kernel/btf/openvswitch"))
		SKIP(return, "this kernel's openvswitch has no drop reasons of its own");
	/* vb stops answering ARP once the datapath has it. */
	ASSERT_EQ(0, sh("ip -n %s neigh replace 10.77.0.2 dev va lladdr "
			"$(ip -n %s -j link show vb | jq -r '.[0].address')", self->h.a, self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s %s add-dp " OVS_DP, self->h.b, dpctl));
	ASSERT_EQ(0, sh("ip netns exec %s %s add-if " OVS_DP " vb", self->h.b, dpctl));
	ASSERT_EQ(0, sh("ip netns exec %s %s add-flow " OVS_DP
			" 'in_port(1),eth(),eth_type(0x0800),ipv4()' ''", self->h.b, dpctl));

	ASSERT_EQ(0, drops_sum_of(&variant->v, "OVS_DROP_LAST_ACTION", self->h.b_netns, "vb",
				  &before));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, &job));
	ASSERT_EQ(0, drops_sum_of(&variant->v, "OVS_DROP_LAST_ACTION", self->h.b_netns, "vb",
				  &after));
	ASSERT_EQ(0, sh_u64(&flow_packets, OVS_FLOW_STAT, self->h.b, dpctl, "packets"));
	ASSERT_EQ(0, sh_u64(&flow_bytes, OVS_FLOW_STAT, self->h.b, dpctl, "bytes"));
	EXPECT_EQ(0, sh("ip netns exec %s %s del-dp " OVS_DP, self->h.b, dpctl));

	EXPECT_EQ(job.packets, flow_packets);
	EXPECT_EQ(flow_packets, after.packets - before.packets);
	EXPECT_EQ(flow_bytes, after.bytes - before.bytes);
	EXPECT_EQ(1U, after.rows);
}

/* Packets of the rows of @dev in @netns whose reason is one of @reasons (NULL-ended). */
static int drops_on_dev(const struct backend_variant *v, const char *const *reasons,
			uint32_t netns, const char *dev, uint64_t *packets)
{
	uint64_t n;
	int err;

	*packets = 0;
	for (; *reasons; reasons++) {
		err = drops_of(v, *reasons, netns, dev, &n, NULL);
		if (err)
			return err;
		*packets += n;
	}
	return 0;
}

/*
 * A qdisc that drops: tbf on va, far slower than the UDP burst sent
 * through it, with room for three packets.  The kernel frees its drops as
 * one list (kfree_skb_list_reason(), inline on 6.3+, which a kprobe on the
 * single free never sees) or one by one (7.2); either way every drop is
 * one row packet on va, as many as the qdisc's own drop counter.  b drops
 * the packets that pass (nft), so no ICMP comes back to va.
 */
TEST_F(drops, qdisc_drops_equal_qdisc_counter)
{
	/* 6.1 frees a qdisc's drops without a reason; 6.12 and later say QDISC_DROP. */
	static const char *const reasons[] = { "QDISC_DROP", "NOT_SPECIFIED", NULL };
	struct udp_job job = { "10.77.0.2", FILTERED_PORT, 300, 1000 };
	const char *stat = "ip netns exec %s tc -s -j qdisc show dev va | jq '.[0].drops'";
	uint64_t before, after, qdisc = 0;

	RETURN_IF_SKIPPED();
	if (!strcmp(variant->v.backend, "bpf") && !strcmp(variant->v.mode, "kprobe"))
		SKIP(return, "BPF's kprobe mode does not see list frees (status says so)");
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in udp dport %d drop",
			self->h.b, FILTERED_PORT));
	ASSERT_EQ(0, sh("ip netns exec %s tc qdisc add dev va root tbf rate 100kbit "
			"burst 1600 limit 3000", self->h.a));

	ASSERT_EQ(0, drops_on_dev(&variant->v, reasons, self->h.a_netns, "va", &before));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, &job));
	ASSERT_EQ(0, sh_u64(&qdisc, stat, self->h.a));
	ASSERT_EQ(0, drops_on_dev(&variant->v, reasons, self->h.a_netns, "va", &after));

	TH_LOG("%u sent, the qdisc dropped %llu, counted %llu", job.packets,
	       (unsigned long long)qdisc, (unsigned long long)(after - before));
	EXPECT_LT(job.packets / 2, qdisc);
	EXPECT_EQ(qdisc, after - before);
}

/*
 * status names what the mode cannot see (only a kprobe mode has gaps), says
 * the kernel has drop reasons, and counts missed probe hits: a tracepoint
 * misses none.
 */
TEST_F(drops, status_says_what_the_mode_misses)
{
	bool kprobe = !strcmp(variant->v.mode, "kprobe");
	json_object *doc, *hooks, *h, *reasons;
	const char *gaps = NULL;
	uint64_t missed = 1;
	size_t i;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, skbstat_rows(&doc, &hooks, backend_args(&variant->v), "status", "hooks"));
	for (i = 0; i < json_object_array_length(hooks); i++) {
		h = json_object_array_get_idx(hooks, i);
		if (strcmp(row_str(h, "name") ?: "", "skb:kfree_skb"))
			continue;
		gaps = row_str(h, "gaps");
		missed = row_u64(h, "missed");
	}
	EXPECT_TRUE(json_object_object_get_ex(doc, "drop_reasons", &reasons) &&
		    json_object_get_boolean(reasons));
	ASSERT_NE(NULL, gaps);
	EXPECT_EQ(kprobe, gaps[0] != '\0') {
		TH_LOG("mode %s, gaps '%s'", variant->v.mode, gaps);
	}
	if (!kprobe)
		EXPECT_EQ(0ULL, missed);
	json_object_put(doc);
}

TEST_HARNESS_MAIN
