/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drop-reason names of the running kernel, from its BTF: enum
 * skb_drop_reason, named as the kernel's own reason table names them.
 */
#ifndef SKBSTAT_BTF_REASONS_H
#define SKBSTAT_BTF_REASONS_H

#include <stdint.h>

#include "model/snapshot.h"

/*
 * The name the kernel's table gives the enumerator @enumerator of value
 * @value ("NO_SOCKET" for SKB_DROP_REASON_NO_SOCKET), or NULL for one
 * that is no reason (SKB_NOT_DROPPED_YET, the MAX sentinel, masks) or
 * has no name (@enumerator NULL).
 */
const char *bpfbe_btf_reason_name(const char *enumerator, int64_t value);

struct btf;

/*
 * The name the kernel's table gives the enumerator @enumerator of value
 * @value in a subsystem's reasons enum (6.4+: the enumerator itself,
 * "OVS_DROP_LAST_ACTION"), or NULL for one that is no reason: a base, the
 * MAX end, or a value outside subsystems 1 .. @count - 1.
 */
const char *bpfbe_btf_subsys_reason_name(const char *enumerator, int64_t value,
					 uint32_t count);

/*
 * Add the reasons of every subsystem reasons enum (enum *_drop_reason) among
 * @btf's own types (past @base's, for a module's split BTF; @base NULL for
 * vmlinux) to @snap, for subsystems 1 .. @count - 1; sets bit N of @found
 * for each subsystem N named.
 */
int bpfbe_btf_subsys_reasons_add(const struct btf *btf, const struct btf *base,
				 uint32_t count, struct skbstat_snapshot *snap, uint64_t *found);

/*
 * Add every reason that @btf's enum skb_drop_reason names to @snap; -ENOENT
 * when it has none.  Quiet: the caller says what failed.
 */
int bpfbe_btf_reasons_add(const struct btf *btf, struct skbstat_snapshot *snap);

/* Add every reason of the running kernel to @snap; reports failures on stderr. */
int bpfbe_btf_reasons_fill(struct skbstat_snapshot *snap);

enum skbstat_drop_reasons bpfbe_btf_drop_reasons(void);

#endif /* SKBSTAT_BTF_REASONS_H */
