// SPDX-License-Identifier: GPL-2.0
/*
 * A zoo of drop paths: each test makes the kernel free packets as dropped
 * in one particular way (socket teardown with queued data, buffer overflow,
 * closed ports, bad checksums, forwarding, fragments, netfilter, qdiscs,
 * devices and namespaces removed in flight, GSO, bridge/VLAN/tap, IPv4 and
 * IPv6), with both backends attached at once (a variant is a pair of
 * attach modes), and checks that
 *  1. the kernel log stays clean;
 *  2. each backend's rows add up to the tracepoint's own count over the
 *     same window (perf counters on skb:kfree_skb, lib/tracefs.c);
 *  3. both backends have identical rows, device and netns included, and
 *     the rows name the netns and device where the kernel says them (and
 *     the unknown attribution, netns 0 and no device, where it cannot).
 *
 * What a mode cannot see: the kprobe modes probe kfree_skb_reason() (the
 * function that fires the tracepoint), so they miss the drops the kernel
 * traces elsewhere: on 6.1 that is net_tx_action(), which traces the skbs
 * that drivers freed as dropped with dev_kfree_skb_irq()/_any() from
 * hard-irq context.  Those are counted apart (a counter filtered on that
 * location) and left out of a kprobe mode's expected sum.
 *
 * One harness run: the topology (lib/zoo.c) is built by the first test and
 * kept; each test makes tens of packets, lets the kernel finish (timers,
 * RCU, workqueues: until no drop for 200 ms) and compares what changed.
 * A path that needs what this kernel lacks (netem, 802.1Q, bridge VLAN
 * filtering, ...) skips with the reason.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define A4	"10.88.1.1"
#define R4	"10.88.1.254"
#define B4	"10.88.2.1"
#define A6	"fd88:1::1"
#define B6	"fd88:2::1"
#define CLOSED	9
#define OPEN	7001
#define FILTERED 7777

/* A row that must be there: its reason (one of "A|B", NULL: any), where, device. */
struct zoo_expect {
	const char *reasons;
	const char *where;	/* any of 'a', 'r', 'b', 't' (the path's own netns), 'u' (unknown) */
	const char *dev;	/* NULL: any */
	uint64_t min;		/* packets at least */
};

struct zoo_run {
	struct zoo *z;
	char t[32];		/* a netns of the path's own, if any */
	uint32_t t_netns;
	bool t_died;		/* the path deleted it */
	char skip[160];		/* why the path cannot run here */
};

struct zoo_path {
	const char *name;
	int (*run)(struct zoo_run *r);
	unsigned int settle_ms;	/* the kernel finishes the path this late */
	struct zoo_expect expect[4];
};

/*
 * A variant is a pair of attach modes, one per backend, attached at once:
 * the five modes in three runs of the zoo (kmod's tracepoint mode twice),
 * each path checked for both backends in the same window.  One pass per
 * mode would cost five runs; under TCG each costs minutes.
 */
FIXTURE(zoo) {
	struct zoo z;
	const struct backend_variant *v[2];	/* the ones available here */
	int n;
	char name[64];			/* the variant's modes */
	bool kprobe;
};

FIXTURE_VARIANT(zoo) {
	struct backend_variant v[2];
};

FIXTURE_VARIANT_ADD(zoo, kmod_tracepoint__bpf_tp_btf) {
	.v = { { "kmod", "tracepoint" }, { "bpf", "tp_btf" } },
};

FIXTURE_VARIANT_ADD(zoo, kmod_kprobe__bpf_kprobe) {
	.v = { { "kmod", "kprobe" }, { "bpf", "kprobe" } },
};

FIXTURE_VARIANT_ADD(zoo, kmod_tracepoint__bpf_raw_tp) {
	.v = { { "kmod", "tracepoint" }, { "bpf", "raw_tp" } },
};


/*
 * The tracepoint's counters belong to the harness's main process, so that
 * they run from test to test: each test's window starts where the previous
 * one's ended (see window_read()).  Only a filter for the kprobe modes.
 */
static struct tp_count tp_all;		/* every kfree_skb hit */
static struct tp_count tp_elsewhere;	/* hits a kprobe mode cannot see */

__attribute__((constructor)) static void zoo_counters(void)
{
	char filter[64];

	if (geteuid() || tp_count_open(&tp_all, "skb/kfree_skb", NULL))
		return;
	snprintf(filter, sizeof(filter), "location == 0x%" PRIx64, ksym_addr("net_tx_action"));
	tp_count_open(&tp_elsewhere, "skb/kfree_skb", filter);
}

/* The topology and the mode notes go when the harness's main process exits. */
__attribute__((destructor)) static void zoo_cleanup(void)
{
	char path[96];

	zoo_down();
	snprintf(path, sizeof(path), "/run/skbstat-zoo-%d-kmod", getpid());
	unlink(path);
	snprintf(path, sizeof(path), "/run/skbstat-zoo-%d-bpf", getpid());
	unlink(path);
	snprintf(path, sizeof(path), "/run/skbstat-zoo-%d-window", getpid());
	unlink(path);
}

/*
 * Attaches @v unless the previous test of this run left it so: each BPF
 * attach loads programs, and a test is a process of its own.  A file in
 * /run remembers the mode.
 */
static int backend_ensure(const struct backend_variant *v)
{
	char path[96], mode[32] = "";
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "/run/skbstat-zoo-%d-%s", getppid(), v->backend);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = '\0';
		fclose(f);
	}
	if (!strcmp(mode, v->mode) && (strcmp(v->backend, "kmod") || kmod_loaded()))
		return 0;
	err = backend_up(v);
	f = fopen(path, "we");
	if (f) {
		fputs(err ? "" : v->mode, f);
		fclose(f);
	}
	return err;
}

/*
 * $SKBSTAT_ZOO_PAIRS ("tracepoint+tp_btf kprobe+kprobe ...") runs only those
 * pairs of modes: make check's debug-kernel stage runs the pair of each
 * backend's default mode, where a boot is slow; the others run everywhere
 * else and in make zoo-debug.
 */
