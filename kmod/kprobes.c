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

/* Finds a function's text range: a kprobe resolves it, kallsyms sizes it. */
int skbstat_function_range(const char *name, unsigned long *start, unsigned long *end)
{
	struct kprobe kp = { .symbol_name = name };
	char sym[KSYM_SYMBOL_LEN], *size;
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	*start = (unsigned long)kp.addr - kp.offset;
	unregister_kprobe(&kp);

	sprint_symbol(sym, *start);
	size = strchr(sym, '/');
	if (!size || kstrtoul(strsep(&size, " ") + 1, 16, end))
		return -ENOENT;
	*end += *start;
	return 0;
}
