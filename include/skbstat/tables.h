/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table keys shared by the module and the BPF programs.  Both hash the raw
 * bytes of a key, so every key is padded explicitly and each of its bytes
 * written: zeroed before use, or (the module's IPv4 flow keys) set field by
 * field, padding included.
 *
 * A row's netns is its netns_cookie (net->net_cookie), which the kernel
 * never gives to another netns; the inode beside it is what users know
 * (ip netns identify, /proc/PID/ns/net) and is only displayed, because the
 * kernel hands a freed inode number to the next netns it makes.  A key with
 * cookie 0 is the "netns gone" row: where both backends fold the rows of a
 * netns that died, one row per table; its key is all zeros.
 */
#ifndef _SKBSTAT_TABLES_H
#define _SKBSTAT_TABLES_H

#include "hooks.h"

struct skbstat_drop_key {
	__u64 location;		/* caller of kfree_skb, a kernel text address */
	__u64 netns_cookie;	/* 0: not known, or the netns gone row */
	__u32 reason;		/* raw enum skb_drop_reason */
	__u32 ifindex;		/* 0 when the skb had no device */
	__u32 netns;		/* inode number of the netns, for display */
	__u16 proto;		/* L3 protocol, host order */
	__u16 pad;
};

/*
 * An IPv4 flow's two addresses sit side by side at the head of addr, so
 * that its key is decided by its first SKBSTAT_FLOW_KEY_IN_SIZE bytes (the
 * rest stays zero): both backends hash and compare only those
 * (skbstat_flow_key_hashed()), three words of seven fewer per IPv4 event.
 */
struct skbstat_flow_key {
	__u64 netns_cookie;
	__u32 netns;
	__u8 family;		/* AF_INET or AF_INET6 */
	__u8 pad;
	__u16 sport;		/* host order */
	__u16 dport;		/* host order */
	__u16 pad2;
	__u8 addr[32];		/* source then destination: 4 bytes each, or 16 */
	__u32 pad3;
};

#define SKBSTAT_FLOW_KEY_IN_SIZE	32	/* netns_cookie to both IPv4 addresses */
_Static_assert(__builtin_offsetof(struct skbstat_flow_key, addr) + 8 <= SKBSTAT_FLOW_KEY_IN_SIZE,
	       "an IPv4 flow key is decided by its first words");

/* AF_INET and AF_INET6, which the BPF programs' headers do not define. */
#define SKBSTAT_FAMILY_INET	2
#define SKBSTAT_FAMILY_INET6	10

/* The length of each address of a flow key; 0 for the netns gone row's. */
static inline unsigned int skbstat_flow_addr_len(const struct skbstat_flow_key *key)
{
	return key->family == SKBSTAT_FAMILY_INET ? 4 : key->family == SKBSTAT_FAMILY_INET6 ? 16 : 0;
}

static inline const __u8 *skbstat_flow_saddr(const struct skbstat_flow_key *key)
{
	return key->addr;
}

static inline const __u8 *skbstat_flow_daddr(const struct skbstat_flow_key *key)
{
	return key->addr + (key->family == SKBSTAT_FAMILY_INET ? 4 : 16);
}

/* The leading bytes of @key that decide it: every other byte is zero. */
static inline unsigned int skbstat_flow_key_hashed(const struct skbstat_flow_key *key)
{
	return key->family == SKBSTAT_FAMILY_INET ? SKBSTAT_FLOW_KEY_IN_SIZE : sizeof(*key);
}

struct skbstat_queue_key {
	__u64 netns_cookie;
	__u32 netns;
	__u32 ifindex;
	__u16 queue;		/* skb->queue_mapping */
	__u16 pad;
	__u32 pad2;
};

/* What a table row of each hook counts, summed over all CPUs. */
struct skbstat_drop_val {
	__u64 packets;
	__u64 bytes;
};

struct skbstat_flow_val {
	__u64 retransmits;	/* segments, as TcpRetransSegs counts */
	__u64 bytes;
	__u64 events;		/* retransmit calls, failed ones too; a GSO skb is one */
	__u64 failed;		/* segments of failed attempts, as TCPRetransFail counts */
	__u64 first_ns;
	__u64 last_ns;
	__u32 state;		/* TCP state at the last retransmit */
	__u32 pad;
};

struct skbstat_queue_val {
	__u64 packets;
	__u64 bytes;
	__u64 hist[SKBSTAT_HIST_BUCKETS];
};

/* Room for a row of any table (the BPF backend's netns gone carry). */
union skbstat_any_val {
	struct skbstat_drop_val drop;
	struct skbstat_flow_val flow;
	struct skbstat_queue_val queue;
};

/* Per-hook totals: events = sum of rows + table_full, always. */
struct skbstat_totals {
	__u64 events;
	__u64 bytes;
	__u64 table_full;
};

/*
 * The BPF backend pins its maps, and pins outlive a package upgrade: the
 * maps carry this stamp, bumped whenever a pinned map's type, key, value
 * or meaning changes, so that a CLI never reads another version's maps
 * with its own layout.
 */
#define SKBSTAT_PIN_LAYOUT	9	/* 9: IPv4 flows' addresses side by side */

/* The most namespaces whose rows the BPF backend checks for death at once. */
#define SKBSTAT_NETNS_CHECK_MAX	65536

/* The entries of the layout map: the stamp, the initial netns's inode, the hash key. */
enum {
	SKBSTAT_LAYOUT_STAMP,
	SKBSTAT_LAYOUT_INIT_NETNS,	/* written by the seed program at attach */
	SKBSTAT_LAYOUT_HASH_SEED,	/* the key of the tables' hash (skbstat/slots.h) */
	SKBSTAT_LAYOUT_ENTRIES
};

/* The BPF backend's record of device names (the module asks the kernel). */
#define SKBSTAT_IFNAMSIZ	16

struct skbstat_dev_key {
	__u64 netns_cookie;
	__u32 ifindex;
	__u32 pad;
};

struct skbstat_dev_name {
	char name[SKBSTAT_IFNAMSIZ];
};

/* The BPF backend's share of table_full of one netns in one hook's generation. */
struct skbstat_netns_full_key {
	__u64 netns_cookie;
	__u16 hook;
	__u16 generation;
	__u32 pad;
};

#endif /* _SKBSTAT_TABLES_H */
