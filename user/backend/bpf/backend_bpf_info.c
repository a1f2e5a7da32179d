// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel says about the BPF backend's hooks: attached or not, in
 * which mode, how big the table may grow, and how many runs it skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend/bpf/backend_bpf_pins.h"
#include "backend/bpf/backend_bpf_info.h"

static int mode_of_prog_type(uint32_t type, enum bpfbe_mode *mode)
{
	switch (type) {
	case BPF_PROG_TYPE_TRACING:
		*mode = BPFBE_MODE_TP_BTF;
		return 0;
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		*mode = BPFBE_MODE_RAW_TP;
		return 0;
	case BPF_PROG_TYPE_KPROBE:
		*mode = BPFBE_MODE_KPROBE;
		return 0;
	}
	return -EPROTO;
}

static int link_prog_id(int link_fd, uint32_t *id)
{
	struct bpf_link_info link;
	uint32_t len = sizeof(link);

	memset(&link, 0, sizeof(link));
	if (bpf_obj_get_info_by_fd(link_fd, &link, &len))
		return -errno;
	*id = link.prog_id;
	return 0;
}

/* The program behind link @link_fd. */
static int link_prog_info(int link_fd, struct bpf_prog_info *prog)
{
	uint32_t len, id = 0;
	int prog_fd, err;

	err = link_prog_id(link_fd, &id);
	if (err)
		return err;
	prog_fd = bpf_prog_get_fd_by_id(id);
	if (prog_fd < 0)
		return -errno;
	len = sizeof(*prog);
	memset(prog, 0, sizeof(*prog));
	err = bpf_obj_get_info_by_fd(prog_fd, prog, &len) ? -errno : 0;
	close(prog_fd);
	return err;
}

/* The link of @hook's program (or entry probe): ours, else the pinned one; -ENOENT: none. */
static int hook_link_fd(const struct bpfbe_state *st, int hook, int entry, bool *owned)
{
	char path[PIN_PATH_MAX];
	int fd;

	*owned = false;
	if (st->links[hook][entry])
		return bpf_link__fd(st->links[hook][entry]);
	if (!st->pinned)
		return -ENOENT;
	fd = bpf_obj_get(pin_link_path(path, hook, entry));
	if (fd < 0)
		return -errno;
	*owned = true;
	return fd;
}

static int table_limit(const struct bpfbe_state *st, int hook, uint32_t *limit)
{
	struct bpf_map_info map;
	uint32_t len = sizeof(map);

	memset(&map, 0, sizeof(map));
	/* Each generation has the limit's rows of counters. */
	if (bpf_obj_get_info_by_fd(st->tables[hook].counts, &map, &len))
		return -errno;
	*limit = map.max_entries / BPFBE_GENERATIONS;
	return 0;
}

int bpfbe_state_hook_info(const struct bpfbe_state *st, int hook, struct bpfbe_hook_info *info)
{
	struct bpf_prog_info prog;
	int entry, fd, err;
	bool owned;

	memset(info, 0, sizeof(*info));
	err = table_limit(st, hook, &info->limit);
	for (entry = 0; !err && entry < 2; entry++) {
		fd = hook_link_fd(st, hook, entry, &owned);
		if (fd == -ENOENT)
			continue;
		if (fd < 0) {
			err = fd;
			break;
		}
		err = link_prog_info(fd, &prog);
		if (owned)
			close(fd);
		if (!err && !entry)
			err = mode_of_prog_type(prog.type, &info->mode);
		if (err)
			break;
		info->attached |= !entry;
		/* A skipped entry probe loses its call's event just the same. */
		info->recursion_misses += prog.recursion_misses;
	}
	if (err)
		fprintf(stderr, "skbstat: cannot read the state of the BPF programs: %s\n",
			strerror(-err));
	return err;
}

/* Adds the id of the program behind the link pinned at @path, if there is one. */
static void add_pinned_prog_id(const char *path, uint32_t *ids, size_t *nr)
{
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return;
	if (!link_prog_id(fd, &ids[*nr]))
		(*nr)++;
	close(fd);
}

size_t bpfbe_pinned_prog_ids(uint32_t ids[BPFBE_MAX_PROGS])
{
	char path[PIN_PATH_MAX];
	int hook, entry;
	size_t nr = 0;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++)
		for (entry = 0; entry < 2; entry++)
			add_pinned_prog_id(pin_link_path(path, hook, entry), ids, &nr);
	for (hook = 0; hook < BPFBE_REGISTRY_HOOKS; hook++)
		add_pinned_prog_id(pin_registry_link_path(path, hook), ids, &nr);
	return nr;
}
