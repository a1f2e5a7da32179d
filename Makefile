# SPDX-License-Identifier: GPL-2.0
#
# make            build the module, the BPF objects and the CLI into build/
# make check      build, unit tests, lab-VM suites (6.1, -rt, debug kernel), BPF suite here
# make run        show this machine's real drop counts
# make deps       install every Debian package needed to build, run and test
# make bench      overhead per event of every backend and mode: results/bench.md
# make fuzz       1,000,000 fuzzed netlink messages, debug kernel: results/fuzz.md
# make stress     100 lifecycle cycles of each kind, debug kernel: results/stress.md
# make asan       CLI, unit tests, this machine's BPF suite and short fuzz runs, under
#                 ASan, UBSan and LeakSanitizer (a stage of make check)
# make fuzz-user  each userspace fuzz target for FUZZ_USER_SECONDS (600): results/fuzz-user.md
# V=1             show every command in full (default: one short line per output)

SRC := $(CURDIR)
B := $(SRC)/build
VERSION := $(shell cat VERSION)

include mk/quiet.mk

# The module is built for the running kernel when its headers exist, else for
# the newest installed kernel (this machine runs one without module support).
# A generic kernel is preferred to an -rt one; KVER=... picks any other.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; else \
	ls -1 /lib/modules | while read v; do [ -d /lib/modules/$$v/build ] && echo $$v; done | \
	sort -V | awk '/-rt-/ { rt = $$0; next } { gen = $$0 } END { print gen ? gen : rt }'; fi)
KDIR ?= /lib/modules/$(KVER)/build
# The PREEMPT_RT lab kernel, tested too when installed.
KVER_RT ?= $(shell ls -1 /lib/modules | grep -- '-rt-' | sort -V | tail -n 1)

WERROR := -Wall -Wextra -Werror
CLANG ?= clang
BPFTOOL ?= bpftool

# The BPF programs' target architecture, as bpf_tracing.h names it
# (__TARGET_ARCH_x86), from ARCH or else this machine.  x86-64 is the one
# tested; the others only name the right registers.
BPF_ARCH := $(shell echo $(or $(ARCH),$(shell uname -m)) | sed -e 's/^x86_64$$/x86/' \
	-e 's/^i.86$$/x86/' -e 's/^aarch64$$/arm64/' -e 's/^armv.*/arm/' -e 's/^ppc64.*/powerpc/' \
	-e 's/^s390x$$/s390/' -e 's/^riscv64$$/riscv/' -e 's/^loongarch64$$/loongarch/')

DEPS := build-essential make gcc pkg-config kmod cpio \
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 \
	linux-headers-rt-amd64 linux-image-rt-amd64 \
	qemu-system-x86 busybox-static zstd debian-archive-keyring gpgv \
	flex bison bc dwarves libssl-dev \
	clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libclang-rt-14-dev \
	libmicrohttpd-dev libyaml-dev libcrypt-dev curl openssl apache2-utils \
	libnl-3-dev libnl-genl-3-dev libjson-c-dev \
	iproute2 nftables jq tmux python3 bash-completion prometheus \
	dkms dh-dkms debhelper dpkg-dev fakeroot \
	bpftrace gnuplot-nox \
	libxdp1 libunbound8 libnuma1 libcap-ng0

.PHONY: all deps kmod bpf user selftests harness check unit vm-check host-check run clean \
	debug-kernel kmod-debug fuzz stress zoo-debug \
	bench-build bench-tool bench bench-smoke \
	asan-build asan fuzz-user-build fuzz-user lab-matrix

all: kmod bpf user selftests

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || \
		echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@# ovs-dpctl alone (drops_test's openvswitch drops), without its daemons.
	@selftests/fetch-ovs-dpctl.sh >/dev/null
	@# The lab kernels, into their cache the first time (never the host's apt).
	@for k in $(LAB_KERNELS); do selftests/vm/lab-kernels.sh info $$k >/dev/null 2>&1 || \
		selftests/vm/lab-kernels.sh fetch $$k || exit; done

# --- one recipe per kind of output, shared by what the tree builds of it

# A kernel module, built from a tree of links so that its outputs stay in
# build/: $(call kmod_build,BUILD_DIR,SOURCE_DIR,FILES) links each of FILES
# (paths under SOURCE_DIR, folders kept) into BUILD_DIR and runs kbuild
# there.  For skbstat.ko and for the bench's lab modules.
define kmod_build
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR): run 'make deps'" >&2; exit 1; }
	$(Q)for f in $(3); do \
		mkdir -p $(1)/$$(dirname $$f) && ln -sf $(2)/$$f $(1)/$$f || exit; done
	$(Q)+$(MAKE) -C $(KDIR) M=$(1) SKBSTAT_SRC=$(SRC) modules
