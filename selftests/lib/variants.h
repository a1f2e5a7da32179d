/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every counting test runs once per backend and attach mode: the same
 * workload must give the same numbers whichever way it is counted.
 * Include after kselftest_harness.h.
 */
#ifndef _SKBSTAT_VARIANTS_H
#define _SKBSTAT_VARIANTS_H

#include "testlib.h"

/*
 * The harness's 30 s per test is a watchdog sized for real machines.  In
 * the lab VM under TCG, beside make check's debug-kernel VMs on the same
 * two cores, a test that runs every CLI command against BPF (each run
 * reads the kernel's BTF) took longer.  A hang still ends, later.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#define BACKEND_VARIANTS(fixture)					\
	FIXTURE_VARIANT(fixture) {					\
		struct backend_variant v;				\
	};								\
	FIXTURE_VARIANT_ADD(fixture, kmod_tracepoint) {			\
		.v = { "kmod", "tracepoint" },				\
	};								\
	FIXTURE_VARIANT_ADD(fixture, kmod_kprobe) {			\
		.v = { "kmod", "kprobe" },				\
	};								\
	FIXTURE_VARIANT_ADD(fixture, bpf_tp_btf) {			\
		.v = { "bpf", "tp_btf" },				\
	};								\
	FIXTURE_VARIANT_ADD(fixture, bpf_raw_tp) {			\
		.v = { "bpf", "raw_tp" },				\
	};								\
	FIXTURE_VARIANT_ADD(fixture, bpf_kprobe) {			\
		.v = { "bpf", "kprobe" },				\
	}

/*
 * In FIXTURE_SETUP: count with the variant's backend, or skip when this
 * kernel cannot run it (or $SKBSTAT_BACKENDS leaves it out).
 */
#define BACKEND_SETUP(variant)						\
	do {								\
		int __err = backend_up(&(variant)->v);			\
		if (__err == -EOPNOTSUPP)				\
			SKIP(return, "%s/%s not available here",	\
			     (variant)->v.backend, (variant)->v.mode);	\
		ASSERT_EQ(0, __err);					\
	} while (0)

/* The 6.1 harness runs the test body after a skipped setup: stop it. */
#define RETURN_IF_SKIPPED()						\
	do {								\
		if (_metadata->skip)					\
			return;						\
	} while (0)

#endif /* _SKBSTAT_VARIANTS_H */
