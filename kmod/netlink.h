/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "skbstat" generic-netlink family: how userspace reads and configures
 * the hooks.
 */
#ifndef _SKBSTAT_KMOD_NETLINK_H
#define _SKBSTAT_KMOD_NETLINK_H

int skbstat_netlink_init(void);
void skbstat_netlink_exit(void);

#endif /* _SKBSTAT_KMOD_NETLINK_H */
