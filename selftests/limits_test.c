// SPDX-License-Identifier: GPL-2.0
/*
 * Tables never grow past their limits, whatever the traffic, and every
 * event is accounted for: rows + table_full = events, exactly.  Dumps of
 * more rows than fit in one message come back whole.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "lib/testlib.h"
#include <linux/types.h>
#include <skbstat/slots.h>
#include "kselftest_harness.h"
#include "lib/variants.h"
#include <skbstat/hooks.h>
#include <skbstat/tables.h>

#define DROP_ROWS	64
#define FLOW_ROWS	4
#define ETHERTYPES	300
#define CONNECTIONS	12
#define DEAD_PORT	6000
#define BIG_DUMP	10000

struct eth_job {
	uint16_t first;
	unsigned int n;
};

static int send_eth_types(void *arg)
{
	const struct eth_job *job = arg;

	return eth_send_types("va", job->first, job->n) ? 1 : 0;
}

static int connect_to_dead_port(void *arg)
{
	/* The first SYN retransmit comes after 1 s. */
	return tcp_connect_many("10.77.0.2", DEAD_PORT, CONNECTIONS, 1600) ? 1 : 0;
}

FIXTURE(limits) {
	struct hosts h;
};

BACKEND_VARIANTS(limits);

FIXTURE_SETUP(limits)
{
	int err = backend_up_limits(&variant->v, DROP_ROWS, FLOW_ROWS, 0);

	if (err == -EOPNOTSUPP)
		SKIP(return, "%s/%s not available here", variant->v.backend, variant->v.mode);
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(limits)
{
	hosts_down(&self->h);
	backend_down_limits(&variant->v);
}

TEST_F(limits, drops_table_full_is_exact)
{
	struct eth_job job = { .first = 0x4000, .n = ETHERTYPES };
	struct hook_totals t;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, totals_settled(&variant->v, "skb:kfree_skb", "drops", "packets",
				    &t, &sum, &rows));

	EXPECT_EQ((uint64_t)DROP_ROWS, t.limit);
	EXPECT_EQ((uint64_t)DROP_ROWS, t.rows);
	EXPECT_EQ((uint64_t)DROP_ROWS, rows);
	EXPECT_LE((uint64_t)(ETHERTYPES - DROP_ROWS), t.table_full);
	EXPECT_EQ(t.events, sum + t.table_full);
	/* Both backends say how far a lookup walks; BPF's walks stop at a bound. */
	EXPECT_LE(1ULL, t.longest_probe);
	if (!strcmp(variant->v.backend, "bpf"))
		EXPECT_GE((uint64_t)SKBSTAT_SLOT_PROBES, t.longest_probe);
}

/*
 * table_full is scoped to the view: a netns sees the events of its own that
 * found the table full, never the host's, and its reset restarts them.  In
 * every view rows + table_full = events.
 */
TEST_F(limits, table_full_is_each_views_own)
{
	struct eth_job job = { .first = 0x4000, .n = ETHERTYPES };
	struct hook_totals host, in_a, in_b;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	/* Unknown ethertypes from a: dropped in b, on its end of the veth. */
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, totals_settled(&variant->v, "skb:kfree_skb", "drops", "packets",
				    &host, &sum, &rows));
	ASSERT_LE((uint64_t)(ETHERTYPES - DROP_ROWS), host.table_full);

	ASSERT_EQ(0, hook_totals_in(self->h.b, &variant->v, "skb:kfree_skb", &in_b));
	ASSERT_EQ(0, table_sum_in(self->h.b, &variant->v, "drops", "packets", &sum, &rows));
	EXPECT_LE((uint64_t)(ETHERTYPES - DROP_ROWS), in_b.table_full);
	EXPECT_GE(host.table_full, in_b.table_full);
	EXPECT_EQ(in_b.rows, rows);
	EXPECT_EQ(in_b.events, sum + in_b.table_full);
	/* a dropped nothing: none of the host's table_full is its. */
	ASSERT_EQ(0, hook_totals_in(self->h.a, &variant->v, "skb:kfree_skb", &in_a));
	EXPECT_EQ(0ULL, in_a.table_full);

	/* b's reset restarts its view, table_full included; the host's stays. */
	ASSERT_EQ(0, sh("nsenter --net=/run/netns/%s %s %s reset drops", self->h.b,
			skbstat_path(), backend_args(&variant->v)));
	ASSERT_EQ(0, hook_totals_in(self->h.b, &variant->v, "skb:kfree_skb", &in_b));
	EXPECT_EQ(0ULL, in_b.table_full);
	EXPECT_EQ(0ULL, in_b.events);
	ASSERT_EQ(0, hook_totals(&variant->v, "skb:kfree_skb", &in_a));
	EXPECT_LE(host.table_full, in_a.table_full);
}

