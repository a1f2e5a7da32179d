// SPDX-License-Identifier: GPL-2.0
/*
 * The binary itself: usage errors exit 2 before anything touches the
 * kernel, runtime errors exit 1 and say what to do.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "test.h"
#include "util.h"

/* Run with @args; check the exit code and that stderr mentions @needle. */
static enum test_result expect_exit(const char *const *args, int code, const char *needle)
{
	char *out = NULL, *err = NULL;
	enum test_result result = TEST_PASSED;
	int got = run_binary(args, &out, &err);

	if (got != code) {
		test_note(__FILE__, __LINE__, "'%s ...' exited %d, expected %d; stderr: %s",
			  args[0] ? args[0] : "", got, code, err ? err : "");
		result = TEST_FAILED;
	} else if (needle && (!err || !strstr(err, needle))) {
		test_note(__FILE__, __LINE__, "stderr lacks \"%s\": %s", needle,
			  err ? err : "(none)");
		result = TEST_FAILED;
	}
	free(out);
	free(err);
	return result;
}

#define NETNS_USAGE	"--netns needs a netns name (see 'ip netns') or inode number"

#define EXPECT_EXIT(code, needle, ...)						\
	do {									\
		const char *const args_[] = { __VA_ARGS__, NULL };		\
		if (expect_exit(args_, code, needle) != TEST_PASSED)		\
			return TEST_FAILED;					\
	} while (0)

TEST(unknown_command)
{
	EXPECT_EXIT(2, "unknown command 'frobnicate'", "frobnicate");
	EXPECT_EXIT(2, "no COMMAND", "-j");
	return TEST_PASSED;
}

TEST(bad_by_key)
{
	EXPECT_EXIT(2, "unknown key 'bogus'", "drops", "--by", "bogus");
	EXPECT_EXIT(2, "unknown key 'Reason'", "drops", "--by", "Reason");
	EXPECT_EXIT(2, "empty key", "drops", "--by", "reason,,dev");
	EXPECT_EXIT(2, "empty key", "drops", "--by=");
	return TEST_PASSED;
}

TEST(bad_top)
{
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "0");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "-1");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "ten");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "5x");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top", "");
	EXPECT_EXIT(2, "--top needs a positive number", "drops", "--top",
		    "99999999999999999999999");
	return TEST_PASSED;
}

TEST(bad_row_options)
{
	EXPECT_EXIT(2, "--top needs a positive number", "flows", "--top", "0");
	EXPECT_EXIT(2, "--top needs a positive number", "flows", "--top=-3");
	EXPECT_EXIT(2, NULL, "flows", "--dev", "eth0");
	EXPECT_EXIT(2, NULL, "flows", "extra");
	EXPECT_EXIT(2, "--dev needs a device name", "queues", "--dev", "");
	EXPECT_EXIT(2, NULL, "queues", "--top", "3");
	EXPECT_EXIT(2, "unknown netns 'init' (no /run/netns/init", "drops", "--netns", "init");
	EXPECT_EXIT(2, NETNS_USAGE, "drops", "--netns", "0");
	EXPECT_EXIT(2, NETNS_USAGE, "drops", "--netns", "4294967296");
	EXPECT_EXIT(2, "--dev needs a device name", "drops", "--dev=");
	EXPECT_EXIT(2, "unknown netns 'self'", "flows", "--netns", "self");
	EXPECT_EXIT(2, NETNS_USAGE, "flows", "--netns", "../x");
	EXPECT_EXIT(2, NETNS_USAGE, "queues", "--netns=-1");
	EXPECT_EXIT(2, NULL, "top", "--netns", "1");
	EXPECT_EXIT(2, "--reason needs a drop reason name", "drops", "--reason", "");
	return TEST_PASSED;
}

TEST(bad_interval)
{
	static const char *const bad[] = {
		"0", "-1", "abc", "1e3", "0.05", "0.099", "1.2345", "", "86401", ".5", "1.",
		"1,5", " 1", "1s",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EXIT(2, "-i needs seconds from 0.1 to 86400", "-i", bad[i], "drops");
		EXPECT_EXIT(2, "-i needs seconds from 0.1 to 86400", "status", "-i", bad[i]);
	}
	EXPECT_EXIT(2, "-i needs seconds", "--interval=0", "flows");
	EXPECT_EXIT(2, "-i needs seconds", "top", "-i", "never");
	return TEST_PASSED;
}

TEST(bad_count)
{
	EXPECT_EXIT(2, "-c needs a positive number, not '0'", "-c", "0", "drops");
	EXPECT_EXIT(2, "-c needs a positive number, not '-1'", "queues", "-c", "-1");
	EXPECT_EXIT(2, "-c needs a positive number, not 'x'", "-i", "1", "-c", "x", "status");
	EXPECT_EXIT(2, "-c needs a positive number", "--count=", "top");
	return TEST_PASSED;
}

