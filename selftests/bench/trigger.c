// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's workload: events of one hook and nothing else, made in
 * the kernel so that a run costs the same every time.
 *
 *   echo "EVENTS [KEYS]" > /sys/kernel/debug/skbstat_bench/drops
 *	allocates an empty skb and frees it with kfree_skb_reason() EVENTS
 *	times (skb:kfree_skb); the L3 protocol cycles through KEYS values,
 *	so the drops table gets KEYS rows.
 *   echo EVENTS > /sys/kernel/debug/skbstat_bench/queues
 *	sends EVENTS 64-byte skbs through dev_queue_xmit() to the device
 *	named by xmit_dev (a dummy device that is up: net:net_dev_queue,
 *	then the dummy frees them with consume_skb(), which is no drop).
 *
 *   echo "EVENTS [KEYS]" > /sys/kernel/debug/skbstat_bench/flows
 *	runs the probes attached to tcp:tcp_retransmit_skb EVENTS times, as
 *	the kernel's trace_tcp_retransmit_skb() runs them, for an idle kernel
 *	TCP socket whose destination address cycles through KEYS values.  A
 *	real retransmit cannot be had alone (a connection, a lost segment, a
 *	timer); this is the tracepoint's dispatch with a real socket and skb,
 *	so it reaches probes on the tracepoint (modules, raw_tp and tp_btf
 *	BPF programs, perf events as bpftrace's) but no kprobe.
 *
 * Reading a file gives "EVENTS NANOSECONDS" of its last run, timed around
 * the loop alone (for flows, without the interrupts between its chunks).
 * Lab use only: it is never part of skbstat.ko.
 */
#include <linux/debugfs.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/net.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

/* Enough distinct protocols for a full flows-sized table, none of them real. */
#define BENCH_PROTO_BASE	0x1000
/* Flows go to 10.x.y.z (network order, one per key) from an unbound socket. */
#define BENCH_FLOW_DADDR_BASE	0x0a000000
#define BENCH_MAX_KEYS		16384
#define BENCH_XMIT_LEN		64
/* A cond_resched() now and then keeps a long run from starving the vCPU. */
#define BENCH_RESCHED_MASK	1023

static char *xmit_dev = "skbbench0";
module_param(xmit_dev, charp, 0444);
MODULE_PARM_DESC(xmit_dev, "Device the queues workload transmits to (a dummy device)");

struct bench_run {
	u64 events;
	u64 ns;
};

enum bench_workload {
	BENCH_DROPS,
	BENCH_QUEUES,
	BENCH_FLOWS,

	BENCH_WORKLOADS
};

static DEFINE_MUTEX(bench_lock);
static struct bench_run last_run[BENCH_WORKLOADS];
static struct dentry *bench_dir;
static struct tracepoint *retransmit_tp;
static struct socket *flow_sock;
static struct sk_buff *flow_skb;

static int run_drops(u64 events, u32 keys)
{
	struct sk_buff *skb;
	u32 key = 0;
	u64 i;

	for (i = 0; i < events; i++) {
		skb = alloc_skb(0, GFP_KERNEL);
		if (!skb)
			return -ENOMEM;
		skb->protocol = htons(BENCH_PROTO_BASE + key);
		if (++key == keys)
			key = 0;
		kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		if (!(i & BENCH_RESCHED_MASK))
			cond_resched();
	}
	return 0;
}

static int run_queues(u64 events)
{
	struct net_device *dev;
	struct sk_buff *skb;
	int err = 0;
	u64 i;

	dev = dev_get_by_name(&init_net, xmit_dev);
	if (!dev)
		return -ENODEV;
	/* A device that is down drops what it is given: that would be kfree_skb. */
	if (!(dev->flags & IFF_UP)) {
		err = -ENETDOWN;
		goto out_put_dev;
	}
	for (i = 0; i < events; i++) {
		skb = alloc_skb(LL_RESERVED_SPACE(dev) + BENCH_XMIT_LEN, GFP_KERNEL);
		if (!skb) {
			err = -ENOMEM;
			break;
		}
		skb_reserve(skb, LL_RESERVED_SPACE(dev));
		skb_put_zero(skb, BENCH_XMIT_LEN);
		skb_reset_network_header(skb);
		skb->protocol = htons(ETH_P_IP);
		skb->dev = dev;
		dev_queue_xmit(skb);
		if (!(i & BENCH_RESCHED_MASK))
			cond_resched();
	}
out_put_dev:
	dev_put(dev);
	return err;
}

/* What trace_tcp_retransmit_skb() does once its static key is on. */
static void retransmit_probes(const struct sock *sk, const struct sk_buff *skb)
{
	struct tracepoint_func *it;

	preempt_disable_notrace();
	it = rcu_dereference_sched(retransmit_tp->funcs);
	if (it) {
		do {
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
			((void (*)(void *, const struct sock *, const struct sk_buff *))
			 READ_ONCE(it->func))(it->data, sk, skb);
#else
			((void (*)(void *, const struct sock *, const struct sk_buff *, int))
			 READ_ONCE(it->func))(it->data, sk, skb, 0);
#endif
		} while ((++it)->func);
	}
	preempt_enable_notrace();
}

/*
 * An event here costs a few instructions, so a timer tick in a run would
 * weigh on it: the loop runs in chunks with interrupts off and only the
 * chunks are timed (*ns), which leaves the ticks between them out.
 */
static int run_flows(u64 events, u32 keys, u64 *ns)
{
	struct sock *sk = flow_sock->sk;
	unsigned long flags;
	u64 i = 0, start;
	u32 key = 0;

	*ns = 0;
	while (i < events) {
		local_irq_save(flags);
		start = ktime_get_ns();
		do {
			sk->sk_daddr = htonl(BENCH_FLOW_DADDR_BASE + key);
			if (++key == keys)
				key = 0;
			retransmit_probes(sk, flow_skb);
		} while (++i < events && (i & BENCH_RESCHED_MASK));
		*ns += ktime_get_ns() - start;
		local_irq_restore(flags);
		cond_resched();
	}
	return 0;
}

/* Runs workload @w; *ns: how long it took. */
static int run_workload(enum bench_workload w, u64 events, u32 keys, u64 *ns)
{
	u64 start = ktime_get_ns();
	int err;

	switch (w) {
	case BENCH_DROPS:
		err = run_drops(events, keys);
		break;
	case BENCH_QUEUES:
		err = run_queues(events);
		break;
	default:
		return run_flows(events, keys, ns);
	}
	*ns = ktime_get_ns() - start;
	return err;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	enum bench_workload w = (uintptr_t)file->private_data;
	unsigned long long events;
	unsigned int keys = 1;
	char buf[64];
	u64 ns = 0;
	int err, n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = sscanf(buf, "%llu %u", &events, &keys);
	if (n < 1 || !keys || keys > BENCH_MAX_KEYS || (w == BENCH_QUEUES && n > 1))
		return -EINVAL;

	mutex_lock(&bench_lock);
	err = run_workload(w, events, keys, &ns);
	last_run[w].ns = ns;
	last_run[w].events = err ? 0 : events;
	mutex_unlock(&bench_lock);
	return err ? err : len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	enum bench_workload w = (uintptr_t)file->private_data;
	struct bench_run run;
	char buf[48];
	int n;

	mutex_lock(&bench_lock);
	run = last_run[w];
	mutex_unlock(&bench_lock);
	n = scnprintf(buf, sizeof(buf), "%llu %llu\n", run.events, run.ns);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static int bench_open(struct inode *inode, struct file *file)
{
	file->private_data = inode->i_private;
	return nonseekable_open(inode, file);
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.read = bench_read,
	.write = bench_write,
	.llseek = no_llseek,
};

static void find_retransmit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "tcp_retransmit_skb"))
		retransmit_tp = tp;
}

