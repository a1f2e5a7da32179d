// SPDX-License-Identifier: GPL-2.0
/*
 * UTF-8 validation and repair (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "output/utf8.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

static bool continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Bytes of the valid sequence that starts at @s, 0 when none does. */
static size_t sequence_len(const unsigned char *s)
{
	/* The second byte's range, which rules out overlong forms and surrogates. */
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	/* The NUL at the end is no continuation byte: no read runs past it. */
	for (i = 2; i < n; i++)
		if (!continuation(s[i]))
			return 0;
	return n;
}

bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p) {
		n = sequence_len(p);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

char *utf8_repair(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out, *o;
	size_t n;

	/* At worst every byte becomes three. */
	out = malloc(strlen(s) * 3 + 1);
	if (!out)
		return NULL;
	for (o = out; *p; p += n ? n : 1) {
		n = sequence_len(p);
		if (n) {
			memcpy(o, p, n);
			o += n;
		} else {
			memcpy(o, REPLACEMENT, 3);
			o += 3;
		}
	}
	*o = '\0';
	return out;
}
