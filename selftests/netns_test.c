// SPDX-License-Identifier: GPL-2.0
/*
 * Nobody reads or resets another container's rows, and permissions are
 * those of the design: CAP_NET_ADMIN over one's own netns to read and
 * reset, CAP_NET_ADMIN in the initial user namespace to reconfigure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/skbstat.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define A_DROPS 5
#define B_DROPS 7

static int drop_locally(void *arg)
{
	return udp_send_n("127.0.0.1", 9, *(unsigned int *)arg, 10) ? 1 : 0;
}

/*
 * The command prefix that runs in netns @ns ("" = initial).  Not "ip netns
 * exec", which remounts /sys and so hides the BPF backend's pins: a
 * container that counts with BPF sees the host's BPF filesystem.
 */
static const char *in_netns(const char *ns)
{
	static char prefix[96];

	snprintf(prefix, sizeof(prefix), ns[0] ? "nsenter --net=/run/netns/%s " : "%s", ns);
	return prefix;
}

/* NO_SOCKET packets of @netns as seen by "skbstat" run after @prefix. */
static int no_socket_seen_by(const struct backend_variant *v, const char *prefix,
			     uint32_t netns, uint64_t *packets, unsigned int *foreign_rows)
{
	json_object *doc, *rows, *row;
	char cmd[256];
	int err, status;
	char *out;
	size_t i;

	snprintf(cmd, sizeof(cmd), "%s%s %s -j drops", prefix, skbstat_path(), backend_args(v));
	err = sh_capture(cmd, &status, &out);
	if (err)
		return err;
	doc = status ? NULL : json_tokener_parse(out);
	free(out);
	rows = doc ? json_rows(doc, "drops") : NULL;
	if (!rows) {
		json_object_put(doc);
		return -EIO;
	}
	*packets = 0;
	*foreign_rows = 0;
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != netns) {
			(*foreign_rows)++;
			continue;
		}
		if (!strcmp(row_str(row, "reason") ?: "", "NO_SOCKET"))
			*packets += row_u64(row, "packets");
	}
	json_object_put(doc);
	return 0;
}

/* The same, by "skbstat" run in @ns ("" = initial). */
static int no_socket_seen(const struct backend_variant *v, const char *ns, uint32_t netns,
			  uint64_t *packets, unsigned int *foreign_rows)
{
	return no_socket_seen_by(v, in_netns(ns), netns, packets, foreign_rows);
}

FIXTURE(netns) {
	struct hosts h;
};

BACKEND_VARIANTS(netns);

FIXTURE_SETUP(netns)
{
	unsigned int a = A_DROPS, b = B_DROPS;

	BACKEND_SETUP(variant);
	ASSERT_EQ(0, hosts_up(&self->h));
	ASSERT_EQ(0, run_in_netns(self->h.a, drop_locally, &a));
	ASSERT_EQ(0, run_in_netns(self->h.b, drop_locally, &b));
}

FIXTURE_TEARDOWN(netns)
{
	hosts_down(&self->h);
}

TEST_F(netns, container_sees_only_its_rows)
{
	uint64_t in_a, in_b, from_init;
	unsigned int foreign, init_foreign;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &in_a, &foreign));
	EXPECT_EQ(0U, foreign);
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.b, self->h.b_netns, &in_b, &foreign));
	EXPECT_EQ(0U, foreign);
	/* The initial netns sees both, the same numbers. */
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.a_netns, &from_init,
				    &init_foreign));
	EXPECT_EQ(in_a, from_init);
	EXPECT_LT(0U, init_foreign);
	EXPECT_LE((uint64_t)A_DROPS, in_a);
	EXPECT_LE((uint64_t)B_DROPS, in_b);
}