/* An idle TCP socket and an empty skb of one segment, as a retransmit has. */
static int flows_setup(void)
{
	int err;

	for_each_kernel_tracepoint(find_retransmit_tp, NULL);
	if (!retransmit_tp)
		return -ENOENT;
	err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP, &flow_sock);
	if (err)
		return err;
	flow_skb = alloc_skb(0, GFP_KERNEL);
	if (!flow_skb) {
		err = -ENOMEM;
		goto err_release_sock;
	}
	TCP_SKB_CB(flow_skb)->tcp_gso_segs = 1;
	return 0;

err_release_sock:
	sock_release(flow_sock);
	return err;
}

static void flows_cleanup(void)
{
	consume_skb(flow_skb);
	sock_release(flow_sock);
}

static int __init bench_trigger_init(void)
{
	int err;

	err = flows_setup();
	if (err)
		return err;
	bench_dir = debugfs_create_dir("skbstat_bench", NULL);
	if (IS_ERR(bench_dir)) {
		flows_cleanup();
		return PTR_ERR(bench_dir);
	}
	debugfs_create_file("drops", 0600, bench_dir, (void *)(uintptr_t)BENCH_DROPS,
			    &bench_fops);
	debugfs_create_file("queues", 0600, bench_dir, (void *)(uintptr_t)BENCH_QUEUES,
			    &bench_fops);
	debugfs_create_file("flows", 0600, bench_dir, (void *)(uintptr_t)BENCH_FLOWS,
			    &bench_fops);
	return 0;
}

static void __exit bench_trigger_exit(void)
{
	debugfs_remove(bench_dir);
	flows_cleanup();
}

module_init(bench_trigger_init);
module_exit(bench_trigger_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("skbstat lab benchmark: in-kernel workloads for one hook each");
