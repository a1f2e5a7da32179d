/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the skbstat selftests: namespaces, traffic, the
 * kernel's own counters, the CLI and the kernel log.  All return -errno
 * (or a negative value) on failure.
 */
#ifndef _SKBSTAT_TESTLIB_H
#define _SKBSTAT_TESTLIB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

/* netns.c */
int netns_inode(uint32_t *inode);
int netns_enter(const char *name);	/* a named one, as ip-netns(8) keeps them */
int netns_new(void);			/* unshare into a fresh netns with lo up */
int link_up(const char *ifname);

/* sh.c: setup through ip(8) and nft(8); exit status or -errno */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A diagnostic: every line the command prints goes to stderr. */
int sh_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sh_u64(uint64_t *value, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* hosts.c: two hosts in their own netns, a (10.77.0.1, va) and b (10.77.0.2, vb) */
struct hosts {
	char a[32];
	char b[32];
	uint32_t a_netns;
	uint32_t b_netns;
};

int hosts_up(struct hosts *h);
void hosts_down(struct hosts *h);
/* A named netns "skbt-@role-PID" into @name, lo up, no IPv6, as the hosts' */
int netns_add(char *name, size_t len, const char *role);
/*
 * The same, as the kernel gives it the dead netns's @inode if it can:
 * *@reused says whether it did.  Role "@roleN" for the Nth try.
 */
int netns_add_reusing(char *name, size_t len, const char *role, uint32_t inode,
		      bool *reused);
uint32_t netns_inode_of(const char *name);
int run_in_netns(const char *name, int (*fn)(void *arg), void *arg);
pid_t start_in_netns(const char *name, int (*fn)(void *arg), void *arg);
int wait_child(pid_t pid);

/* traffic.c */
int udp_send_n(const char *addr, uint16_t port, unsigned int n, size_t len);
/* Accepts one connection on @port (IPv4) and reads it to the end. */
int tcp_sink(uint16_t port);
/* The same on an IPv6 listener for AF_INET6 (that family alone). */
int tcp_sink_family(int family, uint16_t port);
/* @addr is IPv4 or IPv6 in both. */
int tcp_send(const char *addr, uint16_t port, size_t bytes, uint16_t *sport);
/* A connected socket's fd (waiting for the listener to come up), its port in @sport if set. */
int tcp_connect(const char *addr, uint16_t port, uint16_t *sport);

/* What the sender's kernel counted over tcp_failing_retransmits(). */
struct retransmit_fails {
	uint16_t sport;
	uint64_t retrans_segs;		/* TcpRetransSegs delta */
	uint64_t retrans_fail;		/* TCPRetransFail delta */
};

/*
 * In the sender's netns: a connection to @addr:@port whose retransmissions
 * fail until the kernel counted @fails of them; then it is aborted.  Adds
 * table inet skbtf to the caller's netns, which drops all TCP to and from
 * @port.  The listener never sees the end: kill it.
 */
int tcp_failing_retransmits(const char *addr, uint16_t port, unsigned int fails,
			    struct retransmit_fails *r);
int eth_send_types(const char *ifname, uint16_t first, unsigned int n);
int tcp_connect_many(const char *addr, uint16_t port, unsigned int n, unsigned int ms);

/* kcounters.c: /proc/net/snmp and /proc/net/netstat of the caller's netns */
int kcounter_read(const char *group, const char *name, uint64_t *value);
int kcounter_settled(const char *group, const char *name, uint64_t base, uint64_t want,
		     uint64_t *value);
/* Any counter @read_fn reads, once it reached @base + @want or stayed put. */
int counter_settled(int (*read_fn)(const void *arg, uint64_t *value), const void *arg,
		    uint64_t base, uint64_t want, uint64_t *value);

/* cli.c: runs build/user/skbstat (or $SKBSTAT) and parses its JSON */
const char *skbstat_path(void);
int skbstat_json(json_object **out, const char *args);
int skbstat_run(const char *args, int *status, char **output);
int sh_capture(const char *cmd, int *status, char **output);
uint64_t drops_sum(json_object *doc, const char *reason, uint32_t netns);
uint64_t drops_gone(json_object *doc);
const char *row_str(json_object *row, const char *key);
uint64_t row_u64(json_object *row, const char *key);
json_object *json_rows(json_object *doc, const char *name);
char *lines_join_sorted(char **lines, size_t n, size_t len);
int skbstat_rows(json_object **doc, json_object **rows, const char *backend_args,
		 const char *cmd, const char *table);

/* backend.c: brings the backend under test up */
struct backend_variant {
	const char *backend;		/* "kmod" or "bpf" */
	const char *mode;		/* "tracepoint", "kprobe", "tp_btf", "raw_tp" */
};

int backend_up(const struct backend_variant *v);
const char *backend_args(const struct backend_variant *v);	/* "-b kmod" */
int backend_up_limits(const struct backend_variant *v, unsigned int drop_rows,
		      unsigned int flow_rows, unsigned int queue_rows);
int backend_down_limits(const struct backend_variant *v);

/* status.c: one hook's totals from "skbstat -j status" */
struct hook_totals {
	uint64_t events;
	uint64_t bytes;
	uint64_t table_full;
	uint64_t rows;
	uint64_t limit;
	uint64_t longest_probe;	/* slots a lookup walks at most; 0: not said */
	bool attached;
	char mode[16];
	bool has_gaps;		/* status names something the mode cannot see */
};

int hook_totals(const struct backend_variant *v, const char *hook, struct hook_totals *t);
/* The same in the view of a caller in the named netns @netns. */
int hook_totals_in(const char *netns, const struct backend_variant *v, const char *hook,
		   struct hook_totals *t);
int table_sum_in(const char *netns, const struct backend_variant *v, const char *table,
		 const char *counter, uint64_t *sum, uint64_t *rows);
int table_sum(const struct backend_variant *v, const char *table, const char *counter,
	      uint64_t *sum, uint64_t *rows);
int totals_settled(const struct backend_variant *v, const char *hook, const char *table,
		   const char *counter, struct hook_totals *t, uint64_t *sum, uint64_t *rows);

int kmod_load(void);
int kmod_load_params(const char *params);
int kmod_unload(void);
bool kmod_loaded(void);
bool kmod_possible(void);

/* klog.c: kernel log lines that mean a kernel bug, since a mark */
int klog_mark(void);
int klog_bad_lines(int mark, char *buf, size_t len);

/*
 * A child in a fresh netns: it reports its netns inode, waits for go, then
 * runs fn(arg, out_fd), which writes its results to out_fd.
 */
struct ns_child {
	pid_t pid;
	int go_fd;
	int result_fd;
	uint32_t netns;
};

int ns_child_start(struct ns_child *c, int (*fn)(void *arg, int out_fd), void *arg);
int ns_child_go(struct ns_child *c, void *result, size_t len);
int ns_child_finish(struct ns_child *c);
int ns_child_release(struct ns_child *c);
void ns_child_stop(struct ns_child *c);

/* genl.c: hand-made generic-netlink requests, to test validation */
struct genl_reply {
	int error;			/* -errno from the kernel's ack, 0 for success */
	char extack[256];		/* the kernel's extack message, if any */
};

int genl_family_id(const char *name);
int genl_request(int family, uint8_t cmd, uint8_t reserved, uint16_t flags,
		 const void *attrs, size_t attrs_len, struct genl_reply *reply);
size_t nla_put_raw(void *buf, uint16_t type, const void *data, uint16_t len);

/* tracefs.c: the kernel's own count of a tracepoint (perf counters, all CPUs) */
#define TP_COUNT_MAX_CPUS 64
struct tp_count {
	int fds[TP_COUNT_MAX_CPUS];
	int n;
};

int tp_count_open(struct tp_count *c, const char *event, const char *filter);
int tp_count_read(const struct tp_count *c, uint64_t *value);
void tp_count_reset(const struct tp_count *c);
void tp_count_close(struct tp_count *c);
bool tracefs_event_has_field(const char *event, const char *field);
uint64_t ksym_addr(const char *name);

/*
 * zoo.c: a router topology for the drop-path zoo, built once per harness
 * run and kept across its tests (named after the harness process):
 *   a (za 10.88.1.1 fd88:1::1) -- (zra .254 ::fe) r (zrb .254 ::fe) -- (zb 10.88.2.1 fd88:2::1) b
 * r forwards; a and b route through it.  Plus the packets and sockets the
 * zoo makes drops with.  netns_enter() moves a process into a
 * netns of it.
 */
struct zoo {
	char a[32];
	char r[32];
	char b[32];
	uint32_t a_netns;
	uint32_t r_netns;
	uint32_t b_netns;
};

int zoo_up(struct zoo *z);
void zoo_down(void);
int zoo_ns_add(char *name, size_t len, const char *role);
int zoo_mac_of(const char *ns, const char *ifname, uint8_t mac[6]);

/* Run in the caller's netns; -errno on failure. */
int zoo_udp_send(int family, const char *dst, uint16_t port, unsigned int n, size_t len,
		 int ttl);
int zoo_udp_gso_send(int family, const char *dst, uint16_t port, uint16_t seg,
		     unsigned int segs);
int zoo_raw_send(int family, const char *dst, int proto, const void *buf, size_t len,
		 unsigned int n);
int zoo_l2_send(const char *ifname, const uint8_t *dst_mac, uint16_t ethertype,
		const void *payload, size_t len, unsigned int n);
int zoo_tcp_syns(int family, const char *dst, uint16_t port, unsigned int n,
		 unsigned int hold_ms);

/* Packet builders: the length built, with the checksums right unless told. */
size_t zoo_ip4_udp(void *buf, const char *src, const char *dst, uint16_t dport,
		   size_t payload, uint16_t frag, uint16_t id, bool bad_csum);
size_t zoo_ip6_udp(void *buf, const char *src, const char *dst, uint16_t dport,
		   size_t payload, int frag_off, bool more, uint32_t id, bool bad_csum);
size_t zoo_ip4_tcp_syn(void *buf, const char *src, const char *dst, uint16_t dport,
		       bool bad_csum);
uint16_t zoo_csum(const void *data, size_t len, uint32_t sum);

/*
 * A socket of (@domain, @type, @proto) made in netns @rx_ns and bound to
 * @addr:@port (AF_PACKET: to device @addr), with SO_RCVBUF @rcvbuf if not 0;
 * then, in netns @tx_ns, tx(fd, arg) makes traffic it receives and does not
 * read; then it is closed with whatever it queued.
 */
int zoo_queue_then_close(const char *rx_ns, int domain, int type, int proto,
			 const char *addr, uint16_t port, int rcvbuf, const char *tx_ns,
			 int (*tx)(int fd, void *arg), void *arg);

/* prometheus.c: skbstat serve and a real Prometheus in the background */
#define SERVE_LISTEN	"127.0.0.1:19816"
#define PROM_LISTEN	"127.0.0.1:19090"

struct serve {
	pid_t pid;
	char log[64];
};

struct prom {
	pid_t pid;
	char dir[64];
	char log[96];
};

pid_t spawn_logged(char *const argv[], const char *log);
int spawn_stop(pid_t pid);
int skbstat_serve_start(struct serve *s, const char *backend_args, const char *serve_args);
int http_status(const char *curl_args);
int http_wait_ok(const char *url, const char *curl_args, int seconds);
/* @scrape_config: the rest of the job, indented by 4 ("    static_configs: ..."). */
int prom_start(struct prom *p, const char *scrape_config);
void prom_stop(struct prom *p);
int prom_query(const char *promql, double *value);
int prom_wait_value(const char *promql, double want, int seconds, double *got);

#endif /* _SKBSTAT_TESTLIB_H */
