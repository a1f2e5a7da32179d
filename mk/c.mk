# SPDX-License-Identifier: GPL-2.0
#
# The one rule for a C object: $(O)/DIR/NAME.o from $(SRC_DIR)/DIR/NAME.c,
# with a dependency file beside it.  For the Makefiles that build against
# the CLI's library (user/, selftests/bench/); they set SRC_DIR and O and
# include this after their first rule; $(compile_c) is the recipe for an
# object from elsewhere.

include $(dir $(lastword $(MAKEFILE_LIST)))quiet.mk

define compile_c
	$(Q)mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
endef

$(O)/%.o: $(SRC_DIR)/%.c
	$(compile_c)
