// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <zlib.h>

#include "serve/gzip.h"

void *gzip(const char *text, size_t len, size_t *out_len)
{
	z_stream z = { 0 };
	uLong bound;
	void *buf;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&z, len);
	buf = malloc(bound);
	if (!buf) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)text;
	z.avail_in = len;
	z.next_out = buf;
	z.avail_out = bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(buf);
		return NULL;
	}
	*out_len = z.total_out;
	deflateEnd(&z);
	return buf;
}
