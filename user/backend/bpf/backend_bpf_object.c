// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF object: open it with the programs of one attach mode, size its
 * tables, load it into the kernel (into pinned maps when there are some),
 * attach its programs where this kernel has the functions, and pin.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "skbstat.skel.h"
#include "backend/bpf/backend_bpf_memory.h"
#include "backend/bpf/backend_bpf_mode.h"
#include "backend/bpf/backend_bpf_object.h"
#include "backend/bpf/backend_bpf_pins.h"
#include "backend/bpf/kallsyms.h"
#include "util.h"

/* The programs of each hook in @mode: [0] counts, [1] is a kprobe mode entry probe. */
static void mode_programs(struct skbstat_bpf *skel, enum bpfbe_mode mode,
			  struct bpf_program *progs[SKBSTAT_HOOK_COUNT][2])
{
	memset(progs, 0, sizeof(struct bpf_program *) * SKBSTAT_HOOK_COUNT * 2);
	switch (mode) {
	case BPFBE_MODE_TP_BTF:
		progs[SKBSTAT_HOOK_DROPS][0] = skel->progs.drops_tp_btf;
		progs[SKBSTAT_HOOK_FLOWS][0] = skel->progs.flows_tp_btf;
		progs[SKBSTAT_HOOK_QUEUES][0] = skel->progs.queues_tp_btf;
		break;
	case BPFBE_MODE_RAW_TP:
		progs[SKBSTAT_HOOK_DROPS][0] = skel->progs.drops_raw_tp;
		progs[SKBSTAT_HOOK_FLOWS][0] = skel->progs.flows_raw_tp;
		progs[SKBSTAT_HOOK_QUEUES][0] = skel->progs.queues_raw_tp;
		break;
	default:
		progs[SKBSTAT_HOOK_DROPS][0] = skel->progs.drops_kprobe;
		progs[SKBSTAT_HOOK_FLOWS][0] = skel->progs.flows_kp_ret;
		progs[SKBSTAT_HOOK_FLOWS][1] = skel->progs.flows_kp_entry;
		progs[SKBSTAT_HOOK_QUEUES][0] = skel->progs.queues_kp_ret;
		progs[SKBSTAT_HOOK_QUEUES][1] = skel->progs.queues_kp_entry;
		break;
	}
}

/* The functions the kprobe mode probes, as this kernel names them. */
struct kprobe_targets {
	const char *fn[SKBSTAT_HOOK_COUNT];
	bool drop_fn_has_sk;
	uint64_t xmit_start, xmit_end;
};

/* The first of @names that is a kernel function; NULL when none is. */
static const char *first_function(const struct kallsyms *ks, const char *const *names,
				  size_t nr, size_t *which)
{
	uint64_t start, end;

	for (*which = 0; *which < nr; (*which)++)
		if (!kallsyms_function_range(ks, names[*which], &start, &end))
			return names[*which];
	return NULL;
}

