/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the BPF backend pins its maps and links (see bpf_loader.h), and
 * removing them again.
 */
#ifndef SKBSTAT_BACKEND_BPF_PINS_H
#define SKBSTAT_BACKEND_BPF_PINS_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/bpf/backend_bpf_state.h"

/* The maps of one table (bpf/maps.bpf.h), in the order they are pinned. */
enum {
	PIN_TABLE_SLOTS,
	PIN_TABLE_COUNTS,
	PIN_TABLE_FREE,		/* one per generation */
	PIN_TABLE_MAPS = PIN_TABLE_FREE + BPFBE_GENERATIONS
};

/*
 * The pinned maps; each table's maps, then the names of devices and each
 * table's bases.
 */
enum {
	PIN_MAP_GENS,
	PIN_MAP_TOTALS,
	PIN_MAP_TABLES,
	PIN_MAP_DEVNAMES = PIN_MAP_TABLES + SKBSTAT_HOOK_COUNT * PIN_TABLE_MAPS,
	PIN_MAP_BASES,		/* one per table */
	PIN_MAP_LAYOUT = PIN_MAP_BASES + SKBSTAT_HOOK_COUNT,	/* SKBSTAT_PIN_LAYOUT */
	PIN_MAP_NETNS_CHECK,
	PIN_MAP_GONE_CARRY,
	PIN_MAP_NETNS_FULL,
	PIN_MAP_NETNS_FULL_BASES,
	PIN_MAP_ROWS_NEXT,
	PIN_MAP_PROBE_SYNC,
	PIN_MAP_COUNT
};

#define PIN_PATH_MAX	128

/*
 * Finds the BPF filesystem that holds (or will hold) the pins: this mount
 * namespace's at /sys/fs/bpf, else init's (ip netns exec remounts /sys).
 * -EMEDIUMTYPE when neither is one.
 */
int pin_root_find(void);
/* The BPF filesystem pin_root_find() chose, and skbstat's directory in it. */
const char *pin_root(void);
const char *pin_dir(void);

/* Map @part (PIN_TABLE_*) of @hook's table. */
static inline int pin_table_map(int hook, int part)
{
	return PIN_MAP_TABLES + hook * PIN_TABLE_MAPS + part;
}

const char *pin_map_path(char buf[PIN_PATH_MAX], int map);
/* The fd @st holds for the map pinned at slot @map. */
int *pin_map_fd(struct bpfbe_state *st, int map);
/* @entry: the kprobe mode's entry probe of @hook. */
const char *pin_link_path(char buf[PIN_PATH_MAX], int hook, bool entry);

/* The registry of devices: replaced at every attach, never reused. */
const char *pin_registry_map_path(char buf[PIN_PATH_MAX]);
const char *pin_registry_link_path(char buf[PIN_PATH_MAX], enum bpfbe_registry_hook hook);
/* The program that tells which namespaces are alive: a program, not a link. */
const char *pin_netns_live_path(char buf[PIN_PATH_MAX]);
/* True when every hook of the registry is pinned. */
bool pin_registry_links_present(void);

/*
 * 0 when the map @fd pinned at slot @map has the type, key and value sizes
 * of this version's; else -EPROTO, after saying how to get rid of the pins.
 */
int pin_map_check(int fd, int map);
/*
 * The test itself, on what the kernel says of the map: true when a map of
 * @type with these sizes is what this version pins at slot @map.
 */
bool pin_map_layout_ok(int map, uint32_t type, uint32_t key_size, uint32_t value_size);
/* The same for the stamp in the layout map. */
int pin_layout_check(int layout_fd);

int pin_dirs_create(void);
/* Unpin every link (the registry's too), which detaches the programs nobody else holds. */
int pin_links_remove(void);
/*
 * Unpin the maps too and remove the directories, with whatever another
 * version of skbstat pinned there.
 */
int pin_all_remove(void);

#endif /* SKBSTAT_BACKEND_BPF_PINS_H */
