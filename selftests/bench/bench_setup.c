// SPDX-License-Identifier: GPL-2.0
/*
 * The configurations of skbstat-bench: load what each one measures, and
 * take it away again so completely that the next one starts from nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/net_dropmon.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "backend/bpf/bench_iface.h"
#include "bench.h"

/* Unloading waits for probes that are still running, briefly. */
#define UNLOAD_TRIES		500
#define UNLOAD_WAIT_US		10000

/*
 * bpftrace counting the keys skbstat counts, as one would write it: drops
 * by reason, location, device, netns and protocol; queues by netns, device
 * and queue; retransmits by netns and IPv4 4-tuple; a netns by its inode
 * and its cookie, as skbstat's keys have both.  (bpftrace 0.17 has no
 * ternary of pointers: the drop probe picks each of the two.)  BEGIN runs
 * once every probe is attached; END clears the maps so that exiting
 * prints nothing.
 */
static const char bpftrace_script[] =
	"BEGIN { printf(\"ready\\n\"); }\n"
	"tracepoint:skb:kfree_skb {\n"
	"	$skb = (struct sk_buff *)args->skbaddr;\n"
	"	$dev = $skb->dev;\n"
	"	$netns = $dev != 0 ? $dev->nd_net.net->ns.inum :\n"
	"		$skb->sk->__sk_common.skc_net.net->ns.inum;\n"
	"	$cookie = $dev != 0 ? $dev->nd_net.net->net_cookie :\n"
	"		$skb->sk->__sk_common.skc_net.net->net_cookie;\n"
	"	@drops[args->reason, args->location, $dev != 0 ? $dev->ifindex : 0,\n"
	"	       $netns, $cookie, args->protocol] = count();\n"
	"}\n"
	"tracepoint:tcp:tcp_retransmit_skb {\n"
	"	$sk = (struct sock *)args->skaddr;\n"
	"	$net = $sk->__sk_common.skc_net.net;\n"
	"	@flows[$net->ns.inum, $net->net_cookie, args->family,\n"
	"	       $sk->__sk_common.skc_rcv_saddr, $sk->__sk_common.skc_daddr,\n"
	"	       args->sport, args->dport] = count();\n"
	"}\n"
	"tracepoint:net:net_dev_queue {\n"
	"	$skb = (struct sk_buff *)args->skbaddr;\n"
	"	$net = $skb->dev->nd_net.net;\n"
	"	@queues[$net->ns.inum, $net->net_cookie, $skb->dev->ifindex,\n"
	"		$skb->queue_mapping] = count();\n"
	"}\n"
	"END { clear(@drops); clear(@queues); clear(@flows); }\n";

int bench_check_file(const char *what, const char *path)
{
	if (!path) {
		fprintf(stderr, "skbstat-bench: needs the path of %s\n", what);
		return -EINVAL;
	}
	if (access(path, R_OK)) {
		int err = -errno;

		fprintf(stderr, "skbstat-bench: %s %s: %s (run 'make bench-build')\n", what, path,
			strerror(-err));
		return err;
	}
	return 0;
}

/* ---- modules ---- */

static int load_module(const char *path, const char *params)
{
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "skbstat-bench: cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	if (syscall(SYS_finit_module, fd, params, 0)) {
		err = -errno;
		fprintf(stderr, "skbstat-bench: cannot load %s %s: %s%s\n", path, params,
			strerror(-err), err == -EEXIST ? " (unload it first)" : "");
	}
	close(fd);
	return err;
}

static void unload_module(const char *name)
{
	int i;

	for (i = 0; i < UNLOAD_TRIES; i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return;
		if (errno != EAGAIN && errno != EBUSY)
			break;
		usleep(UNLOAD_WAIT_US);
	}
	fprintf(stderr, "skbstat-bench: cannot unload %s: %s\n", name, strerror(errno));
}

static int kmod_setup(struct bench_live *live, const struct bench_env *env)
{
	char params[96];
	int err;

	err = bench_check_file("the module", env->module);
	if (err)
		return err;
	/* One hash for every load: the tables' probe runs are then the same each time. */
	snprintf(params, sizeof(params), "attach_mode=%s hash_seed=0x9e3779b97f4a7c15",
		 live->config->mode);
	if (env->drop_rows)
		snprintf(params + strlen(params), sizeof(params) - strlen(params),
			 " drop_rows=%u", env->drop_rows);
	err = load_module(env->module, params);
	if (!err)
		live->module_name = "skbstat";
	return err;
}

static int kmod_floor_setup(struct bench_live *live, const struct bench_env *env)
{
	char params[32];
	int err;

	err = bench_check_file("the floor module", env->floor_module);
	if (err)
		return err;
	snprintf(params, sizeof(params), "mode=%s", live->config->mode);
	err = load_module(env->floor_module, params);
	if (!err)
		live->module_name = "skbstat_bench_floor";
	return err;
}

