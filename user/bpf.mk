# SPDX-License-Identifier: GPL-2.0
#
# The BPF backend, included by the CLI's Makefile once LIB_SRCS is set.
# Its skeleton comes from the top-level 'make bpf' (BPF_DIR=/abs/build/bpf).

BPF_DIR ?= $(SRC_DIR)/../build/bpf
override BPF_DIR := $(abspath $(BPF_DIR))
BPF_SKEL := $(BPF_DIR)/skbstat.skel.h

LIB_SRCS += backend_bpf.c backend_bpf_info.c backend_bpf_netns.c backend_bpf_object.c \
	backend_bpf_pins.c backend_bpf_tables.c bpf_loader.c btf_reasons.c kallsyms.c

LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf)
LIBBPF_LIBS := $(shell $(PKG_CONFIG) --libs libbpf)
ifeq ($(LIBBPF_LIBS),)
$(error pkg-config found no libbpf; install libbpf-dev)
endif

override CPPFLAGS += -I$(BPF_DIR) $(LIBBPF_CFLAGS)
LDLIBS += $(LIBBPF_LIBS)

# No rules here: the first rule of the including Makefile must stay its default.
# Objects depend on the skeleton through their -MMD dependency files.
ifeq ($(wildcard $(BPF_SKEL)),)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
$(error no BPF skeleton at $(BPF_SKEL): run 'make bpf' at the top level first)
endif
endif
