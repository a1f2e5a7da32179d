// SPDX-License-Identifier: GPL-2.0
/*
 * Option values that several commands take, parsed the same way
 * everywhere, and usage errors found after the command line was parsed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* A decimal number of digits only: strtoull would take "-1" and " 7". */
static int parse_decimal(const char *arg, unsigned long long max, unsigned long long *value)
{
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -EINVAL;
	errno = 0;
	*value = strtoull(arg, &end, 10);
	if (*end || errno || *value > max)
		return -EINVAL;
	return 0;
}

void cli_parse_count(struct argp_state *state, const char *option, const char *arg,
		     size_t *count)
{
	unsigned long long value;

	if (parse_decimal(arg, SIZE_MAX, &value) || !value)
		argp_error(state, "%s needs a positive number, not '%s'", option, arg);
	*count = value;
}

void cli_parse_netns(struct argp_state *state, const char *option, const char *arg,
		     uint32_t *netns)
{
	unsigned long long value;

	if (parse_decimal(arg, UINT32_MAX, &value) || !value)
		argp_error(state, "%s needs a netns inode number (as in the NETNS column, "
			   "or 'stat -L -c %%i /proc/self/ns/net'), not '%s'", option, arg);
	*netns = value;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("skbstat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_ERR_USAGE;
}
