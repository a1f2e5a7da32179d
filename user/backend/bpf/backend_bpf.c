// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend: reads the maps that the pinned programs fill and turns
 * them into the same rows the module's netlink replies give.  Like the
 * module, it shows a caller in the initial netns every row, and a caller
 * in any other netns only its own rows (with totals summed from them):
 * those whose netns cookie is its netns's.  Not the inode, which the
 * kernel gives to the next netns once the old one is gone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <linux/skbstat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "backend/backend.h"
#include "backend/bpf/backend_bpf_netns.h"
#include "backend/bpf/backend_bpf_tables.h"
#include "backend/bpf/backend_bpf_info.h"
#include "backend/bpf/backend_bpf_memory.h"
#include "backend/bpf/bpf_loader.h"
#include "backend/bpf/btf_reasons.h"
#include "backend/bpf/kallsyms.h"

/* How often a location that names nothing may make the symbols be read again. */
#define KSYMS_REREAD_S		5

/* Longest "func+0xoff [module]": KSYM_NAME_LEN is 512, MODULE_NAME_LEN 56. */
#define LOCATION_MAX_LEN	640

struct bpfbe_backend {
	struct bpfbe_state st;
	bool st_open;
	struct kallsyms *ksyms;		/* loaded at the first drop dump */
	bool ksyms_hidden;		/* the kernel shows no addresses (kptr_restrict) */
	time_t ksyms_read;		/* when, on CLOCK_MONOTONIC */
	uint64_t netns_cookie;		/* the caller's netns's */
	bool sees_all;			/* the caller is in the initial netns */
	bool no_bpffs;			/* nothing attached, and nowhere to see pins */
	int broken;			/* -errno: the pins could not be opened */
	time_t retire_after;		/* CLOCK_MONOTONIC second of the next retirement */
	bool retire_failed;		/* and said so, if one failed */
};

static struct bpfbe_backend *bpfbe_backend(struct backend *be)
{
	return be->priv;
}

static void bpfbe_close(struct backend *be)
{
	struct bpfbe_backend *b = bpfbe_backend(be);

	if (!b)
		return;
	if (b->st_open)
		bpfbe_state_close(&b->st);
	kallsyms_free(b->ksyms);
	free(b);
	be->priv = NULL;
}

static int bpfbe_backend_new(struct backend *be)
{
	struct bpfbe_backend *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	be->priv = b;
	return 0;
}

/*
 * Opens whenever BPF can count here, attached or not: status then says
 * what is detached, and attach and top need an open backend to start.
 */
static int bpfbe_open(struct backend *be)
{
	struct bpfbe_backend *b;
	int err;

	if (!bpfbe_possible())
		return -ENODEV;
	err = bpfbe_backend_new(be);
	if (err)
		return err;
	b = bpfbe_backend(be);
	err = bpfbe_state_open_pinned(&b->st);
	if (err == -ENODEV || err == -EMEDIUMTYPE) {
		b->no_bpffs = err == -EMEDIUMTYPE;
		err = 0;
	} else {
		/* Said already; detach can still clean up what is left. */
		b->broken = err;
		b->st_open = !err;
		err = 0;
	}
	err = bpfbe_caller_netns(b->st_open ? b->st.layout : -1, &b->netns_cookie, &b->sees_all);
	if (err)
		bpfbe_close(be);
	return err;
}

/* Rows and resets need something that counts. */
static int need_attached(const struct bpfbe_backend *b)
{
	if (b->st_open || b->broken)
		return b->broken;
	fprintf(stderr, "skbstat: nothing is counting: the BPF backend is not attached; run "
		"'skbstat -b bpf attach' (counts until 'skbstat -b bpf detach'), or 'skbstat top' "
		"to count while it runs%s\n",
		b->no_bpffs ? " (no BPF filesystem at /sys/fs/bpf here nor in init's mount "
		"namespace: if it is attached elsewhere, run from there)" : "");
	return -ENODEV;
}

static bool row_visible(const struct bpfbe_backend *b, uint64_t netns_cookie)
{
	return b->sees_all || netns_cookie == b->netns_cookie;
}

/*
 * Before a read: the rows of namespaces that died are retired (the module
 * does it when they die; the BPF programs cannot see that happen), at most
 * once a second (top and -i read every interval), and not while another
 * process holds the lock (an attach runs the verifier for a while): the
 * next read retires.  A retirement that fails costs room in the tables,
 * not the read.
 */
