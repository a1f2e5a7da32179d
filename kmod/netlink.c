// SPDX-License-Identifier: GPL-2.0
/*
 * The "skbstat" generic-netlink family, API version 1.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include "compat.h"
#include "skbstat.h"

static struct genl_family skbstat_family;

/* A caller in the initial netns sees every row; any other only its own. */
static bool row_visible(const struct net *caller, u32 netns)
{
	return net_eq(caller, &init_net) || caller->ns.inum == netns;
}

static int put_hook_status(struct sk_buff *skb, struct skbstat_hook *hook)
{
	struct skbstat_totals sum;
	struct skbstat_table *t;
	struct nlattr *nest;
	u32 rows;

	rcu_read_lock();
	t = rcu_dereference(hook->table);
	skbstat_table_totals(t, &sum);
	rows = skbstat_table_rows(t);
	rcu_read_unlock();

	nest = nla_nest_start(skb, SKBSTAT_ATTR_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SKBSTAT_HOOK_ATTR_ID, hook->id) ||
	    nla_put_string(skb, SKBSTAT_HOOK_ATTR_NAME, hook->name) ||
	    nla_put_u8(skb, SKBSTAT_HOOK_ATTR_ATTACHED, hook->attached) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_MODE, hook->mode) ||
	    nla_put_u64_64bit(skb, SKBSTAT_HOOK_ATTR_EVENTS, sum.events, SKBSTAT_HOOK_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SKBSTAT_HOOK_ATTR_BYTES, sum.bytes, SKBSTAT_HOOK_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SKBSTAT_HOOK_ATTR_TABLE_FULL, sum.table_full,
			      SKBSTAT_HOOK_ATTR_PAD) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_ROWS, rows) ||
	    nla_put_u32(skb, SKBSTAT_HOOK_ATTR_LIMIT, t->limit)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int skbstat_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int i, err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &skbstat_family, 0, SKBSTAT_CMD_GET_STATUS);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	err = nla_put_u32(msg, SKBSTAT_ATTR_VERSION, SKBSTAT_GENL_VERSION);
	mutex_lock(&skbstat_config_lock);
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++)
		if (skbstat_hooks[i])
			err = put_hook_status(msg, skbstat_hooks[i]);
	mutex_unlock(&skbstat_config_lock);
	if (err)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return err;
}

