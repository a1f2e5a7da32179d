// SPDX-License-Identifier: GPL-2.0
/*
 * Names for what the rows hold as numbers: code addresses and devices.
 */
#include <linux/kallsyms.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "compat.h"
#include "devices.h"
#include "names.h"

/*
 * "func+0x1a2" or "func+0x1a2 [module]": what %pS prints without the
 * "/0xsize" part, which the BPF backend cannot know from /proc/kallsyms.
 * An address that names no symbol (text of a module unloaded since) is
 * printed raw only for @addresses (a caller with CAP_SYSLOG in the initial
 * user namespace, as /proc/kallsyms decides), else as "?".
 */
void skbstat_symbolize(char *buf, size_t len, u64 addr, bool addresses)
{
	char sym[KSYM_SYMBOL_LEN];
	char *size, *mod;

	sprint_symbol(sym, (unsigned long)addr);
	size = strchr(sym, '/');
	if (!size) {
		strscpy(buf, addresses ? sym : "?", len);
		return;
	}
	mod = strchr(size, ' ');
	*size = '\0';
	if (mod)
		snprintf(buf, len, "%s%s", sym, mod);
	else
		strscpy(buf, sym, len);
}

/*
 * The name of device @ifindex in the netns with @cookie, else the name it
 * had when it went away; false if neither is known.
 */
bool skbstat_dev_name(u64 cookie, u32 ifindex, char name[IFNAMSIZ])
{
	struct net_device *dev = NULL;
	struct net *net;

	if (!ifindex)
		return false;
	rcu_read_lock();
	for_each_net_rcu(net) {
		if (skbstat_net_cookie(net) != cookie)
			continue;
		dev = dev_get_by_index_rcu(net, ifindex);
		if (dev)
			strscpy(name, dev->name, IFNAMSIZ);
		break;
	}
	rcu_read_unlock();
	return dev || skbstat_departed_name(cookie, ifindex, name);
}
