/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a scraper accepts of OpenMetrics text, checked apart from the
 * renderer that writes it, for the fuzz targets: an oracle of its own.
 */
#ifndef SKBSTAT_OM_CHECK_H
#define SKBSTAT_OM_CHECK_H

/*
 * 0 when every line of @text is a HELP, TYPE or EOF comment or a sample
 * with well-escaped label values, all valid UTF-8 (LC_CTYPE must be a
 * UTF-8 locale); else -EINVAL after printing the line on stderr.
 */
int om_check(const char *text);

#endif /* SKBSTAT_OM_CHECK_H */
