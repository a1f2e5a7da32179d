// SPDX-License-Identifier: GPL-2.0
/*
 * Drop-reason names from the running kernel's BTF, never a compiled-in
 * list: the enum grows with every release and with backports.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "backend/bpf/btf_reasons.h"

#define REASON_PREFIX		"SKB_DROP_REASON_"
/* SKB_CONSUMED (6.3+) has the short prefix; the kernel names it "CONSUMED". */
#define SHORT_PREFIX		"SKB_"
/* Reasons of other subsystems carry their id in the upper 16 bits. */
#define CORE_REASON_LIMIT	0x10000

const char *bpfbe_btf_reason_name(const char *enumerator, int64_t value)
{
	size_t len = strlen(REASON_PREFIX);

	/*
	 * 0 is SKB_NOT_DROPPED_YET, which the kernel's table leaves unnamed.  No
	 * name at all is an offset past the BTF's strings, which btf__new()
	 * does not check.
	 */
	if (!enumerator || value <= 0 || value >= CORE_REASON_LIMIT)
		return NULL;
	if (!strncmp(enumerator, REASON_PREFIX, len))
		return strcmp(enumerator + len, "MAX") ? enumerator + len : NULL;
	len = strlen(SHORT_PREFIX);
	if (!strncmp(enumerator, SHORT_PREFIX, len))
		return enumerator + len;
	return enumerator;
}

/* The value of @t's enumerator @i, unsigned as the kernel's enums are. */
static int64_t enum_value(const struct btf_type *t, uint16_t i)
{
	if (btf_is_enum(t))
		return (uint32_t)btf_enum(t)[i].val;
	return btf_enum64_value(&btf_enum64(t)[i]);
}

static uint32_t enum_name_off(const struct btf_type *t, uint16_t i)
{
	return btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
}

static int add_reason(struct skbstat_snapshot *snap, const struct btf *btf,
		      uint32_t name_off, int64_t value)
{
	const char *name = bpfbe_btf_reason_name(btf__name_by_offset(btf, name_off), value);

	return name ? snapshot_add_reason(snap, value, name) : 0;
}

static int add_enum(struct skbstat_snapshot *snap, const struct btf *btf,
		    const struct btf_type *t)
{
	uint16_t i, n;
	int err = 0;

	/*
	 * libbpf takes a header of any length (the kernel's is 24 bytes), and
	 * one that is no multiple of 4 leaves the types after it misaligned.
	 */
	if ((uintptr_t)t % __alignof__(*t))
		return -EINVAL;
	if (!btf_is_enum(t) && !btf_is_enum64(t))
		return -EINVAL;
	n = btf_vlen(t);
	for (i = 0; !err && i < n; i++)
		err = add_reason(snap, btf, enum_name_off(t, i), enum_value(t, i));
	return err;
}

int bpfbe_btf_reasons_add(const struct btf *btf, struct skbstat_snapshot *snap)
{
	int id;

	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id < 0)
		id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM64);
	if (id < 0)
		return -ENOENT;
	return add_enum(snap, btf, btf__type_by_id(btf, id));
}

/*
 * Subsystem reasons (6.4+).  enum skb_drop_reason_subsys numbers the
 * subsystems (SKB_DROP_REASON_SUBSYS_NUM of them, CORE first).  Each other
 * subsystem's reasons are an enum named after it (mac80211_drop_reason,
 * ovs_drop_reason, qdisc_drop_reason), in vmlinux or in its module's BTF,
 * whose values carry the subsystem in their upper 16 bits.  The kernel's
 * tables name a reason by its enumerator; the ones that are no reason are
 * "__"-prefixed bases and the _MAX end.  Only enums so named are read:
 * many others have values such as 1 << 16 that mean something else.
 */
#define SUBSYS_ENUM		"skb_drop_reason_subsys"
#define SUBSYS_PREFIX		"SKB_DROP_REASON_SUBSYS_"
#define SUBSYS_SHIFT		16
#define REASONS_ENUM_SUFFIX	"_drop_reason"

const char *bpfbe_btf_subsys_reason_name(const char *enumerator, int64_t value,
					 uint32_t count)
{
	size_t len;

	if (!enumerator || value < 0 || value > UINT32_MAX || value >> SUBSYS_SHIFT == 0 ||
	    value >> SUBSYS_SHIFT >= count || !strncmp(enumerator, "__", 2))
		return NULL;
	len = strlen(enumerator);
	if (len >= 4 && !strcmp(enumerator + len - 4, "_MAX"))
		return NULL;
	return enumerator;
}

/* Whether @t is a subsystem's enum of reasons, by its name. */
static bool reasons_enum(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);
	size_t len = name ? strlen(name) : 0, suffix = strlen(REASONS_ENUM_SUFFIX);

	return len > suffix && strcmp(name, "skb" REASONS_ENUM_SUFFIX) &&
	       !strcmp(name + len - suffix, REASONS_ENUM_SUFFIX);
}

static int add_subsystem_enum(struct skbstat_snapshot *snap, const struct btf *btf,
			      const struct btf_type *t, uint32_t count, uint64_t *found)
{
	uint16_t i, n = btf_vlen(t);
	const char *name;
	int64_t value;
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		value = enum_value(t, i);
		name = bpfbe_btf_subsys_reason_name(btf__name_by_offset(btf, enum_name_off(t, i)),
						    value, count);
		if (!name)
			continue;
		err = snapshot_add_reason(snap, value, name);
		if (value >> SUBSYS_SHIFT < 64)
			*found |= 1ULL << (value >> SUBSYS_SHIFT);
	}
	return err;
}

