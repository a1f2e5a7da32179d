// SPDX-License-Identifier: GPL-2.0
/*
 * Paths of the BPF backend's pins under /sys/fs/bpf/skbstat/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/types.h>
#include <skbstat/slots.h>

#include "backend/bpf/backend_bpf_pins.h"
#include "util.h"

/*
 * Where the BPF filesystem with the pins is: this mount namespace's, or,
 * where /sys/fs/bpf is none (ip netns exec remounts /sys; a private mount
 * namespace), init's, which is where the host's skbstat pins live.
 */
static const char *const pin_roots[] = { "/sys/fs/bpf", "/proc/1/root/sys/fs/bpf" };
/* Sized so that every pin's path fits in PIN_PATH_MAX. */
static char root[64] = "/sys/fs/bpf";
static char pin_dir_path[80] = "/sys/fs/bpf/skbstat";

/* The pins' directories: formats of pin_dir(). */
#define PIN_MAPS_DIR	"%s/maps"
#define PIN_LINKS_DIR	"%s/links"

static bool is_bpffs(const char *path)
{
	struct statfs fs;

	return !statfs(path, &fs) && fs.f_type == BPF_FS_MAGIC;
}

int pin_root_find(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pin_roots); i++) {
		if (!is_bpffs(pin_roots[i]))
			continue;
		snprintf(root, sizeof(root), "%s", pin_roots[i]);
		snprintf(pin_dir_path, sizeof(pin_dir_path), "%s/skbstat", root);
		return 0;
	}
	return -EMEDIUMTYPE;
}

const char *pin_root(void)
{
	return root;
}

const char *pin_dir(void)
{
	return pin_dir_path;
}

static const char *const table_names[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS]	= "drops",
	[SKBSTAT_HOOK_FLOWS]	= "flows",
	[SKBSTAT_HOOK_QUEUES]	= "queues",
};

const char *pin_map_path(char buf[PIN_PATH_MAX], int map)
{
	static const char *const parts[PIN_TABLE_MAPS] = {
		[PIN_TABLE_SLOTS]	= "slots",
		[PIN_TABLE_COUNTS]	= "counts",
		[PIN_TABLE_FREE + 0]	= "free_0",
		[PIN_TABLE_FREE + 1]	= "free_1",
	};
	int hook = (map - PIN_MAP_TABLES) / PIN_TABLE_MAPS;
	int part = (map - PIN_MAP_TABLES) % PIN_TABLE_MAPS;

	if (map == PIN_MAP_GENS)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/gens", pin_dir());
	else if (map == PIN_MAP_TOTALS)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/totals", pin_dir());
	else if (map == PIN_MAP_DEVNAMES)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/devnames", pin_dir());
	else if (map == PIN_MAP_LAYOUT)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/layout", pin_dir());
	else if (map == PIN_MAP_NETNS_CHECK)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/netns_check", pin_dir());
	else if (map == PIN_MAP_GONE_CARRY)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/gone_carry", pin_dir());
	else if (map == PIN_MAP_NETNS_FULL)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/netns_full", pin_dir());
	else if (map == PIN_MAP_NETNS_FULL_BASES)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/netns_full_bases", pin_dir());
	else if (map == PIN_MAP_ROWS_NEXT)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/rows_next", pin_dir());
	else if (map == PIN_MAP_PROBE_SYNC)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/probe_sync", pin_dir());
	else if (map >= PIN_MAP_BASES)
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/%s_bases", pin_dir(),
			 table_names[map - PIN_MAP_BASES]);
	else
		snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/%s_%s", pin_dir(), table_names[hook],
			 parts[part]);
	return buf;
}

const char *pin_link_path(char buf[PIN_PATH_MAX], int hook, bool entry)
{
	snprintf(buf, PIN_PATH_MAX, PIN_LINKS_DIR "/%s%s", pin_dir(), table_names[hook],
		 entry ? "_entry" : "");
	return buf;
}

const char *pin_registry_map_path(char buf[PIN_PATH_MAX])
{
	snprintf(buf, PIN_PATH_MAX, PIN_MAPS_DIR "/devices", pin_dir());
	return buf;
}

const char *pin_registry_link_path(char buf[PIN_PATH_MAX], enum bpfbe_registry_hook hook)
{
	static const char *const events[BPFBE_REGISTRY_HOOKS] = {
		[BPFBE_REGISTRY_CREATE]	= "create",
		[BPFBE_REGISTRY_DESTROY]	= "destroy",
	};

	snprintf(buf, PIN_PATH_MAX, PIN_LINKS_DIR "/devices_%s", pin_dir(), events[hook]);
	return buf;
}

const char *pin_netns_live_path(char buf[PIN_PATH_MAX])
{
	snprintf(buf, PIN_PATH_MAX, PIN_LINKS_DIR "/netns_live", pin_dir());
	return buf;
}

bool pin_registry_links_present(void)
{
	char path[PIN_PATH_MAX];
	int hook;

	for (hook = 0; hook < BPFBE_REGISTRY_HOOKS; hook++)
		if (access(pin_registry_link_path(path, hook), F_OK))
			return false;
	return true;
}

