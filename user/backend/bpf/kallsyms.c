// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kallsyms, read once and sorted, to symbolize kernel addresses the
 * way the kernel's %pS does, minus the "/0xsize" that kallsyms cannot tell.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/bpf/kallsyms.h"

#define KALLSYMS_PATH	"/proc/kallsyms"
#define MODULES_PATH	"/proc/modules"

/* Reads all of @f into a NUL-terminated buffer; its size is unknown in /proc. */
static int slurp(FILE *f, char **out)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = malloc(cap), *grown;
	size_t n;

	if (!buf)
		return -ENOMEM;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len > 1)
			continue;
		grown = realloc(buf, cap * 2);
		if (!grown)
			goto err_free_buf;
		buf = grown;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;

err_free_buf:
	free(buf);
	return -ENOMEM;
}

/* Functions only: text symbols, local or global, weak or not. */
static bool is_text_type(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static int add_sym(struct kallsyms *ks, size_t *cap, const struct ksym *sym)
{
	struct ksym *grown;

	if (ks->nr == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		grown = reallocarray(ks->syms, *cap, sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		ks->syms = grown;
	}
	ks->syms[ks->nr++] = *sym;
	return 0;
}

/*
 * Parses "ffffffff81000000 T _stext" or "... t func\t[module]" in place.
 * Returns 1 for a text symbol in @sym, 0 for a line to skip.
 */
static int parse_line(char *line, struct ksym *sym, char *type)
{
	char *end, *name, *module;

	sym->addr = strtoull(line, &end, 16);
	if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
		return 0;
	*type = end[1];
	name = end + 3;
	module = strchr(name, '\t');
	if (module) {
		*module++ = '\0';
		if (*module == '[')
			module++;
		module[strcspn(module, "]")] = '\0';
	}
	sym->name = name;
	sym->module = module;
	return 1;
}

static int compare_syms(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int parse_text(struct kallsyms *ks)
{
	char *line = ks->text, *next, type;
	bool any_address = false;
	struct ksym sym;
	size_t cap = 0;
	int err;

	for (; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!parse_line(line, &sym, &type))
			continue;
		if (sym.addr)
			any_address = true;
		if (!sym.module && !strcmp(sym.name, "_etext"))
			ks->text_end = sym.addr;
		if (!sym.module && !strcmp(sym.name, "_einittext"))
			ks->inittext_end = sym.addr;
		if (!is_text_type(type))
			continue;
		sym.order = ks->nr;
		err = add_sym(ks, &cap, &sym);
		if (err)
			return err;
	}
	if (!any_address)
		return -EPERM;
	/* No text symbol at all leaves syms NULL, which qsort() must not get. */
	if (ks->nr)
		qsort(ks->syms, ks->nr, sizeof(*ks->syms), compare_syms);
	return 0;
}

int kallsyms_read(FILE *f, struct kallsyms **out)
{
	struct kallsyms *ks = calloc(1, sizeof(*ks));
	int err;

	if (!ks)
		return -ENOMEM;
	err = slurp(f, &ks->text);
	if (!err)
		err = parse_text(ks);
	if (err) {
		kallsyms_free(ks);
		return err;
	}
	*out = ks;
	return 0;
}

static int compare_modules(const void *a, const void *b)
{
	const struct kmodule *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* "name size refcount deps state 0xaddress [taints]" per line. */
int kallsyms_read_modules(FILE *f, struct kallsyms *ks)
{
	unsigned long long size, base;
	char line[4096], name[64];
	struct kmodule *grown;
	size_t cap = 0;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu %*s %*s %*s %llx", name, &size, &base) != 3 || !base)
			continue;
		if (ks->nr_modules == cap) {
			cap = cap ? cap * 2 : 64;
			grown = reallocarray(ks->modules, cap, sizeof(*grown));
			if (!grown)
				return -ENOMEM;
			ks->modules = grown;
		}
		grown = &ks->modules[ks->nr_modules++];
		snprintf(grown->name, sizeof(grown->name), "%s", name);
		grown->base = base;
		grown->size = size;
	}
	/* As for the symbols: no module leaves the array NULL. */
	if (ks->nr_modules)
		qsort(ks->modules, ks->nr_modules, sizeof(*ks->modules), compare_modules);
	return ferror(f) ? -EIO : 0;
}

int kallsyms_load(struct kallsyms **out)
{
	FILE *f = fopen(KALLSYMS_PATH, "re");
	int err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "skbstat: cannot open %s: %s\n", KALLSYMS_PATH, strerror(-err));
		return err;
	}
	err = kallsyms_read(f, out);
	fclose(f);
	if (err) {
		if (err != -EPERM)
			fprintf(stderr, "skbstat: reading %s failed: %s\n", KALLSYMS_PATH,
				strerror(-err));
		return err;
	}
	/* Without it (no modules here), a module's last symbol runs on as before. */
	f = fopen(MODULES_PATH, "re");
	if (f) {
		err = kallsyms_read_modules(f, *out);
		fclose(f);
	}
	if (err) {
		kallsyms_free(*out);
		*out = NULL;
	}
	return err;
}