/* The host's drops: rows + table_full = events, exactly. */
static void host_identity_holds(struct __test_metadata *_metadata,
				const struct backend_variant *v)
{
	struct hook_totals t;
	uint64_t sum, rows;

	ASSERT_EQ(0, totals_settled(v, "skb:kfree_skb", "drops", "packets", &t, &sum, &rows));
	EXPECT_EQ(t.events, sum + t.table_full);
	EXPECT_EQ(t.rows, rows);
}

/*
 * A reset in a netns is that netns's view: its rows restart from zero
 * there, and the host and every other netns see them as before; a tenant
 * cannot hide its drops from the operator.
 */
TEST_F(netns, container_resets_only_its_view)
{
	unsigned int again = 3;
	uint64_t a_host, a_host_after, a_after, b_before, b_after;
	unsigned int foreign;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.a_netns, &a_host, &foreign));
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.b_netns, &b_before, &foreign));
	ASSERT_EQ(0, sh("%s%s %s reset", in_netns(self->h.a), skbstat_path(),
			backend_args(&variant->v)));
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &a_after,
				    &foreign));
	EXPECT_EQ(0ULL, a_after);
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.b, self->h.b_netns, &b_after,
				    &foreign));
	EXPECT_EQ(b_before, b_after);
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.a_netns, &a_host_after, &foreign));
	EXPECT_EQ(a_host, a_host_after);
	host_identity_holds(_metadata, &variant->v);

	/* Counting goes on: from zero in a's view, from where it was in the host's. */
	ASSERT_EQ(0, run_in_netns(self->h.a, drop_locally, &again));
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &a_after,
				    &foreign));
	EXPECT_EQ((uint64_t)again, a_after);
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.a_netns, &a_host_after, &foreign));
	EXPECT_EQ(a_host + again, a_host_after);
	host_identity_holds(_metadata, &variant->v);

	/* A host reset resets every view. */
	ASSERT_EQ(0, sh("%s %s reset", skbstat_path(), backend_args(&variant->v)));
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &a_after,
				    &foreign));
	EXPECT_EQ(0ULL, a_after);
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.b_netns, &b_after, &foreign));
	EXPECT_EQ(0ULL, b_after);
}

/*
 * A caller in the initial netns but a pid namespace of its own (a
 * Kubernetes hostNetwork pod) is the host: it sees every netns's rows, as
 * with the module.  Its /proc/1 is not the host's init.
 */
TEST_F(netns, host_network_in_own_pid_namespace_sees_all)
{
	uint64_t in_a, from_pod;
	unsigned int foreign;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", self->h.a_netns, &in_a, &foreign));
	ASSERT_EQ(0, no_socket_seen_by(&variant->v, "unshare --pid --fork --mount-proc ",
				       self->h.a_netns, &from_pod, &foreign));
	EXPECT_EQ(in_a, from_pod);
	EXPECT_LE((uint64_t)A_DROPS, from_pod);
}

/* Whether this process's BPF filesystem is init's (not the private one of make check's host stage). */
static bool bpffs_is_inits(void)
{
	struct stat here, init;

	return !stat("/sys/fs/bpf", &here) && !stat("/proc/1/root/sys/fs/bpf", &init) &&
	       here.st_dev == init.st_dev;
}

/*
 * "ip netns exec NAME skbstat", the way iproute2 users enter a namespace,
 * shows that namespace's view with either backend, although it remounts
 * /sys (the BPF backend then finds the pins in init's BPF filesystem).
 */
TEST_F(netns, ip_netns_exec_shows_its_view)
{
	uint64_t via_nsenter, via_ip;
	unsigned int foreign;
	char prefix[96];

	RETURN_IF_SKIPPED();
	if (!strcmp(variant->v.backend, "bpf") && !bpffs_is_inits())
		SKIP(return, "the suite counts in a BPF filesystem of its own, not init's");
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &via_nsenter,
				    &foreign));
	snprintf(prefix, sizeof(prefix), "ip netns exec %s ", self->h.a);
	ASSERT_EQ(0, no_socket_seen_by(&variant->v, prefix, self->h.a_netns, &via_ip, &foreign));
	EXPECT_EQ(0U, foreign);
	EXPECT_EQ(via_nsenter, via_ip);
	EXPECT_LE((uint64_t)A_DROPS, via_ip);
}