TEST_F(limits, flows_table_full_is_exact)
{
	struct hook_totals t;
	uint64_t sum, rows;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in tcp dport %d drop",
			self->h.b, DEAD_PORT));
	ASSERT_EQ(0, run_in_netns(self->h.a, connect_to_dead_port, NULL));
	ASSERT_EQ(0, totals_settled(&variant->v, "tcp:tcp_retransmit_skb", "flows", "events",
				    &t, &sum, &rows));

	EXPECT_EQ((uint64_t)FLOW_ROWS, t.rows);
	EXPECT_EQ((uint64_t)FLOW_ROWS, rows);
	EXPECT_LE((uint64_t)(CONNECTIONS - FLOW_ROWS), t.table_full);
	EXPECT_EQ(t.events, sum + t.table_full);
}

/* ---- memory ---- */

#define PAGE		4096ULL
#define TABLE_CPU_HEAD	16	/* struct skbstat_table_cpu: table_full and its bytes */
#define NETNS_FULL	(1024 * 24)	/* the table's netns shares of table_full */

/* A kmalloc cache's size: a power of two from 8 up, or 96 or 192. */
static bool kmalloc_cache_size(uint64_t n)
{
	return n == 96 || n == 192 || (n >= 8 && !(n & (n - 1)));
}

/*
 * What the module's table takes for a part of @n bytes (kmod/table.c):
 * up to a page, its kmalloc cache's (powers of two, and 96 and 192); past
 * it, exactly its pages, whether they come from the page allocator or
 * vmalloc.  0 for none.
 */
static uint64_t part_takes(uint64_t n)
{
	uint64_t p = 8;

	if (!n)
		return 0;
	if (n > PAGE)
		return (n + PAGE - 1) / PAGE * PAGE;
	if (n > 64 && n <= 96)
		return 96;
	if (n > 128 && n <= 192)
		return 192;
	while (p < n)
		p <<= 1;
	return p;
}

static uint64_t pow2_at_least(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static json_object *memory_row(json_object *doc, const char *table)
{
	json_object *rows = json_rows(doc, "memory"), *row;
	size_t i;

	for (i = 0; rows && i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (!strcmp(row_str(row, "table") ?: "", table))
			return row;
	}
	return NULL;
}

static bool kernel_since(unsigned int major, unsigned int minor)
{
	struct utsname u;
	unsigned int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &a, &b) != 2)
		return false;
	return a > major || (a == major && b >= minor);
}

/* What bpftool says of a pinned map, as JSON, for the caller to free(); NULL if nothing. */
static char *pinned_map_show(const char *map)
{
	char cmd[256], *out = NULL;
	int status;

	snprintf(cmd, sizeof(cmd), "bpftool -j map show pinned /sys/fs/bpf/skbstat/maps/%s", map);
	if (sh_capture(cmd, &status, &out) || status) {
		free(out);
		return NULL;
	}
	return out;
}

/* The kernel's own figure for a map: its fdinfo's "memlock:", as bpftool reads it. */
static uint64_t pinned_memlock(const char *map)
{
	char *out = pinned_map_show(map), *p;
	uint64_t n = 0;

	if (!out)
		return 0;
	p = strstr(out, "\"bytes_memlock\":");
	if (p)
		n = strtoull(p + strlen("\"bytes_memlock\":"), NULL, 10);
	free(out);
	return n;
}

