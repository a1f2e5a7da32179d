// SPDX-License-Identifier: GPL-2.0
/*
 * tcp:tcp_retransmit_skb: one row per TCP flow that retransmits, counting
 * segments as TcpRetransSegs does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "compat.h"
#include "skbstat.h"

/*
 * What this hook may follow: tcp_retransmit_skb fires from
 * __tcp_retransmit_skb() with sk a full TCP socket that the caller owns
 * (socket lock or the retransmit timer's bh_lock_sock) and skb an skb of
 * its write or retransmit queue, both valid for the call.  Only sk's own
 * fields (addresses, ports, state, netns) and skb's scalars are read;
 * skb->dev and skb->sk are not used.  A kernel socket (NFS, iSCSI) may
 * retransmit while its netns is dismantled: that counts in the netns gone
 * row (skbstat_net_alive()), a key of all zeros.
 */
static void flow_key(const struct sock *sk, struct skbstat_flow_key *key)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct net *net = sock_net(sk);

	if (unlikely(!skbstat_net_alive(net)))
		return;
	key->netns = net->ns.inum;
	key->netns_cookie = net->net_cookie;
	key->family = sk->sk_family;
	key->sport = ntohs(inet->inet_sport);
	key->dport = ntohs(sk->sk_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(key->saddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(key->daddr, &sk->sk_v6_daddr, 16);
		return;
	}
#endif
	memcpy(key->saddr, &sk->sk_rcv_saddr, 4);
	memcpy(key->daddr, &sk->sk_daddr, 4);
}

void skbstat_count_retransmit(const struct sock *sk, const struct sk_buff *skb)
{
	struct skbstat_table *t = rcu_dereference_sched(skbstat_flows_hook.table);
	struct skbstat_flow_key key = {};
	struct skbstat_flow_count *count;
	u64 now;

	flow_key(sk, &key);
	count = skbstat_table_hit(t, &key, skb->len);
	if (!count)
		return;
	now = ktime_get_ns();
	local64_add(tcp_skb_pcount(skb), &count->retransmits);
	local64_add(skb->len, &count->bytes);
	local64_inc(&count->events);
	/* Only the first writer on this CPU sets it; a nested one finds it set. */
	if (!local64_read(&count->first_ns))
		local64_set(&count->first_ns, now);
	local64_set(&count->last_ns, now);
	WRITE_ONCE(count->state, sk->sk_state);
}

static void skbstat_tcp_retransmit_skb(SKBSTAT_TCP_RETRANSMIT_SKB_ARGS(sk, skb, err))
{
	if (SKBSTAT_TCP_RETRANSMIT_FAILED(err))
		return;
	skbstat_count_retransmit(sk, skb);
}

static int flows_attach(struct skbstat_hook *hook)
{
	if (hook->mode == SKBSTAT_MODE_KPROBE)
		return skbstat_flows_kprobe_attach();
	return skbstat_tracepoint_attach("tcp_retransmit_skb", skbstat_tcp_retransmit_skb);
}

static void flows_detach(struct skbstat_hook *hook)
{
	if (hook->mode == SKBSTAT_MODE_KPROBE)
		skbstat_flows_kprobe_detach();
	else
		skbstat_tracepoint_detach("tcp_retransmit_skb", skbstat_tcp_retransmit_skb);
}

struct skbstat_hook skbstat_flows_hook = {
	.id = SKBSTAT_HOOK_FLOWS,
	.name = SKBSTAT_HOOK_NAME_FLOWS,
	.shape = {
		.limit = SKBSTAT_DEFAULT_FLOW_ROWS,
		.key_size = sizeof(struct skbstat_flow_key),
		.cookie_off = offsetof(struct skbstat_flow_key, netns_cookie),
		.val_size = sizeof(struct skbstat_flow_count),
		.counters = 3,
	},
	.events_counter = 2,
	.bytes_counter = 1,
	.mode = SKBSTAT_MODE_TRACEPOINT,
	.attach = flows_attach,
	.detach = flows_detach,
};
