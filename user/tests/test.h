/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness: a case is a TEST(name) { ... } block that
 * returns TEST_PASSED, TEST_FAILED or TEST_SKIPPED.  Cases register
 * themselves in a linker section, so no list can forget one.
 */
#ifndef SKBSTAT_TEST_H
#define SKBSTAT_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "output/output.h"
#include "model/snapshot.h"

enum test_result {
	TEST_PASSED,
	TEST_FAILED,
	TEST_SKIPPED,
};

struct test_case {
	const char *name;
	const char *file;	/* the .c file it is in; names its suite */
	unsigned int line;	/* cases run in the order of their files */
	enum test_result (*run)(void);
};

/*
 * Like the kernel's initcalls: each TEST() puts a pointer to its case into
 * the section skbstat_test_cases, and the linker gathers the sections of all
 * objects between __start_ and __stop_ symbols it defines because the name is
 * a C identifier.  Pointers, not the structs themselves, go there: the
 * compiler may pad or over-align structs, pointers pack with no gaps.
 */
#define TEST_SECTION(sec)	__attribute__((used, section(sec)))

#define TEST(fn)							\
	static enum test_result fn(void);				\
	static const struct test_case test_case_##fn = {		\
		.name = #fn,						\
		.file = __BASE_FILE__,					\
		.line = __LINE__,					\
		.run = fn,						\
	};								\
	static const struct test_case *const test_case_ptr_##fn	\
		TEST_SECTION("skbstat_test_cases") = &test_case_##fn;	\
	static enum test_result fn(void)

/*
 * Every file that includes this header is recorded in its own section, so the
 * runner can fail a file that registers no case: one whose cases are still
 * in an array nobody reads, say.  Files holding only helpers (and the runner)
 * say so with TEST_NO_CASES() at file scope.
 */
static const char *const test_file_ptr TEST_SECTION("skbstat_test_files") = __BASE_FILE__;

#define TEST_NO_CASES()							\
	static const char *const test_no_cases_ptr			\
		TEST_SECTION("skbstat_test_no_cases") = __BASE_FILE__

/* Where the runner was told to find things; see test_main.c. */
struct test_env {
	const char *binary;		/* the skbstat under test */
	const char *golden_dir;
	const char *scratch_dir;	/* actual outputs land here on mismatch */
	bool update_golden;
	bool have_jq;
	bool have_promtool;		/* Debian package prometheus */
};

extern struct test_env test_env;

void test_note(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST_FAIL(...)							\
	do {								\
		test_note(__FILE__, __LINE__, __VA_ARGS__);		\
		return TEST_FAILED;					\
	} while (0)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			TEST_FAIL("check failed: %s", #cond);		\
	} while (0)

#define CHECK_U64(actual, expected)					\
	do {								\
		uint64_t a_ = (actual), e_ = (expected);		\
		if (a_ != e_)						\
			TEST_FAIL("%s is %llu, expected %llu", #actual,	\
				  (unsigned long long)a_,		\
				  (unsigned long long)e_);		\
	} while (0)

#define CHECK_STR(actual, expected)					\
	do {								\
		const char *a_ = (actual), *e_ = (expected);		\
		if (!a_ || strcmp(a_, e_))				\
			TEST_FAIL("%s is \"%s\", expected \"%s\"", #actual, \
				  a_ ? a_ : "(null)", e_);		\
	} while (0)

/*
 * Compare @actual with tests/golden/@name; on mismatch print a diff.  JSON
 * goldens (*.json) are also checked with "jq -e ." when jq is installed,
 * OpenMetrics ones (*.prom) with "promtool check metrics" when promtool is.
 */
enum test_result golden_check(const char *name, const char *actual);

/* Hand-built snapshots shared by the view and grouping tests. */
void fixture_mixed(struct skbstat_snapshot *snap);
void fixture_status(struct skbstat_snapshot *snap);
void fixture_status_no_reasons(struct skbstat_snapshot *snap);
/* Flow ages are relative to FIXTURE_NOW_NS; FIXTURE_NEVER: no time known. */
#define FIXTURE_NOW_NS	(1000000ull * 1000000000ull)
#define FIXTURE_NEVER	UINT64_MAX
void fixture_flows(struct skbstat_snapshot *snap);
void fixture_queues(struct skbstat_snapshot *snap);
void fixture_add_drop(struct skbstat_snapshot *snap, uint32_t reason, const char *location,
		      uint32_t ifindex, const char *dev, uint32_t netns, uint16_t proto,
		      uint64_t packets, uint64_t bytes);

/* A reply message of the skbstat family, as the module would send it. */
struct nl_msg;
struct nl_msg *test_new_reply(uint8_t cmd);
/* Like the kernel's nla_put_u64_64bit(): a pad attribute may come first. */
void test_put_u64(struct nl_msg *msg, int pad_type, int type, uint64_t value);

/* Hide diagnostics a test provokes on purpose; returns what to restore. */
int stderr_mute(void);
void stderr_unmute(int saved);

/* Run the binary under test with @args (NULL-terminated, without argv[0]). */
int run_binary(const char *const *args, char **stdout_text, char **stderr_text);
/* The same as user @uid, without groups; for root only. */
int run_binary_as(uid_t uid, const char *const *args, char **stdout_text, char **stderr_text);

/* test_view_case.c: one view of one snapshot, for out_render(). */
struct view_case {
	const struct skbstat_snapshot *snap;
	const void *opts;
	int (*view)(const struct skbstat_snapshot *snap, const void *opts, struct out *out);
};

int view_case_emit(struct out *out, const void *ctx);
int view_case_drops(const struct skbstat_snapshot *snap, const void *opts, struct out *out);
int view_case_flows(const struct skbstat_snapshot *snap, const void *opts, struct out *out);
int view_case_flows_by_netns(const struct skbstat_snapshot *snap, const void *opts,
			     struct out *out);
int view_case_queues(const struct skbstat_snapshot *snap, const void *opts, struct out *out);
int view_case_status(const struct skbstat_snapshot *snap, const void *opts, struct out *out);
/* Render in text and JSON and compare with @stem.txt and @stem.json. */
enum test_result view_golden(const char *stem, int (*emit)(struct out *out, const void *ctx),
			     const void *ctx);
enum test_result view_case_golden(const char *stem, const struct view_case *c);

#endif /* SKBSTAT_TEST_H */
