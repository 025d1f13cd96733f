/*
 * table.h - a pane's process table: pid, role, RSS, PSS, Shared_Clean,
 * Shared_Dirty, Private_Dirty, state (and the name where room allows).
 * A value that could not be read shows as "?", never as 0.
 */
#ifndef SHMVIZ_UI_TABLE_H
#define SHMVIZ_UI_TABLE_H

#include "ui/layout.h"
#include "ui/view.h"

/* Draws the header and at most rows processes of v into r. */
void table_draw(const struct rect *r, int rows, const struct run_view *v);

#endif