/* Whether a pinned map is of bpftool's type @type ("hash", "percpu_hash", ...). */
static bool pinned_type_is(const char *map, const char *type)
{
	char *out = pinned_map_show(map), want[64];
	bool is;

	snprintf(want, sizeof(want), "\"type\":\"%s\"", type);
	is = out && strstr(out, want);
	free(out);
	return is;
}

/*
 * The module reports what its allocations took (part_takes()): each
 * CPU's counters are one part of 16 bytes (table_full and its bytes) and, but in the flows
 * table, the rows' counters (16 bytes a drop row, 152 a queue's: struct
 * skbstat_*_val).  The flows table has one copy of its rows' counters for
 * all CPUs (56 bytes a row: struct skbstat_flow_count).  The parts all
 * CPUs share are slots (a power of two of at least two per row, 4 bytes
 * each), keys, each counter's base (8 bytes a counter a row), free rows (4
 * bytes a row) and the netns shares of table_full; what is left is the
 * table itself, a kmalloc object whose size the kernel's configuration
 * decides (lockdep enlarges its locks), with a pointer per CPU.  BPF's
 * figure is the kernel's own accounting of the maps (fdinfo's memlock,
 * since 6.5), exactly.
 */
TEST_F(limits, memory_is_what_the_tables_take)
{
	static const char *const tables[] = { "drops", "flows", "queues" };
	const uint64_t rows[] = { DROP_ROWS, FLOW_ROWS, SKBSTAT_DEFAULT_QUEUE_ROWS };
	const uint64_t val[] = { 16, 56, 152 };
	/* Each BPF table's maps (bpf/maps.bpf.h). */
	static const char *const parts[] = { "slots", "counts", "free_0", "free_1", "bases" };
	const uint64_t counters[] = { 2, 4, 2 + SKBSTAT_HIST_BUCKETS };
	const uint64_t key[] = { sizeof(struct skbstat_drop_key), sizeof(struct skbstat_flow_key),
				 sizeof(struct skbstat_queue_key) };
	json_object *doc, *row;
	uint64_t cpus, per_cpu, bytes, memlock, cpu_part, shared, table;
	char map[32];
	size_t i, g;

	RETURN_IF_SKIPPED();
	snprintf(map, sizeof(map), "%s status", backend_args(&variant->v));
	ASSERT_EQ(0, skbstat_json(&doc, map));
	for (i = 0; i < 3; i++) {
		row = memory_row(doc, tables[i]);
		ASSERT_NE(NULL, row) TH_LOG("no memory row of %s", tables[i]);
		cpus = row_u64(row, "possible_cpus");
		per_cpu = row_u64(row, "per_cpu_bytes");
		bytes = row_u64(row, "bytes");
		ASSERT_LT(0ULL, (unsigned long long)cpus);
		if (!strcmp(variant->v.backend, "kmod")) {
			bool flows = !strcmp(tables[i], "flows");

			cpu_part = TABLE_CPU_HEAD + (flows ? 0 : rows[i] * val[i]);
			EXPECT_EQ(part_takes(cpu_part), per_cpu)
				TH_LOG("%s: per CPU for %llu rows", tables[i],
				       (unsigned long long)rows[i]);
			shared = part_takes(pow2_at_least(2 * rows[i]) * 4) +
				 part_takes(rows[i] * key[i]) +
				 part_takes(flows ? rows[i] * val[i] : 0) +
				 part_takes(rows[i] * counters[i] * 8) +
				 part_takes(rows[i] * 4) + part_takes(NETNS_FULL);
			ASSERT_LT(cpus * per_cpu + shared, bytes) TH_LOG("%s", tables[i]);
			table = bytes - cpus * per_cpu - shared;
			EXPECT_TRUE(kmalloc_cache_size(table) && table >= 8 * cpus + 64 &&
				    table <= pow2_at_least(8 * cpus + 4096))
				TH_LOG("%s: %llu bytes for the table itself, %llu possible CPUs",
				       tables[i], (unsigned long long)table,
				       (unsigned long long)cpus);
			continue;
		}
		/* Before 6.5 memlock was an estimate of the kernel's: only the bounds below. */
		memlock = 0;
		for (g = 0; g < ARRAY_SIZE(parts) && kernel_since(6, 5); g++) {
			snprintf(map, sizeof(map), "%s_%s", tables[i], parts[g]);
			memlock += pinned_memlock(map);
		}
		if (memlock)
			EXPECT_EQ(memlock, bytes) TH_LOG("%s", tables[i]);
		if (!strcmp(tables[i], "flows")) {
			/*
			 * One copy of the rows for all CPUs (bpf/maps.bpf.h): a plain
			 * array of counters; per CPU only the bases' locks.
			 */
			EXPECT_TRUE(pinned_type_is("flows_counts", "array"));
			EXPECT_GT((uint64_t)PAGE, per_cpu);
			EXPECT_LE(2 * rows[i] * val[i] + cpus * per_cpu, bytes);
			continue;
		}
		snprintf(map, sizeof(map), "%s_counts", tables[i]);
		EXPECT_TRUE(pinned_type_is(map, "percpu_array")) TH_LOG("%s", map);
		/* Two generations of rows, and little else, per CPU. */
		EXPECT_LE(2 * rows[i] * val[i], per_cpu) TH_LOG("%s", tables[i]);
		EXPECT_GT(2 * rows[i] * val[i] + PAGE, per_cpu) TH_LOG("%s", tables[i]);
	}
	json_object_put(doc);
}

