/*
 * draw.h - the few drawing primitives every view uses, on stdscr: text
 * clipped to a number of cells (counting columns: a CJK character takes
 * two, a combining one none; never bytes), lines
 * and boxes in Unicode or ASCII. Strings must already be sanitised
 * (src/util/text.h): these functions never pass a control character on.
 */
#ifndef SHMVIZ_UI_DRAW_H
#define SHMVIZ_UI_DRAW_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

#include <curses.h>

#include "ui/layout.h"

/* Chooses Unicode or ASCII glyphs for lines and boxes. */
void draw_set_ascii(bool ascii);
bool draw_ascii(void);

/* Writes s at (y, x), at most maxw cells; returns the cells written.
 * Nothing is written outside the screen. */
int draw_text(int y, int x, int maxw, attr_t attr, const char *s);

/* The same, right-aligned in w cells. */
int draw_text_right(int y, int x, int w, attr_t attr, const char *s);

/* Fills w cells at (y, x) with one glyph (a UTF-8 or ASCII string). */
void draw_fill(int y, int x, int w, attr_t attr, const char *glyph);

/* A box with rounded corners (ASCII: '+', '-', '|'). */
void draw_box(const struct rect *r, attr_t attr);

/* Glyphs by name, Unicode or ASCII by the mode. */
const char *draw_glyph(const char *utf8, const char *ascii);

#endif