static bool pair_wanted(const char *kmod_mode, const char *bpf_mode)
{
	const char *wanted = getenv("SKBSTAT_ZOO_PAIRS");
	char pair[64];
	size_t len;
	const char *p;

	if (!wanted || !*wanted)
		return true;
	len = snprintf(pair, sizeof(pair), "%s+%s", kmod_mode, bpf_mode);
	for (p = strstr(wanted, pair); p; p = strstr(p + 1, pair))
		if ((p == wanted || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

FIXTURE_SETUP(zoo)
{
	int i, err;

	if (!pair_wanted(variant->v[0].mode, variant->v[1].mode))
		SKIP(return, "pair %s+%s not in $SKBSTAT_ZOO_PAIRS", variant->v[0].mode,
		     variant->v[1].mode);
	snprintf(self->name, sizeof(self->name), "%s %s", variant->v[0].mode, variant->v[1].mode);
	self->kprobe = !strcmp(variant->v[0].mode, "kprobe");
	for (i = 0; i < 2; i++) {
		err = backend_ensure(&variant->v[i]);
		ASSERT_TRUE(!err || err == -EOPNOTSUPP);
		if (!err)
			self->v[self->n++] = &variant->v[i];
	}
	if (!self->n)
		SKIP(return, "neither %s/%s nor %s/%s available here", variant->v[0].backend,
		     variant->v[0].mode, variant->v[1].backend, variant->v[1].mode);
	ASSERT_LT(0, tp_all.n);
	if (self->kprobe)
		ASSERT_LT(0, tp_elsewhere.n);
	ASSERT_EQ(0, zoo_up(&self->z));
}

FIXTURE_TEARDOWN(zoo)
{
}

/* A drop row, keyed as the backends key it (the device by ifindex and netns). */
struct zrow {
	char key[256];
	char reason[64];
	char dev[IF_NAMESIZE + 2];
	uint64_t ifindex, netns, packets, bytes;
	bool gone;		/* the netns gone row: netns 0, no location */
};

struct zrows {
	struct zrow *row;
	size_t n;
};

/* The tracepoint's count and both backends' rows at one moment. */
struct window {
	uint64_t hits;		/* the tracepoint's */
	uint64_t elsewhere;	/* of those, the ones a kprobe mode cannot see */
	struct zrows rows[2];
};

static int rows_read(const struct backend_variant *v, struct zrows *out)
{
	json_object *doc, *rows, *row;
	struct zrow *z;
	size_t i;
	int err;

	err = skbstat_rows(&doc, &rows, backend_args(v), "drops", "drops");
	if (err)
		return err;
	out->n = json_object_array_length(rows);
	out->row = calloc(out->n + 1, sizeof(*out->row));
	for (i = 0; out->row && i < out->n; i++) {
		row = json_object_array_get_idx(rows, i);
		z = &out->row[i];
		snprintf(z->reason, sizeof(z->reason), "%s", row_str(row, "reason") ?: "-");
		snprintf(z->dev, sizeof(z->dev), "%s", row_str(row, "dev") ?: "-");
		z->ifindex = row_u64(row, "ifindex");
		z->netns = row_u64(row, "netns");
		z->packets = row_u64(row, "packets");
		z->bytes = row_u64(row, "bytes");
		z->gone = !z->netns && !row_str(row, "location");
		snprintf(z->key, sizeof(z->key), "%s %s ifindex=%" PRIu64 " netns=%" PRIu64 " %s",
			 z->reason, row_str(row, "location") ?: "-", z->ifindex, z->netns,
			 row_str(row, "proto") ?: "-");
	}
	json_object_put(doc);
	return out->row ? 0 : -ENOMEM;
}

static void window_free(struct window *w)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(w->rows[i].row);
		w->rows[i].row = NULL;
	}
}

/*
 * The tracepoint's count, the backends' rows, the tracepoint's count again,
 * until nothing was dropped in between: then all describe the same moment.
 * The VM and this machine drop packets of their own at any time; within
 * such a window every backend and the tracepoint have counted the same
 * events, so no reset (which cannot be atomic across three counters) is
 * needed: the checks use the differences between two windows.
 */
static int window_read(FIXTURE_DATA(zoo) *self, struct window *w)
{
	uint64_t again;
	int tries, i, err;

	for (tries = 0; tries < 30; tries++) {
		err = tp_count_read(&tp_all, &w->hits);
		for (i = 0; !err && i < self->n; i++)
			err = rows_read(self->v[i], &w->rows[i]);
		err = err ?: tp_count_read(&tp_all, &again);
		if (err || again == w->hits)
			break;
		window_free(w);
	}
	if (err)
		return err;
	if (again != w->hits)
		return -EAGAIN;
	w->elsewhere = 0;
	return self->kprobe ? tp_count_read(&tp_elsewhere, &w->elsewhere) : 0;
}

/*
 * Reading both backends costs seconds under TCG: the window a test ends
 * with is where the next test of the same variant starts, kept in a file.
 * What happens between two tests (the teardown of the previous path's
 * netns) falls in the next window, for every counter alike.
 */
static void window_path(char *path, size_t len)
{
	snprintf(path, len, "/run/skbstat-zoo-%d-window", getppid());
}

static void window_save(const FIXTURE_DATA(zoo) *self, const struct window *w)
{
	char path[96], name[64] = { 0 };
	FILE *f;
	int i;

	window_path(path, sizeof(path));
	f = fopen(path, "we");
	if (!f)
		return;
	snprintf(name, sizeof(name), "%s", self->name);
	fwrite(name, sizeof(name), 1, f);
	fwrite(&w->hits, sizeof(w->hits), 1, f);
	fwrite(&w->elsewhere, sizeof(w->elsewhere), 1, f);
	for (i = 0; i < self->n; i++) {
		fwrite(&w->rows[i].n, sizeof(w->rows[i].n), 1, f);
		fwrite(w->rows[i].row, sizeof(*w->rows[i].row), w->rows[i].n, f);
	}
	fclose(f);
}

static bool window_load(const FIXTURE_DATA(zoo) *self, struct window *w)
{
	char path[96], name[64];
	bool ok;
	FILE *f;
	int i;

	window_path(path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fread(name, sizeof(name), 1, f) == 1 && !strcmp(name, self->name) &&
	     fread(&w->hits, sizeof(w->hits), 1, f) == 1 &&
	     fread(&w->elsewhere, sizeof(w->elsewhere), 1, f) == 1;
	for (i = 0; ok && i < self->n; i++) {
		ok = fread(&w->rows[i].n, sizeof(w->rows[i].n), 1, f) == 1 &&
		     w->rows[i].n < 1000000;
		w->rows[i].row = ok ? calloc(w->rows[i].n + 1, sizeof(*w->rows[i].row)) : NULL;
		ok = ok && w->rows[i].row &&
		     fread(w->rows[i].row, sizeof(*w->rows[i].row), w->rows[i].n, f) ==
		     w->rows[i].n;
	}
	fclose(f);
	unlink(path);
	if (!ok)
		window_free(w);
	return ok;
}

/* Waits @ms, then until no drop happened for 200 ms (at most 20 s). */
static void settle(FIXTURE_DATA(zoo) *self, unsigned int ms)
{
	uint64_t before, after;
	int tries;

	usleep(ms * 1000);
	for (tries = 0; tries < 100; tries++) {
		tp_count_read(&tp_all, &before);
		usleep(200000);
		tp_count_read(&tp_all, &after);
		if (before == after)
			return;
	}
}

static uint32_t where_netns(const struct zoo_run *r, char where)
{
	switch (where) {
	case 'a': return r->z->a_netns;
	case 'r': return r->z->r_netns;
	case 'b': return r->z->b_netns;
	case 't': return r->t_netns;
	default: return 0;
	}
}

/*
 * The netns of a row as the path knows it: a, r, b, t; u(nknown); ? (another);
 * g, the netns gone row, where a backend folds the rows of a netns that
 * died (the module when it dies, the BPF backend at its next read).
 */
static char netns_role(const struct zoo_run *r, uint64_t netns)
{
	static const char roles[] = "arbt";
	int i;

	for (i = 0; roles[i]; i++)
		if (netns && netns == where_netns(r, roles[i]))
			return roles[i];
	return netns ? '?' : 'u';
}

static char row_role(const struct zoo_run *r, const struct zrow *z)
{
	return z->gone ? 'g' : netns_role(r, z->netns);
}

/* The role whose expectations a row meets: the gone row holds the dead t's. */
static char expect_role(const struct zoo_run *r, const struct zrow *z)
{
	return z->gone && r->t_died ? 't' : netns_role(r, z->netns);
}

static bool reason_in(const char *reason, const char *list)
{
	size_t len = strlen(reason);
	const char *p;

	if (!list)
		return true;
	for (p = list; (p = strstr(p, reason)); p += len)
		if ((p == list || p[-1] == '|') && (p[len] == '|' || !p[len]))
			return true;
	return false;
}

/*
 * What changed between two readings of one backend's rows: a line per
 * row that counted packets in between, sorted, and their sum in @sum.
 * With @exp, also checks the expected rows.
 */
static char *rows_delta(struct __test_metadata *_metadata, const struct zrows *before,
			const struct zrows *after, const struct zoo_run *r,
			const struct zoo_expect *exp, uint64_t *sum)
{
	uint64_t got[4] = { 0 }, packets, bytes, dead_packets = 0, dead_bytes = 0;
	char **lines, *text, line[512];
	size_t i, k, n = 0, len = 1;
	const struct zrow *z;
	char role;
	int e;

	*sum = 0;
	lines = calloc(after->n + 2, sizeof(*lines));
	for (i = 0; lines && i < after->n; i++) {
		z = &after->row[i];
		packets = z->packets;
		bytes = z->bytes;
		for (k = 0; k < before->n; k++) {
			if (!strcmp(before->row[k].key, z->key)) {
				packets -= before->row[k].packets;
				bytes -= before->row[k].bytes;
				break;
			}
		}
		if (!packets)
			continue;
		*sum += packets;
		role = row_role(r, z);
		/*
		 * When the path deleted t, each backend folds t's rows into its
		 * gone row at its own time (and BPF counts there what t drops
		 * while it is torn down): one line of their sum for both.
		 */
		if (lines && r->t_died && (role == 't' || role == 'g')) {
			dead_packets += packets;
			dead_bytes += bytes;
		} else if (lines) {
			snprintf(line, sizeof(line), "[%c] %s dev=%s packets=%" PRIu64
				 " bytes=%" PRIu64, role, z->key, z->dev, packets, bytes);
			lines[n++] = strdup(line);
			len += strlen(line) + 1;
		}
		role = expect_role(r, z);
		for (e = 0; exp && e < 4 && exp[e].where; e++) {
			if (!reason_in(z->reason, exp[e].reasons) || !strchr(exp[e].where, role))
				continue;
			if (role == 'u' && z->ifindex)
				continue;
			if (exp[e].dev && strcmp(z->dev, exp[e].dev))
				continue;
			got[e] += packets;
		}
	}
	if (lines && dead_packets) {
		snprintf(line, sizeof(line), "[t] the path's netns, deleted: packets=%" PRIu64
			 " bytes=%" PRIu64, dead_packets, dead_bytes);
		lines[n++] = strdup(line);
		len += strlen(line) + 1;
	}
	text = lines_join_sorted(lines, n, len);
	if (!text)
		return NULL;
	for (e = 0; exp && e < 4 && exp[e].where; e++) {
		EXPECT_LE(exp[e].min, got[e]) {
			TH_LOG("expected >= %" PRIu64 " packets %s in [%s] dev %s, got %" PRIu64,
			       exp[e].min, exp[e].reasons ?: "(any reason)", exp[e].where,
			       exp[e].dev ?: "(any)", got[e]);
		}
	}
	return text;
}

/*
 * Waits until the module has retired the rows of t, deleted: its netns
 * cleanup runs in a work item.  Then no window ever sees rows move into the
 * gone row, which would show there as packets the window did not drop.
 */
static int wait_retired(FIXTURE_DATA(zoo) *self, const struct zoo_run *r)
{
	struct zrows rows;
	bool left = false;
	int i, tries;
	size_t k;

	for (i = 0; i < self->n; i++) {
		if (strcmp(self->v[i]->backend, "kmod"))
			continue;
		left = true;
		for (tries = 0; left && tries < 150; tries++) {
			if (tries)
				usleep(200000);
			if (rows_read(self->v[i], &rows))
				return -EIO;
			left = false;
			for (k = 0; k < rows.n; k++)
				left |= rows.row[k].netns == r->t_netns;
			free(rows.row);
		}
	}
	return left ? -ETIMEDOUT : 0;
}

/* One datagram to a closed port: a row of t's that only t's end retires. */
static int sentinel_drop(void *arg)
{
	return udp_send_n("127.0.0.1", 9, 1, 10) ? 1 : 0;
}

/*
 * Deletes the path's netns t (a's end of its veth first; the next path
 * makes zx anew) and waits until the module has retired it.  t drops a
 * datagram first, so the wait ends once the kernel has dismantled t, its
 * devices' drops included, not merely while t happens to have no row.
 */
static int t_delete(FIXTURE_DATA(zoo) *self, struct zoo_run *r)
{
	run_in_netns(r->t, sentinel_drop, NULL);
	sh("ip -n %s link del zx 2>/dev/null; ip netns del %s", self->z.a, r->t);
	return wait_retired(self, r);
}

static bool netns_exists(const char *name)
{
	char path[96];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return !access(path, F_OK);
}

/* A row's line of rows_delta()'s text, parsed. */
struct zline {
	char role, reason[64], location[128], proto[32], dev[64];
	unsigned long long ifindex, netns, packets, bytes;
};

static bool zline_parse(const char *line, struct zline *z)
{
	return sscanf(line, "[%c] %63s %127s ifindex=%llu netns=%llu %31s dev=%63s "
		      "packets=%llu bytes=%llu", &z->role, z->reason, z->location, &z->ifindex,
		      &z->netns, z->proto, z->dev, &z->packets, &z->bytes) == 9 &&
	       !strcmp(z->reason, "QDISC_DROP");
}

static bool zline_unknown(const struct zline *z)
{
	return !z->ifindex && !z->netns && !strcmp(z->dev, "-");
}

#define ZLINES_MAX	64

/* Splits @text (changed) into its lines; 0 when there are too many. */
static size_t zlines_split(char *text, char **line)
{
	char *save = NULL, *l;
	size_t n = 0;

	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (n == ZLINES_MAX)
			return 0;
		line[n++] = l;
	}
	return n;
}

/* Takes out the lines that both have; the others stay, in order. */
static void zlines_drop_common(char **a, size_t *na, char **b, size_t *nb)
{
	size_t i, k, m = 0;

	for (i = 0; i < *na; i++) {
		for (k = 0; k < *nb && strcmp(a[i], b[k]); k++)
			;
		if (k == *nb) {
			a[m++] = a[i];
			continue;
		}
		b[k] = b[--*nb];
	}
	*na = m;
}

/*
 * Whether the module's rows @kmod and BPF's rows @bpf differ by exactly what
 * BPF cannot know (bpf/devices.bpf.h): a device that has no qdisc yet.  The
 * kernel drops what it is given to send there with the noop qdisc
 * (QDISC_DROP), and the only senders are the kernel's own timers, with no
 * socket, in the instant between dev_open()'s IFF_UP and the first qdisc
 * that dev_activate() attaches.  The module names the device (registered);
 * BPF cannot, and counts the same packets unknown.  So every line left once
 * the equal ones are out is a QDISC_DROP; BPF's are unknown, and per location
 * and protocol they add up to the module's.
 */
static bool differ_by_qdiscless_device(const char *kmod, const char *bpf)
{
	char *kcopy = strdup(kmod), *bcopy = strdup(bpf), *kl[ZLINES_MAX], *bl[ZLINES_MAX];
	unsigned long long packets, bytes;
	size_t nk, nb, i, k, used = 0;
	struct zline b, z;
	bool ok = false;

	if (!kcopy || !bcopy)
		goto out_free;
	nk = zlines_split(kcopy, kl);
	nb = zlines_split(bcopy, bl);
	zlines_drop_common(kl, &nk, bl, &nb);
	if (!nk || !nb)
		goto out_free;
	for (i = 0; i < nb; i++) {
		if (!zline_parse(bl[i], &b) || !zline_unknown(&b))
			goto out_free;
		packets = bytes = 0;
		for (k = 0; k < nk; k++) {
			if (!zline_parse(kl[k], &z))
				goto out_free;
			if (strcmp(z.location, b.location) || strcmp(z.proto, b.proto))
				continue;
			packets += z.packets;
			bytes += z.bytes;
			used++;
		}
		if (packets != b.packets || bytes != b.bytes)
			goto out_free;
	}
	ok = used == nk;
out_free:
	free(kcopy);
	free(bcopy);
	return ok;
}

/* The CI run of 2026-12-03: an IGMPv3 report on zbr as it came up. */
#define ZOO_K_LINES \
	"[t] NETFILTER_DROP nft_do_chain+0xcd4 ifindex=2 netns=7 ipv4 dev=zy packets=10 bytes=1280\n"
#define ZOO_U_LINE \
	"[u] NOT_SPECIFIED nfnetlink_rcv_batch+0x1030 ifindex=0 netns=0 0x0000 dev=- packets=2 bytes=40\n"
#define ZOO_ZBR(n) \
	"[t] QDISC_DROP kfree_skb_list_reason+0x3b ifindex=3 netns=7 ipv4 dev=zbr packets=" #n \
	" bytes=" #n "\n"
#define ZOO_UNKNOWN(n) \
	"[u] QDISC_DROP kfree_skb_list_reason+0x3b ifindex=0 netns=0 ipv4 dev=- packets=" #n \
	" bytes=" #n "\n"

TEST(only_a_qdiscless_device_may_differ)
{
	/* What BPF cannot know, alone or beside its own unknown drops there. */
	EXPECT_TRUE(differ_by_qdiscless_device(ZOO_K_LINES ZOO_ZBR(54) ZOO_U_LINE,
					       ZOO_K_LINES ZOO_U_LINE ZOO_UNKNOWN(54)));
	EXPECT_TRUE(differ_by_qdiscless_device(ZOO_K_LINES ZOO_ZBR(54) ZOO_UNKNOWN(10),
					       ZOO_K_LINES ZOO_UNKNOWN(64)));
	/* Not: counts that do not add up, another reason, another device. */
	EXPECT_FALSE(differ_by_qdiscless_device(ZOO_K_LINES ZOO_ZBR(54),
						ZOO_K_LINES ZOO_UNKNOWN(55)));
	EXPECT_FALSE(differ_by_qdiscless_device(ZOO_K_LINES ZOO_ZBR(54), ZOO_UNKNOWN(54)));
	EXPECT_FALSE(differ_by_qdiscless_device(ZOO_K_LINES ZOO_ZBR(54) ZOO_U_LINE,
						ZOO_K_LINES ZOO_UNKNOWN(54)));
	EXPECT_FALSE(differ_by_qdiscless_device(ZOO_ZBR(54), ZOO_ZBR(54) ZOO_UNKNOWN(54)));
	EXPECT_FALSE(differ_by_qdiscless_device(ZOO_ZBR(54),
		"[t] QDISC_DROP kfree_skb_list_reason+0x3b ifindex=4 netns=7 ipv4 dev=zy "
		"packets=54 bytes=54\n"));
	/* Equal texts are not this case: the caller compares them first. */
	EXPECT_FALSE(differ_by_qdiscless_device(ZOO_ZBR(54), ZOO_ZBR(54)));
}

static void zoo_check(struct __test_metadata *_metadata, FIXTURE_DATA(zoo) *self,
		      const struct zoo_path *p)
{
	struct zoo_run r = { .z = &self->z };
	struct window w0 = {}, w1 = {}, w2 = {};
	char *text[2] = { NULL, NULL }, bad[4096];
	uint64_t sum, expected;
	int mark, err, i;
	bool same;

	mark = klog_mark();
	ASSERT_LE(0, mark);
	if (!window_load(self, &w0))
		ASSERT_EQ(0, window_read(self, &w0));

	err = p->run(&r);
	if (err == -EOPNOTSUPP) {
		if (r.t[0]) {
			EXPECT_EQ(0, t_delete(self, &r));
			window_free(&w0);
			ASSERT_EQ(0, window_read(self, &w0));
		}
		window_save(self, &w0);
		window_free(&w0);
		close(mark);
		SKIP(return, "%s: %s", p->name, r.skip[0] ? r.skip : "not supported here");
	}
	EXPECT_EQ(0, err) {
		TH_LOG("%s: making the drops failed: %d", p->name, err);
	}
	settle(self, p->settle_ms);
	r.t_died = r.t[0] && !netns_exists(r.t);
	if (r.t_died)
		EXPECT_EQ(0, wait_retired(self, &r));
	ASSERT_EQ(0, window_read(self, &w1));
	/* Read: the path's own netns may go now; the next window starts after it. */
	if (r.t[0] && !r.t_died) {
		EXPECT_EQ(0, t_delete(self, &r));
		ASSERT_EQ(0, window_read(self, &w2));
		window_save(self, &w2);
		window_free(&w2);
	} else {
		window_save(self, &w1);
	}

	/* 2. Every hit of the tracepoint in the window, less what the mode cannot see. */
	expected = (w1.hits - w0.hits) - (w1.elsewhere - w0.elsewhere);
	EXPECT_LT((uint64_t)0, w1.hits - w0.hits);
	for (i = 0; i < self->n; i++) {
		text[i] = rows_delta(_metadata, &w0.rows[i], &w1.rows[i], &r, p->expect, &sum);
		ASSERT_NE(NULL, text[i]);
		EXPECT_EQ(expected, sum) {
			TH_LOG("%s: %s/%s rows %" PRIu64 ", tracepoint %" PRIu64
			       " (%" PRIu64 " in net_tx_action)", p->name, self->v[i]->backend,
			       self->v[i]->mode, sum, w1.hits - w0.hits,
			       w1.elsewhere - w0.elsewhere);
		}
	}
	/* 3. Both backends, the same rows: every field, device and netns included. */
	TH_LOG("%s: %s/%s rows ([a]/[r]/[b]/[t] netns of the path, [u] unknown):\n%s",
	       p->name, self->v[0]->backend, self->v[0]->mode, text[0]);
	if (self->n == 2) {
		same = !strcmp(text[0], text[1]);
		if (!same && !strcmp(self->v[0]->backend, "kmod") &&
		    !strcmp(self->v[1]->backend, "bpf") &&
		    differ_by_qdiscless_device(text[0], text[1])) {
			TH_LOG("%s: the module names a device that had no qdisc yet, which "
			       "BPF cannot know:\n%s", p->name, text[1]);
			same = true;
		}
		EXPECT_TRUE(same) {
			TH_LOG("%s: %s/%s differs:\n%s", p->name, self->v[1]->backend,
			       self->v[1]->mode, text[1]);
		}
	}
	free(text[0]);
	free(text[1]);
	window_free(&w0);
	window_free(&w1);

	/* 1. The kernel survived every path without a word. */
	EXPECT_EQ(0, klog_bad_lines(mark, bad, sizeof(bad))) {
		TH_LOG("%s: kernel log:\n%s", p->name, bad);
	}
}

/*
 * A test per path; the body that follows is the path's run function.  The
 * timeout is a watchdog, not a budget: a variant's first test attaches both
 * backends and builds the topology, which under the debug kernel (KASAN
 * slows the BPF verifier most) beside two other VMs took more than 300 s.
 */
#define ZOO_TIMEOUT	900

/* $SKBSTAT_ZOO_PATHS ("frag_overlap frag6_overlap ..."): only those paths. */
static bool path_wanted(const char *name)
{
	const char *wanted = getenv("SKBSTAT_ZOO_PATHS");
	size_t len = strlen(name);
	const char *p;

	if (!wanted || !*wanted)
		return true;
	for (p = strstr(wanted, name); p; p = strstr(p + 1, name))
		if ((p == wanted || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

#define ZOO_PATH(_name, _settle, ...)						\
	static int run_##_name(struct zoo_run *r);				\
	static const struct zoo_path path_##_name = {				\
		#_name, run_##_name, _settle, { __VA_ARGS__ }			\
	};									\
	TEST_F_TIMEOUT(zoo, _name, ZOO_TIMEOUT)					\
	{									\
		RETURN_IF_SKIPPED();						\
		if (!path_wanted(#_name))					\
			SKIP(return, "path not in $SKBSTAT_ZOO_PATHS");		\
		zoo_check(_metadata, self, &path_##_name);		\
	}									\
	static int run_##_name(struct zoo_run *r)

#define SKIP_PATH(r, ...)							\
	({ snprintf((r)->skip, sizeof((r)->skip), __VA_ARGS__); -EOPNOTSUPP; })

/* What a child in a netns does: one kind of traffic, described by a job. */
struct job {
	int family;
	const char *dst;
	uint16_t port;
	unsigned int n;
	size_t len;
	int ttl;
	int proto;
	const void *buf;
	const char *ifname;
	const uint8_t *mac;
	uint16_t ethertype;
	int (*fn)(const struct job *j);
};

static int job_main(void *arg)
{
	const struct job *j = arg;

	return j->fn(j) ? 1 : 0;
}

/* Runs @j in netns @ns: 0, or -EIO. */
static int in_ns(const char *ns, const struct job *j)
{
	return run_in_netns(ns, job_main, (void *)j) ? -EIO : 0;
}

static int do_udp(const struct job *j)
{
	return zoo_udp_send(j->family, j->dst, j->port, j->n, j->len, j->ttl ?: -1);
}

static int do_raw(const struct job *j)
{
	return zoo_raw_send(j->family, j->dst, j->proto, j->buf, j->len, j->n);
}

static int do_l2(const struct job *j)
{
	return zoo_l2_send(j->ifname, j->mac, j->ethertype, j->buf, j->len, j->n);
}

static int do_syns(const struct job *j)
{
	return zoo_tcp_syns(j->family, j->dst, j->port, j->n, 100);
}

static int do_gso(const struct job *j)
{
	return zoo_udp_gso_send(j->family, j->dst, j->port, j->len, j->n);
}

#define UDP(fam, d, p, cnt, l)	((struct job){ .family = fam, .dst = d, .port = p, .n = cnt, \
					       .len = l, .fn = do_udp })

/* For zoo_queue_then_close(): the job is the traffic. */
static int tx_job(int fd, void *arg)
{
	const struct job *j = arg;

	return j->fn(j);
}

/* ---- sockets closed with data they never read ---- */

/*
 * The path that once crashed the module: a datagram freed from a UDP
 * socket's queue.  skb->dev holds UDP's dev_scratch there and skb->sk is
 * NULL, and kfree_skb's rx_sk (6.11+) is NULL on this path too: nobody can
 * say where it was, so the row must be the unknown one.
 */
ZOO_PATH(udp_close_unread, 0, { NULL, "u", NULL, 10 })
{
	struct job j = UDP(AF_INET, B4, OPEN, 10, 100);

	return zoo_queue_then_close(r->z->b, AF_INET, SOCK_DGRAM, 0, B4, OPEN, 0, r->z->a,
				    tx_job, &j);
}

ZOO_PATH(udp6_close_unread, 0, { NULL, "u", NULL, 10 })
{
	struct job j = UDP(AF_INET6, B6, OPEN, 10, 100);

	return zoo_queue_then_close(r->z->b, AF_INET6, SOCK_DGRAM, 0, B6, OPEN, 0, r->z->a,
				    tx_job, &j);
}

/* The smallest receive buffer holds a datagram or two: the rest overflow. */
ZOO_PATH(udp_rcvbuf_overflow, 0, { "SOCKET_RCVBUFF", "b", "zb", 20 }, { NULL, "u", NULL, 1 })
{
	struct job j = UDP(AF_INET, B4, OPEN, 30, 1000);

	return zoo_queue_then_close(r->z->b, AF_INET, SOCK_DGRAM, 0, B4, OPEN, 1, r->z->a,
				    tx_job, &j);
}

/* A raw socket's queue: the skbs are the socket's (skb_set_owner_r), skb_iif zb. */
ZOO_PATH(raw_close_unread, 0, { NULL, "b", "zb", 10 })
{
	char payload[64] = "zoo";
	struct job j = { .family = AF_INET, .dst = B4, .proto = 253, .buf = payload,
			 .len = sizeof(payload), .n = 10, .fn = do_raw };

	return zoo_queue_then_close(r->z->b, AF_INET, SOCK_RAW, 253, NULL, 0, 0, r->z->a,
				    tx_job, &j);
}

/* A packet socket on zb queues a clone of each frame; the originals hit a closed port. */
ZOO_PATH(packet_close_unread, 0, { NULL, "b", "zb", 10 }, { "NO_SOCKET", "b", "zb", 10 })
{
	struct job j = UDP(AF_INET, B4, CLOSED, 10, 100);

	return zoo_queue_then_close(r->z->b, AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), "zb", 0, 0,
				    r->z->a, tx_job, &j);
}

/* A ping socket in b sends echo requests and leaves the replies queued. */
static int ping_a(int fd, void *arg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint8_t echo[16] = { 8, 0 };
	int i;

	inet_pton(AF_INET, A4, &sin.sin_addr);
	for (i = 0; i < 10; i++)
		if (sendto(fd, echo, sizeof(echo), 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			return -errno;
	return 0;
}

ZOO_PATH(ping_close_unread, 0, { NULL, "b", "zb", 10 })
{
	int err = zoo_queue_then_close(r->z->b, AF_INET, SOCK_DGRAM, IPPROTO_ICMP, NULL, 0, 0,
				       r->z->b, ping_a, NULL);

	return err == -EOPNOTSUPP ? SKIP_PATH(r, "no ping sockets") : err;
}

/*
 * TCP's out-of-order queue (skb->rbnode over skb->dev): r's netfilter
 * drops one segment of a distinct length, every copy of it, so b holds the
 * segments after it out of order; b aborts (SO_LINGER 0), which purges
 * the queue.  The skbs belong to b's socket: b, zb.
 */
struct ofo_job {
	const char *a;
	int ready[2];
};

static int ofo_receiver(const char *b, int ready_fd)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(OPEN) };
	struct linger lg = { 1, 0 };
	int lfd, fd, one = 1;

	if (netns_enter(b))
		return 1;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	inet_pton(AF_INET, B4, &sin.sin_addr);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1))
		return 2;
	if (write(ready_fd, "r", 1) != 1)
		return 3;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return 4;
	usleep(150000);		/* well before a's retransmission timer (>= 200 ms) */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	close(lfd);
	return 0;
}

static int ofo_sender(const char *a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(OPEN) };
	static char buf[1000];
	int fd, one = 1, i;

	if (netns_enter(a))
		return 1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	inet_pton(AF_INET, B4, &sin.sin_addr);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return 2;
	/* 333 bytes (the one dropped), then ten segments of 1000. */
	if (write(fd, buf, 333) != 333)
		return 3;
	for (i = 0; i < 10; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return 4;
	usleep(400000);
	close(fd);
	return 0;
}

ZOO_PATH(tcp_ofo_purge, 0, { NULL, "b", "zb", 1 })
{
	int ready[2], err = 0;
	pid_t rx, tx;
	char c;

	/*
	 * 333 bytes of payload, with timestamps: 385 bytes of IP.  Dropped
	 * by r, the router: a drop in a's own output would be an error that
	 * stops a's sending.
	 */
	if (sh("ip netns exec %s nft 'add table ip zoo; add chain ip zoo c "
	       "{ type filter hook forward priority 0; }; add rule ip zoo c "
	       "tcp dport %d ip length 385 drop'", r->z->r, OPEN))
		return SKIP_PATH(r, "no nftables");
	if (pipe(ready))
		return -errno;
	rx = fork();
	if (!rx)
		_exit(ofo_receiver(r->z->b, ready[1]));
	if (read(ready[0], &c, 1) != 1)
		err = -EIO;
	tx = fork();
	if (!tx)
		_exit(ofo_sender(r->z->a));
	if (wait_child(rx) || wait_child(tx))
		err = -EIO;
	close(ready[0]);
	close(ready[1]);
	sh("ip netns exec %s nft delete table ip zoo", r->z->r);
	return err;
}

/* A tap device whose reader never reads: its ring is purged when it closes. */
static int tap_path(const char *b)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd;

	if (netns_enter(b))
		return 1;
	/* The node appears when the module is loaded. */
	if (access("/dev/net/tun", F_OK))
		sh("modprobe -q tun");
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 124;
	strcpy(ifr.ifr_name, "ztap");
	if (ioctl(fd, TUNSETIFF, &ifr))
		return 124;
	if (sh("ip -n %s addr add 10.88.7.1/24 dev ztap && ip -n %s link set ztap up && "
	       "ip -n %s neigh add 10.88.7.2 lladdr 02:00:00:00:07:02 dev ztap", b, b, b))
		return 2;
	if (zoo_udp_send(AF_INET, "10.88.7.2", CLOSED, 10, 100, -1))
		return 3;
	close(fd);
	return 0;
}

