/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * skbstat generic-netlink API, version 1.
 *
 * Shared by the kernel module and the CLI.  Every counter is a u64 with
 * SKBSTAT_*_PAD as its pad attribute; every row is one nested attribute
 * with one attribute per field.
 */
#ifndef _UAPI_LINUX_SKBSTAT_H
#define _UAPI_LINUX_SKBSTAT_H

#define SKBSTAT_GENL_NAME	"skbstat"
#define SKBSTAT_GENL_VERSION	1

/* The reason of every drop on a kernel that has no drop reasons (5.10). */
#define SKBSTAT_REASON_NONE	0xffffffffU

enum skbstat_cmd {
	SKBSTAT_CMD_UNSPEC,
	SKBSTAT_CMD_GET_STATUS,		/* do */
	SKBSTAT_CMD_GET_DROPS,		/* dump */
	SKBSTAT_CMD_GET_FLOWS,		/* dump */
	SKBSTAT_CMD_GET_QUEUES,		/* dump */
	SKBSTAT_CMD_GET_REASONS,	/* dump */
	SKBSTAT_CMD_RESET,		/* do */
	SKBSTAT_CMD_SET_CONFIG,		/* do */

	__SKBSTAT_CMD_MAX,
	SKBSTAT_CMD_MAX = __SKBSTAT_CMD_MAX - 1
};

/* The hooks, one per table. */
enum skbstat_hook_id {
	SKBSTAT_HOOK_DROPS,		/* skb:kfree_skb */
	SKBSTAT_HOOK_FLOWS,		/* tcp:tcp_retransmit_skb */
	SKBSTAT_HOOK_QUEUES,		/* net:net_dev_queue */

	SKBSTAT_HOOK_COUNT
};

enum skbstat_attach_mode {
	SKBSTAT_MODE_TRACEPOINT,
	SKBSTAT_MODE_KPROBE,

	SKBSTAT_MODE_COUNT
};

/* Top-level attributes of every command. */
enum skbstat_attr {
	SKBSTAT_ATTR_UNSPEC,
	SKBSTAT_ATTR_PAD,
	SKBSTAT_ATTR_VERSION,		/* u32: API version (GET_STATUS reply) */
	SKBSTAT_ATTR_HOOK,		/* nest: skbstat_hook_attr (GET_STATUS reply) */
	SKBSTAT_ATTR_DROP,		/* nest: skbstat_drop_attr (GET_DROPS reply) */
	SKBSTAT_ATTR_FLOW,		/* nest: skbstat_flow_attr (GET_FLOWS reply) */
	SKBSTAT_ATTR_QUEUE,		/* nest: skbstat_queue_attr (GET_QUEUES reply) */
	SKBSTAT_ATTR_REASON,		/* nest: skbstat_reason_attr (GET_REASONS reply) */
	SKBSTAT_ATTR_HOOK_ID,		/* u32: enum skbstat_hook_id (RESET, SET_CONFIG) */
	SKBSTAT_ATTR_ENABLED,		/* u8: 0 or 1 (SET_CONFIG) */
	SKBSTAT_ATTR_MODE,		/* u32: enum skbstat_attach_mode (SET_CONFIG) */
	SKBSTAT_ATTR_DROP_REASONS,	/* u8: 1 when the kernel has drop reasons (GET_STATUS) */

	__SKBSTAT_ATTR_MAX,
	SKBSTAT_ATTR_MAX = __SKBSTAT_ATTR_MAX - 1
};

/* Per-hook status, nested in SKBSTAT_ATTR_HOOK. */
enum skbstat_hook_attr {
	SKBSTAT_HOOK_ATTR_UNSPEC,
	SKBSTAT_HOOK_ATTR_PAD,
	SKBSTAT_HOOK_ATTR_ID,		/* u32: enum skbstat_hook_id */
	SKBSTAT_HOOK_ATTR_NAME,		/* string: "skb:kfree_skb", ... */
	SKBSTAT_HOOK_ATTR_ATTACHED,	/* u8 */
	SKBSTAT_HOOK_ATTR_MODE,		/* u32: enum skbstat_attach_mode */
	SKBSTAT_HOOK_ATTR_EVENTS,	/* u64: every event the hook saw */
	SKBSTAT_HOOK_ATTR_BYTES,	/* u64 */
	SKBSTAT_HOOK_ATTR_TABLE_FULL,	/* u64: events that found no row */
	SKBSTAT_HOOK_ATTR_ROWS,		/* u32: rows in use */
	SKBSTAT_HOOK_ATTR_LIMIT,	/* u32: row limit */
	SKBSTAT_HOOK_ATTR_LONGEST_PROBE, /* u32: most slots a lookup walks (1: none moved) */
	SKBSTAT_HOOK_ATTR_MISSED,	/* u64: hits the kernel skipped (kprobe nmissed), since attach */
	SKBSTAT_HOOK_ATTR_GAPS,		/* string: events of the tracepoint the mode cannot see */
	SKBSTAT_HOOK_ATTR_MEM_BYTES,	/* u64: kernel memory the table took, all of it */
	SKBSTAT_HOOK_ATTR_MEM_PERCPU_BYTES, /* u64: of it, the per-CPU copies, summed */
	SKBSTAT_HOOK_ATTR_POSSIBLE_CPUS, /* u32: CPUs it has a per-CPU copy for */

