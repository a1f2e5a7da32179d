// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the tests: golden files, rendering into memory, and running
 * the real binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#include "test.h"
#include "util.h"

/* Only helpers for the cases of other files. */
TEST_NO_CASES();

extern char **environ;

void test_note(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "     %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static char *read_file(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *in, *mem;
	int c;

	in = fopen(path, "r");
	if (!in)
		return NULL;
	mem = open_memstream(&text, &len);
	if (!mem) {
		fclose(in);
		return NULL;
	}
	while ((c = fgetc(in)) != EOF)
		fputc(c, mem);
	fclose(in);
	if (fclose(mem)) {
		free(text);
		return NULL;
	}
	return text;
}

static int write_file(const char *path, const char *text)
{
	FILE *out = fopen(path, "w");
	int err = 0;

	if (!out)
		return -errno;
	if (fputs(text, out) < 0)
		err = -EIO;
	if (fclose(out) && !err)
		err = -errno;
	return err;
}

static char *path_join(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	return path;
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), slen = strlen(suffix);

	return len > slen && !strcmp(name + len - slen, suffix);
}

/* Run @cmd, which names @path; fail when it exits non-zero. */
static enum test_result validate_with(const char *tool, const char *fmt, const char *path)
{
	char *cmd;
	int status;

	if (asprintf(&cmd, fmt, path) < 0)
		TEST_FAIL("out of memory");
	fflush(stdout);
	status = system(cmd);
	free(cmd);
	if (status != 0)
		TEST_FAIL("%s rejects %s", tool, path);
	return TEST_PASSED;
}

/* JSON must parse (jq); OpenMetrics must pass promtool's linter. */
static enum test_result validate(const char *name, const char *path)
{
	if (has_suffix(name, ".json") && test_env.have_jq)
		return validate_with("jq", "jq -e . '%s' >/dev/null", path);
	if (has_suffix(name, ".prom") && test_env.have_promtool)
		return validate_with("promtool", "out=$(promtool check metrics < '%s' 2>&1); "
				     "rc=$?; [ -z \"$out\" ] || printf '%%s\\n' \"$out\" | "
				     "sed 's/^/     promtool: /'; exit $rc", path);
	return TEST_PASSED;
}

static enum test_result golden_mismatch(const char *golden_path, const char *actual_path)
{
	char *cmd;

	if (asprintf(&cmd, "diff -u '%s' '%s' | sed 's/^/     /'", golden_path,
		     actual_path) >= 0) {
		fflush(stdout);
		if (system(cmd) < 0)
			perror("diff");
		free(cmd);
	}
	TEST_FAIL("output differs from %s (actual output in %s; "
		  "'make check UPDATE_GOLDEN=1' accepts it)", golden_path, actual_path);
}

static enum test_result golden_compare(const char *name, const char *actual,
				       const char *golden_path, const char *actual_path)
{
	enum test_result result;
	char *expected;

	if (write_file(actual_path, actual))
		TEST_FAIL("cannot write %s", actual_path);
	result = validate(name, actual_path);
	if (result != TEST_PASSED)
		return result;

	if (test_env.update_golden) {
		if (write_file(golden_path, actual))
			TEST_FAIL("cannot write %s", golden_path);
		return TEST_PASSED;
	}
	expected = read_file(golden_path);
	if (!expected)
		TEST_FAIL("no golden file %s ('make check UPDATE_GOLDEN=1' creates it)",
			  golden_path);
	result = strcmp(expected, actual) ? golden_mismatch(golden_path, actual_path)
					  : TEST_PASSED;
	free(expected);
	return result;
}

enum test_result golden_check(const char *name, const char *actual)
{
	char *golden_path, *actual_path;
	enum test_result result = TEST_FAILED;

	if (!actual)
		TEST_FAIL("no output to compare with %s", name);
	golden_path = path_join(test_env.golden_dir, name);
	actual_path = path_join(test_env.scratch_dir, name);
	if (golden_path && actual_path)
		result = golden_compare(name, actual, golden_path, actual_path);
	free(golden_path);
	free(actual_path);
	return result;
}

/* Capture one stream of the child in a scratch file. */
static int capture_to(posix_spawn_file_actions_t *actions, int fd, const char *path)
{
	return posix_spawn_file_actions_addopen(actions, fd, path,
						O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

/* The child of fork(): capture its output, become @uid (unless root), exec. */
static void exec_as(const char *const *argv, const char *out_path, const char *err_path,
		    uid_t uid)
{
	int out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (out_fd < 0 || err_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0)
		_exit(126);
	if (uid && (setgroups(0, NULL) || setgid(uid) || setuid(uid)))
		_exit(126);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

static int fork_and_wait(const char *const *args, const char *out_path, const char *err_path,
			 uid_t uid)
{
	const char *argv[32] = { test_env.binary };
	size_t i;
	pid_t pid;
	int status;

	for (i = 0; args[i] && i + 2 < ARRAY_SIZE(argv); i++)
		argv[i + 1] = args[i];
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		exec_as(argv, out_path, err_path, uid);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}

static int spawn_and_wait(const char *const *args, const char *out_path, const char *err_path)
{
	posix_spawn_file_actions_t actions;
	const char *argv[32] = { test_env.binary };
	size_t i;
	pid_t pid;
	int status;

	for (i = 0; args[i] && i + 2 < ARRAY_SIZE(argv); i++)
		argv[i + 1] = args[i];
	posix_spawn_file_actions_init(&actions);
	capture_to(&actions, STDOUT_FILENO, out_path);
	capture_to(&actions, STDERR_FILENO, err_path);
	status = posix_spawn(&pid, test_env.binary, &actions, NULL, (char *const *)argv,
			     environ);
	posix_spawn_file_actions_destroy(&actions);
	if (status)
		return -status;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}

int run_binary(const char *const *args, char **stdout_text, char **stderr_text)
{
	char *out_path = path_join(test_env.scratch_dir, "cli.stdout");
	char *err_path = path_join(test_env.scratch_dir, "cli.stderr");
	int code = -ENOMEM;

	if (out_path && err_path) {
		code = spawn_and_wait(args, out_path, err_path);
		*stdout_text = read_file(out_path);
		*stderr_text = read_file(err_path);
	}
	free(out_path);
	free(err_path);
	return code;
}

int run_binary_as(uid_t uid, const char *const *args, char **stdout_text, char **stderr_text)
{
	char *out_path = path_join(test_env.scratch_dir, "cli.stdout");
	char *err_path = path_join(test_env.scratch_dir, "cli.stderr");
	int code = -ENOMEM;

	if (out_path && err_path) {
		code = fork_and_wait(args, out_path, err_path, uid);
		*stdout_text = read_file(out_path);
		*stderr_text = read_file(err_path);
	}
	free(out_path);
	free(err_path);
	return code;
}

int stderr_mute(void)
{
	int saved, null_fd;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	if (null_fd >= 0) {
		dup2(null_fd, STDERR_FILENO);
		close(null_fd);
	}
	return saved;
}

void stderr_unmute(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}