static void retire_dead_rows(struct bpfbe_backend *b)
{
	struct timespec now;
	int lock, err;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < b->retire_after)
		return;
	lock = bpfbe_state_trylock();
	if (lock < 0)
		return;
	b->retire_after = now.tv_sec + 1;
	err = bpfbe_tables_retire(&b->st);
	bpfbe_state_unlock(lock);
	if (err && !b->retire_failed)
		fprintf(stderr, "skbstat: cannot retire the rows of namespaces that died (%s): "
			"they keep their room until a reset\n", err == -ESRCH ?
			"the kernel's list of namespaces could not be walked" : strerror(-err));
	b->retire_failed |= !!err;
}

/*
 * Retire, then take the shared lock for the read.  A process that keeps
 * the backend open (serve, top) would read maps that a detach left
 * behind: -ESTALE says to reopen.  Returns the lock's fd or -errno.
 */
static int lock_for_read(struct bpfbe_backend *b)
{
	int lock, err;

	retire_dead_rows(b);
	lock = bpfbe_state_lock_shared();
	if (lock < 0)
		return lock;
	err = bpfbe_state_check_pinned(&b->st);
	if (!err)
		return lock;
	bpfbe_state_unlock(lock);
	fprintf(stderr, "skbstat: the BPF backend was detached since it was opened%s\n",
		err == -ESTALE ? "" : " (its pins cannot be checked)");
	return err;
}

/* The rows of @hook's current generation. */
static int read_table(struct bpfbe_backend *b, int hook, void **rows, size_t *nr)
{
	uint32_t gen;
	int lock, err;

	err = need_attached(b);
	if (err)
		return err;
	lock = lock_for_read(b);
	if (lock < 0)
		return lock;
	err = bpfbe_table_generation(&b->st, hook, &gen);
	if (!err)
		err = bpfbe_table_read(&b->st, hook, gen, !b->sees_all, rows, nr);
	bpfbe_state_unlock(lock);
	if (err)
		fprintf(stderr, "skbstat: reading the BPF maps failed: %s\n", strerror(-err));
	return err;
}

/* ---- status ---- */

static const char *const hook_names[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS]	= SKBSTAT_HOOK_NAME_DROPS,
	[SKBSTAT_HOOK_FLOWS]	= SKBSTAT_HOOK_NAME_FLOWS,
	[SKBSTAT_HOOK_QUEUES]	= SKBSTAT_HOOK_NAME_QUEUES,
};

/* Packets, or retransmit events: what counts one event in a row. */
static void row_counts(int hook, const void *rows, size_t i, uint64_t *netns_cookie,
		       uint64_t *events, uint64_t *bytes)
{
	const struct bpfbe_drop_row *d = (const struct bpfbe_drop_row *)rows + i;
	const struct bpfbe_flow_row *f = (const struct bpfbe_flow_row *)rows + i;
	const struct bpfbe_queue_row *q = (const struct bpfbe_queue_row *)rows + i;

	switch (hook) {
	case SKBSTAT_HOOK_DROPS:
		*netns_cookie = d->key.netns_cookie;
		*events = d->val.packets;
		*bytes = d->val.bytes;
		break;
	case SKBSTAT_HOOK_FLOWS:
		*netns_cookie = f->key.netns_cookie;
		*events = f->val.events;
		*bytes = f->val.bytes;
		break;
	default:
		*netns_cookie = q->key.netns_cookie;
		*events = q->val.packets;
		*bytes = q->val.bytes;
		break;
	}
}

/*
 * Events and bytes are the sums of the rows and of the events that found
 * no row, which alone the probes count in the totals (bpf/maps.bpf.h).  As
 * the module: outside the initial netns, of the visible rows and of the
 * netns's own table_full.
 */
