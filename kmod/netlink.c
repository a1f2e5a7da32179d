// SPDX-License-Identifier: GPL-2.0
/*
 * The "skbstat" generic-netlink family, API version 1.
 *
 * A caller in the initial netns sees and resets every row; a caller in any
 * other netns only the rows of its own, and its status totals are the sums
 * of those rows.  A reset from such a netns is a view: the rows restart
 * from zero there, the host and every other netns see them as before.
 * Dumps read the tables under RCU and skbstat_retire_sem (which only the
 * retirement of a dead netns's rows takes for writing), never a lock that
 * a probe needs.
 */
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include "compat.h"
#include "hooks.h"
#include "names.h"
#include "netlink.h"

static struct genl_family skbstat_family;

static bool sees_all(const struct net *caller)
{
	return net_eq(caller, &init_net);
}

/* Who asks: which rows it sees, from which zero, and whether addresses. */
struct view {
	const struct net *net;
	bool all;		/* the initial netns: every row, since the table began */
	bool addresses;		/* CAP_SYSLOG in the initial user namespace */
};

static void view_of(struct view *v, const struct sk_buff *request)
{
	v->net = sock_net(request->sk);
	v->all = sees_all(v->net);
	v->addresses = netlink_capable(request, CAP_SYSLOG);
}

/* Rows a walk reads between chances to reschedule: a table may hold millions. */
#define WALK_BATCH	1024

/*
 * Copies the key of @row into @key if @v sees the row.  A netns sees the
 * rows of its cookie, which the kernel gives no other netns: never those
 * of a netns that died before it and had its inode number.
 */
static bool row_visible(const struct view *v, const struct skbstat_table *t, u32 row, void *key)
{
	if (!skbstat_table_key_copy(t, row, key))
		return false;
	return v->all || skbstat_key_cookie(t, key) == skbstat_net_cookie(v->net);
}

static int put_u64(struct sk_buff *skb, int type, u64 value, int pad)
{
	return nla_put_u64_64bit(skb, type, value, pad);
}

/* ---- GET_STATUS ---- */

struct hook_status {
	struct skbstat_totals totals;
	u32 rows;
	u32 limit;
	u32 longest_probe;
};

/*
 * Totals as @v may see them: a netns other than the initial one gets the sums
 * of its rows and its own share of table_full.
 */
static void hook_status(const struct skbstat_hook *hook, const struct view *v,
			struct hook_status *st)
{
	u64 sum[SKBSTAT_MAX_COUNTERS], key[SKBSTAT_MAX_KEY_WORDS];
	const struct skbstat_table *t;
	u32 row, rows;

	/* The caller holds the config lock: no reset can free the table meanwhile. */
	t = rcu_dereference_protected(hook->table, lockdep_is_held(&skbstat_config_lock));
	rows = skbstat_table_rows(t);
	st->limit = t->limit;
	st->rows = skbstat_table_used(t);
	st->longest_probe = READ_ONCE(t->longest_probe);
	if (v->all) {
		skbstat_table_totals(t, hook->events_counter, hook->bytes_counter, &st->totals);
		return;
	}
	/* The view's own: its rows and its events that found the table full. */
	st->totals.table_full = skbstat_table_netns_full(t, skbstat_net_cookie(v->net));
	st->totals.events = st->totals.table_full;
	st->totals.bytes = 0;
	st->rows = 0;
	for (row = 0; row < rows; row++) {
		if (!(row % WALK_BATCH))
			cond_resched();
		if (!row_visible(v, t, row, key))
			continue;
		skbstat_table_row_sum(t, row, true, sum);
		st->totals.events += sum[hook->events_counter];
		st->totals.bytes += sum[hook->bytes_counter];
		st->rows++;
	}
}

/*
 * What the probes of @hook lose: hits the kernel skipped, and what its mode
 * cannot see.  Both are the hook's, not a netns's: every view gets them.
 */
static int put_hook_probe_health(struct sk_buff *skb, const struct skbstat_hook *hook)
{
	const char *gaps = hook->ops[hook->mode]->gaps;

	return put_u64(skb, SKBSTAT_HOOK_ATTR_MISSED, skbstat_hook_missed(hook),
		       SKBSTAT_HOOK_ATTR_PAD) ||
	       (gaps && nla_put_string(skb, SKBSTAT_HOOK_ATTR_GAPS, gaps));
}