static int find_kprobe_targets(struct kprobe_targets *kt)
{
	/* kfree_skb_reason() became an inline around sk_skb_reason_drop() in 6.11. */
	static const char *const drop_fns[] = { "kfree_skb_reason", "sk_skb_reason_drop" };
	/*
	 * GCC may split __tcp_retransmit_skb(), inlining its head into callers
	 * that then call the part holding the tracepoint directly (same
	 * arguments): that part is probed, as the module does.
	 */
	static const char *const retransmit_fns[] = {
		"__tcp_retransmit_skb.part.0", "__tcp_retransmit_skb",
	};
	static const char *const pick_tx_fns[] = { "netdev_core_pick_tx" };
	struct kallsyms *ks;
	size_t which;
	int err;

	err = kallsyms_load(&ks);
	if (err == -EPERM)
		fprintf(stderr, "skbstat: the kprobe mode needs kernel addresses, which "
			"/proc/kallsyms hides here (kernel.kptr_restrict=2, or no CAP_SYSLOG): "
			"use tp_btf or raw_tp\n");
	if (err)
		return err;
	kt->fn[SKBSTAT_HOOK_DROPS] = first_function(ks, drop_fns, ARRAY_SIZE(drop_fns), &which);
	kt->drop_fn_has_sk = which == 1;
	kt->fn[SKBSTAT_HOOK_FLOWS] = first_function(ks, retransmit_fns,
						    ARRAY_SIZE(retransmit_fns), &which);
	kt->fn[SKBSTAT_HOOK_QUEUES] = first_function(ks, pick_tx_fns, ARRAY_SIZE(pick_tx_fns),
						     &which);
	err = kallsyms_function_range(ks, "__dev_queue_xmit", &kt->xmit_start, &kt->xmit_end);
	kallsyms_free(ks);
	if (err || !kt->fn[SKBSTAT_HOOK_DROPS] || !kt->fn[SKBSTAT_HOOK_FLOWS] ||
	    !kt->fn[SKBSTAT_HOOK_QUEUES]) {
		fprintf(stderr, "skbstat: /proc/kallsyms lacks a function the kprobe mode needs "
			"(kfree_skb_reason, __tcp_retransmit_skb, netdev_core_pick_tx, "
			"__dev_queue_xmit)\n");
		return -ENOENT;
	}
	return 0;
}

/*
 * The registry's hook programs (bpf/devices.bpf.h), by hook: tp_btf in
 * tp_btf mode, raw_tp otherwise (raw_tp works wherever tracepoints do).
 */
static struct bpf_program *registry_program(struct skbstat_bpf *skel, enum bpfbe_mode mode,
					    int hook)
{
	bool btf = mode == BPFBE_MODE_TP_BTF;
	struct bpf_program *progs[BPFBE_REGISTRY_HOOKS] = {
		[BPFBE_REGISTRY_CREATE]	= btf ? skel->progs.device_create_tp_btf :
						skel->progs.device_create_raw_tp,
		[BPFBE_REGISTRY_DESTROY]	= btf ? skel->progs.device_destroy_tp_btf :
						skel->progs.device_destroy_raw_tp,
	};

	return progs[hook];
}

/* The tracepoints the registry's hooks attach to. */
static const char *const registry_events[BPFBE_REGISTRY_HOOKS] = {
	[BPFBE_REGISTRY_CREATE]	= "qdisc_create",
	[BPFBE_REGISTRY_DESTROY]	= "qdisc_destroy",
};

/*
 * From the kernel's BTF, which types every tracepoint as btf_trace_<event>
 * (5.10 has no qdisc ones): a missing one fails the attach with its
 * name, not a verifier log.
 */
