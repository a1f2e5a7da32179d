// SPDX-License-Identifier: GPL-2.0
/*
 * Drop-reason names from the running kernel's BTF, never a compiled-in
 * list: the enum grows with every release and with backports.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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
	n = btf_vlen(t);
	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		/* Unsigned in the kernel: 0xffff0000 must not read as negative. */
		for (i = 0; !err && i < n; i++)
			err = add_reason(snap, btf, e[i].name_off, (uint32_t)e[i].val);
		return err;
	}
	if (btf_is_enum64(t)) {
		const struct btf_enum64 *e = btf_enum64(t);

		for (i = 0; !err && i < n; i++)
			err = add_reason(snap, btf, e[i].name_off, btf_enum64_value(&e[i]));
		return err;
	}
	return -EINVAL;
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
	if (err == -ENOENT)
		fprintf(stderr, "skbstat: the kernel's BTF has no enum skb_drop_reason\n");
	else if (err)
		fprintf(stderr, "skbstat: reading the drop reason names failed: %s\n",
			strerror(-err));
	btf__free(btf);
	return err;
}