ZOO_PATH(tap_close_unread, 0, { NULL, "b", NULL, 10 })
{
	pid_t pid = fork();
	int st;

	if (!pid)
		_exit(tap_path(r->z->b));
	st = wait_child(pid);
	return st == 124 ? SKIP_PATH(r, "no tun/tap") : st ? -EIO : 0;
}

/* ---- nobody listening ---- */

ZOO_PATH(udp_closed_port, 0, { "NO_SOCKET", "b", "zb", 10 })
{
	return in_ns(r->z->a, &UDP(AF_INET, B4, CLOSED, 10, 100));
}

ZOO_PATH(udp6_closed_port, 0, { "NO_SOCKET", "b", "zb", 10 })
{
	return in_ns(r->z->a, &UDP(AF_INET6, B6, CLOSED, 10, 100));
}

ZOO_PATH(tcp_closed_port, 0, { "NO_SOCKET", "b", "zb", 5 })
{
	return in_ns(r->z->a, &(struct job){ .family = AF_INET, .dst = B4, .port = CLOSED,
					      .n = 5, .fn = do_syns });
}

ZOO_PATH(tcp6_closed_port, 0, { "NO_SOCKET", "b", "zb", 5 })
{
	return in_ns(r->z->a, &(struct job){ .family = AF_INET6, .dst = B6, .port = CLOSED,
					      .n = 5, .fn = do_syns });
}

