/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/backend/bpf/: the BPF backend (backend_bpf.c): this loader, its
 * attach modes, the objects it loads, its pins, state, tables, the caller's
 * netns, the hooks' info, drop reason names from BTF, kallsyms, and
 * bench_iface.h, the part skbstat-bench may use.
 *
 * The BPF backend's life cycle: load and attach its programs in one attach
 * mode, pin them under /sys/fs/bpf/skbstat/ (backend_bpf_state.h) so they
 * count on after the CLI exits, find them again from a later process, and
 * detach.
 */
#ifndef SKBSTAT_BPF_LOADER_H
#define SKBSTAT_BPF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/bpf/backend_bpf_state.h"

/*
 * Load and attach every hook as @opts says.  With @pin, pin the maps and
 * links (the state then outlives the process), reusing maps already
 * pinned so counts survive a change of mode; attaching again in the mode
 * already pinned does nothing.  Without @pin, counting stops at close.
 */
int bpfbe_state_attach(struct bpfbe_state *st, const struct bpfbe_options *opts, bool pin);

/* True when this kernel can run the BPF backend at all (it has BTF). */
bool bpfbe_possible(void);

/*
 * Open the pinned state; silently -ENODEV when nothing is pinned,
 * -EMEDIUMTYPE when there is no BPF filesystem to look in.
 */
int bpfbe_state_open_pinned(struct bpfbe_state *st);

/*
 * For a state opened from the pins and kept open (skbstat serve, top):
 * 0 while its maps are still the pinned ones, -ESTALE once a detach (and
 * perhaps a new attach) left them counting nothing; reopen then.  The
 * caller holds the lock, shared at least.
 */
int bpfbe_state_check_pinned(const struct bpfbe_state *st);

/* Detach every hook and unpin everything; the maps go with the last user. */
int bpfbe_state_detach(struct bpfbe_state *st);

void bpfbe_state_close(struct bpfbe_state *st);

/*
 * Wait (up to 5 s) until the kernel has freed the programs with these ids,
 * which it does RCU grace periods after their last link went; false if not.
 */
bool bpfbe_wait_programs_freed(const uint32_t *ids, size_t nr);

/* Serialise attach, detach and reset between processes; -errno or a lock fd. */
int bpfbe_state_lock(void);
/* The same, or -EWOULDBLOCK (said nothing) when another process holds it. */
int bpfbe_state_trylock(void);
/* Readers: never half of a reset or of a retirement. */
int bpfbe_state_lock_shared(void);
void bpfbe_state_unlock(int lock_fd);

#endif /* SKBSTAT_BPF_LOADER_H */
