// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's BTF as the drop-reason names are read from it
 * (backend/bpf/btf_reasons.c): the input is a BTF blob, as
 * /sys/kernel/btf/vmlinux holds one, parsed by libbpf's btf__new(); the
 * enum skb_drop_reason it may hold (enum or enum64) fills a snapshot's
 * reason table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "backend/bpf/btf_reasons.h"
#include "model/snapshot.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct skbstat_snapshot snap;
	struct btf *btf;
	size_t i;

	libbpf_set_print(quiet);
	btf = btf__new(data, size);
	if (!btf)
		return 0;
	snapshot_init(&snap);
	bpfbe_btf_reasons_add(btf, &snap);
	for (i = 0; i < snap.nr_reasons; i++)
		if (snapshot_reason_name(&snap, snap.reasons[i].id) == NULL)
			abort();
	snapshot_free(&snap);
	btf__free(btf);
	return 0;
}
