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
int netns_new(void);			/* unshare into a fresh netns with lo up */
int link_up(const char *ifname);

/* traffic.c */
int udp_send_n(const char *addr, uint16_t port, unsigned int n, size_t len);

/* kcounters.c: /proc/net/snmp and /proc/net/netstat of the caller's netns */
int kcounter_read(const char *group, const char *name, uint64_t *value);

/* cli.c: runs build/user/skbstat (or $SKBSTAT) and parses its JSON */
const char *skbstat_path(void);
int skbstat_json(json_object **out, const char *args);
int skbstat_run(const char *args, int *status, char **output);
uint64_t drops_sum(json_object *doc, const char *reason, uint32_t netns);

/* backend.c: brings the backend under test up */
int kmod_load(void);
int kmod_unload(void);
bool kmod_loaded(void);
int backend_up(const char *backend);

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

#endif /* _SKBSTAT_TESTLIB_H */
