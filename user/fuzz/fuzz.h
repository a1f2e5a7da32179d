/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user/fuzz/: libFuzzer targets, one fuzz_<target>.c per parser of data
 * that skbstat does not control, linked with the CLI's library built for
 * fuzzing (make fuzz-user-build); corpus/<target>/ holds their seeds.
 *
 * Reading a fuzzer's input as typed values: each read takes what is left,
 * and past the end gives zeros and empty strings, so every input is usable.
 */
#ifndef SKBSTAT_FUZZ_H
#define SKBSTAT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_input {
	const uint8_t *data;
	size_t len;
};

static inline size_t fuzz_bytes(struct fuzz_input *in, void *dst, size_t n)
{
	size_t got = n < in->len ? n : in->len;

	memset(dst, 0, n);
	memcpy(dst, in->data, got);
	in->data += got;
	in->len -= got;
	return got;
}

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	uint8_t v;

	fuzz_bytes(in, &v, sizeof(v));
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_input *in)
{
	uint16_t v;

	fuzz_bytes(in, &v, sizeof(v));
	return v;
}

static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
	uint32_t v;

	fuzz_bytes(in, &v, sizeof(v));
	return v;
}

static inline uint64_t fuzz_u64(struct fuzz_input *in)
{
	uint64_t v;

	fuzz_bytes(in, &v, sizeof(v));
	return v;
}

/*
 * A string of any bytes but NUL, as long as the next byte says (at most
 * @max), malloc'd; exits when out of memory, which no target tests.
 */
static inline char *fuzz_str(struct fuzz_input *in, size_t max)
{
	size_t n = fuzz_u8(in), i;
	char *s;

	if (n > max)
		n = max;
	if (n > in->len)
		n = in->len;
	s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, in->data, n);
	for (i = 0; i < n; i++)
		if (!s[i])
			s[i] = '?';
	s[n] = '\0';
	in->data += n;
	in->len -= n;
	return s;
}

#endif /* SKBSTAT_FUZZ_H */
