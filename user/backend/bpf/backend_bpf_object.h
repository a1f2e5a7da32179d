/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the BPF object in one attach mode; see backend_bpf_object.c.
 */
#ifndef SKBSTAT_BACKEND_BPF_OBJECT_H
#define SKBSTAT_BACKEND_BPF_OBJECT_H

#include <stdbool.h>

#include "backend/bpf/backend_bpf_state.h"

/*
 * Loads @opts->mode's programs into the maps @st holds (pinned ones when
 * @reuse), attaches them and, with @pin, pins maps and links.  On failure
 * nothing of the new programs stays attached or pinned; the maps stay.
 */
int bpfbe_object_attach(struct bpfbe_state *st, const struct bpfbe_options *opts, bool pin,
		      bool reuse);

/* Close this process's links; pinned ones stay attached. */
void bpfbe_object_destroy_links(struct bpfbe_state *st);

#endif /* SKBSTAT_BACKEND_BPF_OBJECT_H */