static void *dump_msg_start(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				&skbstat_family, NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static int put_drop_row(struct sk_buff *skb, struct netlink_callback *cb,
			const struct skbstat_table *t, u32 row)
{
	const struct skbstat_drop_key *key = skbstat_table_key(t, row);
	char location[KSYM_SYMBOL_LEN], dev[IFNAMSIZ];
	struct skbstat_drop_val sum = {};
	struct nlattr *nest;
	void *hdr;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct skbstat_drop_count *c = skbstat_table_val(t, cpu, row);

		sum.packets += local64_read(&c->packets);
		sum.bytes += local64_read(&c->bytes);
	}
	skbstat_symbolize(location, sizeof(location), key->location);

	hdr = dump_msg_start(skb, cb, SKBSTAT_CMD_GET_DROPS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, SKBSTAT_ATTR_DROP);
	if (!nest ||
	    nla_put_u32(skb, SKBSTAT_DROP_ATTR_REASON, key->reason) ||
	    nla_put_string(skb, SKBSTAT_DROP_ATTR_LOCATION, location) ||
	    nla_put_u32(skb, SKBSTAT_DROP_ATTR_IFINDEX, key->ifindex) ||
	    (skbstat_dev_name(key->netns, key->ifindex, dev) &&
	     nla_put_string(skb, SKBSTAT_DROP_ATTR_DEV, dev)) ||
	    nla_put_u32(skb, SKBSTAT_DROP_ATTR_NETNS, key->netns) ||
	    nla_put_u16(skb, SKBSTAT_DROP_ATTR_PROTO, key->proto) ||
	    nla_put_u64_64bit(skb, SKBSTAT_DROP_ATTR_PACKETS, sum.packets, SKBSTAT_DROP_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SKBSTAT_DROP_ATTR_BYTES, sum.bytes, SKBSTAT_DROP_ATTR_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the next row; cb->seq: the table generation, to flag resets. */
static int skbstat_dump_drops(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct net *caller = sock_net(cb->skb->sk);
	struct skbstat_hook *hook = &skbstat_drops_hook;
	const struct skbstat_drop_key *key;
	struct skbstat_table *t;
	u32 row, rows;
	int err = 0;

	rcu_read_lock();
	t = rcu_dereference(hook->table);
	cb->seq = READ_ONCE(hook->generation) + 1;
	rows = skbstat_table_rows(t);
	for (row = cb->args[0]; row < rows; row++) {
		key = skbstat_table_key(t, row);
		if (!row_visible(caller, key->netns))
			continue;
		err = put_drop_row(skb, cb, t, row);
		if (err)
			break;
	}
	rcu_read_unlock();
	cb->args[0] = row;
	/* A row too big for an empty message would stall the dump forever. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int skbstat_dump_reasons(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 id, count = skbstat_reason_count();
	struct nlattr *nest;
	const char *name;
	void *hdr;

	for (id = cb->args[0]; id < count; id++) {
		name = skbstat_reason_name(id);
		if (!name)
			continue;
		hdr = dump_msg_start(skb, cb, SKBSTAT_CMD_GET_REASONS);
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
	cb->args[0] = id;
	return skb->len;
}

static int skbstat_reset(struct sk_buff *skb, struct genl_info *info)
{
	int i, err = 0;

	if (!net_eq(genl_info_net(info), &init_net)) {
		GENL_SET_ERR_MSG(info, "reset is only possible from the initial netns for now");
		return -EOPNOTSUPP;
	}
	mutex_lock(&skbstat_config_lock);
	for (i = 0; !err && i < SKBSTAT_HOOK_COUNT; i++) {
		if (!skbstat_hooks[i])
			continue;
		if (info->attrs[SKBSTAT_ATTR_HOOK_ID] &&
		    nla_get_u32(info->attrs[SKBSTAT_ATTR_HOOK_ID]) != i)
			continue;
		err = skbstat_hook_reset(skbstat_hooks[i]);
	}
	mutex_unlock(&skbstat_config_lock);
	if (err)
		GENL_SET_ERR_MSG(info, "no memory for a new table");
	return err;
}

/* Requests that take no attribute: strict validation rejects any. */
static const struct nla_policy skbstat_no_attr_policy[SKBSTAT_ATTR_MAX + 1] = {};

static const struct nla_policy skbstat_reset_policy[SKBSTAT_ATTR_MAX + 1] = {
	[SKBSTAT_ATTR_HOOK_ID] = NLA_POLICY_MAX(NLA_U32, SKBSTAT_HOOK_COUNT - 1),
};

static const struct genl_ops skbstat_ops[] = {
	{
		.cmd = SKBSTAT_CMD_GET_STATUS,
		.doit = skbstat_get_status,
		.policy = skbstat_no_attr_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SKBSTAT_CMD_GET_DROPS,
		.dumpit = skbstat_dump_drops,
		.policy = skbstat_no_attr_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SKBSTAT_CMD_GET_REASONS,
		.dumpit = skbstat_dump_reasons,
		.policy = skbstat_no_attr_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SKBSTAT_CMD_RESET,
		.doit = skbstat_reset,
		.policy = skbstat_reset_policy,
		.maxattr = SKBSTAT_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family skbstat_family __ro_after_init = {
	.name = SKBSTAT_GENL_NAME,
	.version = SKBSTAT_GENL_VERSION,
	.maxattr = SKBSTAT_ATTR_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = skbstat_ops,
	.n_ops = ARRAY_SIZE(skbstat_ops),
	/* Every command validates the header and its attributes strictly. */
	.resv_start_op = SKBSTAT_CMD_UNSPEC + 1,
};

int skbstat_netlink_init(void)
{
	return genl_register_family(&skbstat_family);
}

void skbstat_netlink_exit(void)
{
	genl_unregister_family(&skbstat_family);
}