ZOO_PATH(ip_unknown_l4, 0, { "IP_NOPROTO", "b", "zb", 10 })
{
	char payload[32] = "zoo";

	return in_ns(r->z->a, &(struct job){ .family = AF_INET, .dst = B4, .proto = 253,
					      .buf = payload, .len = sizeof(payload), .n = 10,
					      .fn = do_raw });
}

ZOO_PATH(ip6_unknown_l4, 0, { NULL, "b", "zb", 10 })
{
	char payload[32] = "zoo";

	return in_ns(r->z->a, &(struct job){ .family = AF_INET6, .dst = B6, .proto = 253,
					      .buf = payload, .len = sizeof(payload), .n = 10,
					      .fn = do_raw });
}

/* EtherType 0x88b5 (local experimental): no handler in r. */
ZOO_PATH(eth_unknown_l3, 0, { "UNHANDLED_PROTO", "r", "zra", 10 })
{
	char payload[46] = "zoo";

	return in_ns(r->z->a, &(struct job){ .ifname = "za", .ethertype = 0x88b5,
					      .buf = payload, .len = sizeof(payload), .n = 10,
					      .fn = do_l2 });
}

/* UDP GSO: one skb of ten segments reaches b's closed port whole. */
ZOO_PATH(udp_gso_closed_port, 0, { "NO_SOCKET", "b", "zb", 1 })
{
	int err = in_ns(r->z->a, &(struct job){ .family = AF_INET, .dst = B4, .port = CLOSED,
						 .len = 500, .n = 10, .fn = do_gso });

	return err ? SKIP_PATH(r, "no UDP GSO") : 0;
}

