/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal for "skbstat top": an alternate screen redrawn in place with
 * ANSI sequences (no curses needed), keys read without waiting for Enter.
 */
#ifndef SKBSTAT_TOP_TTY_H
#define SKBSTAT_TOP_TTY_H

#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

struct top_tty {
	struct termios saved;		/* stdin's mode before */
	bool keys;			/* stdin is a terminal: 'q' quits */
};

/* What ended a wait. */
enum top_event {
	TOP_TIMEOUT,			/* the deadline came */
	TOP_QUIT,			/* 'q', SIGINT or SIGTERM */
	TOP_RESIZED,			/* SIGWINCH: draw again */
};

/* Switch to the alternate screen; returns 0 or -errno after saying why. */
int top_tty_enter(struct top_tty *tty);

/* Restore the screen, the cursor and stdin's mode. */
void top_tty_leave(struct top_tty *tty);

/* The terminal's size, 24x80 when unknown. */
void top_tty_size(unsigned int *rows, unsigned int *cols);

/* Wait until @deadline (CLOCK_MONOTONIC ns), a quit key, a signal. */
enum top_event top_tty_wait(const struct top_tty *tty, uint64_t deadline);

/* Replace the screen by @screen, whose lines fit it. */
int top_tty_draw(const char *screen);

#endif /* SKBSTAT_TOP_TTY_H */