static int hook_counts(struct bpfbe_backend *b, int hook, struct skbstat_hook_status *hs)
{
	struct skbstat_totals totals;
	uint64_t events, bytes, netns_cookie;
	uint32_t gen;
	void *rows = NULL;
	size_t nr, i;
	int err;

	err = bpfbe_table_generation(&b->st, hook, &gen);
	if (!err)
		err = bpfbe_table_totals(&b->st, hook, gen, &totals);
	/* The longest walk is the whole table's, in every view, as the module's. */
	if (!err)
		err = bpfbe_table_read_walks(&b->st, hook, gen, !b->sees_all, &rows, &nr,
					     &hs->longest_probe);
	if (err) {
		fprintf(stderr, "skbstat: reading the BPF maps failed: %s\n", strerror(-err));
		return err;
	}
	hs->events = totals.events;
	hs->bytes = totals.bytes;
	hs->table_full = totals.table_full;
	hs->has_longest_probe = true;
	if (!b->sees_all) {
		err = bpfbe_table_netns_full(&b->st, hook, gen, b->netns_cookie, &hs->table_full);
		if (err) {
			free(rows);
			return err;
		}
		/* The netns's events that found no row, whose bytes no one kept. */
		hs->events = hs->table_full;
		hs->bytes = 0;
	}
	hs->rows = 0;
	for (i = 0; i < nr; i++) {
		row_counts(hook, rows, i, &netns_cookie, &events, &bytes);
		if (!row_visible(b, netns_cookie))
			continue;
		hs->events += events;
		hs->bytes += bytes;
		hs->rows++;
	}
	free(rows);
	return 0;
}

/*
 * What the BPF kprobe mode of the drop hook cannot see (bpf/skbstat.bpf.c
 * probes the single free only); the man page's KPROBE MODES says the same.
 */
static int flows_see_failed(const struct bpfbe_backend *b, bool *sees);

static int hook_gaps(const struct bpfbe_backend *b, int hook, uint32_t mode,
		     struct skbstat_hook_status *hs)
{
	bool sees = true;
	int err;

	if (hook == SKBSTAT_HOOK_DROPS && mode == SKBSTAT_MODE_KPROBE)
		snprintf(hs->gaps, sizeof(hs->gaps), "%s",
			 "list frees where the kernel frees lists inline (6.3+: GSO, fragment "
			 "lists, qdisc drops), drops net_tx_action() traces, and a drop of a "
			 "shared skb whose other references go during the free");
	if (hook != SKBSTAT_HOOK_FLOWS || !hs->attached)
		return 0;
	err = flows_see_failed(b, &sees);
	if (!err && !sees)
		snprintf(hs->gaps, sizeof(hs->gaps), "%s",
			 "failed retransmits (the tracepoint reports them since 6.17)");
	return err;
}

/* Each table's memory; none on a kernel whose BTF lacks the maps' structures. */
static int status_memory(struct bpfbe_backend *b, struct skbstat_status *status)
{
	int err = b->st_open ? bpfbe_state_memory(&b->st, &status->memory) : 0;

	return err == -ENOENT ? 0 : err;
}

static int status_fill(struct bpfbe_backend *b, struct skbstat_status *status)
{
	struct skbstat_hook_status *hs;
	struct bpfbe_hook_info info;
	int hook, err;

	status_clear(status);
	status->version = SKBSTAT_GENL_VERSION;
	status->drop_reasons = bpfbe_btf_drop_reasons();
	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		memset(&info, 0, sizeof(info));
		info.limit = bpfbe_default_rows(hook);
		err = b->st_open ? bpfbe_state_hook_info(&b->st, hook, &info) : 0;
		if (err)
			return err;
		hs = status_add_hook(status);
		if (!hs)
			return -ENOMEM;
		hs->id = hook;
		hs->name = strdup(hook_names[hook]);
		if (!hs->name)
			return -ENOMEM;
		hs->attached = info.attached;
		hs->mode = bpfbe_mode_uapi(info.mode);
		hs->mode_name = bpfbe_mode_name(info.mode);
		hs->limit = info.limit;
		hs->has_missed = true;
		hs->missed = info.recursion_misses;
		err = hook_gaps(b, hook, hs->mode, hs);
		if (!err && b->st_open)
			err = hook_counts(b, hook, hs);
		if (err)
			return err;
	}
	return status_memory(b, status);
}

static int bpfbe_get_status(struct backend *be, struct skbstat_status *status)
{
	struct bpfbe_backend *b = bpfbe_backend(be);
	int err, lock = -1;

	if (b->broken)
		return b->broken;
	if (b->st_open) {
		lock = lock_for_read(b);
		if (lock < 0)
			return lock;
	}
	err = status_fill(b, status);
	bpfbe_state_unlock(lock);
	return err;
}

/* ---- rows ---- */

/*
 * A device of the caller's netns has its current name; one elsewhere, where
 * the same index may mean another device, the name the probes saw.  The
 * caller's netns by cookie: a dead netns whose inode the caller's reuses
 * had other devices under the same indexes.
 */