endef

# A BPF object, for bpf/*.bpf.c and the bench's floor.bpf.c; vmlinux.h
# comes from this machine's BTF.
define bpf_object
	$(Q)mkdir -p $(@D)
	$(call quiet,CLANG,$@)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) $(WERROR) \
		-Wno-unused-parameter -I$(B)/bpf -Ibpf -Iinclude -Iinclude/uapi -c $< -o $@
endef

# --- the module
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) kmod/features.kbuild

KMOD_B := $(B)/kmod/$(KVER)

$(KMOD_B)/skbstat.ko: $(KMOD_SRCS) Kbuild VERSION $(wildcard include/*/*.h include/uapi/linux/*.h)
	$(call kmod_build,$(KMOD_B),$(SRC),Kbuild $(KMOD_SRCS))

kmod: $(KMOD_B)/skbstat.ko

# --- BPF objects and skeletons
BPF_PROGS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.bpf.o,$(BPF_PROGS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.skel.h,$(BPF_PROGS))

$(B)/bpf/vmlinux.h:
	$(Q)mkdir -p $(B)/bpf
	$(call quiet,GEN,$@)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && \
		mv $@.tmp $@

$(B)/bpf/%.bpf.o: bpf/%.bpf.c $(B)/bpf/vmlinux.h $(wildcard bpf/*.h include/skbstat/*.h)
	$(bpf_object)

$(B)/bpf/%.skel.h: $(B)/bpf/%.bpf.o
	$(call quiet,GEN,$@)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

bpf: $(BPF_OBJS) $(BPF_SKELS)

# --- the CLI
user: bpf
	$(Q)$(MAKE) $(silent) -C user O=$(B)/user BPF_DIR=$(B)/bpf

# --- tests: the kselftest harness is extracted from Debian's linux-source
KSRC_TAR ?= $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz))
HARNESS := $(B)/kselftest/kselftest_harness.h

$(HARNESS):
	@test -n "$(KSRC_TAR)" || { echo "linux-source-6.1 is missing: run 'make deps'" >&2; exit 1; }
	$(Q)mkdir -p $(B)/kselftest
	$(call quiet,TAR,$@)tar -xJf $(KSRC_TAR) -C $(B)/kselftest --strip-components=4 \
		--wildcards '*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/kselftest.h'
	$(Q)touch $@

harness: $(HARNESS)

selftests: $(HARNESS) user
	$(Q)$(MAKE) $(silent) -C selftests O=$(B)/selftests HARNESS_DIR=$(B)/kselftest
	$(Q)$(MAKE) $(silent) -C selftests/fuzz O=$(B)/selftests/fuzz
	$(Q)$(MAKE) $(silent) -C selftests/stress O=$(B)/selftests/stress

unit: user
	$(Q)$(MAKE) $(silent) -C user O=$(B)/user BPF_DIR=$(B)/bpf check

# --- the debug lab kernel (KASAN, lockdep, UBSAN, kmemleak): built once into
# a cache outside the clone (selftests/vm/debug-kernel.sh), and the module
# built against it.
DEBUG_KDIR = $(shell selftests/vm/debug-kernel.sh --print)

# Not as a sub-make: the kernel's own make would print "Entering directory"
# into what the script reads back (its release).
debug-kernel:
	env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS selftests/vm/debug-kernel.sh >/dev/null

kmod-debug: debug-kernel
	$(MAKE) kmod KVER=$$(cat $(DEBUG_KDIR)/release) KDIR=$(DEBUG_KDIR)

# The netlink fuzzer and lifecycle stress at full length, under the debug
# kernel; make check runs both shorter (selftests/debug-suite.sh).
fuzz: deps
	$(MAKE) all kmod-debug
	selftests/vm/run-vm.sh -k debug -t 21600 -o $(SRC)/results -- \
		selftests/fuzz/run.sh 1000000 $(SRC)/results/fuzz.md

zoo-debug: deps
	$(MAKE) all kmod-debug
	selftests/vm/run-vm.sh -k debug -t 21600 -- \
		env SKBSTAT_TESTS=zoo_test selftests/lab-suite.sh

stress: deps
	$(MAKE) all kmod-debug
	selftests/stress/two-vms.sh 100 $(SRC)/results/stress.md

# --- userspace under sanitizers: the CLI, its unit tests and the selftests
# built once more into build/asan/ with ASan, UBSan (every report fatal)
# and LeakSanitizer, and the libFuzzer targets of user/fuzz/ against the
# library built for them into build/fuzz/.  Debian's clang for both:
# libFuzzer is clang's (libclang-rt-14-dev).
SAN_CC ?= clang
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_B := $(B)/asan
FUZZ_B := $(B)/fuzz

asan-build: bpf $(HARNESS)
	$(Q)$(MAKE) $(silent) -C user O=$(ASAN_B)/user BPF_DIR=$(B)/bpf CC=$(SAN_CC) \
		CFLAGS="-O1 -g $(SAN_FLAGS)" all tests
	$(Q)$(MAKE) $(silent) -C selftests O=$(ASAN_B)/selftests HARNESS_DIR=$(B)/kselftest \
		CC=$(SAN_CC) CFLAGS="-O1 -g $(SAN_FLAGS)"

fuzz-user-build: bpf
	$(Q)$(MAKE) $(silent) -C user O=$(FUZZ_B)/user BPF_DIR=$(B)/bpf CC=$(SAN_CC) \
		CFLAGS="-O1 -g $(SAN_FLAGS) -fsanitize=fuzzer-no-link" lib
	$(Q)$(MAKE) $(silent) -C user/fuzz O=$(FUZZ_B) LIBSKBSTAT=$(FUZZ_B)/user/libskbstat.a \
		BPF_DIR=$(B)/bpf CC=$(SAN_CC) SAN_FLAGS="$(SAN_FLAGS)"

# Any sanitizer report fails it (selftests/sanitizers.sh); root, for the BPF suite.
asan: asan-build fuzz-user-build
	selftests/sanitizers.sh

FUZZ_USER_SECONDS ?= 600
fuzz-user: fuzz-user-build
	FUZZ_USER_SECONDS=$(FUZZ_USER_SECONDS) \
		$(if $(FUZZ_USER_RUNS),FUZZ_USER_RUNS=$(FUZZ_USER_RUNS)) \
		user/fuzz/run.sh $(FUZZ_B) $(SRC)/results/fuzz-user.md

# The module on every lab kernel (selftests/vm/lab-kernels.sh); make check runs it too,
# one VM job per kernel, longest first.
LAB_KERNELS := sid 6.12 6.12-rt 5.10
lab-matrix: deps
	$(MAKE) all
	selftests/vm/lab-matrix.sh $(LAB_KERNELS)

vm-check: all
	selftests/vm/run-vm.sh -k $(KVER) -- selftests/lab-suite.sh

check: deps
	$(MAKE) all bench-build
	$(if $(KVER_RT),$(MAKE) kmod KVER=$(KVER_RT))
	KVER=$(KVER) KVER_RT=$(KVER_RT) LAB_KERNELS="$(LAB_KERNELS)" selftests/check.sh

run: deps
	$(MAKE) all
	KVER=$(KVER) selftests/run-demo.sh

clean:
	rm -rf $(B)

# --- the overhead benchmark (lab only, not part of check): skbstat-bench,
# the trigger and floor modules for the module's kernel, the BPF floor, then
# the runs.
BENCH_B := $(B)/bench
BENCH_KMOD_SRCS := Kbuild trigger.c floor.c

$(BENCH_B)/$(KVER)/skbstat_bench_trigger.ko: $(BENCH_KMOD_SRCS:%=selftests/bench/%) kmod/compat.h \
		kmod/features.kbuild
	$(call kmod_build,$(BENCH_B)/$(KVER),$(SRC)/selftests/bench,$(BENCH_KMOD_SRCS))

$(BENCH_B)/%.bpf.o: selftests/bench/%.bpf.c selftests/bench/floor.bpf.h $(B)/bpf/vmlinux.h \
		$(wildcard include/skbstat/*.h bpf/*.h)
	$(bpf_object)

# A program of its own beside its modules, linking the CLI's library.
bench-tool: user
	$(Q)$(MAKE) $(silent) -C selftests/bench O=$(BENCH_B) LIBSKBSTAT=$(B)/user/libskbstat.a \
		BPF_DIR=$(B)/bpf

bench-build: all bench-tool $(BENCH_B)/$(KVER)/skbstat_bench_trigger.ko $(BENCH_B)/floor.bpf.o \
		$(BENCH_B)/lookup.bpf.o $(BENCH_B)/onerow.bpf.o

bench: deps
	$(MAKE) bench-build
	KVER=$(KVER) BENCH_B=$(BENCH_B) selftests/bench/bench.sh

# The benchmark's pieces work (make check runs this too); no measurement.
bench-smoke: bench-build
	selftests/vm/run-vm.sh -k $(KVER) -- selftests/bench/smoke.sh $(BENCH_B) $(KVER)

# --- install: the CLI with its man page and bash completion (the CLI's own
# install, so that its files are listed once), and the BPF object: the CLI
# embeds its skeleton, the installed object is for bpftool and for reading.
# It goes to PREFIX/lib/skbstat, where the FHS puts a package's own
# architecture-dependent files.  DESTDIR and PREFIX as usual.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
RULESDIR ?= $(PREFIX)/share/skbstat/prometheus
PKGLIBDIR ?= $(PREFIX)/lib/skbstat

.PHONY: install uninstall dkms-src dkms-not-packaged dkms-install dkms-uninstall deb dkms-check

install: user
	$(Q)$(MAKE) $(silent) -C user O=$(B)/user BPF_DIR=$(B)/bpf DESTDIR=$(DESTDIR) \
		SBINDIR=$(SBINDIR) MANDIR=$(MANDIR) BASHCOMPDIR=$(BASHCOMPDIR) \
		UNITDIR=$(UNITDIR) RULESDIR=$(RULESDIR) PKGLIBDIR=$(PKGLIBDIR) install
	install -D -m 0644 -t $(DESTDIR)$(PKGLIBDIR) $(BPF_OBJS)

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/skbstat $(DESTDIR)$(MANDIR)/man8/skbstat.8 \
		$(DESTDIR)$(BASHCOMPDIR)/skbstat $(DESTDIR)$(UNITDIR)/skbstat.service
	rm -rf $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(RULESDIR)
	-rmdir $(DESTDIR)$(PREFIX)/share/skbstat 2>/dev/null

# --- DKMS: the module's sources go where dkms looks for them, with the
# version filled into dkms.conf as dh_dkms -V does for the package.
DKMS_SRC_DIR := /usr/src/skbstat-$(VERSION)
DKMS_FILES := Kbuild VERSION $(KMOD_SRCS) $(wildcard include/*/*.h include/uapi/linux/*.h)
# Every installed kernel with headers; dkms skips those dkms.conf excludes.
DKMS_KERNELS ?= $(patsubst /lib/modules/%/build,%,$(wildcard /lib/modules/*/build))

