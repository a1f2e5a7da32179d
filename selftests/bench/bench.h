/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skbstat-bench: what is attached while a workload runs (a configuration),
 * and the workloads themselves.  Lab use: the configurations load modules
 * and BPF programs and start bpftrace, so they need root.
 */
#ifndef SKBSTAT_BENCH_H
#define SKBSTAT_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct bpf_object;
struct bpf_link;
struct bpfbe_bench;

enum bench_hook {
	BENCH_DROPS,		/* skb:kfree_skb */
	BENCH_QUEUES,		/* net:net_dev_queue */
	BENCH_FLOWS,		/* tcp:tcp_retransmit_skb, its probes run by the trigger */

	BENCH_HOOK_COUNT
};

enum bench_kind {
	BENCH_NOTHING,		/* the baseline */
	BENCH_KMOD,		/* skbstat.ko */
	BENCH_KMOD_FLOOR,	/* skbstat_bench_floor.ko: empty probes */
	BENCH_BPF,		/* skbstat's BPF backend */
	BENCH_BPF_PART,		/* one of the bench's own BPF objects (object) */
	BENCH_BPFTRACE,		/* bpftrace counting the same keys */
	BENCH_DROP_MONITOR,	/* the kernel's drop_monitor, summary mode */
};

struct bench_config {
	const char *name;
	enum bench_kind kind;
	const char *mode;	/* attach mode of the kind; NULL where it has one way */
	const char *floor;	/* the configuration it is compared with, or NULL */
	unsigned int hooks;	/* 1 << enum bench_hook: where it has probes */
	bool scale;		/* measured with larger drops tables too */
	const char *object;	/* BENCH_BPF_PART: its file in bench_env.bpf_dir */
};

/* Where the lab-only pieces are. */
struct bench_env {
	const char *module;		/* skbstat.ko */
	const char *floor_module;	/* skbstat_bench_floor.ko */
	const char *bpf_dir;		/* floor.bpf.o and the other parts */
	uint32_t drop_rows;		/* row limit of the drops table; 0: default */
};

/* What a configuration holds while it is set up. */
struct bench_live {
	const struct bench_config *config;
	const char *module_name;	/* loaded module, to unload */
	struct bpfbe_bench *bpf;	/* the BPF backend (bench_iface.h) */
	struct bpf_object *obj;
	struct bpf_link *links[4];
	int nr_links;
	pid_t pid;			/* bpftrace */
	int out_fd;			/* its stdout, open until it exits */
};

/* Set up @config; on error nothing of it is left.  Returns 0 or -errno. */
int bench_setup(struct bench_live *live, const struct bench_config *config,
		const struct bench_env *env, bool pin);
void bench_teardown(struct bench_live *live);

/* Is @path a readable file?  Says what is missing otherwise. */
int bench_check_file(const char *what, const char *path);

enum bench_workload_kind {
	BENCH_WORKLOAD_TRIGGER,	/* skbstat_bench_trigger.ko, in the lab VM */
	BENCH_WORKLOAD_UDP,	/* UDP that nftables drops on output, here */
};

struct bench_workload {
	enum bench_workload_kind kind;
	const char *dir;	/* trigger: its debugfs directory */
	int sock;		/* udp: socket in the drop namespace */
};

int bench_workload_open(struct bench_workload *w, enum bench_workload_kind kind,
			const char *dir, const char *netns);
void bench_workload_close(struct bench_workload *w);

/* Can @w make events of @hook, over @keys distinct drop keys? */
bool bench_workload_can(const struct bench_workload *w, enum bench_hook hook, uint32_t keys);

/* Make @events events of @hook cycling through @keys keys; *ns: how long it took. */
int bench_workload_run(struct bench_workload *w, enum bench_hook hook, uint64_t events,
		       uint32_t keys, uint64_t *ns);

/* Now, CLOCK_MONOTONIC, in ns. */
uint64_t bench_now_ns(void);

#endif /* SKBSTAT_BENCH_H */