static int dev_name(const struct bpfbe_backend *b, uint64_t netns_cookie, uint32_t ifindex,
		    char **dev)
{
	struct skbstat_dev_key key = { .netns_cookie = netns_cookie, .ifindex = ifindex };
	struct skbstat_dev_name seen;
	char name[IF_NAMESIZE];

	*dev = NULL;
	if (!ifindex)
		return 0;
	if (netns_cookie == b->netns_cookie) {
		if (!if_indextoname(ifindex, name))
			return 0;
		*dev = strdup(name);
	} else {
		if (bpf_map_lookup_elem(b->st.devnames, &key, &seen) || !seen.name[0])
			return 0;
		seen.name[SKBSTAT_IFNAMSIZ - 1] = '\0';
		*dev = strdup(seen.name);
	}
	return *dev ? 0 : -ENOMEM;
}

static int fill_drop(struct bpfbe_backend *b, const struct bpfbe_drop_row *r,
		     struct skbstat_drop_row *row)
{
	char location[LOCATION_MAX_LEN];

	row->reason = r->key.reason;
	row->ifindex = r->key.ifindex;
	row->netns = r->key.netns;
	row->proto = r->key.proto;
	row->packets = r->val.packets;
	row->bytes = r->val.bytes;
	/* The netns gone row has no location, as the module's. */
	if (!r->key.location)
		return 0;
	kallsyms_symbolize(b->ksyms, r->key.location, location, sizeof(location));
	row->location = strdup(location);
	if (!row->location)
		return -ENOMEM;
	return dev_name(b, r->key.netns_cookie, r->key.ifindex, &row->dev);
}

/*
 * The kernel's symbols, read again when a location names none: a module
 * loaded since they were read (skbstat top and -i run for hours).  Where
 * the kernel hides its addresses (kernel.kptr_restrict=2), rows come
 * without locations: "drops --by reason" still works.
 */
static int symbols_for(struct bpfbe_backend *b, const struct bpfbe_drop_row *rows, size_t nr)
{
	bool stale = !b->ksyms && !b->ksyms_hidden;
	struct timespec now;
	size_t i;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* At most every few seconds: an unloaded module's address never resolves. */
	for (i = 0; !stale && b->ksyms && now.tv_sec - b->ksyms_read >= KSYMS_REREAD_S && i < nr;
	     i++)
		stale = rows[i].val.packets && !kallsyms_lookup(b->ksyms, rows[i].key.location);
	if (!stale)
		return 0;
	b->ksyms_read = now.tv_sec;
	kallsyms_free(b->ksyms);
	b->ksyms = NULL;
	err = kallsyms_load(&b->ksyms);
	if (err != -EPERM)
		return err;
	fprintf(stderr, "skbstat: /proc/kallsyms hides kernel addresses here "
		"(kernel.kptr_restrict=2, or no CAP_SYSLOG): drop locations show as '?'\n");
	b->ksyms_hidden = true;
	return 0;
}

static int bpfbe_get_drops(struct backend *be, struct skbstat_snapshot *snap)
{
	struct bpfbe_backend *b = bpfbe_backend(be);
	struct bpfbe_drop_row *rows;
	struct skbstat_drop_row *row;
	size_t nr, i;
	int err;

	err = read_table(b, SKBSTAT_HOOK_DROPS, (void **)&rows, &nr);
	if (err)
		return err;
	err = symbols_for(b, rows, nr);
	for (i = 0; !err && i < nr; i++) {
		if (!rows[i].val.packets || !row_visible(b, rows[i].key.netns_cookie))
			continue;
		row = snapshot_add_drop(snap);
		/* A half-filled row is freed with the snapshot like any other. */
		err = row ? fill_drop(b, &rows[i], row) : -ENOMEM;
	}
	free(rows);
	return err;
}

/*
 * Whether the flows hook's mode sees failed retransmits: the return probe
 * always, the tracepoint where its event record has the error (6.17+),
 * which is what the programs' CO-RE check looks at too.
 */