/* ---- the memory cap ---- */

FIXTURE(cap) {
	int unused;
};

BACKEND_VARIANTS(cap);

FIXTURE_SETUP(cap)
{
	int err = backend_up(&variant->v);

	if (err == -EOPNOTSUPP)
		SKIP(return, "%s/%s not available here", variant->v.backend, variant->v.mode);
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(cap)
{
	backend_down_limits(&variant->v);
}

/* How many files the BPF backend has pinned. */
static uint64_t pins(void)
{
	uint64_t n = 0;

	sh_u64(&n, "find /sys/fs/bpf/skbstat -type f 2>/dev/null | wc -l");
	return n;
}

/* @out is one line that names the table's figure (@figure) and the cap (@cap). */
static void expect_refusal(struct __test_metadata *_metadata, const char *out,
			   const char *figure, const char *cap)
{
	EXPECT_NE(NULL, strstr(out, figure)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, cap)) TH_LOG("%s", out);
	EXPECT_EQ(strlen(out), (size_t)(strchr(out, '\n') - out + 1)) TH_LOG("%s", out);
}

/*
 * How the module's refusal names a flows table of @rows rows: one copy of
 * the rows for all CPUs, and the most it may take (kmod/table.c), in MiB
 * with one decimal.  Its parts for all CPUs, as part_takes() counts them
 * (key and row 56 bytes, 4 counters); the table itself and the 32 bytes of
 * totals per CPU add under 0.02 MiB, which at 1000000 rows leaves the
 * decimal as it is.
 */
static const char *flows_figure(uint64_t rows)
{
	static char figure[128];
	uint64_t b;

	b = part_takes(pow2_at_least(2 * rows) * 4) + part_takes(rows * 56) +
	    part_takes(rows * 56) + part_takes(rows * 4 * 8) + part_takes(rows * 4) +
	    part_takes(NETNS_FULL);
	snprintf(figure, sizeof(figure),
		 "(tcp:tcp_retransmit_skb: %llu rows, one copy for all CPUs = %llu.%llu MiB)",
		 (unsigned long long)rows, (unsigned long long)(b >> 20),
		 (unsigned long long)(((b & ((1 << 20) - 1)) * 10) >> 20));
	return figure;
}

/*
 * Limits whose tables would take more than the cap are refused in one line
 * that says the figure, and nothing is left: no module, no pins.
 */
