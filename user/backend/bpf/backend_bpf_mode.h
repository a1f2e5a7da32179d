/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF backend's attach modes, and its tables' row limits when none is
 * given; see backend_bpf_mode.c.
 */
#ifndef SKBSTAT_BACKEND_BPF_MODE_H
#define SKBSTAT_BACKEND_BPF_MODE_H

#include <stdint.h>

enum bpf_mode {
	BPF_MODE_TP_BTF,
	BPF_MODE_RAW_TP,
	BPF_MODE_KPROBE,

	BPF_MODE_COUNT
};

/* "tp_btf", "raw_tp", "kprobe". */
const char *bpf_mode_name(enum bpf_mode mode);
/* Also takes the module's names: "tracepoint" is tp_btf.  -EINVAL if unknown. */
int bpf_mode_parse(const char *name, enum bpf_mode *mode);
/* SKBSTAT_MODE_TRACEPOINT or SKBSTAT_MODE_KPROBE, for the common status. */
uint32_t bpf_mode_uapi(enum bpf_mode mode);

/* The row limit of @hook's table when none is given. */
uint32_t bpf_default_rows(int hook);

#endif /* SKBSTAT_BACKEND_BPF_MODE_H */
