/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF backend as skbstat-bench (selftests/bench/) drives it: all the
 * benchmark may touch of the backend besides backend/backend.h.  It attaches
 * the backend in one mode as 'skbstat attach' (pinned) or 'skbstat top'
 * (for as long as it is open) would, fills the drops table with rows for a
 * dump, and takes it all away again.  skbstat itself never calls these;
 * they exist so that the benchmark does not reach into the loader's state.
 */
#ifndef SKBSTAT_BENCH_IFACE_H
#define SKBSTAT_BENCH_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpfbe_bench;

/*
 * Attach every hook in @mode ("tp_btf", "raw_tp", "kprobe", or the
 * module's "tracepoint"), the drops table limited to @drop_rows (0: the
 * default).  With @pin, maps and links are pinned as by 'skbstat attach';
 * without, counting stops at bpfbe_bench_detach().  Returns 0 or -errno
 * (after saying why, but for an unknown @mode: -EINVAL).
 */
int bpfbe_bench_attach(const char *mode, uint32_t drop_rows, bool pin,
		       struct bpfbe_bench **bench);

/*
 * Detach what bpfbe_bench_attach() attached, and wait until the kernel has
 * freed its programs, so the next measurement runs none of them; frees
 * @bench.
 */
void bpfbe_bench_detach(struct bpfbe_bench *bench);

/*
 * Copies the one drop row the probes made into @rows - 1 more, of
 * protocols @proto_base + 1 and up, each with one packet: straight into
 * the table, as a probe makes a row.
 */
int bpfbe_bench_drops_fill(const struct bpfbe_bench *bench, size_t rows, uint16_t proto_base);

/*
 * Wait (up to 5 s) until the kernel has freed the programs with these ids,
 * which it does RCU grace periods after their last link went; false if not.
 * The same as bpf_loader.h's, for programs the benchmark loads itself.
 */
bool bpfbe_wait_programs_freed(const uint32_t *ids, size_t nr);

#endif /* SKBSTAT_BENCH_IFACE_H */
