/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Namespaces that die: their rows are retired at the module's pernet exit.
 */
#ifndef _SKBSTAT_KMOD_NETNS_H
#define _SKBSTAT_KMOD_NETNS_H

int skbstat_netns_init(void);
void skbstat_netns_exit(void);

#endif /* _SKBSTAT_KMOD_NETNS_H */
