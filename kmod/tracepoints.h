/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probes on tracepoints that the kernel does not export to modules.
 */
#ifndef _SKBSTAT_KMOD_TRACEPOINTS_H
#define _SKBSTAT_KMOD_TRACEPOINTS_H

int skbstat_tracepoint_attach(const char *name, void *probe);
void skbstat_tracepoint_detach(const char *name, void *probe);

#endif /* _SKBSTAT_KMOD_TRACEPOINTS_H */
