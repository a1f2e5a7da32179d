// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel says of a map pinned in skbstat's directory, perhaps by
 * another version of skbstat (backend/bpf/backend_bpf_pins.c): its type,
 * key and value sizes, checked against what this version reads before any
 * lookup copies a value into a buffer of this version's size.  The input
 * is a pin slot, then the three numbers.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backend/bpf/backend_bpf_pins.h"
#include "fuzz/fuzz.h"

#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* Every value a pin holds is read into one of these. */
static const size_t largest_value = MAX(MAX(sizeof(union skbstat_any_val), sizeof(uint64_t)),
					MAX(sizeof(struct skbstat_totals),
					    sizeof(struct skbstat_dev_name)));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	int map = fuzz_u8(&in) % PIN_MAP_COUNT;
	uint32_t type = fuzz_u32(&in), key_size = fuzz_u32(&in), value_size = fuzz_u32(&in);
	char path[PIN_PATH_MAX];

	if (strlen(pin_map_path(path, map)) >= PIN_PATH_MAX - 1)
		abort();
	if (!pin_map_layout_ok(map, type, key_size, value_size))
		return 0;
	/* Accepted: then no value can overrun the CLI's buffers. */
	if (value_size > largest_value || key_size > 64 || !value_size || !key_size)
		abort();
	return 0;
}