/* Reassembled datagrams (a frag_list of the fragments) at a closed port. */
ZOO_PATH(frag_reasm_closed_port, 0, { "NO_SOCKET", "b", "zb", 3 })
{
	return in_ns(r->z->a, &UDP(AF_INET, B4, CLOSED, 3, 3000));
}

ZOO_PATH(frag6_reasm_closed_port, 0, { "NO_SOCKET", "b", "zb", 3 })
{
	return in_ns(r->z->a, &UDP(AF_INET6, B6, CLOSED, 3, 3000));
}

/* ---- bad checksums and headers ---- */

static int raw_packets(const char *ns, int family, const char *dst, const void *buf,
		       size_t len, unsigned int n)
{
	return in_ns(ns, &(struct job){ .family = family, .dst = dst, .proto = IPPROTO_RAW,
					 .buf = buf, .len = len, .n = n, .fn = do_raw });
}

ZOO_PATH(udp_bad_csum, 0, { "UDP_CSUM", "b", "zb", 10 })
{
	char pkt[128];
	size_t len = zoo_ip4_udp(pkt, A4, B4, CLOSED, 32, 0, 0, true);

	return raw_packets(r->z->a, AF_INET, B4, pkt, len, 10);
}

ZOO_PATH(udp6_bad_csum, 0, { "UDP_CSUM", "b", "zb", 10 })
{
	char pkt[128];
	size_t len = zoo_ip6_udp(pkt, A6, B6, CLOSED, 32, -1, false, 0, true);

	return raw_packets(r->z->a, AF_INET6, B6, pkt, len, 10);
}