/*
 * The memory of @hook's table, as it was allocated: the same for every
 * view (the table is the whole machine's).
 */
static int put_hook_memory(struct sk_buff *skb, const struct skbstat_hook *hook)
{
	const struct skbstat_table *t;

	t = rcu_dereference_protected(hook->table, lockdep_is_held(&skbstat_config_lock));
	if (put_u64(skb, SKBSTAT_HOOK_ATTR_MEM_BYTES, t->mem.bytes, SKBSTAT_HOOK_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_HOOK_ATTR_MEM_PERCPU_BYTES, t->mem.percpu,
		    SKBSTAT_HOOK_ATTR_PAD) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_POSSIBLE_CPUS, num_possible_cpus()))
		return -EMSGSIZE;
	return 0;
}

static int put_hook_status(struct sk_buff *skb, const struct skbstat_hook *hook,
			   const struct view *v)
{
	struct hook_status st;
	struct nlattr *nest;

	hook_status(hook, v, &st);
	nest = nla_nest_start(skb, SKBSTAT_ATTR_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SKBSTAT_HOOK_ATTR_ID, hook->id) ||
	    nla_put_string(skb, SKBSTAT_HOOK_ATTR_NAME, hook->name) ||
	    nla_put_u8(skb, SKBSTAT_HOOK_ATTR_ATTACHED, hook->attached) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_MODE, hook->mode) ||
	    put_u64(skb, SKBSTAT_HOOK_ATTR_EVENTS, st.totals.events, SKBSTAT_HOOK_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_HOOK_ATTR_BYTES, st.totals.bytes, SKBSTAT_HOOK_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_HOOK_ATTR_TABLE_FULL, st.totals.table_full,
		    SKBSTAT_HOOK_ATTR_PAD) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_ROWS, st.rows) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_LIMIT, st.limit) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_LONGEST_PROBE, st.longest_probe) ||
	    put_hook_probe_health(skb, hook) ||
	    put_hook_memory(skb, hook)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int skbstat_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct view v;
	void *hdr;
	int i, err;

	view_of(&v, skb);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &skbstat_family, 0, SKBSTAT_CMD_GET_STATUS);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	err = nla_put_u32(msg, SKBSTAT_ATTR_VERSION, SKBSTAT_GENL_VERSION);
	if (!err)
		err = nla_put_u8(msg, SKBSTAT_ATTR_DROP_REASONS, SKBSTAT_KERNEL_HAS_DROP_REASONS);
	mutex_lock(&skbstat_config_lock);
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++)
		err = put_hook_status(msg, skbstat_hooks[i], &v);
	mutex_unlock(&skbstat_config_lock);
	if (err)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return err;
}

/* ---- row dumps: one message per row ---- */

struct row_dumper {
	struct skbstat_hook *hook;
	u8 cmd;
	int attr;
	int (*put)(struct sk_buff *skb, const struct view *v, const struct skbstat_table *t,
		   u32 row, const void *key, const u64 *sum);
};