struct pin_layout {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
};

/* The bases of each table: rows by key. */
static const struct pin_layout base_layouts[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS] = { BPF_MAP_TYPE_HASH, sizeof(struct skbstat_drop_key),
				 sizeof(struct skbstat_drop_val) },
	[SKBSTAT_HOOK_FLOWS] = { BPF_MAP_TYPE_HASH, sizeof(struct skbstat_flow_key),
				 sizeof(struct skbstat_flow_val) },
	[SKBSTAT_HOOK_QUEUES] = { BPF_MAP_TYPE_HASH, sizeof(struct skbstat_queue_key),
				  sizeof(struct skbstat_queue_val) },
};

/* A slot: tag and row, then the key (bpf/maps.bpf.h's TABLE_SLOT()). */
#define SLOT_HEAD	(2 * sizeof(uint64_t))

static struct pin_layout table_layout(int hook, int part)
{
	const struct pin_layout *base = &base_layouts[hook];

	if (part == PIN_TABLE_SLOTS)
		return (struct pin_layout){ BPF_MAP_TYPE_ARRAY, sizeof(uint32_t),
					    SLOT_HEAD + base->key_size };
	if (part == PIN_TABLE_COUNTS)
		return (struct pin_layout){ hook == SKBSTAT_HOOK_FLOWS ? BPF_MAP_TYPE_ARRAY :
					    BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(uint32_t),
					    base->value_size };
	return (struct pin_layout){ BPF_MAP_TYPE_QUEUE, 0, sizeof(uint32_t) };
}

/* What this version pins at slot @map: bpf/maps.bpf.h says the same. */
static struct pin_layout pin_map_layout(int map)
{
	if (map == PIN_MAP_GENS)	/* one value: every hook's generation */
		return (struct pin_layout){ BPF_MAP_TYPE_ARRAY, sizeof(uint32_t),
					    SKBSTAT_HOOK_COUNT * sizeof(uint32_t) };
	if (map == PIN_MAP_TOTALS)
		return (struct pin_layout){ BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(uint32_t),
					    sizeof(struct skbstat_totals) };
	if (map == PIN_MAP_DEVNAMES)
		return (struct pin_layout){ BPF_MAP_TYPE_LRU_HASH, sizeof(struct skbstat_dev_key),
					    sizeof(struct skbstat_dev_name) };
	if (map == PIN_MAP_LAYOUT)
		return (struct pin_layout){ BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(uint64_t) };
	if (map == PIN_MAP_NETNS_CHECK)
		return (struct pin_layout){ BPF_MAP_TYPE_HASH, sizeof(uint64_t), sizeof(uint8_t) };
	if (map == PIN_MAP_GONE_CARRY)
		return (struct pin_layout){ BPF_MAP_TYPE_ARRAY, sizeof(uint32_t),
					    sizeof(union skbstat_any_val) };
	if (map == PIN_MAP_NETNS_FULL || map == PIN_MAP_NETNS_FULL_BASES)
		return (struct pin_layout){ BPF_MAP_TYPE_HASH,
					    sizeof(struct skbstat_netns_full_key),
					    sizeof(uint64_t) };
	if (map == PIN_MAP_ROWS_NEXT)
		return (struct pin_layout){ BPF_MAP_TYPE_ARRAY, sizeof(uint32_t),
					    sizeof(struct skbstat_rows_next) };
	if (map == PIN_MAP_PROBE_SYNC)
		return (struct pin_layout){ BPF_MAP_TYPE_ARRAY_OF_MAPS, sizeof(uint32_t),
					    sizeof(uint32_t) };
	if (map >= PIN_MAP_BASES)
		return base_layouts[map - PIN_MAP_BASES];
	return table_layout((map - PIN_MAP_TABLES) / PIN_TABLE_MAPS,
			    (map - PIN_MAP_TABLES) % PIN_TABLE_MAPS);
}

static int other_version(const char *what)
{
	fprintf(stderr, "skbstat: the BPF maps in %s were pinned by another version of skbstat "
		"(%s): run 'skbstat -b bpf detach', which removes any version's pins, then "
		"attach again\n", pin_dir(), what);
	return -EPROTO;
}

bool pin_map_layout_ok(int map, uint32_t type, uint32_t key_size, uint32_t value_size)
{
	struct pin_layout want = pin_map_layout(map);

	return type == want.type && key_size == want.key_size && value_size == want.value_size;
}

int pin_map_check(int fd, int map)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	char path[PIN_PATH_MAX], what[PIN_PATH_MAX + 64];

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (pin_map_layout_ok(map, info.type, info.key_size, info.value_size))
		return 0;
	snprintf(what, sizeof(what), "%s has type %u, key %u and value %u bytes",
		 pin_map_path(path, map), info.type, info.key_size, info.value_size);
	return other_version(what);
}