ZOO_PATH(tcp_bad_csum, 0, { "TCP_CSUM", "b", "zb", 10 })
{
	char pkt[64];
	size_t len = zoo_ip4_tcp_syn(pkt, A4, B4, OPEN, true);

	return raw_packets(r->z->a, AF_INET, B4, pkt, len, 10);
}

ZOO_PATH(icmp_bad_csum, 0, { NULL, "b", "zb", 10 })
{
	uint8_t echo[16] = { 8, 0, 0x12, 0x34 };	/* a wrong checksum */

	return in_ns(r->z->a, &(struct job){ .family = AF_INET, .dst = B4,
					      .proto = IPPROTO_ICMP, .buf = echo,
					      .len = sizeof(echo), .n = 10, .fn = do_raw });
}

/* A raw IPv4 socket always fixes the header checksum: a packet socket does not. */
ZOO_PATH(ip_bad_header_csum, 0, { "IP_CSUM", "r", "zra", 10 })
{
	char pkt[128];
	size_t len = zoo_ip4_udp(pkt, A4, R4, CLOSED, 32, 0, 0, false);

	pkt[10] ^= 0x5a;
	return in_ns(r->z->a, &(struct job){ .ifname = "za", .ethertype = ETH_P_IP,
					      .buf = pkt, .len = len, .n = 10, .fn = do_l2 });
}

ZOO_PATH(ip_bad_header_length, 0, { "IP_INHDR", "r", "zra", 10 })
{
	char pkt[128];
	size_t len = zoo_ip4_udp(pkt, A4, R4, CLOSED, 32, 0, 0, false);

	pkt[0] = 0x44;		/* IHL 4: shorter than the header */
	return in_ns(r->z->a, &(struct job){ .ifname = "za", .ethertype = ETH_P_IP,
					      .buf = pkt, .len = len, .n = 10, .fn = do_l2 });
}

/* ---- forwarding ---- */

ZOO_PATH(ttl_expired, 0, { NULL, "r", "zra", 10 })
{
	struct job j = UDP(AF_INET, B4, CLOSED, 10, 100);

	j.ttl = 1;
	return in_ns(r->z->a, &j);
}

ZOO_PATH(hoplimit6_expired, 0, { NULL, "r", "zra", 10 })
{
	struct job j = UDP(AF_INET6, B6, CLOSED, 10, 100);

	j.ttl = 1;
	return in_ns(r->z->a, &j);
}

ZOO_PATH(no_route, 0, { NULL, "r", "zra", 10 })
{
	return in_ns(r->z->a, &UDP(AF_INET, "10.99.0.1", CLOSED, 10, 100));
}

