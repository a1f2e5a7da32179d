// SPDX-License-Identifier: GPL-2.0
/*
 * An OpenMetrics line checker, written from the format's text exposition
 * rules rather than from the renderer, so that the two disagree when one
 * is wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fuzz/om_check.h"

/*
 * Valid UTF-8, for @len bytes of @s.  Other control characters than the
 * newline may stand raw in a label value or HELP text: only backslash,
 * double quote and newline have escapes.
 */
static bool valid_utf8(const char *s, size_t len)
{
	mbstate_t state;
	wchar_t wc;
	size_t n;

	memset(&state, 0, sizeof(state));
	while (len) {
		n = mbrtowc(&wc, s, len, &state);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return false;
		s += n;
		len -= n;
	}
	return true;
}

/* [a-zA-Z_:][a-zA-Z0-9_:]*; returns its length, 0 for none. */
static size_t metric_name(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_' && s[0] != ':')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == ':')
		n++;
	return n;
}

/* [a-zA-Z_][a-zA-Z0-9_]*: as a metric name, without colons. */
static size_t label_name(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

/* "\"...\"" with only \\, \" and \n escaped; returns its length, 0 when bad. */
static size_t label_value(const char *s)
{
	size_t n = 1;

	if (s[0] != '"')
		return 0;
	for (; s[n] && s[n] != '"'; n++) {
		if (s[n] != '\\')
			continue;
		n++;
		if (s[n] != '\\' && s[n] != '"' && s[n] != 'n')
			return 0;
	}
	return s[n] == '"' ? n + 1 : 0;
}

/* {name="value",...}; returns its length, 0 when bad. */
static size_t label_set(const char *s)
{
	size_t n = 1, k;

	for (;;) {
		k = label_name(s + n);
		if (!k)
			return 0;
		n += k;
		if (s[n++] != '=')
			return 0;
		k = label_value(s + n);
		if (!k)
			return 0;
		n += k;
		if (s[n] == '}')
			return n + 1;
		if (s[n++] != ',')
			return 0;
	}
}

static bool number(const char *s)
{
	char *end;

	if (!strcmp(s, "NaN") || !strcmp(s, "+Inf") || !strcmp(s, "-Inf"))
		return true;
	if (!*s || isspace((unsigned char)*s))
		return false;
	strtod(s, &end);
	return !*end && !strpbrk(s, "xXpPiInN");
}

static bool sample(const char *line)
{
	size_t n = metric_name(line), k;

	if (!n)
		return false;
	if (line[n] == '{') {
		k = label_set(line + n);
		if (!k)
			return false;
		n += k;
	}
	return line[n] == ' ' && number(line + n + 1);
}

static bool comment(const char *line)
{
	size_t n;

	if (!strcmp(line, "# EOF"))
		return true;
	if (!strncmp(line, "# HELP ", 7)) {
		n = metric_name(line + 7);
		return n && (!line[7 + n] || line[7 + n] == ' ');
	}
	if (!strncmp(line, "# TYPE ", 7)) {
		n = metric_name(line + 7);
		return n && (!strcmp(line + 7 + n, " counter") || !strcmp(line + 7 + n, " gauge"));
	}
	return false;
}

int om_check(const char *text)
{
	char line[8192];
	const char *end;
	size_t len;

	for (; *text; text = end + 1) {
		end = strchr(text, '\n');
		if (!end) {
			fprintf(stderr, "OpenMetrics: no newline after '%s'\n", text);
			return -EINVAL;
		}
		len = end - text;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, text, len);
		line[len] = '\0';
		if (!valid_utf8(text, end - text) ||
		    !(line[0] == '#' ? comment(line) : sample(line))) {
			fprintf(stderr, "OpenMetrics: bad line '%s'\n", line);
			return -EINVAL;
		}
	}
	return 0;
}
