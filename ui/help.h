/*
 * help.h - the help overlay: the keys, and what PSS, RSS and USS mean.
 */
#ifndef SHMVIZ_UI_HELP_H
#define SHMVIZ_UI_HELP_H

#include <stdbool.h>

/* Draws the help box over the screen (cols x rows); replay selects the
 * replay keys. */
void help_draw(int cols, int rows, bool replay);

#endif