ZOO_PATH(no_route6, 0, { NULL, "r", "zra", 10 })
{
	return in_ns(r->z->a, &UDP(AF_INET6, "fd99::1", CLOSED, 10, 100));
}

ZOO_PATH(forwarding_disabled, 0, { NULL, "r", "zra", 10 })
{
	int err;

	if (sh("ip netns exec %s sysctl -qw net.ipv4.conf.zra.forwarding=0", r->z->r))
		return -EIO;
	err = in_ns(r->z->a, &UDP(AF_INET, B4, CLOSED, 10, 100));
	sh("ip netns exec %s sysctl -qw net.ipv4.conf.zra.forwarding=1", r->z->r);
	return err;
}

/* ---- fragments ---- */

/* Only the first fragment of three datagrams: b's queues expire after a second. */
ZOO_PATH(frag_reasm_timeout, 1200, { NULL, "b", "zb", 3 })
{
	char pkt[128];
	size_t len;
	int i, err = 0;

	for (i = 0; i < 3 && !err; i++) {
		len = zoo_ip4_udp(pkt, A4, B4, CLOSED, 56, 0x2000, 0x7700 + i, false);
		err = raw_packets(r->z->a, AF_INET, B4, pkt, len, 1);
	}
	return err;
}

ZOO_PATH(frag6_reasm_timeout, 1200, { NULL, "b", "zb", 3 })
{
	char pkt[160];
	size_t len;
	int i, err = 0;

	for (i = 0; i < 3 && !err; i++) {
		len = zoo_ip6_udp(pkt, A6, B6, CLOSED, 56, 0, true, 0x7700 + i, false);
		err = raw_packets(r->z->a, AF_INET6, B6, pkt, len, 1);
	}
	return err;
}

/* Bytes 32..95 again over bytes 0..63: the queue is dropped with all it holds. */
ZOO_PATH(frag_overlap, 0, { NULL, "b", "zb", 3 })
{
	char first[128], second[128];
	size_t len;
	int i, err = 0;

	for (i = 0; i < 3 && !err; i++) {
		len = zoo_ip4_udp(first, A4, B4, CLOSED, 56, 0x2000, 0x7800 + i, false);
		memcpy(second, first, len);
		second[6] = 0x20;
		second[7] = 32 / 8;
		err = raw_packets(r->z->a, AF_INET, B4, first, len, 1) ?:
		      raw_packets(r->z->a, AF_INET, B4, second, len, 1);
	}
	return err;
}

ZOO_PATH(frag6_overlap, 0, { NULL, "b", "zb", 3 })
{
	char first[160], second[160];
	size_t l1, l2;
	int i, err = 0;

	for (i = 0; i < 3 && !err; i++) {
		l1 = zoo_ip6_udp(first, A6, B6, CLOSED, 56, 0, true, 0x7800 + i, false);
		l2 = zoo_ip6_udp(second, A6, B6, CLOSED, 64, 32, true, 0x7800 + i, false);
		err = raw_packets(r->z->a, AF_INET6, B6, first, l1, 1) ?:
		      raw_packets(r->z->a, AF_INET6, B6, second, l2, 1);
	}
	return err;
}

/* ---- netfilter: a drop rule in one hook of one family ---- */

static int nft_drop(struct zoo_run *r, const char *ns, const char *family, const char *hook,
		    const char *dev, const char *match, const struct job *traffic)
{
	char devspec[64] = "";
	int err;

	if (dev)
		snprintf(devspec, sizeof(devspec), "device %s", dev);
	if (sh("ip netns exec %s nft 'add table %s zoo; add chain %s zoo c "
	       "{ type filter hook %s %s priority 0; }; add rule %s zoo c %s drop'",
	       ns, family, family, hook, devspec, family, match))
		return SKIP_PATH(r, "nftables cannot hook %s %s here", family, hook);
	err = in_ns(r->z->a, traffic);
	sh("ip netns exec %s nft delete table %s zoo", ns, family);
	return err;
}

#define NF_PATH(_name, _where, _dev, _ns, _family, _hook, _hookdev, _fam, _dst)	\
	ZOO_PATH(_name, 0, { "NETFILTER_DROP", _where, _dev, 10 })		\
	{									\
		return nft_drop(r, r->z->_ns, _family, _hook, _hookdev,		\
				"udp dport 7777",				\
				&UDP(_fam, _dst, FILTERED, 10, 100));		\
	}

NF_PATH(nf_ip_prerouting, "b", "zb", b, "ip", "prerouting", NULL, AF_INET, B4)
NF_PATH(nf_ip_input, "b", "zb", b, "ip", "input", NULL, AF_INET, B4)
NF_PATH(nf_ip_forward, "r", "zra", r, "ip", "forward", NULL, AF_INET, B4)
/* Before routing output sets skb->dev: the socket says netns a, no device. */
NF_PATH(nf_ip_output, "a", NULL, a, "ip", "output", NULL, AF_INET, B4)
NF_PATH(nf_ip_postrouting, "a", "za", a, "ip", "postrouting", NULL, AF_INET, B4)
NF_PATH(nf_ip6_input, "b", "zb", b, "ip6", "input", NULL, AF_INET6, B6)
NF_PATH(nf_ip6_forward, "r", "zra", r, "ip6", "forward", NULL, AF_INET6, B6)
NF_PATH(nf_ip6_output, "a", NULL, a, "ip6", "output", NULL, AF_INET6, B6)
NF_PATH(nf_inet_input, "b", "zb", b, "inet", "input", NULL, AF_INET, B4)
NF_PATH(nf_inet6_prerouting, "b", "zb", b, "inet", "prerouting", NULL, AF_INET6, B6)
NF_PATH(nf_netdev_ingress, "b", "zb", b, "netdev", "ingress", "zb", AF_INET, B4)
NF_PATH(nf_netdev_egress, "a", "za", a, "netdev", "egress", "za", AF_INET, B4)

/* ---- qdiscs ---- */

static int with_qdisc(struct zoo_run *r, const char *spec, const struct job *traffic)
{
	int err;

	if (sh("ip netns exec %s tc qdisc add dev za %s", r->z->a, spec))
		return SKIP_PATH(r, "no qdisc '%s' here", spec);
	err = in_ns(r->z->a, traffic);
	/* Deleting the qdisc frees what it still holds: part of the path. */
	sh("ip netns exec %s tc qdisc del dev za root", r->z->a);
	return err;
}

/* Packets bigger than the bucket can never pass. */
ZOO_PATH(qdisc_tbf_oversize, 0, { "QDISC_DROP", "a", "za", 10 })
{
	return with_qdisc(r, "root tbf rate 1mbit burst 1000 limit 10000",
			  &UDP(AF_INET, B4, CLOSED, 10, 1200));
}

/* A slow tbf in front of a one-packet pfifo: the burst overflows the pfifo. */
ZOO_PATH(qdisc_pfifo_limit, 0, { "QDISC_DROP", "a", "za", 10 })
{
	int err;

	if (sh("ip netns exec %s tc qdisc add dev za root handle 1: tbf rate 8kbit "
	       "burst 1600 limit 100000", r->z->a))
		return SKIP_PATH(r, "no tbf here");
	if (sh("ip netns exec %s tc qdisc add dev za parent 1:1 pfifo limit 1", r->z->a)) {
		sh("ip netns exec %s tc qdisc del dev za root", r->z->a);
		return SKIP_PATH(r, "no pfifo here");
	}
	err = in_ns(r->z->a, &UDP(AF_INET, B4, CLOSED, 20, 200));
	sh("ip netns exec %s tc qdisc del dev za root", r->z->a);
	return err;
}

ZOO_PATH(qdisc_netem_loss, 0, { "QDISC_DROP", "a", "za", 10 })
{
	return with_qdisc(r, "root netem loss 100%", &UDP(AF_INET, B4, CLOSED, 10, 100));
}

