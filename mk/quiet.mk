# SPDX-License-Identifier: GPL-2.0
#
# Quiet output, as the kernel's build prints it: one short line per output,
#   "  CC      user/cli/main.o"
# and every command in full with V=1.  A recipe line starts with the short
# line, then the command:
#   $(call quiet,CC,$@)$(CC) ... -o $@ $<
# Lines that make no output start with $(Q) instead.  Paths are shown from
# the top of the tree, build/ left out.  Our own sub-makes run as
# "$(MAKE) $(silent) -C DIR", so that they do not say "Nothing to be done"
# (kbuild runs without it: its quiet lines stay).

SKBSTAT_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

ifeq ($(V),1)
Q :=
quiet :=
silent :=
else
silent := -s
Q := @
quiet = @printf '  %-7s %s\n' '$(1)' \
	'$(patsubst $(SKBSTAT_TOP)/%,%,$(patsubst $(SKBSTAT_TOP)/build/%,%,$(abspath $(2))))';
MAKEFLAGS += --no-print-directory
endif