/* -i and -c belong to the commands that show counters. */
TEST(interval_only_where_counted)
{
	EXPECT_EXIT(2, "reset takes no -i or -c", "-i", "1", "reset");
	EXPECT_EXIT(2, "attach takes no -i or -c", "attach", "-c", "2");
	EXPECT_EXIT(2, "detach takes no -i or -c", "detach", "-i", "0.5", "-c", "2");
	return TEST_PASSED;
}

TEST(bad_top_arguments)
{
	EXPECT_EXIT(2, "--top needs a positive number", "top", "--top", "0");
	EXPECT_EXIT(2, "--top needs a positive number", "top", "--top=many");
	EXPECT_EXIT(2, "unknown key 'bogus' in --by", "top", "--by", "reason,bogus");
	EXPECT_EXIT(2, NULL, "top", "drops");
	EXPECT_EXIT(2, NULL, "top", "--reason", "no_socket");
	return TEST_PASSED;
}

TEST(bad_reset_arguments)
{
	EXPECT_EXIT(2, "unknown table 'drop'", "reset", "drop");
	EXPECT_EXIT(2, "unknown table 'all'", "reset", "all");
	EXPECT_EXIT(2, "one table at most", "reset", "drops", "flows");
	EXPECT_EXIT(2, NULL, "reset", "--mode", "kprobe");
	return TEST_PASSED;
}

TEST(bad_attach_arguments)
{
	EXPECT_EXIT(2, "no attach mode 'bogus'", "-b", "kmod", "attach", "--mode", "bogus");
	EXPECT_EXIT(2, "no attach mode 'Kprobe'", "attach", "--mode", "Kprobe", "-b", "kmod");
	EXPECT_EXIT(2, "--mode needs a mode", "attach", "--mode", "");
	EXPECT_EXIT(2, NULL, "attach", "kprobe");
	EXPECT_EXIT(2, NULL, "detach", "--mode", "kprobe");
	EXPECT_EXIT(2, NULL, "detach", "drops");
	return TEST_PASSED;
}

TEST(bad_output_format)
{
	EXPECT_EXIT(2, "unknown output format 'xml'", "-o", "xml", "status");
	EXPECT_EXIT(2, "unknown output format 'yaml'", "drops", "-o", "yaml");
	EXPECT_EXIT(2, "use text, json, openmetrics", "-o", "prometheus", "drops");
	EXPECT_EXIT(2, NULL, "-o", "", "drops");
	return TEST_PASSED;
}

TEST(bad_backend_and_arguments)
{
	EXPECT_EXIT(2, "unknown backend 'ebpf'", "-b", "ebpf", "status");
	EXPECT_EXIT(2, NULL, "status", "extra");
	EXPECT_EXIT(2, NULL, "drops", "--no-such-option");
	return TEST_PASSED;
}

TEST(help_exits_zero)
{
	char *out = NULL, *err = NULL;
	const char *const top[] = { "--help", NULL };
	const char *const drops[] = { "drops", "--help", NULL };
	int code;

	code = run_binary(top, &out, &err);
	CHECK(code == 0);
	CHECK(out && strstr(out, "Examples:") && strstr(out, "drops"));
	free(out);
	free(err);
	code = run_binary(drops, &out, &err);
	CHECK(code == 0);
	CHECK(out && strstr(out, "--by") && strstr(out, "--reason") && strstr(out, "Examples:"));
	free(out);
	free(err);
	return TEST_PASSED;
}

/* Every command has help with examples, and the top-level help lists it. */
TEST(every_command_has_help)
{
	static const char *const commands[] = {
		"status", "drops", "flows", "queues", "top", "reset", "attach", "detach",
	};
	const char *const top[] = { "--help", NULL };
	char *out = NULL, *err = NULL;
	size_t i;

	CHECK(run_binary(top, &out, &err) == 0);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		char line[32];

		snprintf(line, sizeof(line), "  %s ", commands[i]);
		if (!out || !strstr(out, line))
			TEST_FAIL("'skbstat --help' does not list %s", commands[i]);
	}
	free(out);
	free(err);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *const args[] = { commands[i], "--help", NULL };

		out = err = NULL;
		if (run_binary(args, &out, &err) != 0 || !out || !strstr(out, "Examples:") ||
		    !strstr(out, "Global options:"))
			TEST_FAIL("'skbstat %s --help' lacks examples or global options",
				  commands[i]);
		free(out);
		free(err);
	}
	return TEST_PASSED;
}

