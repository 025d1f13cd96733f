/*
 * help.h - the help overlay: the keys, and what PSS, RSS and USS mean.
 */
#ifndef SHMVIZ_UI_HELP_H
#define SHMVIZ_UI_HELP_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

#include "src/core/model.h"

/* Draws the help box over the screen (cols x rows); replay selects the
 * replay keys. Every column heading of the table as the screen shows it
 * now (ui/table.h, table_shown()) is explained. m (may be NULL) gives the runs whose output went to a log
 * file, listed at the end. */
void help_draw(int cols, int rows, bool replay, const struct model *m);

#endif