static int check_registry_kernel(void)
{
	char name[64];
	struct btf *btf;
	size_t i;
	int err;

	btf = btf__load_vmlinux_btf();
	err = libbpf_get_error(btf);
	if (err) {
		fprintf(stderr, "skbstat: cannot read this kernel's BTF: %s\n", strerror(-err));
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(registry_events); i++) {
		snprintf(name, sizeof(name), "btf_trace_%s", registry_events[i]);
		if (btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) >= 0)
			continue;
		btf__free(btf);
		fprintf(stderr, "skbstat: this kernel has no tracepoint qdisc:%s, which "
			"the BPF backend needs to know its network devices; use the module "
			"instead\n", registry_events[i]);
		return -EOPNOTSUPP;
	}
	btf__free(btf);
	/* The walk over the devices present loops with bpf_loop() (5.17+). */
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_loop, NULL) != 1) {
		fprintf(stderr, "skbstat: this kernel has no bpf_loop() (5.17+), which the BPF "
			"backend needs to list its network devices; use the module instead\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static uint32_t rows_limit(const struct bpfbe_options *opts, int hook)
{
	return opts->rows[hook] ? opts->rows[hook] : bpfbe_default_rows(hook);
}

/* A table's maps at their pin slots (pin_table_map()), in skel_map(). */
#define TABLE_PIN(hook, part)	[PIN_MAP_TABLES + (hook) * PIN_TABLE_MAPS + (part)]
#define TABLE_PINS(hook, t)							\
	TABLE_PIN(hook, PIN_TABLE_SLOTS) = skel->maps.t##_slots,		\
	TABLE_PIN(hook, PIN_TABLE_COUNTS) = skel->maps.t##_counts,		\
	TABLE_PIN(hook, PIN_TABLE_FREE) = skel->maps.t##_free_0,		\
	TABLE_PIN(hook, PIN_TABLE_FREE + 1) = skel->maps.t##_free_1

/* The skeleton's map for pin slot @map. */
static struct bpf_map *skel_map(struct skbstat_bpf *skel, int map)
{
	struct bpf_map *maps[PIN_MAP_COUNT] = {
		[PIN_MAP_GENS]		= skel->maps.data_gens,
		[PIN_MAP_TOTALS]	= skel->maps.totals,
		TABLE_PINS(SKBSTAT_HOOK_DROPS, drops),
		TABLE_PINS(SKBSTAT_HOOK_FLOWS, flows),
		TABLE_PINS(SKBSTAT_HOOK_QUEUES, queues),
		[PIN_MAP_DEVNAMES]	= skel->maps.devnames,
		[PIN_MAP_BASES + 0]	= skel->maps.drop_bases,
		[PIN_MAP_BASES + 1]	= skel->maps.flow_bases,
		[PIN_MAP_BASES + 2]	= skel->maps.queue_bases,
		[PIN_MAP_LAYOUT]	= skel->maps.layout,
		[PIN_MAP_NETNS_CHECK]	= skel->maps.netns_check,
		[PIN_MAP_GONE_CARRY]	= skel->maps.gone_carry,
		[PIN_MAP_NETNS_FULL]	= skel->maps.netns_full,
		[PIN_MAP_NETNS_FULL_BASES] = skel->maps.netns_full_bases,
		[PIN_MAP_ROWS_NEXT]	= skel->maps.rows_next,
		[PIN_MAP_PROBE_SYNC]	= skel->maps.probe_sync,
	};

	return maps[map];
}

/*
 * A table's slots per generation: at least twice its rows, so that at most
 * half are ever taken and a claim finds a free one within its probes.
 */
static uint32_t table_slots(uint32_t rows)
{
	uint64_t n = 2;

	while (n < 2ULL * rows)
		n <<= 1;
	return n;
}

static int set_table_limits(struct skbstat_bpf *skel, int hook, uint32_t rows)
{
	struct bpf_map *slots = skel_map(skel, pin_table_map(hook, PIN_TABLE_SLOTS));
	struct bpf_map *counts = skel_map(skel, pin_table_map(hook, PIN_TABLE_COUNTS));
	int part, err;

	err = bpf_map__set_max_entries(slots, BPFBE_GENERATIONS * table_slots(rows));
	err = err ?: bpf_map__set_max_entries(counts, BPFBE_GENERATIONS * rows);
	for (part = PIN_TABLE_FREE; !err && part < PIN_TABLE_MAPS; part++)
		err = bpf_map__set_max_entries(skel_map(skel, pin_table_map(hook, part)), rows);
	return err ?: bpf_map__set_max_entries(skel_map(skel, PIN_MAP_BASES + hook), rows);
}

/* Every map of each table is sized from its limit, both generations alike. */
static int set_limits(struct skbstat_bpf *skel, const struct bpfbe_options *opts)
{
	int hook, err;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		/* Both generations' slots must fit max_entries: far above any limit asked. */
		if (rows_limit(opts, hook) > 1U << 28)
			return -E2BIG;
		err = set_table_limits(skel, hook, rows_limit(opts, hook));
		if (err)
			return err;
	}
	/*
	 * A name per device a row may name: every drop and queue row could
	 * name another.  Twice that, as an LRU map may evict before it is
	 * full: a row's device name is never lost to other rows' devices.
	 */
	return bpf_map__set_max_entries(skel->maps.devnames,
					2 * (rows_limit(opts, SKBSTAT_HOOK_DROPS) +
					     rows_limit(opts, SKBSTAT_HOOK_QUEUES)));
}

/* The table each of the object's maps belongs to (SKBSTAT_MEMORY_OTHER: none). */
static int object_map_table(struct skbstat_bpf *skel, const struct bpf_map *m)
{
	int map;

	for (map = 0; map < PIN_MAP_COUNT; map++)
		if (skel_map(skel, map) == m)
			return bpfbe_pin_map_table(map);
	return SKBSTAT_MEMORY_OTHER;
}

#define MIB_FMT		"%.1f MiB"
#define MIB(bytes)	((double)(bytes) / (1 << 20))

/*
 * Refuses, with one line, limits whose maps would take more than the cap,
 * before any is created: nothing changes.  The maps as they will be
 * created (every map of the object, at its limits), with @cpus possible
 * CPUs; a map without preallocation counts empty, as it starts.
 */
static int check_memory_cap(struct skbstat_bpf *skel, const struct bpfbe_options *opts,
			    int cpus)
{
	static const char *const names[SKBSTAT_HOOK_COUNT] = { "drops", "flows", "queues" };
	struct bpfbe_map_memory mem[SKBSTAT_MEMORY_TABLES] = {};
	uint64_t cap = bpfbe_memory_cap(opts->max_memory_mib), bytes, total = 0, big = 0;
	struct bpfbe_map_shape shape;
	char copies[32];
	struct bpf_map *m;
	int i, hook = 0, err;

	bpf_object__for_each_map(m, skel->obj) {
		shape = (struct bpfbe_map_shape){
			.type = bpf_map__type(m), .key_size = bpf_map__key_size(m),
			.value_size = bpf_map__value_size(m),
			.max_entries = bpf_map__max_entries(m), .flags = bpf_map__map_flags(m),
		};
		err = bpfbe_map_memory_add(&shape, &mem[object_map_table(skel, m)]);
		if (err == -ENOENT)
			return 0;	/* no BTF of the maps' structures: nothing to check */
		if (err)
			return err;
	}
	for (i = 0; i < SKBSTAT_MEMORY_TABLES; i++) {
		bytes = mem[i].shared + mem[i].per_cpu * cpus;
		total += bytes;
		if (i < SKBSTAT_HOOK_COUNT && bytes > big) {
			big = bytes;
			hook = i;
		}
	}
	if (total <= cap)
		return 0;
	/* Flow rows are one copy for all CPUs (bpf/maps.bpf.h), the others one per CPU. */
	if (hook == SKBSTAT_HOOK_FLOWS)
		snprintf(copies, sizeof(copies), ", one copy for all CPUs");
	else
		snprintf(copies, sizeof(copies), " x %d possible CPUs", cpus);
	fprintf(stderr, "skbstat: the BPF tables would take " MIB_FMT " (%s: %u rows x %d "
		"generations%s = " MIB_FMT "), more than the cap of " MIB_FMT
		" (--max-memory-mib %u)\n", MIB(total), names[hook], rows_limit(opts, hook),
		BPFBE_GENERATIONS, copies, MIB(big), MIB(cap), opts->max_memory_mib);
	return -E2BIG;
}

/*
 * The probes' constants (bpf/maps.bpf.h), from the tables' maps as they
 * will be (pinned ones keep their sizes), and the key of the hash: the
 * pinned tables', or a new one.
 */
static int set_table_constants(struct bpfbe_state *st)
{
	struct skbstat_bpf *skel = st->skel;
	uint32_t key = SKBSTAT_LAYOUT_HASH_SEED;
	struct bpf_map *slots, *counts;
	uint32_t per_gen;
	uint64_t seed;
	int hook;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		slots = skel_map(skel, pin_table_map(hook, PIN_TABLE_SLOTS));
		counts = skel_map(skel, pin_table_map(hook, PIN_TABLE_COUNTS));
		per_gen = bpf_map__max_entries(slots) / BPFBE_GENERATIONS;
		skel->rodata->slots_mask[hook] = per_gen - 1;
		skel->rodata->slots_shift[hook] = 64 - __builtin_ctz(per_gen);
		skel->rodata->rows_limit[hook] = bpf_map__max_entries(counts) / BPFBE_GENERATIONS;
	}
	if (st->layout >= 0) {
		if (bpf_map_lookup_elem(st->layout, &key, &seed))
			return -errno;
	} else if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
		return -errno;
	}
	skel->rodata->hash_seed = seed;
	return 0;
}