/* --netns takes the names 'ip netns' gives, and knows which exist. */
TEST_F(netns, filter_by_netns_name)
{
	json_object *doc, *rows;
	uint64_t in_a, named = 0;
	unsigned int foreign;
	char args[128];
	int status;
	char *out;
	size_t i;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &in_a, &foreign));
	snprintf(args, sizeof(args), "drops --netns %s", self->h.a);
	ASSERT_EQ(0, skbstat_rows(&doc, &rows, backend_args(&variant->v), args, "drops"));
	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);

		EXPECT_EQ(self->h.a_netns, row_u64(row, "netns"));
		if (!strcmp(row_str(row, "reason") ?: "", "NO_SOCKET"))
			named += row_u64(row, "packets");
	}
	json_object_put(doc);
	EXPECT_LE((uint64_t)A_DROPS, in_a);
	EXPECT_EQ(in_a, named);

	snprintf(args, sizeof(args), "%s drops --netns skbstat-no-such-ns 2>&1",
		 backend_args(&variant->v));
	ASSERT_EQ(0, skbstat_run(args, &status, &out));
	EXPECT_EQ(2, status);
	EXPECT_NE(NULL, strstr(out, "unknown netns 'skbstat-no-such-ns'"));
	free(out);
}

/* A container's status totals are the sums of its own rows. */
TEST_F(netns, container_status_is_its_own)
{
	json_object *doc, *hooks, *h;
	char cmd[256];
	uint64_t events = UINT64_MAX;
	uint64_t in_a;
	unsigned int foreign;
	int status;
	char *out;
	size_t i;

	RETURN_IF_SKIPPED();
	snprintf(cmd, sizeof(cmd), "%s%s %s -j status", in_netns(self->h.a), skbstat_path(),
		 backend_args(&variant->v));
	ASSERT_EQ(0, sh_capture(cmd, &status, &out));
	ASSERT_EQ(0, status);
	doc = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, doc);
	hooks = json_rows(doc, "hooks");
	for (i = 0; hooks && i < json_object_array_length(hooks); i++) {
		h = json_object_array_get_idx(hooks, i);
		if (!strcmp(row_str(h, "name") ?: "", "skb:kfree_skb"))
			events = row_u64(h, "events");
	}
	json_object_put(doc);
	ASSERT_EQ(0, no_socket_seen(&variant->v, self->h.a, self->h.a_netns, &in_a, &foreign));
	/* Namespace a has seen NO_SOCKET drops only. */
	EXPECT_EQ(in_a, events);
}

/* "skbstat -j @cmd" run in @ns ("" = initial), parsed into *@doc. */
static int json_seen(const struct backend_variant *v, const char *ns, const char *cmd,
		     json_object **doc)
{
	char line[256];
	int err, status;
	char *out;

	snprintf(line, sizeof(line), "%s%s %s -j %s", in_netns(ns), skbstat_path(),
		 backend_args(v), cmd);
	err = sh_capture(line, &status, &out);
	if (err)
		return err;
	*doc = status ? NULL : json_tokener_parse(out);
	free(out);
	return *doc ? 0 : -EIO;
}

#define DEAD_DROPS 9

/* Packets in the host's netns gone row (netns 0, no location). */
static int gone_seen(const struct backend_variant *v, uint64_t *packets)
{
	json_object *doc;
	int err;

	err = json_seen(v, "", "drops", &doc);
	if (err)
		return err;
	*packets = drops_gone(doc);
	json_object_put(doc);
	return 0;
}

