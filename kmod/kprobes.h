/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hooks' kprobe modes share: registering fresh probes and telling
 * where a function's text lies.
 */
#ifndef _SKBSTAT_KMOD_KPROBES_H
#define _SKBSTAT_KMOD_KPROBES_H

#include <linux/kprobes.h>
#include <linux/ptrace.h>

/* The caller's return address, read at function entry (x86-64: top of stack). */
static inline unsigned long skbstat_entry_return_address(struct pt_regs *regs)
{
	return regs_get_kernel_stack_nth(regs, 0);
}

int skbstat_kprobe_attach(struct kprobe **kp, const struct kprobe *template);
void skbstat_kprobe_detach(struct kprobe **kp);
int skbstat_kretprobe_attach(struct kretprobe **rp, const struct kretprobe *template);
void skbstat_kretprobe_detach(struct kretprobe **rp);
int skbstat_function_range(const char *name, unsigned long *start, unsigned long *end);
u64 skbstat_kprobe_missed(const struct kprobe *kp);
u64 skbstat_kretprobe_missed(const struct kretprobe *rp);

#endif /* _SKBSTAT_KMOD_KPROBES_H */