/* Opens the object with only @mode's programs, its limits, and the pinned maps if any. */
static int open_object(struct bpfbe_state *st, const struct bpfbe_options *opts,
		       const struct kprobe_targets *kt)
{
	struct bpf_program *progs[SKBSTAT_HOOK_COUNT][2], *prog;
	int hook, i, map, err;

	st->skel = skbstat_bpf__open();
	if (!st->skel) {
		err = -errno;
		fprintf(stderr, "skbstat: cannot open the BPF object: %s\n", strerror(-err));
		return err;
	}
	bpf_object__for_each_program(prog, st->skel->obj)
		bpf_program__set_autoload(prog, false);
	mode_programs(st->skel, opts->mode, progs);
	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++)
		for (i = 0; i < 2; i++)
			if (progs[hook][i])
				bpf_program__set_autoload(progs[hook][i], true);
	/* The registry's programs, whatever the mode. */
	for (i = 0; i < BPFBE_REGISTRY_HOOKS; i++)
		bpf_program__set_autoload(registry_program(st->skel, opts->mode, i), true);
	bpf_program__set_autoload(st->skel->progs.seed_devices, true);
	bpf_program__set_autoload(st->skel->progs.mark_live_netns, true);
	if (opts->mode == BPFBE_MODE_KPROBE) {
		st->skel->rodata->drop_fn_has_sk = kt->drop_fn_has_sk;
		st->skel->rodata->dev_queue_xmit_start = kt->xmit_start;
		st->skel->rodata->dev_queue_xmit_end = kt->xmit_end;
	}
	err = set_limits(st->skel, opts);
	/* Pinned tables exist already, with the limits asked for (check_limits()). */
	if (!err && *pin_map_fd(st, PIN_MAP_GENS) < 0) {
		err = check_memory_cap(st->skel, opts, st->nr_cpus);
		if (err)
			return err;
	}
	/* Counts survive a change of mode: the new programs use the pinned maps. */
	for (map = 0; !err && map < PIN_MAP_COUNT; map++)
		if (*pin_map_fd(st, map) >= 0)
			err = bpf_map__reuse_fd(skel_map(st->skel, map), *pin_map_fd(st, map));
	err = err ?: set_table_constants(st);
	if (err)
		fprintf(stderr, "skbstat: cannot set up the BPF maps: %s\n", strerror(-err));
	return err;
}