/* Usage errors of the BPF backend, whatever this machine can run. */
TEST(bpf_usage_errors)
{
	EXPECT_EXIT(2, "the BPF backend has no attach mode 'bogus'", "-b", "bpf", "attach",
		    "--mode", "bogus");
	EXPECT_EXIT(2, "--drop-rows needs a number of rows", "-b", "bpf", "attach",
		    "--drop-rows", "0");
	EXPECT_EXIT(2, "--flow-rows needs a number of rows", "-b", "bpf", "attach",
		    "--flow-rows", "12x");
	EXPECT_EXIT(2, "--queue-rows needs a number of rows", "-b", "bpf", "attach",
		    "--queue-rows", "+5");
	EXPECT_EXIT(2, "unknown backend 'ebpf'", "-b", "ebpf", "status");
	return TEST_PASSED;
}

/* Where the module is absent, as on a build machine: say how to load it. */
static enum test_result module_not_loaded(void)
{
	EXPECT_EXIT(1, "the skbstat kernel module is not loaded", "-b", "kmod", "drops");
	EXPECT_EXIT(1, "insmod build/kmod/$(uname -r)/skbstat.ko", "-b", "kmod", "flows");
	EXPECT_EXIT(1, "or use '-b bpf'", "-b", "kmod", "queues", "--dev", "lo");
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "reset", "flows");
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "attach", "--mode", "kprobe");
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "detach");
	/* Names are checked against the kernel's answer, so this is a runtime error. */
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "drops", "--reason", "bogus");
	/* Interval mode and top say the same before the first interval. */
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "-i", "0.1", "-c", "1", "drops");
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "-o", "openmetrics", "status");
	EXPECT_EXIT(1, "modprobe skbstat", "-b", "kmod", "top", "-c", "1");
	return TEST_PASSED;
}

#define NOBODY	65534

/* Run as nobody; check the exit code and that stderr mentions @needle. */
static enum test_result expect_unprivileged(const char *const *args, const char *needle)
{
	char *out = NULL, *err = NULL;
	int got = run_binary_as(NOBODY, args, &out, &err);
	enum test_result result = TEST_PASSED;

	if (got != 1 || !err || !strstr(err, needle)) {
		test_note(__FILE__, __LINE__, "as nobody, '%s' exited %d, expected 1 and \"%s\"; "
			  "stderr: %s", args[0], got, needle, err ? err : "");
		result = TEST_FAILED;
	}
	free(out);
	free(err);
	return result;
}

#define EXPECT_UNPRIVILEGED(needle, ...)					\
	do {									\
		const char *const args_[] = { __VA_ARGS__, NULL };		\
		if (expect_unprivileged(args_, needle) != TEST_PASSED)		\
			return TEST_FAILED;					\
	} while (0)

/* Where it is loaded (the lab VM): names the kernel does not know are usage errors. */
static enum test_result module_loaded(void)
{
	EXPECT_EXIT(2, "unknown reason 'no_such_reason' (names come from the running kernel",
		    "-b", "kmod", "drops", "--reason", "no_such_reason");
	EXPECT_EXIT(2, "unknown device 'nosuchdev0'", "-b", "kmod", "drops", "--dev",
		    "nosuchdev0");
	EXPECT_EXIT(2, "unknown device 'nosuchdev0'", "-b", "kmod", "queues", "--dev",
		    "nosuchdev0");
	EXPECT_EXIT(0, NULL, "-b", "kmod", "queues", "--dev", "lo");
	EXPECT_EXIT(0, NULL, "-b", "kmod", "drops", "--reason", "not_specified", "--dev", "lo");
	/* A namespace that neither lives nor has rows is a mistake. */
	EXPECT_EXIT(2, "unknown netns 4000000000", "-b", "kmod", "drops", "--netns", "4000000000");
	EXPECT_EXIT(2, "unknown netns 4000000000", "-b", "kmod", "flows", "--netns", "4000000000");
	EXPECT_EXIT(2, "unknown netns 4000000000", "-b", "kmod", "queues", "--netns",
		    "4000000000");
	EXPECT_EXIT(0, NULL, "-b", "kmod", "-i", "0.1", "-c", "2", "drops", "--by", "reason");
	EXPECT_EXIT(0, NULL, "-b", "kmod", "-j", "-c", "1", "-i", "0.1", "status");
	EXPECT_EXIT(0, NULL, "-b", "kmod", "-o", "openmetrics", "flows");
	EXPECT_EXIT(0, NULL, "-b", "kmod", "-i", "0.1", "-c", "1", "top");
	/* No permission: the message names the capability. */
	EXPECT_UNPRIVILEGED("needs CAP_NET_ADMIN", "-b", "kmod", "status");
	EXPECT_UNPRIVILEGED("needs CAP_NET_ADMIN", "-b", "kmod", "-i", "0.1", "-c", "1",
			    "drops");
	EXPECT_UNPRIVILEGED("needs CAP_NET_ADMIN in the initial user", "-b", "kmod", "attach");
	return TEST_PASSED;
}

