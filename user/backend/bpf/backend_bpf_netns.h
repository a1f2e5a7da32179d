/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which network namespace the caller is in, and whether it is the initial
 * one: the BPF backend scopes rows as the module does.
 */
#ifndef SKBSTAT_BACKEND_BPF_NETNS_H
#define SKBSTAT_BACKEND_BPF_NETNS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * @cookie: the caller's netns's cookie, which rows carry as netns_cookie.
 * @layout_fd: the pinned layout map, where the attach recorded the initial
 * netns's inode, or -1.
 */
int bpfbe_caller_netns(int layout_fd, uint64_t *cookie, bool *initial);

#endif /* SKBSTAT_BACKEND_BPF_NETNS_H */
