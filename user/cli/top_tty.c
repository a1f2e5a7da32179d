// SPDX-License-Identifier: GPL-2.0
/*
 * Terminal handling for top.  Each frame is written in one go: home the
 * cursor, each line followed by "clear to the end of the line", then
 * "clear below", so nothing flickers and no stale characters remain.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/sample_loop.h"
#include "cli/top_tty.h"

#define NSEC_PER_MSEC		1000000ull

#define ANSI_ALT_SCREEN_ON	"\033[?1049h"
#define ANSI_ALT_SCREEN_OFF	"\033[?1049l"
#define ANSI_CURSOR_HIDE	"\033[?25l"
#define ANSI_CURSOR_SHOW	"\033[?25h"
#define ANSI_HOME		"\033[H"
#define ANSI_CLEAR_EOL		"\033[K"
#define ANSI_CLEAR_BELOW	"\033[J"

static volatile sig_atomic_t resized;

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

int top_tty_enter(struct top_tty *tty)
{
	struct sigaction sa;
	struct termios raw;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGWINCH, &sa, NULL)) {
		fprintf(stderr, "skbstat: cannot catch SIGWINCH: %s\n", strerror(errno));
		return -errno;
	}
	/* Keys without Enter and without echo; Ctrl-C still sends SIGINT. */
	tty->keys = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &tty->saved);
	if (tty->keys) {
		raw = tty->saved;
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	fputs(ANSI_ALT_SCREEN_ON ANSI_CURSOR_HIDE, stdout);
	fflush(stdout);
	return 0;
}

void top_tty_leave(struct top_tty *tty)
{
	fputs(ANSI_CURSOR_SHOW ANSI_ALT_SCREEN_OFF, stdout);
	fflush(stdout);
	if (tty->keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &tty->saved);
}

void top_tty_size(unsigned int *rows, unsigned int *cols)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
		return;
	}
	*rows = 24;
	*cols = 80;
}

/* Read what was typed; true when it asks to quit. */
static bool quit_typed(void)
{
	char keys[32];
	ssize_t n = read(STDIN_FILENO, keys, sizeof(keys));

	/* End of input (the terminal went away) quits too. */
	if (n == 0)
		return true;
	return n > 0 && (memchr(keys, 'q', n) || memchr(keys, 'Q', n));
}

enum top_event top_tty_wait(const struct top_tty *tty, uint64_t deadline)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	for (;;) {
		uint64_t now = sample_now_ns();
		int timeout, ret;

		if (sample_interrupted())
			return TOP_QUIT;
		if (resized) {
			resized = 0;
			return TOP_RESIZED;
		}
		if (now >= deadline)
			return TOP_TIMEOUT;
		/* Round up, so the wait never ends just before the deadline. */
		timeout = (deadline - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
		ret = poll(&pfd, tty->keys ? 1 : 0, timeout);
		if (ret > 0 && quit_typed())
			return TOP_QUIT;
		if (ret > 0 && (pfd.revents & (POLLHUP | POLLERR)))
			return TOP_QUIT;
	}
}

int top_tty_draw(const char *screen)
{
	const char *line = screen;

	fputs(ANSI_HOME, stdout);
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		fwrite(line, 1, len, stdout);
		fputs(ANSI_CLEAR_EOL, stdout);
		line += len;
		if (*line == '\n') {
			line++;
			/* No newline after the last line: it would scroll a full screen. */
			if (*line)
				fputs("\r\n", stdout);
		}
	}
	fputs(ANSI_CLEAR_BELOW, stdout);
	if (fflush(stdout))
		return -errno;
	return 0;
}
