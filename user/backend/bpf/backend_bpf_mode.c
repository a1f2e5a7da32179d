// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend's attach modes by name, and the row limits of its tables
 * when none is given.
 */
#include <errno.h>
#include <string.h>

#include <linux/skbstat.h>
#include <skbstat/hooks.h>

#include "backend/bpf/backend_bpf_mode.h"

static const char *const mode_names[BPF_MODE_COUNT] = {
	[BPF_MODE_TP_BTF]	= "tp_btf",
	[BPF_MODE_RAW_TP]	= "raw_tp",
	[BPF_MODE_KPROBE]	= "kprobe",
};

const char *bpf_mode_name(enum bpf_mode mode)
{
	return mode < BPF_MODE_COUNT ? mode_names[mode] : "unknown";
}

int bpf_mode_parse(const char *name, enum bpf_mode *mode)
{
	int i;

	if (!strcmp(name, "tracepoint")) {
		*mode = BPF_MODE_TP_BTF;
		return 0;
	}
	for (i = 0; i < BPF_MODE_COUNT; i++) {
		if (!strcmp(name, mode_names[i])) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

uint32_t bpf_mode_uapi(enum bpf_mode mode)
{
	return mode == BPF_MODE_KPROBE ? SKBSTAT_MODE_KPROBE : SKBSTAT_MODE_TRACEPOINT;
}

uint32_t bpf_default_rows(int hook)
{
	static const uint32_t rows[SKBSTAT_HOOK_COUNT] = {
		[SKBSTAT_HOOK_DROPS]	= SKBSTAT_DEFAULT_DROP_ROWS,
		[SKBSTAT_HOOK_FLOWS]	= SKBSTAT_DEFAULT_FLOW_ROWS,
		[SKBSTAT_HOOK_QUEUES]	= SKBSTAT_DEFAULT_QUEUE_ROWS,
	};

	return hook >= 0 && hook < SKBSTAT_HOOK_COUNT ? rows[hook] : 0;
}