dkms-src:
	rm -rf $(DESTDIR)$(DKMS_SRC_DIR)
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRC_DIR)/$$f || exit; done
	sed 's/#MODULE_VERSION#/$(VERSION)/g' dkms.conf > $(DESTDIR)$(DKMS_SRC_DIR)/dkms.conf

# The package skbstat-dkms owns the same directory: apt removes that one.
dkms-not-packaged:
	@command -v dkms >/dev/null || { echo "dkms is missing: run 'make deps'" >&2; exit 1; }
	@! dpkg -S $(DKMS_SRC_DIR) >/dev/null 2>&1 || \
		{ echo "$(DKMS_SRC_DIR) belongs to a package: use apt to remove it" >&2; exit 1; }

# Reinstalling replaces what an earlier dkms-install left.  Exit code 77 is
# dkms saying a kernel is outside BUILD_EXCLUSIVE_KERNEL.
dkms-install: dkms-uninstall
	$(MAKE) --no-print-directory dkms-src DESTDIR=
	dkms add skbstat/$(VERSION)
	for k in $(DKMS_KERNELS); do \
		rc=0; dkms build skbstat/$(VERSION) -k $$k || rc=$$?; \
		if [ $$rc -eq 77 ]; then continue; elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
		dkms install skbstat/$(VERSION) -k $$k || exit; \
	done

# dkms remove keeps the sources in /usr/src: they go too.
dkms-uninstall: dkms-not-packaged
	if [ -n "$$(dkms status skbstat/$(VERSION))" ]; then dkms remove skbstat/$(VERSION) --all; fi
	rm -rf $(DKMS_SRC_DIR)

# --- Debian packages, built by dpkg-buildpackage in a copy of the tree (the
# sources stay clean; the copy leaves out build/, VCS and ignored files).
DEB_B := $(B)/deb

deb:
	rm -rf $(DEB_B)
	mkdir -p $(DEB_B)/skbstat-$(VERSION)
	tar -C $(SRC) --exclude=./build --exclude-vcs --exclude-vcs-ignores -cf - . | \
		tar -C $(DEB_B)/skbstat-$(VERSION) -xf -
	cd $(DEB_B)/skbstat-$(VERSION) && dpkg-buildpackage -us -uc -b
	ls -1 $(DEB_B)/*.deb

# DKMS and the packages on the lab kernels, end to end (root; uses the VM).
dkms-check: user
	LAB_KERNELS="$(LAB_KERNELS)" selftests/dkms-check.sh