static int load_object(struct bpfbe_state *st)
{
	int err = skbstat_bpf__load(st->skel);

	if (!err)
		return 0;
	if (err == -EPERM)
		fprintf(stderr, "skbstat: loading BPF programs needs root (CAP_BPF, CAP_PERFMON "
			"and CAP_SYS_ADMIN)\n");
	else
		fprintf(stderr, "skbstat: loading the BPF programs failed: %s\n", strerror(-err));
	return err;
}

static struct bpf_link *attach_program(struct bpf_program *prog, enum bpfbe_mode mode,
				       const struct kprobe_targets *kt, int hook, bool entry)
{
	if (mode != BPFBE_MODE_KPROBE)
		return bpf_program__attach(prog);
	/* The drop probe and the entry probes run at entry, the others at return. */
	return bpf_program__attach_kprobe(prog, hook != SKBSTAT_HOOK_DROPS && !entry,
					  kt->fn[hook]);
}

/* seed_devices()'s answers (bpf/devices.bpf.h). */
enum {
	SEED_OK,
	SEED_NO_INIT_NET,
	SEED_TOO_MANY,
};

/*
 * Records the devices there before the registry's hooks were
 * attached: after them, so that no device comes or goes unseen between.
 */
static int seed_registry(struct bpfbe_state *st)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int err;

	if (bpf_prog_test_run_opts(bpf_program__fd(st->skel->progs.seed_devices), &run)) {
		err = -errno;
		fprintf(stderr, "skbstat: cannot list the network devices present: %s\n",
			strerror(-err));
		return err;
	}
	switch (run.retval) {
	case SEED_OK:
		return 0;
	case SEED_TOO_MANY:
		fprintf(stderr, "skbstat: too many network devices and namespaces to list (over "
			"a million); use the module instead\n");
		return -E2BIG;
	default:
		fprintf(stderr, "skbstat: cannot find the initial network namespace to list "
			"the network devices present (answer %u)\n", run.retval);
		return -ESRCH;
	}
}

