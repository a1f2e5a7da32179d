// SPDX-License-Identifier: GPL-2.0
/*
 * What the hooks' kprobe modes share.  Each hook's own probes, and why they
 * count exactly what its tracepoint would, are in its hook_*.c.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "kprobes.h"

/*
 * Each attach registers a fresh copy of the template: a kprobe or kretprobe
 * keeps state from its last registration that a new one must not inherit.
 */
int skbstat_kprobe_attach(struct kprobe **kp, const struct kprobe *template)
{
	int err;

	*kp = kmemdup(template, sizeof(*template), GFP_KERNEL);
	if (!*kp)
		return -ENOMEM;
	err = register_kprobe(*kp);
	if (err) {
		kfree(*kp);
		*kp = NULL;
	}
	return err;
}

void skbstat_kprobe_detach(struct kprobe **kp)
{
	if (!*kp)
		return;
	unregister_kprobe(*kp);
	kfree(*kp);
	*kp = NULL;
}

int skbstat_kretprobe_attach(struct kretprobe **rp, const struct kretprobe *template)
{
	int err;

	*rp = kmemdup(template, sizeof(*template), GFP_KERNEL);
	if (!*rp)
		return -ENOMEM;
	err = register_kretprobe(*rp);
	if (err) {
		kfree(*rp);
		*rp = NULL;
	}
	return err;
}

void skbstat_kretprobe_detach(struct kretprobe **rp)
{
	if (!*rp)
		return;
	unregister_kretprobe(*rp);
	kfree(*rp);
	*rp = NULL;
}

/*
 * Finds a function's text range: a kprobe resolves the name, kallsyms gives
 * the offset of the probed address (past an ENDBR where the arch moved it)
 * and the size: "name+0xoff/0xsize".
 */
int skbstat_function_range(const char *name, unsigned long *start, unsigned long *end)
{
	struct kprobe kp = { .symbol_name = name };
	char sym[KSYM_SYMBOL_LEN], *off, *size;
	unsigned long addr, offset;
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	sprint_symbol(sym, addr);
	off = strchr(sym, '+');
	size = strchr(sym, '/');
	if (!off || !size)
		return -ENOENT;
	*size++ = '\0';
	size = strsep(&size, " ");
	if (kstrtoul(off + 1, 16, &offset) || kstrtoul(size, 16, end))
		return -ENOENT;
	*start = addr - offset;
	*end += *start;
	return 0;
}

/* Hits the kernel skipped: one kprobe hit while another ran on the CPU. */
u64 skbstat_kprobe_missed(const struct kprobe *kp)
{
	return kp ? READ_ONCE(kp->nmissed) : 0;
}

/* And for a return probe, also calls it found no free instance for. */
u64 skbstat_kretprobe_missed(const struct kretprobe *rp)
{
	return rp ? READ_ONCE(rp->nmissed) + READ_ONCE(rp->kp.nmissed) : 0;
}