/*
 * The kernel gives a dead netns's inode to the next namespace it makes.
 * Rows are a netns's by its cookie, which no other netns ever gets: the
 * netns that inherits the inode sees none of the dead one's rows, nor
 * counts their events in its status, while the host sees all of them in
 * its netns gone row: both backends retire a dead netns's rows there
 * (netns_gone_test.c tests that further).
 */
FIXTURE(reused_inode) {
	char dead[32];
	char heir[32];
};

FIXTURE_VARIANT(reused_inode) {
	struct backend_variant v;
};

FIXTURE_VARIANT_ADD(reused_inode, kmod_tracepoint) {
	.v = { "kmod", "tracepoint" },
};

FIXTURE_VARIANT_ADD(reused_inode, kmod_kprobe) {
	.v = { "kmod", "kprobe" },
};

FIXTURE_VARIANT_ADD(reused_inode, bpf_tp_btf) {
	.v = { "bpf", "tp_btf" },
};

FIXTURE_VARIANT_ADD(reused_inode, bpf_raw_tp) {
	.v = { "bpf", "raw_tp" },
};

FIXTURE_VARIANT_ADD(reused_inode, bpf_kprobe) {
	.v = { "bpf", "kprobe" },
};

FIXTURE_SETUP(reused_inode)
{
	BACKEND_SETUP(variant);
}

FIXTURE_TEARDOWN(reused_inode)
{
	if (self->dead[0])
		sh("ip netns del %s", self->dead);
	if (self->heir[0])
		sh("ip netns del %s", self->heir);
}

TEST_F(reused_inode, heir_sees_nothing_of_the_dead)
{
	static const char *const tables[] = { "drops", "flows", "queues" };
	uint64_t host_before, host_after;
	unsigned int n = DEAD_DROPS, foreign;
	json_object *doc, *rows, *hooks, *h;
	uint32_t inode;
	bool reused;
	size_t i;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, netns_add(self->dead, sizeof(self->dead), "dead"));
	inode = netns_inode_of(self->dead);
	ASSERT_NE(0U, inode);
	ASSERT_EQ(0, run_in_netns(self->dead, drop_locally, &n));
	ASSERT_EQ(0, no_socket_seen(&variant->v, "", inode, &host_before, &foreign));
	ASSERT_LE((uint64_t)DEAD_DROPS, host_before);
	ASSERT_EQ(0, sh("ip netns del %s", self->dead));
	self->dead[0] = '\0';
	ASSERT_EQ(0, netns_add_reusing(self->heir, sizeof(self->heir), "heir", inode, &reused));

	/* Nothing has happened in the heir: whatever its inode, its tables are empty. */
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		ASSERT_EQ(0, json_seen(&variant->v, self->heir, tables[i], &doc));
		rows = json_rows(doc, tables[i]);
		EXPECT_NE(NULL, rows);
		EXPECT_EQ(0, rows ? (int)json_object_array_length(rows) : -1) {
			TH_LOG("the heir of inode %u (%s) sees %s rows", inode,
			       reused ? "reused" : "not reused", tables[i]);
		}
		json_object_put(doc);
	}
	ASSERT_EQ(0, json_seen(&variant->v, self->heir, "status", &doc));
	hooks = json_rows(doc, "hooks");
	EXPECT_EQ(SKBSTAT_HOOK_COUNT, hooks ? (int)json_object_array_length(hooks) : -1);
	for (i = 0; hooks && i < json_object_array_length(hooks); i++) {
		h = json_object_array_get_idx(hooks, i);
		EXPECT_EQ(0ULL, row_u64(h, "events")) {
			TH_LOG("%s", row_str(h, "name"));
		}
		EXPECT_EQ(0ULL, row_u64(h, "bytes"));
		EXPECT_EQ(0ULL, row_u64(h, "rows"));
	}
	json_object_put(doc);

	/* The host's view: the dead netns's packets, every one. */
	ASSERT_EQ(0, gone_seen(&variant->v, &host_after));
	EXPECT_LE(host_before, host_after);

	/* A skip says the point was not made; a failure above stays a failure. */
	if (!reused && _metadata->passed)
		SKIP(return, "the kernel gave the new netns inode %u, not the dead one's %u",
		     netns_inode_of(self->heir), inode);
}