int bpfbe_btf_subsys_reasons_add(const struct btf *btf, const struct btf *base,
				 uint32_t count, struct skbstat_snapshot *snap, uint64_t *found)
{
	uint32_t id = base ? btf__type_cnt(base) : 1, end = btf__type_cnt(btf);
	const struct btf_type *t;
	int err = 0;

	for (; !err && id < end; id++) {
		t = btf__type_by_id(btf, id);
		if (!t || (uintptr_t)t % __alignof__(*t) || (!btf_is_enum(t) && !btf_is_enum64(t)) ||
		    !reasons_enum(btf, t))
			continue;
		err = add_subsystem_enum(snap, btf, t, count, found);
	}
	return err;
}

/* SKB_DROP_REASON_SUBSYS_NUM, or 0 when the kernel has no subsystems. */
static uint32_t subsystem_count(const struct btf *btf)
{
	int id = btf__find_by_name_kind(btf, SUBSYS_ENUM, BTF_KIND_ENUM);
	const struct btf_type *t;
	uint16_t i;

	if (id < 0)
		return 0;
	t = btf__type_by_id(btf, id);
	for (i = 0; i < btf_vlen(t); i++) {
		if (!strcmp(btf__name_by_offset(btf, btf_enum(t)[i].name_off) ?: "",
			    SUBSYS_PREFIX "NUM"))
			return btf_enum(t)[i].val;
	}
	return 0;
}

/*
 * The module of subsystem @subsys, as its enumerator names it:
 * SKB_DROP_REASON_SUBSYS_MAC80211_UNUSABLE is mac80211's.  0 if none.
 */
static int subsystem_module(const struct btf *btf, uint32_t subsys, char *name, size_t size)
{
	int id = btf__find_by_name_kind(btf, SUBSYS_ENUM, BTF_KIND_ENUM);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const char *e;
	size_t i, n;

	for (i = 0; t && i < btf_vlen(t); i++) {
		e = btf__name_by_offset(btf, btf_enum(t)[i].name_off);
		if ((uint32_t)btf_enum(t)[i].val != subsys || !e ||
		    strncmp(e, SUBSYS_PREFIX, strlen(SUBSYS_PREFIX)))
			continue;
		e += strlen(SUBSYS_PREFIX);
		for (n = 0; e[n] && e[n] != '_' && n + 1 < size; n++)
			name[n] = e[n] >= 'A' && e[n] <= 'Z' ? e[n] - 'A' + 'a' : e[n];
		name[n] = 0;
		return n ? 0 : -ENOENT;
	}
	return -ENOENT;
}

/* Subsystems not in vmlinux: their modules' BTF, where they are loaded. */
static int add_module_subsystems(const struct btf *vmlinux, uint32_t count,
				 struct skbstat_snapshot *snap, uint64_t found)
{
	char module[64], path[128];
	struct btf *btf;
	uint32_t subsys;
	int err = 0;

	for (subsys = 1; !err && subsys < count && subsys < 64; subsys++) {
		if (found & 1ULL << subsys ||
		    subsystem_module(vmlinux, subsys, module, sizeof(module)))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", module);
		if (access(path, R_OK))
			continue;	/* not loaded: its reasons cannot happen */
		btf = btf__parse_split(path, (struct btf *)vmlinux);
		if (!btf)
			continue;
		err = bpfbe_btf_subsys_reasons_add(btf, vmlinux, count, snap, &found);
		btf__free(btf);
	}
	return err;
}

static int add_subsystems(const struct btf *vmlinux, struct skbstat_snapshot *snap)
{
	uint32_t count = subsystem_count(vmlinux);
	uint64_t found = 0;
	int err;

	if (count < 2)
		return 0;
	err = bpfbe_btf_subsys_reasons_add(vmlinux, NULL, count, snap, &found);
	return err ?: add_module_subsystems(vmlinux, count, snap, found);
}

/*
 * Whether the running kernel has drop reasons: its BTF names enum
 * skb_drop_reason.  Asked once per process; UNKNOWN when there is no BTF.
 */
enum skbstat_drop_reasons bpfbe_btf_drop_reasons(void)
{
	static enum skbstat_drop_reasons known = SKBSTAT_DROP_REASONS_UNKNOWN;
	struct btf *btf;

	if (known != SKBSTAT_DROP_REASONS_UNKNOWN)
		return known;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return known;
	if (btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM) >= 0 ||
	    btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM64) >= 0)
		known = SKBSTAT_DROP_REASONS_KERNEL;
	else
		known = SKBSTAT_DROP_REASONS_NONE;
	btf__free(btf);
	return known;
}

int bpfbe_btf_reasons_fill(struct skbstat_snapshot *snap)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int err;

	if (!btf) {
		err = -errno;
		fprintf(stderr, "skbstat: cannot read the kernel's BTF for drop reason names: "
			"%s\n", strerror(-err));
		return err;
	}
	err = bpfbe_btf_reasons_add(btf, snap);
	if (!err)
		err = add_subsystems(btf, snap);
	if (err == -ENOENT)
		fprintf(stderr, "skbstat: the kernel's BTF has no enum skb_drop_reason\n");
	else if (err)
		fprintf(stderr, "skbstat: reading the drop reason names failed: %s\n",
			strerror(-err));
	btf__free(btf);
	return err;
}
