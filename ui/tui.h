/*
 * tui.h - the interactive sink: ncurses views of the model.
 *
 * This file's implementation is the only one that owns terminal state
 * (docs/architecture.md rule 7): it starts curses with newterm() on the controlling
 * terminal and ends it on every way out (tui_destroy(), atexit, fatal
 * signals), so the terminal is always restored.
 */
#ifndef SHMVIZ_UI_TUI_H
#define SHMVIZ_UI_TUI_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"
#include "src/core/palette.h"
#include "src/core/sink.h"

struct tui_options {
	bool ascii;            /* draw with ASCII only (--ascii, or the locale
	                          is not UTF-8) */
	bool color;            /* false with NO_COLOR set */
	const char *captions;  /* lesson caption file, NULL: none */
	enum palette_theme theme; /* --theme, auto resolved */
	bool lesson;           /* --lesson: stop at each phase boundary until
	                          space */
	bool recording;        /* --record on a terminal: the session shown is
	                          the one recorded, so r (rerun) is off */
};

struct tui;

/* Starts curses. Returns NULL with one line in err when the terminal
 * cannot be used (TERM unset, unknown or dumb): the caller exits 4. */
struct tui *tui_create(const struct tui_options *o, char *err, size_t errlen);

/* Ends curses and restores the terminal; NULL is accepted. */
void tui_destroy(struct tui *t);

/* The sink of a live session. */
struct sink tui_sink(struct tui *t);

/* The replay player, playback_run(), is declared in ui/playback.h. */

#endif