int pin_layout_check(int layout_fd)
{
	uint32_t key = SKBSTAT_LAYOUT_STAMP;
	uint64_t stamp = 0;
	char what[64];

	if (bpf_map_lookup_elem(layout_fd, &key, &stamp))
		return -errno;
	if (stamp == SKBSTAT_PIN_LAYOUT)
		return 0;
	snprintf(what, sizeof(what), "layout %llu, this one reads %u",
		 (unsigned long long)stamp, SKBSTAT_PIN_LAYOUT);
	return other_version(what);
}

static int make_dir(const char *path)
{
	return mkdir(path, 0700) && errno != EEXIST ? -errno : 0;
}

/* @fmt (PIN_MAPS_DIR, PIN_LINKS_DIR) of pin_dir(), in @buf. */
static const char *pin_subdir(char buf[PIN_PATH_MAX], const char *fmt)
{
	snprintf(buf, PIN_PATH_MAX, fmt, pin_dir());
	return buf;
}

int pin_dirs_create(void)
{
	char dir[PIN_PATH_MAX];
	int err = make_dir(pin_dir());

	if (!err)
		err = make_dir(pin_subdir(dir, PIN_MAPS_DIR));
	if (!err)
		err = make_dir(pin_subdir(dir, PIN_LINKS_DIR));
	if (err)
		fprintf(stderr, "skbstat: cannot create the directories in %s: %s\n",
			pin_dir(), strerror(-err));
	return err;
}

static int remove_pin(const char *path)
{
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

int pin_links_remove(void)
{
	static const char *const old_hooks[] = { "register", "unregister", "move", "rename" };
	char path[PIN_PATH_MAX];
	int hook, entry, err = 0;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++)
		for (entry = 0; entry < 2; entry++)
			err = remove_pin(pin_link_path(path, hook, entry)) ?: err;
	/* After the counting programs: none of them outlives the registry's hooks. */
	for (hook = 0; hook < BPFBE_REGISTRY_HOOKS; hook++)
		err = remove_pin(pin_registry_link_path(path, hook)) ?: err;
	err = remove_pin(pin_netns_live_path(path)) ?: err;
	/* The fentry/fexit hooks of earlier versions, if pinned. */
	for (hook = 0; hook < (int)ARRAY_SIZE(old_hooks); hook++) {
		snprintf(path, PIN_PATH_MAX, PIN_LINKS_DIR "/devices_%s", pin_dir(), old_hooks[hook]);
		err = remove_pin(path) ?: err;
	}
	return err;
}

static int remove_dir(const char *path)
{
	return rmdir(path) && errno != ENOENT ? -errno : 0;
}

/* Every pin in @dir, whatever its name: another version may have pinned others. */
static int remove_all_pins(const char *dir)
{
	char path[PIN_PATH_MAX + 256];
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		err = remove_pin(path) ?: err;
	}
	closedir(d);
	return err;
}

int pin_all_remove(void)
{
	char path[PIN_PATH_MAX], maps[PIN_PATH_MAX], links[PIN_PATH_MAX];
	int map, err = pin_links_remove();

	pin_subdir(maps, PIN_MAPS_DIR);
	pin_subdir(links, PIN_LINKS_DIR);
	/* Links first: no program of another version counts into a map unpinned. */
	err = remove_all_pins(links) ?: err;
	for (map = 0; map < PIN_MAP_COUNT; map++)
		err = remove_pin(pin_map_path(path, map)) ?: err;
	err = remove_pin(pin_registry_map_path(path)) ?: err;
	err = remove_all_pins(maps) ?: err;
	err = remove_dir(links) ?: err;
	err = remove_dir(maps) ?: err;
	return remove_dir(pin_dir()) ?: err;
}

/* The state's fd for pin slot @map. */
int *pin_map_fd(struct bpfbe_state *st, int map)
{
	struct bpfbe_table_fds *t;
	int part;

	if (map == PIN_MAP_GENS)
		return &st->gens;
	if (map == PIN_MAP_TOTALS)
		return &st->totals;
	if (map == PIN_MAP_DEVNAMES)
		return &st->devnames;
	if (map == PIN_MAP_LAYOUT)
		return &st->layout;
	if (map == PIN_MAP_NETNS_CHECK)
		return &st->netns_check;
	if (map == PIN_MAP_GONE_CARRY)
		return &st->gone_carry;
	if (map == PIN_MAP_NETNS_FULL)
		return &st->netns_full;
	if (map == PIN_MAP_NETNS_FULL_BASES)
		return &st->netns_full_bases;
	if (map == PIN_MAP_ROWS_NEXT)
		return &st->rows_next;
	if (map == PIN_MAP_PROBE_SYNC)
		return &st->probe_sync;
	if (map >= PIN_MAP_BASES)
		return &st->tables[map - PIN_MAP_BASES].bases;
	t = &st->tables[(map - PIN_MAP_TABLES) / PIN_TABLE_MAPS];
	part = (map - PIN_MAP_TABLES) % PIN_TABLE_MAPS;
	if (part == PIN_TABLE_SLOTS)
		return &t->slots;
	if (part == PIN_TABLE_COUNTS)
		return &t->counts;
	return &t->free[part - PIN_TABLE_FREE];
}
