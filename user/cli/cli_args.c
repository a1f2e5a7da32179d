// SPDX-License-Identifier: GPL-2.0
/*
 * Option values that several commands take, parsed the same way
 * everywhere, and usage errors found after the command line was parsed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "model/filter.h"
#include "model/group.h"

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

/* An inode number as in the NETNS column, or a name as 'ip netns' gives them. */
void cli_parse_netns(struct argp_state *state, const char *option, const char *arg,
		     uint32_t *netns)
{
	bool number = *arg && strspn(arg, "0123456789") == strlen(arg);
	unsigned long long value;
	int err = -EINVAL;

	if (number && !parse_decimal(arg, UINT32_MAX, &value) && value) {
		*netns = value;
		return;
	}
	if (!number && *arg != '-')
		err = netns_by_name(arg, netns);
	if (err == -EINVAL)
		argp_error(state, "%s needs a netns name (see 'ip netns') or inode number (as in "
			   "the NETNS column, or 'stat -L -c %%i /proc/self/ns/net'), not '%s'",
			   option, arg);
	else if (err)
		argp_error(state, "unknown netns '%s' (no /run/netns/%s: see 'ip netns'; or give "
			   "an inode number as in the NETNS column)", arg, arg);
}

/* "1", "0.5", "2.25": digits, and at most three decimals after a point. */
void cli_parse_seconds(struct argp_state *state, const char *option, const char *arg,
		       double *seconds)
{
	unsigned long long whole, frac = 0, scale = 1;
	const char *point = strchr(arg, '.');
	size_t digits = point ? strlen(point + 1) : 0;
	char *whole_text;
	double value;
	int err;

	whole_text = strndup(arg, point ? (size_t)(point - arg) : strlen(arg));
	if (!whole_text) {
		argp_failure(state, EXIT_RUNTIME_ERROR, ENOMEM, "%s", option);
		return;
	}
	err = parse_decimal(whole_text, CLI_INTERVAL_MAX, &whole);
	free(whole_text);
	if (!err && point && (digits < 1 || digits > 3 ||
			      parse_decimal(point + 1, 999, &frac)))
		err = -EINVAL;
	while (digits--)
		scale *= 10;
	/* Stored only when valid: argp_error() returns under ARGP_NO_EXIT. */
	if (!err) {
		value = whole + (double)frac / scale;
		if (value >= CLI_INTERVAL_MIN && value <= CLI_INTERVAL_MAX) {
			*seconds = value;
			return;
		}
	}
	argp_error(state, "%s needs seconds from 0.1 to 86400, such as 1 or 0.5, not '%s'",
		   option, arg);
}

void cli_parse_drop_keys(struct argp_state *state, const char *arg, unsigned int *keys)
{
	char *list = strdup(arg);
	const char *bad;

	if (!list) {
		argp_failure(state, EXIT_RUNTIME_ERROR, ENOMEM, "--by");
		return;
	}
	if (drop_keys_parse(list, keys, &bad)) {
		if (!*bad)
			argp_error(state, "empty key in --by '%s' (use %s)", arg, DROP_KEY_NAMES);
		argp_error(state, "unknown key '%s' in --by (use %s)", bad, DROP_KEY_NAMES);
	}
	free(list);
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

int cli_netns_unknown_error(uint32_t inode)
{
	return cli_usage_error("unknown netns %u: no rows have it and no process or "
			       "'ip netns' name is in it", inode);
}
