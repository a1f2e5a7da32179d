/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/backend/: this interface and choosing a backend (backend.c), the
 * check before changing the whole machine (machine_wide.c); each backend in
 * its folder, kmod/ and bpf/.
 *
 * A backend reads the kernel's counters into a neutral snapshot.  It never
 * prints results; it prints only diagnostics about its own failures.
 */
#ifndef SKBSTAT_BACKEND_H
#define SKBSTAT_BACKEND_H

#include <stdbool.h>

#include <stdint.h>
#include <linux/skbstat.h>

#include "model/snapshot.h"

struct backend;

/* What skbstat attach asks for. */
struct attach_request {
	const char *mode;			/* NULL: the backend's default */
	uint32_t rows[SKBSTAT_HOOK_COUNT];	/* row limits; 0: keep the default */
	uint32_t max_memory_mib;		/* the tables' memory cap; 0: the default */
};

struct backend_ops {
	const char *name;		/* as given to -b: "kmod" */
	const char *description;	/* for status: "skbstat module" */
	/* Printed when open() finds the backend unavailable on this machine. */
	const char *how_to_enable;

	/*
	 * Returns -ENODEV, silently, when the backend cannot work here (the
	 * module is not loaded), so "auto" can try the next one.  Any other
	 * error is reported by the backend itself.
	 */
	int (*open)(struct backend *be);
	void (*close)(struct backend *be);

	int (*get_status)(struct backend *be, struct skbstat_status *status);
	/* Append the rows to the snapshot. */
	int (*get_drops)(struct backend *be, struct skbstat_snapshot *snap);
	int (*get_flows)(struct backend *be, struct skbstat_snapshot *snap);
	int (*get_queues)(struct backend *be, struct skbstat_snapshot *snap);
	/* Fill the snapshot's reason id -> name table from the running kernel. */
	int (*get_reasons)(struct backend *be, struct skbstat_snapshot *snap);

	/* Zero the rows and totals of one hook (enum skbstat_hook_id), or all for -1. */
	int (*reset)(struct backend *be, int hook);
	/*
	 * Attach every hook in @mode (enum skbstat_attach_mode; the BPF backend
	 * also takes its own modes, see backend/bpf/backend_bpf_mode.h) so
	 * counting goes on after the CLI exits; detach stops it.  kmod:
	 * SET_CONFIG; bpf: pinned links.
	 * @req->mode NULL: the backend's default (kmod: each hook's current
	 * mode).  @req->rows: row limits where not 0 (BPF only; the module's
	 * are module parameters), refused when the tables would take more than
	 * @req->max_memory_mib (BPF only too).  Returns -EINVAL, after saying so, only for
	 * a request it cannot take: the CLI exits with a usage error for it.
	 */
	int (*attach)(struct backend *be, const struct attach_request *req);
	int (*detach)(struct backend *be);

	/*
	 * Optional, for live views (skbstat top): attach the hooks that are
	 * detached for as long as @be is open, so that close() (or the CLI's
	 * exit) detaches them again; hooks attached for good stay as they are.
	 * Returns 0, or -errno after saying why.  NULL: the backend has no such
	 * thing, and top shows which hooks are detached.  The BPF backend
	 * attaches unpinned links here when nothing is pinned; the module
	 * counts from load on and needs none.
	 */
	int (*attach_while_open)(struct backend *be);
};

struct backend {
	const struct backend_ops *ops;
	void *priv;
};

#define BACKEND_AUTO	"auto"

/* True for "auto" and every backend name, built or not. */
bool backend_name_known(const char *name);

/* The names -b accepts, for messages. */
const char *backend_names(void);

/*
 * Open the backend called @name, or for "auto" the first available one.
 * Prints what the user can do when none is available.
 */
int backend_open(struct backend *be, const char *name);
void backend_close(struct backend *be);

/* What backend_read() reads. */
enum backend_table {
	BACKEND_STATUS	= 1 << 0,
	BACKEND_DROPS	= 1 << 1,	/* and, asked to, the drop reason names */
	BACKEND_FLOWS	= 1 << 2,
	BACKEND_QUEUES	= 1 << 3,
	BACKEND_ALL	= BACKEND_STATUS | BACKEND_DROPS | BACKEND_FLOWS | BACKEND_QUEUES,
};

/*
 * Read @tables (enum backend_table; other bits are ignored) into @snap from
 * the open backend, the reason names too when @names (they change only
 * with the kernel, so a loop reads them once).
 */
int backend_read(struct backend *be, unsigned int tables, bool names,
		 struct skbstat_snapshot *snap);

/*
 * Attaching, detaching, switching modes and resizing change the whole
 * machine: 0 in the initial user namespace, else -EPERM after saying that
 * @what needs it.  A container's root never does them, with either backend
 * (the module checks again in the kernel; BPF has only this check where a
 * container sees the host's BPF filesystem).
 */
int backend_check_machine_wide(const char *what);

extern const struct backend_ops backend_kmod_ops;
extern const struct backend_ops backend_bpf_ops;

#endif /* SKBSTAT_BACKEND_H */