TEST_F(cap, limits_over_the_cap_are_refused)
{
	char *out = NULL;
	int status;

	RETURN_IF_SKIPPED();
	if (!strcmp(variant->v.backend, "kmod")) {
		ASSERT_EQ(0, kmod_unload());
		ASSERT_EQ(0, sh("dmesg -C"));
		EXPECT_EQ(-EINVAL, kmod_load_params("flow_rows=1000000 max_memory_mib=1"));
		EXPECT_FALSE(kmod_loaded());
		ASSERT_EQ(0, sh_capture("dmesg | grep skbstat", &status, &out));
		ASSERT_NE(NULL, out);
		expect_refusal(_metadata, out, flows_figure(1000000),
			       "more than the cap of 1.0 MiB (max_memory_mib=1)");
		free(out);
		/* Within the cap, it loads. */
		EXPECT_EQ(0, kmod_load_params("flow_rows=1000 max_memory_mib=64"));
		EXPECT_TRUE(kmod_loaded());
		return;
	}
	ASSERT_EQ(0, sh("%s -b bpf detach", skbstat_path()));
	ASSERT_EQ(0ULL, (unsigned long long)pins());
	ASSERT_EQ(0, skbstat_run("-b bpf attach --flow-rows 1000000 --max-memory-mib 1 2>&1",
				 &status, &out));
	EXPECT_EQ(2, status);
	ASSERT_NE(NULL, out);
	expect_refusal(_metadata, out, "(flows: 1000000 rows x 2 generations, one copy for all "
		       "CPUs = ",
		       "more than the cap of 1.0 MiB (--max-memory-mib 1)");
	free(out);
	EXPECT_EQ(0ULL, (unsigned long long)pins());
	/* Within the cap, it attaches. */
	EXPECT_EQ(0, sh("%s -b bpf attach --flow-rows 1000 --max-memory-mib 64", skbstat_path()));
	EXPECT_LT(0ULL, (unsigned long long)pins());
}

FIXTURE(big) {
	struct hosts h;
};

BACKEND_VARIANTS(big);

FIXTURE_SETUP(big)
{
	int err = backend_up_limits(&variant->v, BIG_DUMP + 2000, 0, 0);

	if (err == -EOPNOTSUPP)
		SKIP(return, "%s/%s not available here", variant->v.backend, variant->v.mode);
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, hosts_up(&self->h));
}

FIXTURE_TEARDOWN(big)
{
	hosts_down(&self->h);
	backend_down_limits(&variant->v);
}

/* 10,000 rows take many dump messages; every one must arrive, once. */
TEST_F(big, dump_of_ten_thousand_rows)
{
	struct eth_job job = { .first = 0x1000, .n = BIG_DUMP };
	json_object *doc, *rows, *row;
	uint64_t found = 0, packets = 0;
	size_t i;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, run_in_netns(self->h.a, send_eth_types, &job));
	ASSERT_EQ(0, skbstat_rows(&doc, &rows, backend_args(&variant->v), "drops", "drops"));
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (row_u64(row, "netns") != self->h.b_netns ||
		    strcmp(row_str(row, "reason") ?: "", "UNHANDLED_PROTO"))
			continue;
		found++;
		packets += row_u64(row, "packets");
	}
	json_object_put(doc);
	EXPECT_EQ((uint64_t)BIG_DUMP, found);
	EXPECT_EQ((uint64_t)BIG_DUMP, packets);
}

/*
 * BPF keeps device names in an LRU map: it holds a name for every device
 * the rows may name (drop and queue rows, twice over), so that no row's
 * device name is evicted by other rows' devices.
 */
TEST_F(big, device_names_sized_with_the_tables)
{
	unsigned long entries = 0;
	int status;
	char *out, *p;

	RETURN_IF_SKIPPED();
	if (strcmp(variant->v.backend, "bpf"))
		SKIP(return, "the module asks the kernel for names");
	ASSERT_EQ(0, sh_capture("bpftool -j map show pinned /sys/fs/bpf/skbstat/maps/devnames",
				&status, &out));
	ASSERT_EQ(0, status);
	p = strstr(out, "\"max_entries\":");
	if (p)
		entries = strtoul(p + strlen("\"max_entries\":"), NULL, 10);
	free(out);
	EXPECT_LE(2UL * (BIG_DUMP + 2000 + 1024), entries);
}

TEST_HARNESS_MAIN