/* ---- BPF ---- */

/* Waits until the kernel has freed the programs of @obj, once detached. */
static void wait_programs_freed(struct bpf_object *obj, void (*detach)(struct bench_live *),
				struct bench_live *live)
{
	struct bpf_prog_info info;
	__u32 ids[16], len;
	struct bpf_program *prog;
	int nr = 0, fd;

	bpf_object__for_each_program(prog, obj) {
		fd = bpf_program__fd(prog);
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (fd >= 0 && nr < (int)(sizeof(ids) / sizeof(ids[0])) &&
		    !bpf_obj_get_info_by_fd(fd, &info, &len))
			ids[nr++] = info.id;
	}
	detach(live);
	if (!bpfbe_wait_programs_freed(ids, nr))
		fprintf(stderr, "skbstat-bench: BPF programs still loaded after detaching\n");
}

static int bench_bpf_setup(struct bench_live *live, const struct bench_env *env, bool pin)
{
	return bpfbe_bench_attach(live->config->mode, env->drop_rows, pin, &live->bpf);
}

static void bench_bpf_teardown(struct bench_live *live)
{
	bpfbe_bench_detach(live->bpf);
	live->bpf = NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The function behind skb:kfree_skb: sk_skb_reason_drop() since 6.11. */
static struct bpf_link *attach_drop_kprobe(struct bpf_program *prog)
{
	const char *function = "kfree_skb_reason";
	struct btf *btf = btf__load_vmlinux_btf();

	if (btf && btf__find_by_name_kind(btf, "sk_skb_reason_drop", BTF_KIND_FUNC) >= 0)
		function = "sk_skb_reason_drop";
	btf__free(btf);
	return bpf_program__attach_kprobe(prog, false, function);
}

static struct bpf_link *attach_floor_program(struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	if (bpf_program__type(prog) != BPF_PROG_TYPE_KPROBE)
		return bpf_program__attach(prog);
	if (strstr(name, "_drops_"))
		return attach_drop_kprobe(prog);
	return bpf_program__attach_kprobe(prog, ends_with(name, "_kretprobe"),
					  "netdev_core_pick_tx");
}

static bool floor_program_wanted(const char *name, const char *mode)
{
	char suffix[32];

	snprintf(suffix, sizeof(suffix), "_%s", mode);
	if (ends_with(name, suffix))
		return true;
	return !strcmp(mode, "kprobe") && ends_with(name, "_kretprobe");
}

static void bench_bpf_part_detach(struct bench_live *live)
{
	while (live->nr_links)
		bpf_link__destroy(live->links[--live->nr_links]);
}

static void bench_bpf_part_unload(struct bench_live *live)
{
	bench_bpf_part_detach(live);
	bpf_object__close(live->obj);
	live->obj = NULL;
}

static void bench_bpf_part_teardown(struct bench_live *live)
{
	wait_programs_freed(live->obj, bench_bpf_part_unload, live);
}

/*
 * One of the bench's own BPF objects: the floor, or a part of what a
 * backend's program does (each .bpf.c of selftests/bench says which).
 */
static int bench_bpf_part_setup(struct bench_live *live, const struct bench_env *env)
{
	struct bpf_program *prog;
	struct bpf_link *link;
	char path[PATH_MAX];
	int err;

	if (!env->bpf_dir) {
		fprintf(stderr, "skbstat-bench: %s needs --bench-bpf\n", live->config->name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s", env->bpf_dir, live->config->object);
	err = bench_check_file(live->config->object, path);
	if (err)
		return err;
	live->obj = bpf_object__open_file(path, NULL);
	if (!live->obj) {
		err = -errno;
		fprintf(stderr, "skbstat-bench: cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	bpf_object__for_each_program(prog, live->obj)
		bpf_program__set_autoload(prog, floor_program_wanted(bpf_program__name(prog),
								     live->config->mode));
	err = bpf_object__load(live->obj);
	if (err) {
		fprintf(stderr, "skbstat-bench: cannot load %s: %s\n", path, strerror(-err));
		goto err_close;
	}
	bpf_object__for_each_program(prog, live->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		link = attach_floor_program(prog);
		if (!link) {
			err = -errno;
			fprintf(stderr, "skbstat-bench: cannot attach %s: %s\n",
				bpf_program__name(prog), strerror(-err));
			goto err_detach;
		}
		live->links[live->nr_links++] = link;
	}
	return 0;

err_detach:
	bench_bpf_part_detach(live);
err_close:
	bpf_object__close(live->obj);
	live->obj = NULL;
	return err;
}

/* ---- bpftrace ---- */

/*
 * Reads bpftrace's output until it says "ready" or dies.  No timeout: it
 * compiles its program first, which takes long under TCG, and under
 * -icount the guest clock races through the waits for its files.
 */
static int bpftrace_wait_ready(int fd)
{
	char buf[4096];
	size_t used = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf + used, sizeof(buf) - 1 - used);
		if (n <= 0)
			return -EIO;
		used += n;
		buf[used] = '\0';
		if (strstr(buf, "ready\n"))
			return 0;
		if (used == sizeof(buf) - 1)
			used = 0;	/* only the marker matters */
	}
}

static int bpftrace_setup(struct bench_live *live)
{
	int out[2], err;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(out[0]);
		close(out[1]);
		return err;
	}
	if (!pid) {
		dup2(out[1], STDOUT_FILENO);
		/* Room for the largest drops table of the scale runs. */
		setenv("BPFTRACE_MAP_KEYS_MAX", "65536", 1);
		execlp("bpftrace", "bpftrace", "-B", "line", "-e", bpftrace_script, (char *)NULL);
		fprintf(stderr, "skbstat-bench: cannot run bpftrace: %s (apt install bpftrace)\n",
			strerror(errno));
		_exit(127);
	}
	close(out[1]);
	err = bpftrace_wait_ready(out[0]);
	if (err) {
		fprintf(stderr, "skbstat-bench: bpftrace did not start: %s\n", strerror(-err));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(out[0]);
		return err;
	}
	live->pid = pid;
	/* Kept open: bpftrace writes a few blank lines as it exits. */
	live->out_fd = out[0];
	return 0;
}

static void bpftrace_teardown(struct bench_live *live)
{
	int status;

	/* SIGINT: the way a user stops it, so it detaches cleanly and runs END. */
	kill(live->pid, SIGINT);
	if (waitpid(live->pid, &status, 0) == live->pid && WIFSIGNALED(status))
		fprintf(stderr, "skbstat-bench: bpftrace died of signal %d\n", WTERMSIG(status));
	live->pid = 0;
	close(live->out_fd);
}

/* ---- drop_monitor ---- */

/* One NET_DM request: summary alerts, or start or stop of software drops. */
static int drop_monitor_request(uint8_t cmd)
{
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, err;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err)
		goto out_free_sock;
	family = genl_ctrl_resolve(sk, "NET_DM");
	if (family < 0) {
		err = family;
		goto out_free_sock;
	}
	msg = nlmsg_alloc();
	if (!msg) {
		err = -NLE_NOMEM;
		goto out_free_sock;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd, 2) ||
	    (cmd == NET_DM_CMD_CONFIG ?
	     nla_put_u8(msg, NET_DM_ATTR_ALERT_MODE, NET_DM_ALERT_MODE_SUMMARY) :
	     nla_put_flag(msg, NET_DM_ATTR_SW_DROPS))) {
		nlmsg_free(msg);
		err = -NLE_NOMEM;
		goto out_free_sock;
	}
	err = nl_send_sync(sk, msg);
out_free_sock:
	nl_socket_free(sk);
	if (err < 0) {
		fprintf(stderr, "skbstat-bench: drop_monitor (NET_DM) request %u failed: %s "
			"(modprobe drop_monitor)\n", cmd, nl_geterror(err));
		return -EIO;
	}
	return 0;
}

