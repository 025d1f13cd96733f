/*
 * theme.h - colours as roles (htop's ColorElements): views ask for the
 * attribute of a role, never for a colour. Without colour (NO_COLOR, a
 * monochrome terminal) every role maps to plain, bold, dim or reverse
 * video, so the screen stays readable. The roles and their colours are in
 * src/core/palette.h.
 */
#ifndef SHMVIZ_UI_THEME_H
#define SHMVIZ_UI_THEME_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

#include <curses.h>

#include "src/core/palette.h"
#include "ui/layout.h"


/* Sets up the colour pairs of theme t (src/core/palette.h); color false:
 * attributes only. With 256 colours the theme paints its own background,
 * so the contrast of every role is the one computed from the table. */
void theme_init(bool color, enum palette_theme t);

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