TEST_F(netns, unprivileged_gets_eperm)
{
	char cmd[256];
	int status;
	char *out;

	RETURN_IF_SKIPPED();
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=nobody --regid=nogroup --clear-groups "
		 "--inh-caps=-all %s %s drops 2>&1", skbstat_path(), backend_args(&variant->v));
	ASSERT_EQ(0, sh_capture(cmd, &status, &out));
	EXPECT_EQ(1, status);
	/* The message names what is missing: the module's check, or BPF's. */
	EXPECT_NE(NULL, strstr(out, strcmp(variant->v.backend, "bpf") ? "CAP_NET_ADMIN" :
			       "CAP_BPF")) {
		TH_LOG("output: %s", out);
	}
	free(out);
}

/* Whether every hook of the backend under test is attached, per its status. */
static int all_attached(const struct backend_variant *v, bool *attached)
{
	json_object *doc, *hooks;
	size_t i;
	int err;

	err = skbstat_rows(&doc, &hooks, backend_args(v), "status", "hooks");
	if (err)
		return err;
	*attached = json_object_array_length(hooks) > 0;
	for (i = 0; i < json_object_array_length(hooks); i++)
		*attached &= row_u64(json_object_array_get_idx(hooks, i), "attached") == 1;
	json_object_put(doc);
	return 0;
}

/*
 * A container's root (a user namespace of its own) can neither detach nor
 * attach, with either backend: the CLI says why, and nothing changes.
 */
TEST_F(netns, container_cannot_attach_or_detach)
{
	static const char *const cmds[] = { "detach", "attach", "attach --mode kprobe" };
	bool attached;
	char cmd[256];
	int status;
	char *out;
	size_t i;

	RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		snprintf(cmd, sizeof(cmd), "unshare -Ur --net %s %s %s 2>&1", skbstat_path(),
			 backend_args(&variant->v), cmds[i]);
		ASSERT_EQ(0, sh_capture(cmd, &status, &out));
		EXPECT_EQ(1, status);
		EXPECT_NE(NULL, strstr(out, "initial user namespace")) {
			TH_LOG("%s: %s", cmds[i], out);
		}
		free(out);
		ASSERT_EQ(0, all_attached(&variant->v, &attached));
		EXPECT_TRUE(attached);
	}
}

/* In a user namespace of its own, root may read its netns but not reconfigure. */
static int userns_requests(void *arg)
{
	int *errors = arg, family;
	uint32_t mode = SKBSTAT_MODE_KPROBE;
	struct genl_reply r;
	char attrs[32];
	size_t len;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 2;
	family = genl_family_id(SKBSTAT_GENL_NAME);
	if (family < 0)
		return 3;
	if (genl_request(family, SKBSTAT_CMD_GET_STATUS, 0, 0, NULL, 0, &r))
		return 4;
	errors[0] = r.error;
	len = nla_put_raw(attrs, SKBSTAT_ATTR_MODE, &mode, sizeof(mode));
	if (genl_request(family, SKBSTAT_CMD_SET_CONFIG, 0, 0, attrs, len, &r))
		return 5;
	errors[1] = r.error;
	return 0;
}

TEST(user_namespace_cannot_reconfigure)
{
	int *errors = mmap(NULL, 2 * sizeof(int), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (!kmod_possible() || kmod_load() == -ENOENT)
		SKIP(return, "no module here");
	ASSERT_NE(MAP_FAILED, errors);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(userns_requests(errors));
	ASSERT_EQ(0, wait_child(pid));
	EXPECT_EQ(0, errors[0]);
	EXPECT_EQ(-EPERM, errors[1]);
}

TEST_HARNESS_MAIN