/* ---- neighbours ---- */

ZOO_PATH(neigh_failed, 400, { "NEIGH_FAILED", "a", "za", 10 })
{
	if (sh("ip netns exec %s sysctl -qw net.ipv4.neigh.za.mcast_solicit=1 "
	       "net.ipv4.neigh.za.retrans_time_ms=100", r->z->a))
		return -EIO;
	return in_ns(r->z->a, &UDP(AF_INET, "10.88.1.77", CLOSED, 10, 100));
}

/* Room for one packet in the queue: each new one pushes out the one before. */
ZOO_PATH(neigh_queue_full, 400, { "NEIGH_QUEUEFULL", "a", "za", 9 })
{
	int err;

	if (sh("ip netns exec %s sysctl -qw net.ipv4.neigh.za.mcast_solicit=1 "
	       "net.ipv4.neigh.za.retrans_time_ms=100 net.ipv4.neigh.za.unres_qlen_bytes=1",
	       r->z->a))
		return -EIO;
	err = in_ns(r->z->a, &UDP(AF_INET, "10.88.1.78", CLOSED, 10, 100));
	sh("ip netns exec %s sysctl -qw net.ipv4.neigh.za.unres_qlen_bytes=212992", r->z->a);
	return err;
}

/* ---- VLAN, bridge; devices and namespaces removed in flight ---- */

/* Tagged frames (VID 100) for r, which has no VLAN 100: not for this host. */
ZOO_PATH(vlan_unknown_vid, 0, { NULL, "r", "zra", 10 })
{
	uint8_t mac[6];
	char lladdr[32];
	int err;

	if (zoo_mac_of(r->z->r, "zra", mac))
		return -EIO;
	snprintf(lladdr, sizeof(lladdr), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (sh("ip -n %s link add link za name zav type vlan id 100", r->z->a))
		return SKIP_PATH(r, "no 802.1Q here");
	err = sh("ip -n %s addr add 10.88.100.1/24 dev zav && ip -n %s link set zav up && "
		 "ip -n %s neigh add 10.88.100.2 lladdr %s dev zav", r->z->a, r->z->a, r->z->a,
		 lladdr) ? -EIO : in_ns(r->z->a, &UDP(AF_INET, "10.88.100.2", CLOSED, 10, 100));
	sh("ip -n %s link del zav", r->z->a);
	return err;
}

/*
 * A netns t of the path's own: a's zx (10.88.9.1) to t's zy (10.88.9.2, on a
 * bridge zbr with @bridge), static neighbours both ways so that nothing
 * waits for ARP.
 */
static int transit_up(struct zoo_run *r, bool bridge)
{
	const char *a = r->z->a, *t;
	uint8_t mx[6], my[6];

	sh("ip -n %s link del zx", a);
	if (zoo_ns_add(r->t, sizeof(r->t), "t"))
		return -EIO;
	t = r->t;
	r->t_netns = netns_inode_of(t);
	if (sh("ip link add zx netns %s type veth peer name zy netns %s", a, t) ||
	    sh("ip -n %s addr add 10.88.9.1/24 dev zx && ip -n %s link set zx up && "
	       "ip -n %s link set zy up", a, a, t))
		return -EIO;
	if (bridge) {
		if (sh("ip -n %s link add zbr type bridge", t))
			return SKIP_PATH(r, "no bridge here");
		if (sh("ip -n %s link set zy master zbr && ip -n %s link set zbr up && "
		       "ip -n %s addr add 10.88.9.2/24 dev zbr", t, t, t))
			return -EIO;
	} else if (sh("ip -n %s addr add 10.88.9.2/24 dev zy", t)) {
		return -EIO;
	}
	if (zoo_mac_of(a, "zx", mx) || zoo_mac_of(t, bridge ? "zbr" : "zy", my))
		return -EIO;
	return sh("ip -n %s neigh add 10.88.9.2 lladdr %02x:%02x:%02x:%02x:%02x:%02x dev zx && "
		  "ip -n %s neigh add 10.88.9.1 lladdr %02x:%02x:%02x:%02x:%02x:%02x dev %s",
		  a, my[0], my[1], my[2], my[3], my[4], my[5],
		  t, mx[0], mx[1], mx[2], mx[3], mx[4], mx[5], bridge ? "zbr" : "zy") ? -EIO : 0;
}

/* zoo_check() deletes t (and with it a's zx) once it has read the rows. */
static void transit_down(struct zoo_run *r)
{
}

/* Untagged frames on a VLAN-filtering bridge port without a PVID. */
ZOO_PATH(bridge_vlan_filtered, 0, { NULL, "t", "zy", 10 })
{
	int err = transit_up(r, true);

	if (!err && sh("ip -n %s link set zbr type bridge vlan_filtering 1 && "
		       "bridge -n %s vlan del dev zy vid 1", r->t, r->t))
		err = SKIP_PATH(r, "no VLAN filtering on bridges here");
	if (!err)
		err = in_ns(r->z->a, &UDP(AF_INET, "10.88.9.2", CLOSED, 10, 100));
	transit_down(r);
	return err;
}

ZOO_PATH(nf_bridge_prerouting, 0, { "NETFILTER_DROP", "t", "zy", 10 })
{
	int err = transit_up(r, true);

	if (!err)
		err = nft_drop(r, r->t, "bridge", "prerouting", NULL, "udp dport 7777",
			       &UDP(AF_INET, "10.88.9.2", FILTERED, 10, 100));
	transit_down(r);
	return err;
}

/*
 * netem with jitter keeps packets in its rbtree (skb->rbnode over skb->dev)
 * for seconds; then the device goes down or away, or the netns goes.
 */
static int netem_in_flight(struct zoo_run *r, bool in_t, const char *dev,
			   const struct job *traffic, const char *then)
{
	int err = transit_up(r, false);
	const char *ns = in_t ? r->t : r->z->a;

	if (err)
		return err;
	if (sh("ip netns exec %s tc qdisc add dev %s root netem delay 5s 2s", ns, dev))
		return SKIP_PATH(r, "no netem here");
	err = in_ns(r->z->a, traffic);
	if (!err && sh(then, ns, dev))
		err = -EIO;
	return err;
}

/* a's socket owns the packets: netns a, and no device once zx is gone. */
ZOO_PATH(netem_dev_deleted, 0, { NULL, "a", NULL, 10 })
{
	int err = netem_in_flight(r, false, "zx", &UDP(AF_INET, "10.88.9.2", CLOSED, 10, 100),
				  "ip -n %s link del %s");

	transit_down(r);
	return err;
}

ZOO_PATH(netem_dev_down, 0, { NULL, "a", NULL, 10 })
{
	int err = netem_in_flight(r, false, "zx", &UDP(AF_INET, "10.88.9.2", CLOSED, 10, 100),
				  "ip -n %s link set %s down");

	transit_down(r);
	return err;
}

/*
 * t's replies to a's pings wait in t's netem when t is deleted: freed by
 * the netns cleanup work.  They were t's, or nobody can say (the device is
 * gone, and the ICMP socket that owns them is one per CPU for every netns
 * since 5.19: its netns is whichever sent last); never another netns.
 */
ZOO_PATH(netem_netns_deleted, 500, { NULL, "tu", NULL, 10 })
{
	uint8_t echo[16] = { 8, 0 };
	struct job ping = { .family = AF_INET, .dst = "10.88.9.2", .proto = IPPROTO_ICMP,
			    .buf = echo, .len = sizeof(echo), .n = 10, .fn = do_raw };
	int err;

	memcpy(echo + 2, (uint16_t[]){ zoo_csum(echo, sizeof(echo), 0) }, 2);
	err = netem_in_flight(r, true, "zy", &ping, "ip netns del %s #%s");
	transit_down(r);
	return err;
}

TEST_HARNESS_MAIN