	__SKBSTAT_HOOK_ATTR_MAX,
	SKBSTAT_HOOK_ATTR_MAX = __SKBSTAT_HOOK_ATTR_MAX - 1
};

/* One drop row, nested in SKBSTAT_ATTR_DROP. */
enum skbstat_drop_attr {
	SKBSTAT_DROP_ATTR_UNSPEC,
	SKBSTAT_DROP_ATTR_PAD,
	SKBSTAT_DROP_ATTR_REASON,	/* u32: raw enum skb_drop_reason */
	SKBSTAT_DROP_ATTR_LOCATION,	/* string: "func+0xoff" */
	SKBSTAT_DROP_ATTR_IFINDEX,	/* u32: 0 when the skb had no device */
	SKBSTAT_DROP_ATTR_DEV,		/* string: device name, when it still exists */
	SKBSTAT_DROP_ATTR_NETNS,	/* u32: netns inode */
	SKBSTAT_DROP_ATTR_PROTO,	/* u16: L3 protocol (ETH_P_*), host order */
	SKBSTAT_DROP_ATTR_PACKETS,	/* u64 */
	SKBSTAT_DROP_ATTR_BYTES,	/* u64 */

	__SKBSTAT_DROP_ATTR_MAX,
	SKBSTAT_DROP_ATTR_MAX = __SKBSTAT_DROP_ATTR_MAX - 1
};

/* One retransmitting flow, nested in SKBSTAT_ATTR_FLOW. */
enum skbstat_flow_attr {
	SKBSTAT_FLOW_ATTR_UNSPEC,
	SKBSTAT_FLOW_ATTR_PAD,
	SKBSTAT_FLOW_ATTR_NETNS,	/* u32 */
	SKBSTAT_FLOW_ATTR_FAMILY,	/* u8: AF_INET or AF_INET6 */
	SKBSTAT_FLOW_ATTR_SADDR,	/* binary: 4 or 16 bytes, network order */
	SKBSTAT_FLOW_ATTR_DADDR,	/* binary: 4 or 16 bytes, network order */
	SKBSTAT_FLOW_ATTR_SPORT,	/* u16, host order */
	SKBSTAT_FLOW_ATTR_DPORT,	/* u16, host order */
	SKBSTAT_FLOW_ATTR_RETRANSMITS,	/* u64: segments */
	SKBSTAT_FLOW_ATTR_BYTES,	/* u64 */
	SKBSTAT_FLOW_ATTR_STATE,	/* u8: last TCP state (TCP_ESTABLISHED, ...) */
	SKBSTAT_FLOW_ATTR_FIRST_NS,	/* u64: ktime_get_ns() of the first retransmit */
	SKBSTAT_FLOW_ATTR_LAST_NS,	/* u64: ktime_get_ns() of the last retransmit */
	SKBSTAT_FLOW_ATTR_EVENTS,	/* u64: retransmit calls counted, failed ones too */
	/*
	 * u64: segments of failed retransmit attempts, as TCPRetransFail counts
	 * them; absent when the hook's mode cannot see failures (the
	 * tracepoint before 6.17).
	 */
	SKBSTAT_FLOW_ATTR_FAILED,

	__SKBSTAT_FLOW_ATTR_MAX,
	SKBSTAT_FLOW_ATTR_MAX = __SKBSTAT_FLOW_ATTR_MAX - 1
};

/* One device transmit queue, nested in SKBSTAT_ATTR_QUEUE. */
enum skbstat_queue_attr {
	SKBSTAT_QUEUE_ATTR_UNSPEC,
	SKBSTAT_QUEUE_ATTR_PAD,
	SKBSTAT_QUEUE_ATTR_NETNS,	/* u32 */
	SKBSTAT_QUEUE_ATTR_IFINDEX,	/* u32 */
	SKBSTAT_QUEUE_ATTR_DEV,		/* string */
	SKBSTAT_QUEUE_ATTR_QUEUE,	/* u16: skb->queue_mapping */
	SKBSTAT_QUEUE_ATTR_PACKETS,	/* u64 */
	SKBSTAT_QUEUE_ATTR_BYTES,	/* u64 */
	SKBSTAT_QUEUE_ATTR_HIST,	/* nest of u64, type = bucket + 1; type 0 is padding */

	__SKBSTAT_QUEUE_ATTR_MAX,
	SKBSTAT_QUEUE_ATTR_MAX = __SKBSTAT_QUEUE_ATTR_MAX - 1
};

/* One drop reason of the running kernel, nested in SKBSTAT_ATTR_REASON. */
enum skbstat_reason_attr {
	SKBSTAT_REASON_ATTR_UNSPEC,
	SKBSTAT_REASON_ATTR_ID,		/* u32 */
	SKBSTAT_REASON_ATTR_NAME,	/* string, without the SKB_DROP_REASON_ prefix */

	__SKBSTAT_REASON_ATTR_MAX,
	SKBSTAT_REASON_ATTR_MAX = __SKBSTAT_REASON_ATTR_MAX - 1
};

#endif /* _UAPI_LINUX_SKBSTAT_H */
