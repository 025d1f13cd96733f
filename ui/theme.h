/*
 * theme.h - colours as roles (htop's ColorElements): views ask for the
 * attribute of a role, never for a colour. Without colour (NO_COLOR, a
 * monochrome terminal) every role maps to plain, bold, dim or reverse
 * video, so the screen stays readable.
 */
#ifndef SHMVIZ_UI_THEME_H
#define SHMVIZ_UI_THEME_H

#include <stdbool.h>

#include <curses.h>

#include "ui/layout.h"

enum theme_role {
	THEME_NORMAL,
	THEME_DIM,        /* secondary text, axes */
	THEME_BORDER,
	THEME_TITLE,      /* run names, the title line */
	THEME_HEADING,    /* table header */
	THEME_SHARED,     /* the shared part of the footprint */
	THEME_PRIVATE,    /* the private part */
	THEME_LINE,       /* the line over the area (ΣRSS) */
	THEME_OK,         /* done */
	THEME_FAIL,       /* failed, unreadable */
	THEME_RUNNING,
	THEME_WAITING,
	THEME_KEY,        /* a key in the status line */
	THEME_STATUS,     /* the status line */
	THEME_PAUSED,     /* the paused badge */
	THEME_CAPTION,
	THEME_STRIP,      /* the comparison */
	THEME_PHASE_A,    /* phase bar segments, alternating */
	THEME_PHASE_B,
	THEME_PHASE_HOLD,
	THEME_COUNT,
};

/* Sets up the colour pairs; color false: attributes only. */
void theme_init(bool color);

/* Whether colours are in use. */
bool theme_color(void);

/* The attribute of a role. */
attr_t theme_attr(enum theme_role role);

/* The attribute of a graph cell: foreground role over background role
 * (enum graph_role). */
attr_t theme_graph(unsigned fg, unsigned bg);

/* The attribute of a phase's bar segment, by name. */
attr_t theme_phase(const char *name, int index);

#endif
