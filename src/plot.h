/*
 * plot.h - a picture of a recording for slides (`shmviz --plot FILE -o OUT`):
 * the memory graph of every run side by side (ΣPSS as stacked areas, its
 * shared part ΣPSS−ΣUSS over its private part ΣUSS, and ΣRSS as a line),
 * each run's phase bar, one time scale and one memory scale for all runs,
 * and the comparison numbers. One cairo drawing, written as SVG or PNG.
 */
#ifndef SHMVIZ_SRC_PLOT_H
#define SHMVIZ_SRC_PLOT_H

#include <stddef.h>

#include "src/model.h"
#include "src/palette.h"

/* Draws m into path: SVG when path ends in ".svg", PNG when ".png", width
 * by height pixels (the extension in any case: .PNG too). The file appears whole or not at all: it is written to
 * a temporary file beside path and renamed. Returns 0, or EXIT_USAGE (2)
 * with one line in err when path cannot be written. */
int plot_write(const struct model *m, const char *path, int width, int height,
	       char *err, size_t errlen);

/* The colours of the pictures plot_write() draws from now on: the roles
 * of theme t on its background (light, on white, until this is called). */
void plot_set_theme(enum palette_theme t);

#endif
