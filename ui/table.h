/*
 * table.h - a pane's process table: pid, role, RSS, PSS, Shared_Clean,
 * Shared_Dirty, Private_Dirty, state (and the name where room allows).
 * A value that could not be read shows as "?", never as 0.
 */
#ifndef SHMVIZ_UI_TABLE_H
#define SHMVIZ_UI_TABLE_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include "ui/layout.h"
#include "ui/view.h"

/* Draws the header and at most rows processes of v into r. */
void table_draw(const struct rect *r, int rows, const struct run_view *v);

/* A column's heading, short ("ShCl") or long ("Shr_Cln"), and what it
 * means, in one line (the help overlay). */
const char *table_heading(enum table_col c, bool shrt);
const char *table_explain(enum table_col c);

/* The columns of the last table drawn (n = 0 before any): what the help
 * overlay explains. */
const struct table_layout *table_shown(void);

#endif
