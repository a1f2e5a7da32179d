// SPDX-License-Identifier: GPL-2.0
/*
 * Symbolizing kernel addresses from a /proc/kallsyms text, as %pS names them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/bpf/kallsyms.h"
#include "test.h"

/* Out of order on purpose: the kernel lists modules after itself, bpf last. */
static const char fixture[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81001000 t early_helper\n"
	"ffffffff81002000 T kfree_skb_reason\n"
	"ffffffff81002000 T kfree_skb_reason_alias\n"
	"ffffffff81003000 W weak_function\n"
	"ffffffff81004000 T __udp4_lib_rcv\n"
	"ffffffff81005000 T _etext\n"
	"ffffffff81006000 D some_data\n"
	"ffffffff82000000 T _sinittext\n"
	"ffffffff82000100 t init_function\n"
	"ffffffff82001000 T _einittext\n"
	"ffffffffc0002000 t nft_do_chain\t[nf_tables]\n"
	"ffffffffc0002800 t nft_other\t[nf_tables]\n"
	"ffffffffc0001000 t udp_helper\t[udp_tunnel]\n"
	"ffffffffc0010000 t bpf_prog_6deef7357e7b4530_drops\t[bpf]\n"
	"ffffffffc0010100 t bpf_prog_0000000000000000_next\t[bpf]\n";

static struct kallsyms *load_fixture(const char *text, int *err)
{
	struct kallsyms *ks = NULL;
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	if (!f) {
		*err = -errno;
		return NULL;
	}
	*err = kallsyms_read(f, &ks);
	fclose(f);
	return ks;
}

static enum test_result check_symbol(const struct kallsyms *ks, uint64_t addr,
				     const char *expected)
{
	char buf[256];

	kallsyms_symbolize(ks, addr, buf, sizeof(buf));
	CHECK_STR(buf, expected);
	return TEST_PASSED;
}

#define CHECK_SYMBOL(ks, addr, expected)					\
	do {									\
		if (check_symbol(ks, addr, expected) != TEST_PASSED)		\
			goto err_free_ks;					\
	} while (0)

TEST(kernel_symbols)
{
	struct kallsyms *ks;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	CHECK_SYMBOL(ks, 0xffffffff810041a2, "__udp4_lib_rcv+0x1a2");
	/* %pS prints a zero offset too. */
	CHECK_SYMBOL(ks, 0xffffffff81004000, "__udp4_lib_rcv+0x0");
	CHECK_SYMBOL(ks, 0xffffffff81001fff, "early_helper+0xfff");
	CHECK_SYMBOL(ks, 0xffffffff81003010, "weak_function+0x10");
	CHECK_SYMBOL(ks, 0xffffffff82000123, "init_function+0x23");
	kallsyms_free(ks);
	return TEST_PASSED;

err_free_ks:
	kallsyms_free(ks);
	return TEST_FAILED;
}

TEST(first_alias_wins)
{
	struct kallsyms *ks;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	CHECK_SYMBOL(ks, 0xffffffff81002010, "kfree_skb_reason+0x10");
	CHECK_SYMBOL(ks, 0xffffffff81000004, "_stext+0x4");
	kallsyms_free(ks);
	return TEST_PASSED;

err_free_ks:
	kallsyms_free(ks);
	return TEST_FAILED;
}

TEST(module_symbols)
{
	struct kallsyms *ks;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	CHECK_SYMBOL(ks, 0xffffffffc000246f, "nft_do_chain+0x46f [nf_tables]");
	CHECK_SYMBOL(ks, 0xffffffffc0001010, "udp_helper+0x10 [udp_tunnel]");
	/* BPF programs are listed as [bpf], which %pS leaves out. */
	CHECK_SYMBOL(ks, 0xffffffffc0010020, "bpf_prog_6deef7357e7b4530_drops+0x20");
	kallsyms_free(ks);
	return TEST_PASSED;

err_free_ks:
	kallsyms_free(ks);
	return TEST_FAILED;
}

/*
 * A module's symbols end where the module does (/proc/modules): the text
 * of a module loaded after kallsyms was read lies past the last one's.
 */
TEST(module_bounds)
{
	static const char modules[] =
		"nf_tables 4096 0 - Live 0xffffffffc0002000\n"
		"udp_tunnel 2048 1 nf_tables, Live 0xffffffffc0001000\n"
		"hidden 100 0 - Live 0x0000000000000000\n";
	struct kallsyms *ks;
	FILE *f;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	f = fmemopen((void *)modules, strlen(modules), "r");
	CHECK(f);
	err = kallsyms_read_modules(f, ks);
	fclose(f);
	CHECK(!err);
	CHECK(ks->nr_modules == 2);
	CHECK_SYMBOL(ks, 0xffffffffc0002fff, "nft_other+0x7ff [nf_tables]");
	/* Past nf_tables' 4096 bytes: a module that came later. */
	CHECK_SYMBOL(ks, 0xffffffffc0003000, "0xffffffffc0003000");
	CHECK_SYMBOL(ks, 0xffffffffc00017ff, "udp_helper+0x7ff [udp_tunnel]");
	CHECK_SYMBOL(ks, 0xffffffffc0001800, "0xffffffffc0001800");
	/* BPF programs are in no module list: they keep their symbols. */
	CHECK_SYMBOL(ks, 0xffffffffc0010020, "bpf_prog_6deef7357e7b4530_drops+0x20");
	/* The kernel hid its addresses: nothing to name. */
	CHECK_SYMBOL(NULL, 0xffffffffc0010020, "?");
	kallsyms_free(ks);
	return TEST_PASSED;

err_free_ks:
	kallsyms_free(ks);
	return TEST_FAILED;
}

TEST(unknown_addresses)
{
	struct kallsyms *ks;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	CHECK_SYMBOL(ks, 0xffffffff80000000, "0xffffffff80000000");
	/* Past the kernel's text and init text: no kernel symbol holds it. */
	CHECK_SYMBOL(ks, 0xffffffff82001010, "0xffffffff82001010");
	CHECK_SYMBOL(ks, 0xffffffffa0000000, "0xffffffffa0000000");
	/* Past the last symbol nothing tells where it ends. */
	CHECK_SYMBOL(ks, 0xffffffffc0020000, "0xffffffffc0020000");
	kallsyms_free(ks);
	return TEST_PASSED;

err_free_ks:
	kallsyms_free(ks);
	return TEST_FAILED;
}

TEST(function_range)
{
	uint64_t start, end;
	struct kallsyms *ks;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	err = kallsyms_function_range(ks, "__udp4_lib_rcv", &start, &end);
	if (err || start != 0xffffffff81004000 || end != 0xffffffff81005000)
		goto err_free_ks;
	/* Module functions and missing ones are not the kernel's. */
	if (kallsyms_function_range(ks, "nft_do_chain", &start, &end) != -ENOENT ||
	    kallsyms_function_range(ks, "no_such_function", &start, &end) != -ENOENT)
		goto err_free_ks;
	kallsyms_free(ks);
	return TEST_PASSED;

err_free_ks:
	kallsyms_free(ks);
	TEST_FAIL("wrong function range");
}

/* kernel.kptr_restrict shows every address as zero. */
TEST(hidden_addresses)
{
	static const char hidden[] =
		"0000000000000000 T _stext\n"
		"0000000000000000 t early_helper\n"
		"0000000000000000 t nft_do_chain\t[nf_tables]\n";
	struct kallsyms *ks;
	int err;

	ks = load_fixture(hidden, &err);
	CHECK(!ks);
	CHECK(err == -EPERM);
	return TEST_PASSED;
}

/*
 * Addresses but no function: nothing to sort or find, and no qsort() of a
 * NULL array (UBSan's report, found by fuzz_kallsyms on "2 2 ").
 */
TEST(no_text_symbols)
{
	static const char data_only[] =
		"ffffffff81006000 D some_data\n"
		"2 2 \n";
	char buf[32];
	struct kallsyms *ks;
	int err;

	ks = load_fixture(data_only, &err);
	CHECK(ks);
	CHECK(!err);
	CHECK_U64(ks->nr, 0);
	kallsyms_symbolize(ks, 0xffffffff81006000, buf, sizeof(buf));
	kallsyms_free(ks);
	CHECK_STR(buf, "0xffffffff81006000");
	return TEST_PASSED;
}

/* A /proc/modules with no module in it: the same, for the module list. */
TEST(no_modules)
{
	static const char modules[] = "hidden 100 0 - Live 0x0000000000000000\nnot a module\n";
	struct kallsyms *ks;
	FILE *f;
	int err;

	ks = load_fixture(fixture, &err);
	CHECK(!err && ks);
	f = fmemopen((void *)modules, strlen(modules), "r");
	if (!f) {
		kallsyms_free(ks);
		TEST_FAIL("fmemopen failed");
	}
	err = kallsyms_read_modules(f, ks);
	fclose(f);
	CHECK_U64(ks->nr_modules, 0);
	kallsyms_free(ks);
	CHECK(!err);
	return TEST_PASSED;
}