void kallsyms_free(struct kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->modules);
	free(ks->text);
	free(ks);
}

/* Index of the first symbol at an address above @addr. */
static size_t upper_bound(const struct kallsyms *ks, uint64_t addr)
{
	size_t lo = 0, hi = ks->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The kernel names only addresses inside its text (or init text) by its own
 * symbols; past their ends, in the module area, lies what no symbol holds.
 */
static bool kernel_holds(const struct kallsyms *ks, const struct ksym *sym, uint64_t addr)
{
	size_t i;

	if (sym->module) {
		/* BPF programs and the like have no entry in /proc/modules. */
		for (i = 0; i < ks->nr_modules; i++)
			if (!strcmp(ks->modules[i].name, sym->module))
				return addr - ks->modules[i].base < ks->modules[i].size;
		return true;
	}
	if (ks->text_end && sym->addr < ks->text_end)
		return addr < ks->text_end;
	if (ks->inittext_end)
		return addr < ks->inittext_end;
	return true;
}

const struct ksym *kallsyms_lookup(const struct kallsyms *ks, uint64_t addr)
{
	size_t i = upper_bound(ks, addr);
	const struct ksym *sym;

	/* No symbol below, or none above to end the last one. */
	if (i == 0 || i == ks->nr)
		return NULL;
	sym = &ks->syms[i - 1];
	if (!kernel_holds(ks, sym, addr))
		return NULL;
	/* Aliases: the kernel names an address by the first of them. */
	while (sym > ks->syms && sym[-1].addr == sym->addr)
		sym--;
	return sym;
}

int kallsyms_symbolize(const struct kallsyms *ks, uint64_t addr, char *buf, size_t len)
{
	const struct ksym *sym;

	if (!ks)
		return snprintf(buf, len, "?");
	sym = kallsyms_lookup(ks, addr);
	if (!sym)
		return snprintf(buf, len, "0x%" PRIx64, addr);
	/* BPF programs are listed as [bpf], but %pS names no module for them. */
	if (!sym->module || !strcmp(sym->module, "bpf"))
		return snprintf(buf, len, "%s+0x%" PRIx64, sym->name, addr - sym->addr);
	return snprintf(buf, len, "%s+0x%" PRIx64 " [%s]", sym->name, addr - sym->addr,
			sym->module);
}

int kallsyms_function_range(const struct kallsyms *ks, const char *name,
			    uint64_t *start, uint64_t *end)
{
	size_t i, next;

	for (i = 0; i < ks->nr; i++) {
		if (ks->syms[i].module || strcmp(ks->syms[i].name, name))
			continue;
		next = upper_bound(ks, ks->syms[i].addr);
		if (next == ks->nr)
			return -ENOENT;
		*start = ks->syms[i].addr;
		*end = ks->syms[next].addr;
		return 0;
	}
	return -ENOENT;
}
