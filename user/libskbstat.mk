# SPDX-License-Identifier: GPL-2.0
#
# Building against the CLI's library, libskbstat.a (every object of user/
# but cli/main.o and serve/): the flags to compile with its headers and to link it.
# Included by user/Makefile, and by selftests/bench/Makefile for
# skbstat-bench.  The BPF backend embeds the skeleton that the top-level
# 'make bpf' generates (BPF_DIR=/abs/build/bpf).

LIBSKBSTAT_SRC := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

VERSION ?= $(shell cat $(LIBSKBSTAT_SRC)/../VERSION)
BPF_DIR ?= $(LIBSKBSTAT_SRC)/../build/bpf
override BPF_DIR := $(abspath $(BPF_DIR))
BPF_SKEL := $(BPF_DIR)/skbstat.skel.h

PKG_CONFIG ?= pkg-config
PKGS := libnl-genl-3.0 json-c libbpf
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))
ifeq ($(PKG_LIBS),)
$(error pkg-config found no $(PKGS); install libnl-genl-3-dev, libjson-c-dev and libbpf-dev)
endif
# Only skbstat-serve links serve/ and these (GnuTLS comes with libmicrohttpd).
SERVE_PKGS := libmicrohttpd yaml-0.1 libcrypt zlib
SERVE_LIBS := $(shell $(PKG_CONFIG) --libs $(SERVE_PKGS))
ifeq ($(SERVE_LIBS),)
$(error pkg-config found no $(SERVE_PKGS); install libmicrohttpd-dev, libyaml-dev, libcrypt-dev and zlib1g-dev)
endif

CC ?= cc
AR ?= ar
CFLAGS ?= -O2 -g
# Warnings are errors in every build, also when CFLAGS comes from outside.
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror
# include/uapi first, so <linux/skbstat.h> is ours; other <linux/*.h> stay the
# system's.  Headers of user/ are included by their folder: "model/snapshot.h".
override CPPFLAGS += -D_GNU_SOURCE -DSKBSTAT_VERSION='"$(VERSION)"' \
	-I$(LIBSKBSTAT_SRC)/../include/uapi -I$(LIBSKBSTAT_SRC)/../include -I$(LIBSKBSTAT_SRC) \
	-I$(BPF_DIR) $(PKG_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(SERVE_PKGS))
LDLIBS += $(PKG_LIBS) -lpthread

# No rules here: the first rule of the including Makefile stays its default.
# Objects depend on the skeleton through their -MMD dependency files.
ifeq ($(wildcard $(BPF_SKEL)),)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
$(error no BPF skeleton at $(BPF_SKEL): run 'make bpf' at the top level first)
endif
endif