/*
 * Runs @test in a child with a mount namespace of its own, where @fstype
 * is mounted over @path: the binaries it runs see the kernel that way.
 */
static enum test_result with_mount(const char *fstype, const char *path, const char *data,
				   enum test_result (*test)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		TEST_FAIL("fork: %s", strerror(errno));
	if (!pid) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount(fstype, path, fstype, 0, data))
			_exit(100);
		status = test();
		fflush(NULL);		/* its notes, before _exit() drops them */
		_exit(status);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		TEST_FAIL("the child with its own mounts died");
	if (WEXITSTATUS(status) == 100)
		TEST_FAIL("cannot mount %s over %s in a mount namespace", fstype, path);
	/* Something else ended the child (valgrind's error exit code, say). */
	if (WEXITSTATUS(status) > TEST_SKIPPED)
		TEST_FAIL("the child with its own mounts exited %d", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

/* No BTF (a tmpfs hides it): neither backend can run, and the module's advice comes first. */
static enum test_result no_backend_possible(void)
{
	EXPECT_EXIT(1, "modprobe skbstat", "status");
	EXPECT_EXIT(1, "modprobe skbstat", "drops");
	EXPECT_EXIT(1, "needs a kernel with BTF", "-b", "bpf", "status");
	EXPECT_EXIT(1, "needs a kernel with BTF", "-b", "bpf", "attach");
	return TEST_PASSED;
}

/* A fresh BPF filesystem: nothing of skbstat is attached, whatever the host has. */
static enum test_result bpf_not_attached(void)
{
	EXPECT_EXIT(0, NULL, "-b", "bpf", "status");
	EXPECT_EXIT(1, "nothing is counting: the BPF backend is not attached", "-b", "bpf",
		    "drops");
	EXPECT_EXIT(1, "'skbstat -b bpf attach'", "-b", "bpf", "flows");
	EXPECT_EXIT(1, "nothing is counting", "-b", "bpf", "reset");
	EXPECT_EXIT(1, "nothing is counting", "-b", "bpf", "-i", "0.1", "-c", "1", "queues");
	/* The pins are root's, whether or not something is attached. */
	EXPECT_UNPRIVILEGED("needs root (CAP_BPF", "-b", "bpf", "status");
	return TEST_PASSED;
}

/* Errors that depend on the kernel: whichever case this machine is in. */
TEST(kernel_dependent_errors)
{
	enum test_result result;

	if (!access("/sys/module/skbstat", F_OK))
		result = geteuid() ? TEST_SKIPPED : module_loaded();
	else
		result = module_not_loaded();
	if (result == TEST_FAILED || geteuid())
		return result;
	/* Root may change what the CLI sees of the kernel. */
	if (access("/sys/module/skbstat", F_OK)) {
		result = with_mount("tmpfs", "/sys/kernel/btf", NULL, no_backend_possible);
		if (result != TEST_PASSED)
			return result;
	}
	if (!access("/sys/kernel/btf/vmlinux", F_OK))
		/* As systemd mounts it: only root may look inside. */
		result = with_mount("bpf", "/sys/fs/bpf", "mode=0700", bpf_not_attached);
	return result;
}

/* tests/completion_test.sh on skbstat.bash-completion, beside tests/golden/. */
TEST(bash_completion)
{
	char *cmd;
	int status;

	if (asprintf(&cmd, "bash '%1$s/../completion_test.sh' "
		     "'%1$s/../../skbstat.bash-completion'", test_env.golden_dir) < 0)
		TEST_FAIL("out of memory");
	fflush(stdout);
	status = system(cmd);
	free(cmd);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		return TEST_SKIPPED;
	CHECK(status == 0);
	return TEST_PASSED;
}

/* tests/man_test.sh: skbstat.8 renders cleanly and documents every output. */
TEST(man_page)
{
	char *cmd;
	int status;

	if (asprintf(&cmd, "bash '%1$s/../man_test.sh' '%1$s/../../skbstat.8' '%1$s' '%2$s'",
		     test_env.golden_dir, test_env.binary) < 0)
		TEST_FAIL("out of memory");
	fflush(stdout);
	status = system(cmd);
	free(cmd);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		return TEST_SKIPPED;
	CHECK(status == 0);
	return TEST_PASSED;
}
