// SPDX-License-Identifier: GPL-2.0
/*
 * Paths of the BPF backend's pins under /sys/fs/bpf/skbstat/.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend_bpf_pins.h"
#include "util.h"

#define PIN_MAPS_DIR	BPF_PIN_DIR "/maps"
#define PIN_LINKS_DIR	BPF_PIN_DIR "/links"

static const char *const table_names[SKBSTAT_HOOK_COUNT] = {
	[SKBSTAT_HOOK_DROPS]	= "drops",
	[SKBSTAT_HOOK_FLOWS]	= "flows",
	[SKBSTAT_HOOK_QUEUES]	= "queues",
};

const char *pin_map_path(char buf[PIN_PATH_MAX], int map)
{
	int hook = (map - PIN_MAP_TABLES) / (1 + BPF_GENERATIONS);
	int slot = (map - PIN_MAP_TABLES) % (1 + BPF_GENERATIONS);

	if (map == PIN_MAP_GENS)
		snprintf(buf, PIN_PATH_MAX, "%s/gens", PIN_MAPS_DIR);
	else if (map == PIN_MAP_TOTALS)
		snprintf(buf, PIN_PATH_MAX, "%s/totals", PIN_MAPS_DIR);
	else if (map == PIN_MAP_DEVNAMES)
		snprintf(buf, PIN_PATH_MAX, "%s/devnames", PIN_MAPS_DIR);
	else if (map >= PIN_MAP_BASES)
		snprintf(buf, PIN_PATH_MAX, "%s/%s_bases", PIN_MAPS_DIR,
			 table_names[map - PIN_MAP_BASES]);
	else if (!slot)
		snprintf(buf, PIN_PATH_MAX, "%s/%s", PIN_MAPS_DIR, table_names[hook]);
	else
		snprintf(buf, PIN_PATH_MAX, "%s/%s_%d", PIN_MAPS_DIR, table_names[hook], slot - 1);
	return buf;
}

const char *pin_link_path(char buf[PIN_PATH_MAX], int hook, bool entry)
{
	snprintf(buf, PIN_PATH_MAX, "%s/%s%s", PIN_LINKS_DIR, table_names[hook],
		 entry ? "_entry" : "");
	return buf;
}

const char *pin_registry_map_path(char buf[PIN_PATH_MAX])
{
	snprintf(buf, PIN_PATH_MAX, "%s/devices", PIN_MAPS_DIR);
	return buf;
}

const char *pin_registry_link_path(char buf[PIN_PATH_MAX], enum bpf_registry_hook hook)
{
	static const char *const events[BPF_REGISTRY_HOOKS] = {
		[BPF_REGISTRY_CREATE]	= "create",
		[BPF_REGISTRY_DESTROY]	= "destroy",
	};

	snprintf(buf, PIN_PATH_MAX, "%s/devices_%s", PIN_LINKS_DIR, events[hook]);
	return buf;
}

bool pin_registry_links_present(void)
{
	char path[PIN_PATH_MAX];
	int hook;

	for (hook = 0; hook < BPF_REGISTRY_HOOKS; hook++)
		if (access(pin_registry_link_path(path, hook), F_OK))
			return false;
	return true;
}

static int make_dir(const char *path)
{
	return mkdir(path, 0700) && errno != EEXIST ? -errno : 0;
}

int pin_dirs_create(void)
{
	int err = make_dir(BPF_PIN_DIR);

	if (!err)
		err = make_dir(PIN_MAPS_DIR);
	if (!err)
		err = make_dir(PIN_LINKS_DIR);
	if (err)
		fprintf(stderr, "skbstat: cannot create the directories in %s: %s\n",
			BPF_PIN_DIR, strerror(-err));
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
	for (hook = 0; hook < BPF_REGISTRY_HOOKS; hook++)
		err = remove_pin(pin_registry_link_path(path, hook)) ?: err;
	/* The fentry/fexit hooks of earlier versions, if pinned. */
	for (hook = 0; hook < (int)ARRAY_SIZE(old_hooks); hook++) {
		snprintf(path, PIN_PATH_MAX, "%s/devices_%s", PIN_LINKS_DIR, old_hooks[hook]);
		err = remove_pin(path) ?: err;
	}
	return err;
}

static int remove_dir(const char *path)
{
	return rmdir(path) && errno != ENOENT ? -errno : 0;
}

int pin_all_remove(void)
{
	char path[PIN_PATH_MAX];
	int map, err = pin_links_remove();

	for (map = 0; map < PIN_MAP_COUNT; map++)
		err = remove_pin(pin_map_path(path, map)) ?: err;
	err = remove_pin(pin_registry_map_path(path)) ?: err;
	err = remove_dir(PIN_LINKS_DIR) ?: err;
	err = remove_dir(PIN_MAPS_DIR) ?: err;
	return remove_dir(BPF_PIN_DIR) ?: err;
}

/* The state's fd for pin slot @map. */
int *pin_map_fd(struct bpf_state *st, int map)
{
	int hook, g;

	if (map == PIN_MAP_GENS)
		return &st->gens;
	if (map == PIN_MAP_TOTALS)
		return &st->totals;
	if (map == PIN_MAP_DEVNAMES)
		return &st->devnames;
	if (map >= PIN_MAP_BASES)
		return &st->tables[map - PIN_MAP_BASES].bases;
	hook = (map - PIN_MAP_TABLES) / (1 + BPF_GENERATIONS);
	g = (map - PIN_MAP_TABLES) % (1 + BPF_GENERATIONS);
	return g ? &st->tables[hook].rows[g - 1] : &st->tables[hook].tables;
}