static int flows_see_failed(const struct bpfbe_backend *b, bool *sees)
{
	struct bpfbe_hook_info info = { 0 };
	const struct btf_member *m;
	const struct btf_type *t;
	struct btf *btf;
	int err, id, i;
	static int tp_has_err = -1;	/* tcp_retransmit_skb's event has err */

	*sees = false;
	if (!b->st_open)
		return 0;
	err = bpfbe_state_hook_info(&b->st, SKBSTAT_HOOK_FLOWS, &info);
	if (err)
		return err;
	if (info.mode == BPFBE_MODE_KPROBE) {
		*sees = true;
		return 0;
	}
	/* The kernel's BTF does not change while we run: read it once. */
	if (tp_has_err >= 0) {
		*sees = tp_has_err;
		return 0;
	}
	btf = btf__load_vmlinux_btf();
	err = libbpf_get_error(btf);
	if (err)
		return err;
	id = btf__find_by_name_kind(btf, "trace_event_raw_tcp_retransmit_skb", BTF_KIND_STRUCT);
	t = id < 0 ? NULL : btf__type_by_id(btf, id);
	for (i = 0, m = t ? btf_members(t) : NULL; t && i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), "err"))
			*sees = true;
	btf__free(btf);
	tp_has_err = *sees;
	return 0;
}

static void fill_flow(const struct bpfbe_flow_row *r, bool sees_failed,
		      struct skbstat_flow_row *row)
{
	row->netns = r->key.netns;
	row->family = r->key.family;
	memset(row->saddr, 0, sizeof(row->saddr));
	memset(row->daddr, 0, sizeof(row->daddr));
	memcpy(row->saddr, skbstat_flow_saddr(&r->key), skbstat_flow_addr_len(&r->key));
	memcpy(row->daddr, skbstat_flow_daddr(&r->key), skbstat_flow_addr_len(&r->key));
	row->sport = r->key.sport;
	row->dport = r->key.dport;
	row->retransmits = r->val.retransmits;
	row->bytes = r->val.bytes;
	row->events = r->val.events;
	row->failed = r->val.failed;
	row->failed_known = sees_failed;
	row->state = r->val.state;
	row->first_ns = r->val.first_ns;
	row->last_ns = r->val.last_ns;
}

static int bpfbe_get_flows(struct backend *be, struct skbstat_snapshot *snap)
{
	struct bpfbe_backend *b = bpfbe_backend(be);
	struct skbstat_flow_row *row;
	struct bpfbe_flow_row *rows;
	bool sees_failed = false;
	size_t nr, i;
	int err;

	err = read_table(b, SKBSTAT_HOOK_FLOWS, (void **)&rows, &nr);
	if (err)
		return err;
	err = nr ? flows_see_failed(b, &sees_failed) : 0;
	if (err) {
		free(rows);
		return err;
	}
	for (i = 0; !err && i < nr; i++) {
		if (!rows[i].val.events || !row_visible(b, rows[i].key.netns_cookie))
			continue;
		row = snapshot_add_flow(snap);
		if (row)
			fill_flow(&rows[i], sees_failed, row);
		else
			err = -ENOMEM;
	}
	free(rows);
	return err;
}

static int fill_queue(struct bpfbe_backend *b, const struct bpfbe_queue_row *r,
		      struct skbstat_queue_row *row)
{
	row->netns = r->key.netns;
	row->ifindex = r->key.ifindex;
	row->queue = r->key.queue;
	row->packets = r->val.packets;
	row->bytes = r->val.bytes;
	memcpy(row->hist, r->val.hist, sizeof(row->hist));
	return dev_name(b, r->key.netns_cookie, r->key.ifindex, &row->dev);
}

static int bpfbe_get_queues(struct backend *be, struct skbstat_snapshot *snap)
{
	struct bpfbe_backend *b = bpfbe_backend(be);
	struct skbstat_queue_row *row;
	struct bpfbe_queue_row *rows;
	size_t nr, i;
	int err;

	err = read_table(b, SKBSTAT_HOOK_QUEUES, (void **)&rows, &nr);
	if (err)
		return err;
	for (i = 0; !err && i < nr; i++) {
		if (!rows[i].val.packets || !row_visible(b, rows[i].key.netns_cookie))
			continue;
		row = snapshot_add_queue(snap);
		err = row ? fill_queue(b, &rows[i], row) : -ENOMEM;
	}
	free(rows);
	return err;
}

static int bpfbe_get_reasons(struct backend *be, struct skbstat_snapshot *snap)
{
	(void)be;
	return bpfbe_btf_reasons_fill(snap);
}

/* ---- reset, attach, detach ---- */

