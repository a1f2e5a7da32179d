// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading the module under test, as insmod and rmmod do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/skbstat.h>
#include <skbstat/hooks.h>
#include "testlib.h"

/*
 * $SKBSTAT_BACKENDS: unset for every variant, else a list (blanks or
 * commas) of backends ("kmod") and backend/mode pairs ("bpf/tp_btf").  With
 * @mode NULL: whether any mode of @backend is wanted.
 */
static bool variant_wanted(const char *backend, const char *mode)
{
	const char *wanted = getenv("SKBSTAT_BACKENDS");
	char list[256], *tok, *save = NULL, *slash;

	if (!wanted)
		return true;
	snprintf(list, sizeof(list), "%s", wanted);
	for (tok = strtok_r(list, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		slash = strchr(tok, '/');
		if (slash)
			*slash = 0;
		if (strcmp(tok, backend))
			continue;
		if (!slash || !mode || !strcmp(slash + 1, mode))
			return true;
	}
	return false;
}

static bool backend_wanted(const char *backend)
{
	return variant_wanted(backend, NULL);
}

/* $SKBSTAT_KO, else the module built for the running kernel. */
static const char *ko_path(void)
{
	static char path[256];
	struct utsname uts;

	if (getenv("SKBSTAT_KO"))
		return getenv("SKBSTAT_KO");
	uname(&uts);
	snprintf(path, sizeof(path), "build/kmod/%s/skbstat.ko", uts.release);
	return path;
}

/* This kernel can load modules, and $SKBSTAT_BACKENDS does not leave kmod out. */
bool kmod_possible(void)
{
	return backend_wanted("kmod") && !access("/proc/modules", F_OK);
}

bool kmod_loaded(void)
{
	return !access("/sys/module/skbstat", F_OK);
}

/* Loads the module with @params ("drop_rows=16 ..."); a no-op if it is loaded. */
int kmod_load_params(const char *params)
{
	int fd, err = 0;

	if (kmod_loaded())
		return 0;
	fd = open(ko_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	return err;
}

int kmod_load(void)
{
	return kmod_load_params("");
}

int kmod_unload(void)
{
	if (!kmod_loaded())
		return 0;
	return syscall(SYS_delete_module, "skbstat", O_NONBLOCK) ? -errno : 0;
}


/* Attaches every kmod hook in @mode through SET_CONFIG. */
static int kmod_set_mode(const char *mode)
{
	uint32_t m = !strcmp(mode, "kprobe") ? SKBSTAT_MODE_KPROBE : SKBSTAT_MODE_TRACEPOINT;
	uint8_t enabled = 1;
	struct genl_reply reply;
	char attrs[64];
	size_t len;
	int family, err;

	family = genl_family_id(SKBSTAT_GENL_NAME);
	if (family < 0)
		return family;
	len = nla_put_raw(attrs, SKBSTAT_ATTR_MODE, &m, sizeof(m));
	len += nla_put_raw(attrs + len, SKBSTAT_ATTR_ENABLED, &enabled, sizeof(enabled));
	err = genl_request(family, SKBSTAT_CMD_SET_CONFIG, 0, 0, attrs, len, &reply);
	return err ?: reply.error;
}

/*
 * Attaches the BPF backend afresh in @mode, with extra attach @options, so
 * that its tables start empty.
 */
static int bpf_attach(const char *mode, const char *options)
{
	if (access("/sys/kernel/btf/vmlinux", F_OK))
		return -EOPNOTSUPP;
	/* This machine's own kernel has BPF but no kprobes. */
	if (!strcmp(mode, "kprobe") && access("/sys/bus/event_source/devices/kprobe", F_OK))
		return -EOPNOTSUPP;
	if (sh("%s -b bpf detach", skbstat_path()))
		return -EIO;
	return sh("%s -b bpf attach --mode %s %s", skbstat_path(), mode, options) ? -EIO : 0;
}

/*
 * BPF attached in @mode at the default limits, as an earlier test left it:
 * then a reset empties it, as for the module, and the verifier need not
 * check every program again, which takes seconds under TCG.
 */
static bool bpf_attached_as(const char *mode)
{
	static const uint64_t limits[] = {
		SKBSTAT_DEFAULT_DROP_ROWS, SKBSTAT_DEFAULT_FLOW_ROWS, SKBSTAT_DEFAULT_QUEUE_ROWS,
	};
	json_object *doc, *hooks, *hook, *attached;
	bool same;
	size_t i;

	if (skbstat_json(&doc, "-b bpf status"))
		return false;
	hooks = json_rows(doc, "hooks");
	same = hooks && json_object_array_length(hooks) == sizeof(limits) / sizeof(limits[0]);
	for (i = 0; same && i < sizeof(limits) / sizeof(limits[0]); i++) {
		hook = json_object_array_get_idx(hooks, i);
		same = json_object_object_get_ex(hook, "attached", &attached) &&
		       json_object_get_boolean(attached) &&
		       !strcmp(row_str(hook, "mode") ?: "", mode) &&
		       row_u64(hook, "limit") == limits[i];
	}
	json_object_put(doc);
	return same;
}

/*
 * Makes the variant's backend count from now on, from empty tables: rows
 * of an earlier test's netns would count for a new netns that gets the
 * same inode.  -EOPNOTSUPP if the backend cannot run here.
 */
int backend_up(const struct backend_variant *v)
{
	int err;

	if (!variant_wanted(v->backend, v->mode))
		return -EOPNOTSUPP;
	if (!strcmp(v->backend, "kmod")) {
		if (access("/proc/modules", F_OK))
			return -EOPNOTSUPP;	/* a kernel without module support */
		err = kmod_load();
		if (!err)
			err = kmod_set_mode(v->mode);
		if (!err && sh("%s -b kmod reset", skbstat_path()))
			err = -EIO;
		return err;
	}
	if (!strcmp(v->backend, "bpf")) {
		if (bpf_attached_as(v->mode))
			return sh("%s -b bpf reset", skbstat_path()) ? -EIO : 0;
		return bpf_attach(v->mode, "");
	}
	return -EOPNOTSUPP;
}

const char *backend_args(const struct backend_variant *v)
{
	static char args[32];

	snprintf(args, sizeof(args), "-b %s", v->backend);
	return args;
}

/*
 * Starts the variant's backend afresh with row limits (0: the default), so
 * that its tables start empty.
 */
int backend_up_limits(const struct backend_variant *v, unsigned int drop_rows,
		      unsigned int flow_rows, unsigned int queue_rows)
{
	char params[128];
	int err;

	if (!variant_wanted(v->backend, v->mode))
		return -EOPNOTSUPP;
	snprintf(params, sizeof(params), "--drop-rows %u --flow-rows %u --queue-rows %u",
		 drop_rows ?: SKBSTAT_DEFAULT_DROP_ROWS, flow_rows ?: SKBSTAT_DEFAULT_FLOW_ROWS,
		 queue_rows ?: SKBSTAT_DEFAULT_QUEUE_ROWS);
	if (!strcmp(v->backend, "bpf"))
		return bpf_attach(v->mode, params);
	if (strcmp(v->backend, "kmod"))
		return -EOPNOTSUPP;
	if (access("/proc/modules", F_OK))
		return -EOPNOTSUPP;
	err = kmod_unload();
	if (err)
		return err;
	snprintf(params, sizeof(params), "drop_rows=%u flow_rows=%u queue_rows=%u",
		 drop_rows ?: SKBSTAT_DEFAULT_DROP_ROWS, flow_rows ?: SKBSTAT_DEFAULT_FLOW_ROWS,
		 queue_rows ?: SKBSTAT_DEFAULT_QUEUE_ROWS);
	err = kmod_load_params(params);
	return err ?: kmod_set_mode(v->mode);
}

/* Back to the defaults, for the tests that come after. */
int backend_down_limits(const struct backend_variant *v)
{
	if (!strcmp(v->backend, "bpf"))
		return bpf_attach(v->mode, "");
	if (strcmp(v->backend, "kmod"))
		return 0;
	return kmod_unload() ?: kmod_load();
}
