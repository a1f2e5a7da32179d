// SPDX-License-Identifier: GPL-2.0
/*
 * Drop-reason names as the kernel's table names them, from BTF enumerators.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "backend/bpf/btf_reasons.h"
#include "model/snapshot.h"
#include "test.h"

TEST(enumerator_names)
{
	CHECK_STR(bpfbe_btf_reason_name("SKB_DROP_REASON_NOT_SPECIFIED", 2), "NOT_SPECIFIED");
	CHECK_STR(bpfbe_btf_reason_name("SKB_DROP_REASON_NO_SOCKET", 3), "NO_SOCKET");
	/* 6.3+: traced as consume_skb, named without the long prefix. */
	CHECK_STR(bpfbe_btf_reason_name("SKB_CONSUMED", 1), "CONSUMED");
	return TEST_PASSED;
}

TEST(no_reasons)
{
	/* The kernel's table leaves 0 unnamed; MAX and masks are no reasons. */
	CHECK(!bpfbe_btf_reason_name("SKB_NOT_DROPPED_YET", 0));
	CHECK(!bpfbe_btf_reason_name(NULL, 3));
	CHECK(!bpfbe_btf_reason_name("SKB_DROP_REASON_MAX", 128));
	CHECK(!bpfbe_btf_reason_name("SKB_DROP_REASON_SUBSYS_MASK", 0xffff0000));
	return TEST_PASSED;
}

/* The running kernel's names, where it has BTF (the BPF backend needs it anyway). */
TEST(running_kernel)
{
	struct skbstat_snapshot snap;
	int err;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return TEST_SKIPPED;
	snapshot_init(&snap);
	err = bpfbe_btf_reasons_fill(&snap);
	if (err) {
		snapshot_free(&snap);
		TEST_FAIL("bpfbe_btf_reasons_fill: %d", err);
	}
	if (!snapshot_reason_name(&snap, 0) && snapshot_reason_name(&snap, 2) &&
	    snap.nr_reasons > 60) {
		snapshot_free(&snap);
		return TEST_PASSED;
	}
	snapshot_free(&snap);
	TEST_FAIL("unexpected reason table");
}

/*
 * An enumerator whose name lies past the BTF's strings, which btf__new()
 * accepts: skipped, not handed to strncmp() (fuzz_btf_reasons found it).
 */
TEST(enumerator_without_name)
{
	static const char strings[] = "\0skb_drop_reason\0SKB_DROP_REASON_NO_SOCKET";
	struct {
		struct btf_header hdr;
		struct btf_type type;
		struct btf_enum values[2];
		char strings[sizeof(strings)];
	} __attribute__((packed)) blob = {
		.hdr = {
			.magic = BTF_MAGIC,
			.version = BTF_VERSION,
			.hdr_len = sizeof(struct btf_header),
			.type_len = sizeof(blob.type) + sizeof(blob.values),
			.str_off = sizeof(blob.type) + sizeof(blob.values),
			.str_len = sizeof(strings),
		},
		.type = {
			.name_off = 1,
			.info = BTF_KIND_ENUM << 24 | 2,	/* kind, then vlen */
			.size = 4,
		},
		.values = { { 0x1000, 2 }, { 17, 3 } },
	};
	struct skbstat_snapshot snap;
	struct btf *btf;
	int err;

	memcpy(blob.strings, strings, sizeof(strings));
	btf = btf__new(&blob, sizeof(blob));
	if (!btf)
		return TEST_SKIPPED;	/* a libbpf that checks the offsets itself */
	snapshot_init(&snap);
	err = bpfbe_btf_reasons_add(btf, &snap);
	btf__free(btf);
	if (err || snap.nr_reasons != 1) {
		snapshot_free(&snap);
		TEST_FAIL("err %d, %zu reasons", err, snap.nr_reasons);
	}
	CHECK_STR(snapshot_reason_name(&snap, 3), "NO_SOCKET");
	snapshot_free(&snap);
	return TEST_PASSED;
}

/*
 * A header one byte longer than the kernel's, which libbpf accepts: the
 * enum after it is misaligned and is not read (fuzz_btf_reasons, UBSan).
 */
