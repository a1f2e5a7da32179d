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

static const char *const mode_names[BPFBE_MODE_COUNT] = {
	[BPFBE_MODE_TP_BTF]	= "tp_btf",
	[BPFBE_MODE_RAW_TP]	= "raw_tp",
	[BPFBE_MODE_KPROBE]	= "kprobe",
};

const char *bpfbe_mode_name(enum bpfbe_mode mode)
{
	return mode < BPFBE_MODE_COUNT ? mode_names[mode] : "unknown";
}

int bpfbe_mode_parse(const char *name, enum bpfbe_mode *mode)
{
	int i;

	if (!strcmp(name, "tracepoint")) {
		*mode = BPFBE_MODE_TP_BTF;
		return 0;
	}
	for (i = 0; i < BPFBE_MODE_COUNT; i++) {
		if (!strcmp(name, mode_names[i])) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

uint32_t bpfbe_mode_uapi(enum bpfbe_mode mode)
{
	return mode == BPFBE_MODE_KPROBE ? SKBSTAT_MODE_KPROBE : SKBSTAT_MODE_TRACEPOINT;
}

uint32_t bpfbe_default_rows(int hook)
{
	static const uint32_t rows[SKBSTAT_HOOK_COUNT] = {
		[SKBSTAT_HOOK_DROPS]	= SKBSTAT_DEFAULT_DROP_ROWS,
		[SKBSTAT_HOOK_FLOWS]	= SKBSTAT_DEFAULT_FLOW_ROWS,
		[SKBSTAT_HOOK_QUEUES]	= SKBSTAT_DEFAULT_QUEUE_ROWS,
	};

	return hook >= 0 && hook < SKBSTAT_HOOK_COUNT ? rows[hook] : 0;
}
