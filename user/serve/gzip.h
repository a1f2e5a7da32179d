/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scrape's body compressed as Content-Encoding: gzip asks; apart from
 * the HTTP server so that skbstat-bench can time it.
 */
#ifndef SKBSTAT_SERVE_GZIP_H
#define SKBSTAT_SERVE_GZIP_H

#include <stddef.h>

/* @text gzip-compressed into a new buffer (free() it); NULL when that fails. */
void *gzip(const char *text, size_t len, size_t *out_len);

#endif /* SKBSTAT_SERVE_GZIP_H */