/* The registry's hooks, then the devices already there. */
static int attach_registry(struct bpfbe_state *st, enum bpfbe_mode mode)
{
	int hook, err;

	for (hook = 0; hook < BPFBE_REGISTRY_HOOKS; hook++) {
		st->registry_links[hook] =
			bpf_program__attach(registry_program(st->skel, mode, hook));
		if (st->registry_links[hook])
			continue;
		err = -errno;
		st->registry_links[hook] = NULL;
		fprintf(stderr, "skbstat: cannot attach to qdisc:%s, which the BPF backend needs "
			"to know its network devices: %s\n", registry_events[hook], strerror(-err));
		return err;
	}
	return seed_registry(st);
}

static int attach_programs(struct bpfbe_state *st, enum bpfbe_mode mode,
			   const struct kprobe_targets *kt)
{
	static const char *const hook_names[SKBSTAT_HOOK_COUNT] = {
		[SKBSTAT_HOOK_DROPS]	= SKBSTAT_HOOK_NAME_DROPS,
		[SKBSTAT_HOOK_FLOWS]	= SKBSTAT_HOOK_NAME_FLOWS,
		[SKBSTAT_HOOK_QUEUES]	= SKBSTAT_HOOK_NAME_QUEUES,
	};
	struct bpf_program *progs[SKBSTAT_HOOK_COUNT][2];
	int hook, i, err;

	mode_programs(st->skel, mode, progs);
	/* Entry probes first: a return probe without its entry would count nothing. */
	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		for (i = 1; i >= 0; i--) {
			if (!progs[hook][i])
				continue;
			st->links[hook][i] = attach_program(progs[hook][i], mode, kt, hook, i);
			if (st->links[hook][i])
				continue;
			err = -errno;
			st->links[hook][i] = NULL;
			fprintf(stderr, "skbstat: cannot attach to %s in %s mode: %s%s\n",
				hook_names[hook], bpfbe_mode_name(mode), strerror(-err),
				mode == BPFBE_MODE_KPROBE &&
				access("/sys/bus/event_source/devices/kprobe", F_OK) ?
				" (this kernel seems to have no kprobes)" : "");
			return err;
		}
	}
	return 0;
}

/* Takes the map fds from the skeleton unless they came from the pins, and stamps them. */
static int adopt_maps(struct bpfbe_state *st)
{
	uint64_t stamp = SKBSTAT_PIN_LAYOUT, seed = st->skel->rodata->hash_seed;
	uint32_t key = SKBSTAT_LAYOUT_STAMP, seed_key = SKBSTAT_LAYOUT_HASH_SEED;
	int map, *fd;

	for (map = 0; map < PIN_MAP_COUNT; map++) {
		fd = pin_map_fd(st, map);
		if (*fd >= 0)
			continue;
		*fd = fcntl(bpf_map__fd(skel_map(st->skel, map)), F_DUPFD_CLOEXEC, 3);
		if (*fd < 0)
			return -errno;
	}
	/* This load's: it walks the namespaces with the pinned maps. */
	st->netns_live = fcntl(bpf_program__fd(st->skel->progs.mark_live_netns),
			       F_DUPFD_CLOEXEC, 3);
	if (st->netns_live < 0)
		return -errno;
	if (bpf_map_update_elem(st->layout, &seed_key, &seed, BPF_ANY))
		return -errno;
	return bpf_map_update_elem(st->layout, &key, &stamp, BPF_ANY) ? -errno : 0;
}

