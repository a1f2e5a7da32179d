/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF backend's attach modes, and its tables' row limits when none is
 * given; see backend_bpf_mode.c.
 */
#ifndef SKBSTAT_BACKEND_BPF_MODE_H
#define SKBSTAT_BACKEND_BPF_MODE_H

#include <stdint.h>

enum bpfbe_mode {
	BPFBE_MODE_TP_BTF,
	BPFBE_MODE_RAW_TP,
	BPFBE_MODE_KPROBE,

	BPFBE_MODE_COUNT
};

/* "tp_btf", "raw_tp", "kprobe". */
const char *bpfbe_mode_name(enum bpfbe_mode mode);
/* Also takes the module's names: "tracepoint" is tp_btf.  -EINVAL if unknown. */
int bpfbe_mode_parse(const char *name, enum bpfbe_mode *mode);
/* SKBSTAT_MODE_TRACEPOINT or SKBSTAT_MODE_KPROBE, for the common status. */
uint32_t bpfbe_mode_uapi(enum bpfbe_mode mode);

/* The row limit of @hook's table when none is given. */
uint32_t bpfbe_default_rows(int hook);

#endif /* SKBSTAT_BACKEND_BPF_MODE_H */
