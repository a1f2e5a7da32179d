/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel text symbols from /proc/kallsyms, to name drop locations exactly
 * as the module's %pS does ("func+0x1a2", "func+0x1a2 [module]") and to
 * find the functions the kprobe mode needs.
 */
#ifndef SKBSTAT_KALLSYMS_H
#define SKBSTAT_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ksym {
	uint64_t addr;
	const char *name;
	const char *module;		/* NULL for the kernel itself */
	size_t order;			/* line in the file: the first alias wins */
};

/* A loaded module's core (its text first), from /proc/modules. */
struct kmodule {
	char name[64];
	uint64_t base;
	uint64_t size;
};

struct kallsyms {
	struct ksym *syms;		/* sorted by address, then by order */
	size_t nr;
	struct kmodule *modules;	/* where each module's symbols end */
	size_t nr_modules;
	uint64_t text_end;		/* _etext, 0 when unknown */
	uint64_t inittext_end;		/* _einittext, 0 when unknown */
	char *text;			/* the file; names point into it */
};

/*
 * Read the text symbols of @f (in /proc/kallsyms format).  Returns -EPERM
 * when every address is zero, as the kernel shows them to a reader it
 * does not trust (kernel.kptr_restrict).
 */
int kallsyms_read(FILE *f, struct kallsyms **out);

/*
 * The modules of @f (in /proc/modules format): a module's symbol then
 * names only addresses inside that module, not the text of a module
 * loaded after @ks was read, which lies past it.
 */
int kallsyms_read_modules(FILE *f, struct kallsyms *ks);

/*
 * kallsyms_read() of /proc/kallsyms and /proc/modules.  -EPERM, quietly,
 * when the kernel hides every address (kernel.kptr_restrict=2, or 1
 * without CAP_SYSLOG); other failures are explained on stderr.
 */
int kallsyms_load(struct kallsyms **out);
void kallsyms_free(struct kallsyms *ks);

/* The symbol containing @addr, NULL when there is none. */
const struct ksym *kallsyms_lookup(const struct kallsyms *ks, uint64_t addr);

/*
 * Writes "func+0xoff", "func+0xoff [module]", or "0x<addr>" when no symbol
 * holds @addr (as %pS does), or "?" when @ks is NULL (the kernel hides its
 * addresses); returns the length snprintf() would need.
 */
int kallsyms_symbolize(const struct kallsyms *ks, uint64_t addr, char *buf, size_t len);

/*
 * The address range of the kernel function @name: from its address up to
 * the next symbol's.  -ENOENT when there is no such function.
 */
int kallsyms_function_range(const struct kallsyms *ks, const char *name,
			    uint64_t *start, uint64_t *end);

#endif /* SKBSTAT_KALLSYMS_H */
