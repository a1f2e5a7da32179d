// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend's life cycle: load the programs of one attach mode into
 * the kernel, attach them, pin maps and links so counting outlives the
 * CLI, open the pinned state from a later process, and detach.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "skbstat.skel.h"
#include "backend/bpf/backend_bpf_object.h"
#include "backend/bpf/backend_bpf_pins.h"
#include "backend/bpf/backend_bpf_info.h"
#include "backend/bpf/bpf_loader.h"
#include <skbstat/hooks.h>

#define BPFFS_MOUNT	"/sys/fs/bpf"
#define VMLINUX_BTF	"/sys/kernel/btf/vmlinux"

/* libbpf's warnings (verifier logs among them) are worth showing, its chatter is not. */
static int print_libbpf_message(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	fputs("skbstat: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

static void state_init(struct bpfbe_state *st)
{
	int map;

	memset(st, 0, sizeof(*st));
	for (map = 0; map < PIN_MAP_COUNT; map++)
		*pin_map_fd(st, map) = -1;
	st->netns_live = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void bpfbe_state_close(struct bpfbe_state *st)
{
	int map;

	for (map = 0; map < PIN_MAP_COUNT; map++)
		close_fd(pin_map_fd(st, map));
	close_fd(&st->netns_live);
	bpfbe_object_destroy_links(st);
	skbstat_bpf__destroy(st->skel);
	st->skel = NULL;
}

/*
 * A lock on a directory: the BPF filesystem's root for its pins (shared by
 * readers, exclusive for attach, detach and resets), /sys/fs while
 * attach mounts one.
 */
static int lock_dir(const char *path, int how)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		err = -errno;
		if (err == -EACCES || err == -EPERM)
			fprintf(stderr, "skbstat: the BPF backend's pins in %s are root's: it "
				"needs root (CAP_BPF)\n", path);
		else
			fprintf(stderr, "skbstat: cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	if (flock(fd, how)) {
		err = -errno;
		close(fd);
		if (err != -EWOULDBLOCK)
			fprintf(stderr, "skbstat: cannot lock %s: %s\n", path, strerror(-err));
		return err;
	}
	return fd;
}

int bpfbe_state_lock(void)
{
	return lock_dir(pin_root(), LOCK_EX);
}

int bpfbe_state_trylock(void)
{
	return lock_dir(pin_root(), LOCK_EX | LOCK_NB);
}

int bpfbe_state_lock_shared(void)
{
	return lock_dir(pin_root(), LOCK_SH);
}

void bpfbe_state_unlock(int lock_fd)
{
	if (lock_fd >= 0)
		close(lock_fd);
}

bool bpfbe_possible(void)
{
	return !access(VMLINUX_BTF, R_OK);
}

/* Opens the pins; the caller holds the lock on them. */
static int open_pinned_locked(struct bpfbe_state *st)
{
	char path[PIN_PATH_MAX];
	int map, *fd, err = 0;

	st->nr_cpus = libbpf_num_possible_cpus();
	if (st->nr_cpus < 0)
		return st->nr_cpus;
	st->pinned = true;
	for (map = 0; map < PIN_MAP_COUNT; map++) {
		fd = pin_map_fd(st, map);
		*fd = bpf_obj_get(pin_map_path(path, map));
		if (*fd >= 0)
			continue;
		err = -errno;
		bpfbe_state_close(st);
		if (err == -ENOENT && map == 0)
			return -ENODEV;
		if (err == -EACCES || err == -EPERM)
			fprintf(stderr, "skbstat: reading the BPF backend's maps in %s needs root "
				"(CAP_BPF, and the pins are root's)\n", pin_dir());
		else
			fprintf(stderr, "skbstat: cannot open %s: %s%s\n", path, strerror(-err),
				err == -ENOENT ? " (half-detached, or pinned by another version of "
				"skbstat? run 'skbstat -b bpf detach', then attach again)" : "");
		return err;
	}
	/* Another version's maps are refused before anything reads them. */
	for (map = 0; !err && map < PIN_MAP_COUNT; map++)
		err = pin_map_check(*pin_map_fd(st, map), map);
	err = err ?: pin_layout_check(st->layout);
	if (!err) {
		st->netns_live = bpf_obj_get(pin_netns_live_path(path));
		if (st->netns_live < 0) {
			err = -errno;
			fprintf(stderr, "skbstat: cannot open %s: %s (half-detached? run 'skbstat -b "
				"bpf detach', then attach again)\n", path, strerror(-err));
		}
	}
	if (err)
		bpfbe_state_close(st);
	return err;
}

int bpfbe_state_open_pinned(struct bpfbe_state *st)
{
	int lock, err;

	state_init(st);
	err = pin_root_find();
	if (err)
		return err;
	/* Shared: never the half of an attach or a detach. */
	lock = lock_dir(pin_root(), LOCK_SH);
	if (lock < 0)
		return lock;
	err = open_pinned_locked(st);
	bpfbe_state_unlock(lock);
	return err;
}

static int map_id(int fd, uint32_t *id)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

/*
 * A detach unpins every map and an attach pins new ones, so the map of
 * generations tells whether the pins are still those this state opened.
 */
int bpfbe_state_check_pinned(const struct bpfbe_state *st)
{
	char path[PIN_PATH_MAX];
	uint32_t ours = 0, pinned = 0;
	int fd, err;

	if (!st->pinned || st->skel)
		return 0;
	err = map_id(st->gens, &ours);
	if (err)
		return err;
	fd = bpf_obj_get(pin_map_path(path, PIN_MAP_GENS));
	if (fd < 0)
		return errno == ENOENT ? -ESTALE : -errno;
	err = map_id(fd, &pinned);
	close(fd);
	if (err)
		return err;
	return ours == pinned ? 0 : -ESTALE;
}

/* ---- loading ---- */

static bool same_ns(const char *a, const char *b)
{
	struct stat x, y;

	return !stat(a, &x) && !stat(b, &y) && x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

/*
 * systemd mounts the BPF filesystem at boot; where nothing did (a minimal
 * init), attach mounts it as bpftool does, under a lock so that two
 * attaches make one.  Only in init's mount namespace: a BPF filesystem
 * mounted in another (a container's, unshare -m) goes with the command,
 * and the counting with it.
 */
static int mount_bpffs(void)
{
	int lock, err;

	if (!same_ns("/proc/self/ns/mnt", "/proc/1/ns/mnt")) {
		fprintf(stderr, "skbstat: no BPF filesystem at %s here nor in init's mount "
			"namespace: pins in a BPF filesystem mounted here would go when this "
			"command exits, and counting with them; mount one on the host with "
			"'mount -t bpf bpf %s'\n", BPFFS_MOUNT, BPFFS_MOUNT);
		return -EMEDIUMTYPE;
	}
	lock = lock_dir("/sys/fs", LOCK_EX);
	if (lock < 0)
		return lock;
	err = pin_root_find();
	if (err && mount("bpf", BPFFS_MOUNT, "bpf", 0, "mode=0700")) {
		err = -errno;
		fprintf(stderr, "skbstat: no BPF filesystem at %s to keep the counters in, and "
			"mounting one failed: %s; mount it with 'mount -t bpf bpf %s' in the "
			"host's mount namespace\n", BPFFS_MOUNT, strerror(-err), BPFFS_MOUNT);
	} else if (err) {
		err = pin_root_find();
	}
	bpfbe_state_unlock(lock);
	return err;
}

static int check_kernel(bool pin)
{
	if (access(VMLINUX_BTF, R_OK)) {
		fprintf(stderr, "skbstat: this kernel has no BTF (%s), which the BPF backend "
			"needs (CONFIG_DEBUG_INFO_BTF=y); use the module instead\n", VMLINUX_BTF);
		return -EOPNOTSUPP;
	}
	if (pin && pin_root_find())
		return mount_bpffs();
	return 0;
}

/*
 * What is pinned: nothing (-ENODEV), or maps and maybe links of one mode.
 * Complete only with the registry's hooks, without which the drop hook
 * knows no device.
 */
static int pinned_mode(const struct bpfbe_state *st, enum bpfbe_mode *mode, bool *complete)
{
	struct bpfbe_hook_info info;
	int hook, err;

	*complete = pin_registry_links_present();
	*mode = BPFBE_MODE_TP_BTF;
	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		err = bpfbe_state_hook_info(st, hook, &info);
		if (err)
			return err;
		if (!info.attached || (hook && info.mode != *mode))
			*complete = false;
		if (!hook)
			*mode = info.mode;
	}
	return 0;
}

/*
 * Attaching again reuses the pinned tables, whose size is set: asking for
 * another is an error (-EINVAL, said here), not a silent no.
 */
static int check_limits(const struct bpfbe_state *st, const struct bpfbe_options *opts)
{
	static const char *const names[SKBSTAT_HOOK_COUNT] = {
		[SKBSTAT_HOOK_DROPS]	= "drop",
		[SKBSTAT_HOOK_FLOWS]	= "flow",
		[SKBSTAT_HOOK_QUEUES]	= "queue",
	};
	struct bpfbe_hook_info info;
	int hook, err;

	for (hook = 0; hook < SKBSTAT_HOOK_COUNT; hook++) {
		if (!opts->rows[hook])
			continue;
		err = bpfbe_state_hook_info(st, hook, &info);
		if (err)
			return err;
		if (info.limit == opts->rows[hook])
			continue;
		fprintf(stderr, "skbstat: the BPF tables exist already, with at most %u %s rows; "
			"run 'skbstat detach -b bpf' first to resize them (the counters start "
			"again)\n", info.limit, names[hook]);
		return -EINVAL;
	}
	return 0;
}

int bpfbe_state_attach(struct bpfbe_state *st, const struct bpfbe_options *opts, bool pin)
{
	struct bpfbe_options previous = *opts;
	bool reuse = false, complete = false;
	int lock = -1, err;

	libbpf_set_print(print_libbpf_message);
	err = check_kernel(pin);
	if (err)
		return err;
	state_init(st);
	if (pin) {
		lock = bpfbe_state_lock();
		if (lock < 0)
			return lock;
		state_init(st);
		err = open_pinned_locked(st);
		if (err == -ENODEV)
			err = 0;
		if (err)
			goto out_unlock;
		reuse = st->gens >= 0;
		if (reuse) {
			err = check_limits(st, opts);
			if (!err)
				err = pinned_mode(st, &previous.mode, &complete);
			if (err)
				goto err_close;
			if (complete && previous.mode == opts->mode)
				goto out_unlock;	/* attached as asked already */
			/* Another mode: a gap in counting rather than counting twice. */
			err = pin_links_remove();
			if (err) {
				fprintf(stderr, "skbstat: cannot detach the %s mode: %s\n",
					bpfbe_mode_name(previous.mode), strerror(-err));
				goto err_close;
			}
		}
	}
	st->pinned = false;
	st->nr_cpus = libbpf_num_possible_cpus();
	err = st->nr_cpus < 0 ? st->nr_cpus : bpfbe_object_attach(st, opts, pin, reuse);
	if (!err)
		goto out_unlock;
	/* Counting as before beats not counting at all. */
	if (complete && !bpfbe_object_attach(st, &previous, pin, reuse))
		fprintf(stderr, "skbstat: still attached in %s mode\n",
			bpfbe_mode_name(previous.mode));
	else if (pin && !reuse)
		pin_all_remove();
err_close:
	bpfbe_state_close(st);
out_unlock:
	bpfbe_state_unlock(lock);
	return err;
}

/*
 * The kernel frees a detached program only after RCU grace periods, and a
 * kprobe's perf event later still: waiting makes detach final on return.
 */
#define DETACH_WAIT_MS		5000
#define DETACH_POLL_MS		10

bool bpfbe_wait_programs_freed(const uint32_t *ids, size_t nr)
{
	int waited, fd;
	size_t i;

	for (waited = 0; waited < DETACH_WAIT_MS; waited += DETACH_POLL_MS) {
		for (i = 0; i < nr; i++) {
			fd = bpf_prog_get_fd_by_id(ids[i]);
			if (fd < 0)
				continue;
			close(fd);
			break;
		}
		if (i == nr)
			return true;
		usleep(DETACH_POLL_MS * 1000);
	}
	return false;
}

int bpfbe_state_detach(struct bpfbe_state *st)
{
	uint32_t ids[BPFBE_MAX_PROGS];
	int lock, err;
	size_t nr;

	lock = bpfbe_state_lock();
	if (lock < 0)
		return lock;
	nr = bpfbe_pinned_prog_ids(ids);
	/* Links go first, so no program counts into a map being unpinned. */
	err = pin_links_remove();
	if (!err)
		err = pin_all_remove();
	st->pinned = false;
	bpfbe_object_destroy_links(st);
	if (!err)
		bpfbe_wait_programs_freed(ids, nr);
	bpfbe_state_unlock(lock);
	if (err)
		fprintf(stderr, "skbstat: cannot remove %s: %s\n", pin_dir(), strerror(-err));
	return err;
}
