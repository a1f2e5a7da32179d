// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend as skbstat-bench drives it; see bench_iface.h.  Only the
 * benchmark links this file: skbstat calls none of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "skbstat.skel.h"
#include "backend/bpf/backend_bpf_tables.h"
#include "backend/bpf/bench_iface.h"
#include "backend/bpf/bpf_loader.h"

/* Programs of the object, loaded or not, whose freeing a detach waits for. */
#define BENCH_MAX_PROGS		16

struct bpfbe_bench {
	struct bpfbe_state st;
	bool pin;
};

int bpfbe_bench_attach(const char *mode, uint32_t drop_rows, bool pin,
		       struct bpfbe_bench **bench)
{
	struct bpfbe_options opts = { 0 };
	struct bpfbe_bench *b;
	int err;

	err = bpfbe_mode_parse(mode, &opts.mode);
	if (err)
		return err;
	opts.rows[SKBSTAT_HOOK_DROPS] = drop_rows;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	err = bpfbe_state_attach(&b->st, &opts, pin);
	if (err) {
		free(b);
		return err;
	}
	b->pin = pin;
	*bench = b;
	return 0;
}

/* The ids of the programs this process loaded, before they go. */
static size_t loaded_prog_ids(const struct bpfbe_state *st, uint32_t ids[BENCH_MAX_PROGS])
{
	struct bpf_prog_info info;
	struct bpf_program *prog;
	size_t nr = 0;
	__u32 len;
	int fd;

	bpf_object__for_each_program(prog, st->skel->obj) {
		fd = bpf_program__fd(prog);
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (fd >= 0 && nr < BENCH_MAX_PROGS && !bpf_obj_get_info_by_fd(fd, &info, &len))
			ids[nr++] = info.id;
	}
	return nr;
}

void bpfbe_bench_detach(struct bpfbe_bench *b)
{
	uint32_t ids[BENCH_MAX_PROGS];
	size_t nr;

	/* A pinned detach waits itself; an unpinned one is done here. */
	if (b->pin || !b->st.skel) {
		if (b->pin)
			bpfbe_state_detach(&b->st);
		bpfbe_state_close(&b->st);
	} else {
		nr = loaded_prog_ids(&b->st, ids);
		bpfbe_state_close(&b->st);
		if (!bpfbe_wait_programs_freed(ids, nr))
			fprintf(stderr, "skbstat-bench: BPF programs still loaded after detaching\n");
	}
	free(b);
}

int bpfbe_bench_drops_fill(const struct bpfbe_bench *b, size_t rows, uint16_t proto_base)
{
	struct bpfbe_drop_row *have = NULL;
	struct skbstat_drop_val *vals;
	struct skbstat_drop_key key;
	int lock, err;
	size_t nr, i;
	uint32_t gen;

	/* As a reset would: none clears the generation while a row is made. */
	lock = bpfbe_state_lock();
	if (lock < 0)
		return lock;
	err = bpfbe_table_generation(&b->st, SKBSTAT_HOOK_DROPS, &gen);
	err = err ?: bpfbe_table_read(&b->st, SKBSTAT_HOOK_DROPS, gen, false, (void **)&have, &nr);
	if (!err && !nr)
		err = -ENOENT;
	if (!err)
		key = have[0].key;
	free(have);
	vals = err ? NULL : calloc(b->st.nr_cpus, sizeof(*vals));
	if (!err && !vals)
		err = -ENOMEM;
	if (vals)
		vals[0].packets = 1;
	for (i = 1; !err && i < rows; i++) {
		key.proto = proto_base + i;
		err = bpfbe_table_insert(&b->st, SKBSTAT_HOOK_DROPS, &key, vals);
	}
	free(vals);
	bpfbe_state_unlock(lock);
	return err;
}
