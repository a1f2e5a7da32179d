/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Facts about the hooks that the module, the BPF programs and the CLI must
 * agree on.  Raw layouts shared with BPF maps live in tables.h.
 */
#ifndef _SKBSTAT_HOOKS_H
#define _SKBSTAT_HOOKS_H

/*
 * Transmit sizes are counted in log2 buckets: bucket 0 holds sizes 0 and 1,
 * bucket i holds [2^i, 2^(i+1)), the last bucket holds everything larger.
 * 17 buckets reach 64 KiB, the largest GSO packet.
 */
#define SKBSTAT_HIST_BUCKETS	17

/* Default row limits (module parameters and BPF options override them). */
#define SKBSTAT_DEFAULT_DROP_ROWS	8192
#define SKBSTAT_DEFAULT_FLOW_ROWS	16384
#define SKBSTAT_DEFAULT_QUEUE_ROWS	1024

#define SKBSTAT_HOOK_NAME_DROPS		"skb:kfree_skb"
#define SKBSTAT_HOOK_NAME_FLOWS		"tcp:tcp_retransmit_skb"
#define SKBSTAT_HOOK_NAME_QUEUES	"net:net_dev_queue"

#endif /* _SKBSTAT_HOOKS_H */
