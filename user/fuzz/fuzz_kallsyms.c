// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kallsyms and /proc/modules as the BPF backend reads them
 * (backend/bpf/kallsyms.c), then the lookups that name drop locations and
 * find the kprobe mode's functions.  The input is the kallsyms text, then
 * a NUL byte and the modules text; the kernel's format is the seed, not a
 * promise: a kernel of another release or an LSM may show other lines.
 */
#include <stdint.h>
#include <stdio.h>

#include "backend/bpf/kallsyms.h"
#include "fuzz/fuzz.h"

/* Symbolize around every symbol: its start, inside it, just before it. */
static void lookups(const struct kallsyms *ks)
{
	char buf[64];
	uint64_t start, end;
	size_t i;

	for (i = 0; i < ks->nr && i < 64; i++) {
		kallsyms_symbolize(ks, ks->syms[i].addr, buf, sizeof(buf));
		kallsyms_symbolize(ks, ks->syms[i].addr + 1, buf, sizeof(buf));
		kallsyms_symbolize(ks, ks->syms[i].addr - 1, buf, sizeof(buf));
		if (!kallsyms_function_range(ks, ks->syms[i].name, &start, &end) && end < start)
			abort();
	}
	kallsyms_symbolize(ks, 0, buf, sizeof(buf));
	kallsyms_symbolize(ks, UINT64_MAX, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t text_len = nul ? (size_t)(nul - data) : size;
	struct kallsyms *ks;
	FILE *f;

	f = fmemopen((void *)data, text_len, "r");
	if (!f)
		return 0;	/* fmemopen() takes no empty buffer */
	if (kallsyms_read(f, &ks)) {
		fclose(f);
		return 0;
	}
	fclose(f);
	if (nul && size - text_len > 1) {
		f = fmemopen((void *)(nul + 1), size - text_len - 1, "r");
		if (!f)
			abort();
		kallsyms_read_modules(f, ks);
		fclose(f);
	}
	lookups(ks);
	kallsyms_free(ks);
	return 0;
}
