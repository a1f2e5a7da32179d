/* SPDX-License-Identifier: GPL-2.0 */
/* The errno values the programs compare with: vmlinux.h has no macros. */
#ifndef _SKBSTAT_ERRNO_BPF_H
#define _SKBSTAT_ERRNO_BPF_H

#define EBUSY		16

#endif /* _SKBSTAT_ERRNO_BPF_H */