static int bpfbe_reset(struct backend *be, int hook)
{
	struct bpfbe_backend *b = bpfbe_backend(be);
	int lock, i, err;

	err = need_attached(b);
	if (err)
		return err;
	lock = bpfbe_state_lock();
	if (lock < 0)
		return lock;
	/* Zeroing maps a detach left behind would reset nothing that counts. */
	err = bpfbe_state_check_pinned(&b->st);
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++) {
		if (hook >= 0 && hook != i)
			continue;
		if (b->sees_all)
			err = bpfbe_table_reset(&b->st, i);
		else
			err = bpfbe_table_reset_netns(&b->st, i, b->netns_cookie);
	}
	bpfbe_state_unlock(lock);
	if (err)
		fprintf(stderr, "skbstat: resetting the BPF maps failed: %s\n", err == -ESTALE ?
			"the BPF backend was detached since it was opened" : strerror(-err));
	return err;
}

/*
 * Works on a backend whose open() found nothing attached (be->priv NULL):
 * attaching is what makes it openable.
 */
static int bpfbe_attach(struct backend *be, const struct attach_request *req)
{
	struct bpfbe_options opts = { .mode = BPFBE_MODE_TP_BTF };
	const char *mode = req->mode;
	struct bpfbe_hook_info info;
	struct bpfbe_backend *b;
	int err;

	memcpy(opts.rows, req->rows, sizeof(opts.rows));
	opts.max_memory_mib = req->max_memory_mib;
	if (mode && bpfbe_mode_parse(mode, &opts.mode)) {
		fprintf(stderr, "skbstat: the BPF backend has no attach mode '%s' (use tp_btf, "
			"raw_tp or kprobe; tracepoint means tp_btf)\n", mode);
		return -EINVAL;
	}
	if (!be->priv) {
		err = bpfbe_backend_new(be);
		if (err)
			return err;
	}
	b = bpfbe_backend(be);
	/* No mode given: the hooks keep theirs, as the module's do. */
	if (!mode && !b->st_open) {
		err = bpfbe_state_open_pinned(&b->st);
		if (err && err != -ENODEV && err != -EMEDIUMTYPE)
			return err;
		b->st_open = !err;
	}
	if (!mode && b->st_open) {
		err = bpfbe_state_hook_info(&b->st, SKBSTAT_HOOK_DROPS, &info);
		if (err)
			return err;
		opts.mode = info.mode;
	}
	if (b->st_open)
		bpfbe_state_close(&b->st);
	b->st_open = false;
	err = bpfbe_state_attach(&b->st, &opts, true);
	/* Limits over the memory cap, said already: the user's to change. */
	if (err == -E2BIG)
		return -EINVAL;
	if (err)
		/* -EINVAL would read as "no such mode" to the caller: the kernel's is a runtime error. */
		return err == -EINVAL ? -EIO : err;
	b->st_open = true;
	return 0;
}

static int bpfbe_detach(struct backend *be)
{
	struct bpfbe_backend *b = bpfbe_backend(be);
	struct bpfbe_state st;
	int err;

	if (b && b->st_open) {
		err = bpfbe_state_detach(&b->st);
		bpfbe_state_close(&b->st);
		b->st_open = false;
		return err;
	}
	/* Nothing open: unpinning what is left (a half-detached state) is all there is to do. */
	if (b && !b->broken) {
		fprintf(stderr, "skbstat: the BPF backend was not attached\n");
		return 0;
	}
	memset(&st, 0, sizeof(st));
	return bpfbe_state_detach(&st);
}

/*
 * For skbstat top: with nothing pinned, count through links of this
 * process, in the default mode, which go when it exits.
 */
static int bpfbe_attach_while_open(struct backend *be)
{
	struct bpfbe_options opts = { .mode = BPFBE_MODE_TP_BTF };
	struct bpfbe_backend *b = bpfbe_backend(be);
	int err;

	if (b->st_open)
		return 0;
	err = backend_check_machine_wide("attaching BPF programs");
	if (err)
		return err;
	err = bpfbe_state_attach(&b->st, &opts, false);
	if (err)
		return err;
	b->st_open = true;
	return 0;
}

const struct backend_ops backend_bpf_ops = {
	.name		= "bpf",
	.description	= "skbstat BPF programs",
	.how_to_enable	= "the BPF backend cannot run here: it needs a kernel with BTF "
			  "(/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF=y)",
	.open		= bpfbe_open,
	.close		= bpfbe_close,
	.get_status	= bpfbe_get_status,
	.get_drops	= bpfbe_get_drops,
	.get_flows	= bpfbe_get_flows,
	.get_queues	= bpfbe_get_queues,
	.get_reasons	= bpfbe_get_reasons,
	.reset		= bpfbe_reset,
	.attach		= bpfbe_attach,
	.detach		= bpfbe_detach,
	.attach_while_open = bpfbe_attach_while_open,
};
