/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel says about the BPF backend's hooks; see backend_bpf_info.c.
 */
#ifndef SKBSTAT_BACKEND_BPF_INFO_H
#define SKBSTAT_BACKEND_BPF_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/bpf/backend_bpf_state.h"

struct bpfbe_hook_info {
	bool attached;
	enum bpfbe_mode mode;
	uint32_t limit;			/* row limit of the table */
	/*
	 * Runs the kernel skipped because the program was already running on
	 * that CPU (an interrupt nested into it): events lost to recursion
	 * protection.  Kernels before 6.7 count none for kprobes.
	 */
	uint64_t recursion_misses;
};

int bpfbe_state_hook_info(const struct bpfbe_state *st, int hook, struct bpfbe_hook_info *info);

/*
 * The most programs attached at once: a counting and an entry probe per
 * hook, and the registry's hooks.
 */
#define BPFBE_MAX_PROGS		(2 * SKBSTAT_HOOK_COUNT + BPFBE_REGISTRY_HOOKS)

/* The ids of the programs behind the pinned links. */
size_t bpfbe_pinned_prog_ids(uint32_t ids[BPFBE_MAX_PROGS]);

#endif /* SKBSTAT_BACKEND_BPF_INFO_H */