static int put_drop(struct sk_buff *skb, const struct view *v, const struct skbstat_table *t,
		    u32 row, const void *row_key, const u64 *sum)
{
	const struct skbstat_drop_key *key = row_key;
	char location[KSYM_SYMBOL_LEN], dev[IFNAMSIZ];

	skbstat_symbolize(location, sizeof(location), key->location, v->addresses);
	if (nla_put_u32(skb, SKBSTAT_DROP_ATTR_REASON, key->reason) ||
	    /* The netns gone row, and no other, has no location. */
	    (key->location && nla_put_string(skb, SKBSTAT_DROP_ATTR_LOCATION, location)) ||
	    nla_put_u32(skb, SKBSTAT_DROP_ATTR_IFINDEX, key->ifindex) ||
	    (skbstat_dev_name(key->netns_cookie, key->ifindex, dev) &&
	     nla_put_string(skb, SKBSTAT_DROP_ATTR_DEV, dev)) ||
	    nla_put_u32(skb, SKBSTAT_DROP_ATTR_NETNS, key->netns) ||
	    nla_put_u16(skb, SKBSTAT_DROP_ATTR_PROTO, key->proto) ||
	    put_u64(skb, SKBSTAT_DROP_ATTR_PACKETS, sum[0], SKBSTAT_DROP_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_DROP_ATTR_BYTES, sum[1], SKBSTAT_DROP_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * First and last seen, and the state at the last retransmit: the row's one
 * copy.  The probe stores jiffies (nonzero: jiffies_64 starts at
 * INITIAL_JIFFIES and only grows); they are given as CLOCK_MONOTONIC ns, at
 * the tick's resolution, by their distance from now: jiffies and
 * CLOCK_MONOTONIC both advance with the tick and both stop in suspend.
 */
static void flow_times(const struct skbstat_table *t, u32 row, u64 *first, u64 *last, u8 *state)
{
	const struct skbstat_flow_count *c = skbstat_table_shared_val(t, row);
	u64 now_j, now_ns;

	*first = atomic64_read(&c->first_jiffies);
	*last = atomic64_read(&c->last_jiffies);
	*state = READ_ONCE(c->state);
	if (!*last)
		return;
	now_ns = ktime_get_ns();
	now_j = get_jiffies_64();
	*first = now_ns - min(now_ns, jiffies64_to_nsecs(now_j - *first));
	*last = now_ns - min(now_ns, jiffies64_to_nsecs(now_j - *last));
}

/*
 * Whether the flows hook's mode sees failed retransmits: its return probe
 * always, the tracepoint since it has the error (6.17).  Otherwise failed
 * is left out, which userspace shows as unknown rather than as 0.
 */
static bool flows_see_failed(void)
{
	return skbstat_flows_hook.mode == SKBSTAT_MODE_KPROBE || SKBSTAT_RETRANSMIT_TP_SEES_FAILED;
}

/* The netns gone row has family AF_UNSPEC and no addresses. */
static int put_flow(struct sk_buff *skb, const struct view *v, const struct skbstat_table *t,
		    u32 row, const void *row_key, const u64 *sum)
{
	const struct skbstat_flow_key *key = row_key;
	int alen = skbstat_flow_addr_len(key);
	u64 first, last;
	u8 state;

	flow_times(t, row, &first, &last, &state);
	if (nla_put_u32(skb, SKBSTAT_FLOW_ATTR_NETNS, key->netns) ||
	    nla_put_u8(skb, SKBSTAT_FLOW_ATTR_FAMILY, key->family) ||
	    (alen && nla_put(skb, SKBSTAT_FLOW_ATTR_SADDR, alen, skbstat_flow_saddr(key))) ||
	    (alen && nla_put(skb, SKBSTAT_FLOW_ATTR_DADDR, alen, skbstat_flow_daddr(key))) ||
	    nla_put_u16(skb, SKBSTAT_FLOW_ATTR_SPORT, key->sport) ||
	    nla_put_u16(skb, SKBSTAT_FLOW_ATTR_DPORT, key->dport) ||
	    put_u64(skb, SKBSTAT_FLOW_ATTR_RETRANSMITS, sum[0], SKBSTAT_FLOW_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_FLOW_ATTR_BYTES, sum[1], SKBSTAT_FLOW_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_FLOW_ATTR_EVENTS, sum[2], SKBSTAT_FLOW_ATTR_PAD) ||
	    nla_put_u8(skb, SKBSTAT_FLOW_ATTR_STATE, state) ||
	    put_u64(skb, SKBSTAT_FLOW_ATTR_FIRST_NS, first, SKBSTAT_FLOW_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_FLOW_ATTR_LAST_NS, last, SKBSTAT_FLOW_ATTR_PAD) ||
	    (flows_see_failed() &&
	     put_u64(skb, SKBSTAT_FLOW_ATTR_FAILED, sum[3], SKBSTAT_FLOW_ATTR_PAD)))
		return -EMSGSIZE;
	return 0;
}

static int put_queue(struct sk_buff *skb, const struct view *v, const struct skbstat_table *t,
		     u32 row, const void *row_key, const u64 *sum)
{
	const struct skbstat_queue_key *key = row_key;
	char dev[IFNAMSIZ];
	struct nlattr *hist;
	int i;

	if (nla_put_u32(skb, SKBSTAT_QUEUE_ATTR_NETNS, key->netns) ||
	    nla_put_u32(skb, SKBSTAT_QUEUE_ATTR_IFINDEX, key->ifindex) ||
	    (skbstat_dev_name(key->netns_cookie, key->ifindex, dev) &&
	     nla_put_string(skb, SKBSTAT_QUEUE_ATTR_DEV, dev)) ||
	    nla_put_u16(skb, SKBSTAT_QUEUE_ATTR_QUEUE, key->queue) ||
	    put_u64(skb, SKBSTAT_QUEUE_ATTR_PACKETS, sum[0], SKBSTAT_QUEUE_ATTR_PAD) ||
	    put_u64(skb, SKBSTAT_QUEUE_ATTR_BYTES, sum[1], SKBSTAT_QUEUE_ATTR_PAD))
		return -EMSGSIZE;
	hist = nla_nest_start(skb, SKBSTAT_QUEUE_ATTR_HIST);
	if (!hist)
		return -EMSGSIZE;
	/*
	 * Bucket i is attribute i + 1.  Where u64 must be aligned, the kernel
	 * pads with attributes of type 0, which readers skip.
	 */
	for (i = 0; i < SKBSTAT_HIST_BUCKETS; i++)
		if (nla_put_u64_64bit(skb, i + 1, sum[2 + i], 0))
			return -EMSGSIZE;
	nla_nest_end(skb, hist);
	return 0;
}

static int put_row(struct sk_buff *skb, struct netlink_callback *cb, const struct view *v,
		   const struct row_dumper *d, const struct skbstat_table *t, u32 row,
		   const void *key)
{
	u64 sum[SKBSTAT_MAX_COUNTERS];
	struct nlattr *nest;
	void *hdr;

	skbstat_table_row_sum(t, row, !v->all, sum);
	/* A row whose netns was reset and has seen nothing since. */
	if (!sum[d->hook->events_counter])
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &skbstat_family, NLM_F_MULTI, d->cmd);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, d->attr);
	if (!nest || d->put(skb, v, t, row, key, sum)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the next row; cb->seq: the table generation, so a reset mid-dump is flagged. */
static int dump_rows(struct sk_buff *skb, struct netlink_callback *cb, const struct row_dumper *d)
{
	u64 key[SKBSTAT_MAX_KEY_WORDS];
	const struct skbstat_table *t;
	struct view v;
	u32 row, rows;
	int err = 0;

	view_of(&v, cb->skb);
	down_read(&skbstat_retire_sem);
	rcu_read_lock();
	t = rcu_dereference(d->hook->table);
	cb->seq = READ_ONCE(d->hook->generation) + 1;
	rows = skbstat_table_rows(t);
	for (row = cb->args[0]; row < rows; row++) {
		/*
		 * A container's dump may skip millions of the host's rows:
		 * let others run.  A reset meanwhile gives a new table; the
		 * walk goes on in it, and the new generation flags the dump
		 * as interrupted (NLM_F_DUMP_INTR) from its next message on.
		 */
		if (row != cb->args[0] && !(row % WALK_BATCH) && need_resched()) {
			rcu_read_unlock();
			up_read(&skbstat_retire_sem);
			cond_resched();
			down_read(&skbstat_retire_sem);
			rcu_read_lock();
			t = rcu_dereference(d->hook->table);
			cb->seq = READ_ONCE(d->hook->generation) + 1;
			rows = skbstat_table_rows(t);
			if (row >= rows)
				break;
		}
		if (!row_visible(&v, t, row, key))
			continue;
		err = put_row(skb, cb, &v, d, t, row, key);
		if (err)
			break;
	}
	rcu_read_unlock();
	up_read(&skbstat_retire_sem);
	cb->args[0] = row;
	/* A row too big for an empty message would stall the dump forever. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int skbstat_dump_drops(struct sk_buff *skb, struct netlink_callback *cb)
{
	static const struct row_dumper d = {
		&skbstat_drops_hook, SKBSTAT_CMD_GET_DROPS, SKBSTAT_ATTR_DROP, put_drop,
	};

	return dump_rows(skb, cb, &d);
}

static int skbstat_dump_flows(struct sk_buff *skb, struct netlink_callback *cb)
{
	static const struct row_dumper d = {
		&skbstat_flows_hook, SKBSTAT_CMD_GET_FLOWS, SKBSTAT_ATTR_FLOW, put_flow,
	};

	return dump_rows(skb, cb, &d);
}

static int skbstat_dump_queues(struct sk_buff *skb, struct netlink_callback *cb)
{
	static const struct row_dumper d = {
		&skbstat_queues_hook, SKBSTAT_CMD_GET_QUEUES, SKBSTAT_ATTR_QUEUE, put_queue,
	};

	return dump_rows(skb, cb, &d);
}

static int skbstat_dump_reasons(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 id = cb->args[0];
	struct nlattr *nest;
	const char *name;
	void *hdr;

	/* Names are copied into the message under the lock that keeps them. */
	rcu_read_lock();
	for (; (name = skbstat_reason_find(&id)); id++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &skbstat_family, NLM_F_MULTI, SKBSTAT_CMD_GET_REASONS);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, SKBSTAT_ATTR_REASON);
		if (!nest || nla_put_u32(skb, SKBSTAT_REASON_ATTR_ID, id) ||
		    nla_put_string(skb, SKBSTAT_REASON_ATTR_NAME, name)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	/* Past the last reason, the next call finds none and ends the dump. */
	cb->args[0] = name ? id : U32_MAX;
	return skb->len;
}

/* ---- RESET and SET_CONFIG ---- */

/* The hooks a request names: the one in SKBSTAT_ATTR_HOOK_ID, or all. */
static bool hook_selected(const struct genl_info *info, int id)
{
	const struct nlattr *attr = info->attrs[SKBSTAT_ATTR_HOOK_ID];

	return !attr || nla_get_u32(attr) == id;
}

static int skbstat_reset(struct sk_buff *skb, struct genl_info *info)
{
	const struct net *caller = genl_info_net(info);
	struct skbstat_table *t;
	int i, err = 0;

	mutex_lock(&skbstat_config_lock);
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++) {
		if (!hook_selected(info, i))
			continue;
		if (sees_all(caller)) {
			err = skbstat_hook_reset(skbstat_hooks[i]);
			continue;
		}
		t = rcu_dereference_protected(skbstat_hooks[i]->table,
					      lockdep_is_held(&skbstat_config_lock));
		skbstat_table_rebase(t, skbstat_net_cookie(caller));
	}
	mutex_unlock(&skbstat_config_lock);
	if (err)
		GENL_SET_ERR_MSG(info, "no memory for a new table");
	return err;
}

/* How a hook is configured: SET_CONFIG changes these and nothing else. */
struct hook_config {
	bool attached;
	enum skbstat_attach_mode mode;
};

static int apply_hook_config(struct skbstat_hook *hook, const struct hook_config *c)
{
	if (hook->attached && (!c->attached || c->mode != hook->mode))
		skbstat_hook_detach(hook);
	hook->mode = c->mode;
	return c->attached ? skbstat_hook_attach(hook, c->mode) : 0;
}

/* Why a hook could not attach, for the extack: its name and the error. */
static void report_attach_error(struct genl_info *info, const struct skbstat_hook *hook,
				int err)
{
#ifdef NL_SET_ERR_MSG_FMT
	NL_SET_ERR_MSG_FMT(info->extack, "cannot attach %s in %s mode: error %d", hook->name,
			   skbstat_mode_name(hook->mode), err);
#else
	/* The extack keeps a pointer: the messages must be literals. */
	switch (hook->id) {
	case SKBSTAT_HOOK_DROPS:
		GENL_SET_ERR_MSG(info, "cannot attach skb:kfree_skb in this mode (see dmesg)");
		break;
	case SKBSTAT_HOOK_FLOWS:
		GENL_SET_ERR_MSG(info, "cannot attach tcp:tcp_retransmit_skb in this mode "
				 "(see dmesg)");
		break;
	default:
		GENL_SET_ERR_MSG(info, "cannot attach net:net_dev_queue in this mode (see dmesg)");
		break;
	}
#endif
	pr_warn("cannot attach %s in %s mode: %d; every hook is back as it was\n", hook->name,
		skbstat_mode_name(hook->mode), err);
}

/*
 * All or nothing: when a hook cannot attach, every hook the request
 * changed goes back to what it was (the rollback attaches what was
 * attached before, so it can only fail where the kernel itself changed).
 */
static int skbstat_set_config(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *mode_attr = info->attrs[SKBSTAT_ATTR_MODE];
	const struct nlattr *enabled_attr = info->attrs[SKBSTAT_ATTR_ENABLED];
	struct hook_config old[SKBSTAT_HOOK_COUNT], want;
	struct skbstat_hook *hook;
	int i, failed = -1, err = 0;

	if (!mode_attr && !enabled_attr) {
		GENL_SET_ERR_MSG(info, "nothing to set: give a mode, enabled, or both");
		return -EINVAL;
	}
	mutex_lock(&skbstat_config_lock);
	for (i = 0; i < SKBSTAT_HOOK_COUNT; i++) {
		hook = skbstat_hooks[i];
		old[i] = (struct hook_config){ hook->attached, hook->mode };
		if (!hook_selected(info, i))
			continue;
		want.mode = mode_attr ? nla_get_u32(mode_attr) : hook->mode;
		want.attached = enabled_attr ? nla_get_u8(enabled_attr) : hook->attached;
		err = apply_hook_config(hook, &want);
		if (err) {
			report_attach_error(info, hook, err);
			failed = i;
			break;
		}
	}
	for (i = failed; i >= 0; i--) {
		hook = skbstat_hooks[i];
		if (apply_hook_config(hook, &old[i]))
			pr_err("cannot attach %s back in %s mode\n", hook->name,
			       skbstat_mode_name(old[i].mode));
	}
	mutex_unlock(&skbstat_config_lock);
	return err;
}

/* Requests that take no attribute: strict validation rejects any. */
static const struct nla_policy skbstat_no_attr_policy[SKBSTAT_ATTR_MAX + 1] = {};

static const struct nla_policy skbstat_reset_policy[SKBSTAT_ATTR_MAX + 1] = {
	[SKBSTAT_ATTR_HOOK_ID] = NLA_POLICY_MAX(NLA_U32, SKBSTAT_HOOK_COUNT - 1),
};

static const struct nla_policy skbstat_set_config_policy[SKBSTAT_ATTR_MAX + 1] = {
	[SKBSTAT_ATTR_HOOK_ID] = NLA_POLICY_MAX(NLA_U32, SKBSTAT_HOOK_COUNT - 1),
	[SKBSTAT_ATTR_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[SKBSTAT_ATTR_MODE] = NLA_POLICY_MAX(NLA_U32, SKBSTAT_MODE_COUNT - 1),
};

#define SKBSTAT_DUMP(_cmd, _dumpit) {				\
	.cmd = _cmd,						\
	.dumpit = _dumpit,					\
	.policy = skbstat_no_attr_policy,			\
	.maxattr = SKBSTAT_ATTR_MAX,				\
	.flags = GENL_UNS_ADMIN_PERM,				\
}

static const struct genl_ops skbstat_ops[] = {
	{
		.cmd = SKBSTAT_CMD_GET_STATUS,
		.doit = skbstat_get_status,
		.policy = skbstat_no_attr_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	SKBSTAT_DUMP(SKBSTAT_CMD_GET_DROPS, skbstat_dump_drops),
	SKBSTAT_DUMP(SKBSTAT_CMD_GET_FLOWS, skbstat_dump_flows),
	SKBSTAT_DUMP(SKBSTAT_CMD_GET_QUEUES, skbstat_dump_queues),
	SKBSTAT_DUMP(SKBSTAT_CMD_GET_REASONS, skbstat_dump_reasons),
	{
		.cmd = SKBSTAT_CMD_RESET,
		.doit = skbstat_reset,
		.policy = skbstat_reset_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		/* Attaching probes changes the whole machine: init user ns only. */
		.cmd = SKBSTAT_CMD_SET_CONFIG,
		.doit = skbstat_set_config,
		.policy = skbstat_set_config_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family skbstat_family __ro_after_init = {
	.name = SKBSTAT_GENL_NAME,
	.version = SKBSTAT_GENL_VERSION,
	.maxattr = SKBSTAT_ATTR_MAX,
	.netnsok = true,
	/*
	 * Not under the global genl lock: a reset waits for an RCU grace
	 * period and a mode switch for tracepoint probes to finish, which
	 * would stall every other genetlink family meanwhile.  The
	 * configuration has its own lock; dumps need RCU and the retire
	 * lock's read side.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = skbstat_ops,
	.n_ops = ARRAY_SIZE(skbstat_ops),
	/* Every command validates the header and its attributes strictly. */
	SKBSTAT_GENL_ALL_STRICT(SKBSTAT_CMD_UNSPEC + 1)
};

int skbstat_netlink_init(void)
{
	return genl_register_family(&skbstat_family);
}

void skbstat_netlink_exit(void)
{
	genl_unregister_family(&skbstat_family);
}