static int drop_monitor_setup(void)
{
	int err = drop_monitor_request(NET_DM_CMD_CONFIG);

	return err ? err : drop_monitor_request(NET_DM_CMD_START);
}

/* ---- any configuration ---- */

int bench_setup(struct bench_live *live, const struct bench_config *config,
		const struct bench_env *env, bool pin)
{
	memset(live, 0, sizeof(*live));
	live->config = config;
	switch (config->kind) {
	case BENCH_NOTHING:
		return 0;
	case BENCH_KMOD:
		return kmod_setup(live, env);
	case BENCH_KMOD_FLOOR:
		return kmod_floor_setup(live, env);
	case BENCH_BPF:
		return bench_bpf_setup(live, env, pin);
	case BENCH_BPF_PART:
		return bench_bpf_part_setup(live, env);
	case BENCH_BPFTRACE:
		return bpftrace_setup(live);
	case BENCH_DROP_MONITOR:
		return drop_monitor_setup();
	}
	return -EINVAL;
}

void bench_teardown(struct bench_live *live)
{
	switch (live->config->kind) {
	case BENCH_NOTHING:
		break;
	case BENCH_KMOD:
	case BENCH_KMOD_FLOOR:
		unload_module(live->module_name);
		break;
	case BENCH_BPF:
		bench_bpf_teardown(live);
		break;
	case BENCH_BPF_PART:
		bench_bpf_part_teardown(live);
		break;
	case BENCH_BPFTRACE:
		bpftrace_teardown(live);
		break;
	case BENCH_DROP_MONITOR:
		drop_monitor_request(NET_DM_CMD_STOP);
		break;
	}
}