static int pin_all(struct bpfbe_state *st, bool maps_pinned)
{
	char path[PIN_PATH_MAX];
	int map, hook, i, err;

	err = pin_dirs_create();
	if (err)
		return err;
	for (map = 0; !maps_pinned && map < PIN_MAP_COUNT; map++) {
		if (bpf_obj_pin(*pin_map_fd(st, map), pin_map_path(path, map)))
			goto err_pin;
	}
	/* A registry pinned before belongs to hooks that are gone: replace it. */
	pin_registry_map_path(path);
	if (unlink(path) && errno != ENOENT)
		goto err_pin;
	if (bpf_obj_pin(bpf_map__fd(st->skel->maps.devices), path))
		goto err_pin;
	pin_netns_live_path(path);
	if (unlink(path) && errno != ENOENT)
		goto err_pin;
	if (bpf_obj_pin(st->netns_live, path))
		goto err_pin;
	st->pinned = true;
	for (hook = 0; hook < BPFBE_REGISTRY_HOOKS; hook++) {
		if (bpf_link__pin(st->registry_links[hook], pin_registry_link_path(path, hook)))
			goto err_pin;
	}
	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		for (i = 0; i < 2; i++) {
			if (st->links[hook][i] &&
			    bpf_link__pin(st->links[hook][i], pin_link_path(path, hook, i)))
				goto err_pin;
		}
	}
	return 0;

err_pin:
	err = -errno;
	fprintf(stderr, "skbstat: cannot pin %s: %s\n", path, strerror(-err));
	return err;
}

static void destroy_link(struct bpfbe_state *st, struct bpf_link **link)
{
	if (!*link)
		return;
	/* A pinned link must outlive us: closing is all we may do. */
	if (st->pinned)
		bpf_link__disconnect(*link);
	bpf_link__destroy(*link);
	*link = NULL;
}

void bpfbe_object_destroy_links(struct bpfbe_state *st)
{
	int hook, i;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++)
		for (i = 0; i < 2; i++)
			destroy_link(st, &st->links[hook][i]);
	/* Last: the counting programs never run without their registry. */
	for (hook = 0; hook < BPFBE_REGISTRY_HOOKS; hook++)
		destroy_link(st, &st->registry_links[hook]);
}

/*
 * Loads @opts->mode's programs into the maps @st holds (pinned ones when
 * @reuse), attaches and, with @pin, pins them.  On failure nothing of the
 * new programs stays attached or pinned; the maps stay.
 */
int bpfbe_object_attach(struct bpfbe_state *st, const struct bpfbe_options *opts, bool pin,
			   bool reuse)
{
	struct kprobe_targets kt = { 0 };
	int err;

	err = check_registry_kernel();
	if (!err && opts->mode == BPFBE_MODE_KPROBE)
		err = find_kprobe_targets(&kt);
	if (!err)
		err = open_object(st, opts, &kt);
	if (!err)
		err = load_object(st);
	if (!err)
		err = attach_registry(st, opts->mode);
	if (!err)
		err = attach_programs(st, opts->mode, &kt);
	if (!err)
		err = adopt_maps(st);
	if (!err && pin)
		err = pin_all(st, reuse);
	if (err && pin)
		pin_links_remove();
	if (err)
		st->pinned = false;	/* so that destroying the links detaches them */
	/* The kernel holds what is pinned: keep the map fds, drop the object. */
	if (err || pin) {
		bpfbe_object_destroy_links(st);
		skbstat_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	return err;
}