TEST(misaligned_types)
{
	static const char strings[] = "\0skb_drop_reason\0SKB_DROP_REASON_NO_SOCKET";
	struct btf_type type = {
		.name_off = 1,
		.info = BTF_KIND_ENUM << 24 | 1,
		.size = 4,
	};
	struct btf_enum value = { 17, 3 };
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(struct btf_header) + 1,
		.type_len = sizeof(type) + sizeof(value),
		.str_off = sizeof(type) + sizeof(value),
		.str_len = sizeof(strings),
	};
	char blob[sizeof(hdr) + 1 + sizeof(type) + sizeof(value) + sizeof(strings)] = { 0 };
	struct skbstat_snapshot snap;
	struct btf *btf;
	int err;

	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr) + 1, &type, sizeof(type));
	memcpy(blob + sizeof(hdr) + 1 + sizeof(type), &value, sizeof(value));
	memcpy(blob + sizeof(hdr) + 1 + sizeof(type) + sizeof(value), strings, sizeof(strings));
	btf = btf__new(blob, sizeof(blob));
	if (!btf)
		return TEST_SKIPPED;	/* a libbpf that refuses such a header */
	snapshot_init(&snap);
	err = bpfbe_btf_reasons_add(btf, &snap);
	btf__free(btf);
	CHECK_U64(snap.nr_reasons, 0);
	snapshot_free(&snap);
	CHECK(err == -EINVAL || err == -ENOENT);
	return TEST_PASSED;
}

TEST(subsystem_names)
{
	CHECK_STR(bpfbe_btf_subsys_reason_name("OVS_DROP_LAST_ACTION", 0x20001, 4),
		  "OVS_DROP_LAST_ACTION");
	CHECK_STR(bpfbe_btf_subsys_reason_name("RX_DROP_UNUSABLE", 0x10000, 4),
		  "RX_DROP_UNUSABLE");
	/* Bases, ends, core values and subsystems this kernel lacks: none. */
	CHECK(!bpfbe_btf_subsys_reason_name("__QDISC_DROP_REASON", 0x30000, 4));
	CHECK(!bpfbe_btf_subsys_reason_name("QDISC_DROP_MAX", 0x3000b, 4));
	CHECK(!bpfbe_btf_subsys_reason_name("QDISC_DROP_UNSPEC", 0, 4));
	CHECK(!bpfbe_btf_subsys_reason_name("FOO_DROP_X", 0x40001, 4));
	CHECK(!bpfbe_btf_subsys_reason_name(NULL, 0x20001, 4));
	return TEST_PASSED;
}

/* enum NAME { VALUES... } in @btf; the values named NAME_0, NAME_1, ... */
static int add_enum_values(struct btf *btf, const char *name, const char *const *names,
			   const int64_t *values, int n)
{
	int id = btf__add_enum(btf, name, 4), i;

	for (i = 0; id > 0 && i < n; i++) {
		if (btf__add_enum_value(btf, names[i], values[i]))
			return -1;
	}
	return id;
}

/* A kernel's BTF in small: the qdisc's reasons in vmlinux, OVS's in its module. */
TEST(subsystem_enums)
{
	static const char *const qnames[] = {
		"QDISC_DROP_UNSPEC", "__QDISC_DROP_REASON", "QDISC_DROP_GENERIC", "QDISC_DROP_MAX",
	};
	static const int64_t qvalues[] = { 0, 0x30000, 0x30001, 0x30002 };
	/* 1 << 16 means other things in other enums. */
	static const char *const fnames[] = { "SOME_FLAG", "OTHER_FLAG" };
	static const int64_t fvalues[] = { 0x10000, 0x10001 };
	static const char *const onames[] = { "__OVS_DROP_REASON", "OVS_DROP_LAST_ACTION" };
	static const int64_t ovalues[] = { 0x20000, 0x20001 };
	struct btf *vmlinux = btf__new_empty(), *ovs = NULL;
	struct skbstat_snapshot snap;
	enum test_result result = TEST_FAILED;
	uint64_t found = 0;

	snapshot_init(&snap);
	if (!vmlinux || add_enum_values(vmlinux, "qdisc_drop_reason", qnames, qvalues, 4) < 0 ||
	    add_enum_values(vmlinux, "some_flags", fnames, fvalues, 2) < 0 ||
	    add_enum_values(vmlinux, "some_drop_reason_flags", fnames, fvalues, 2) < 0)
		goto out;
	if (bpfbe_btf_subsys_reasons_add(vmlinux, NULL, 4, &snap, &found) || found != 1 << 3 ||
	    snap.nr_reasons != 1 ||
	    strcmp(snapshot_reason_name(&snap, 0x30001) ?: "", "QDISC_DROP_GENERIC"))
		goto out;
	ovs = btf__new_empty_split(vmlinux);
	if (!ovs || add_enum_values(ovs, "ovs_drop_reason", onames, ovalues, 2) < 0)
		goto out;
	if (bpfbe_btf_subsys_reasons_add(ovs, vmlinux, 4, &snap, &found) ||
	    found != (1 << 3 | 1 << 2) || snap.nr_reasons != 2 ||
	    strcmp(snapshot_reason_name(&snap, 0x20001) ?: "", "OVS_DROP_LAST_ACTION"))
		goto out;
	result = TEST_PASSED;
out:
	btf__free(ovs);
	btf__free(vmlinux);
	snapshot_free(&snap);
	return result;
}
