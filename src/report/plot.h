/*
 * plot.h - a picture of a recording for slides (`shmviz --plot FILE -o OUT`):
 * the memory graph of every run side by side (ΣPSS as stacked areas, its
 * shared part ΣPSS−ΣUSS over its private part ΣUSS, and ΣRSS as a line),
 * each run's phase bar, one time scale and one memory scale for all runs,
 * and the comparison numbers. One cairo drawing, written as SVG or PNG.
 */
#ifndef SHMVIZ_SRC_PLOT_H
#define SHMVIZ_SRC_PLOT_H

#if !defined(SHMVIZ_USES_REPORT) && !defined(SHMVIZ_USES_ALL)
#error "src/report/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"
#include "src/core/palette.h"

/* Draws m into path: SVG when path ends in ".svg", PNG when ".png", width
 * by height pixels (the extension in any case: .PNG too). The file appears whole or not at all: it is written to
 * a temporary file beside path and renamed. Returns 0, or EXIT_USAGE (2)
 * with one line in err when path cannot be written. */
int plot_write(const struct model *m, const char *path, int width, int height,
	       char *err, size_t errlen);

/* A label's rectangle, y down from the top. */
struct plot_rect {
	double x, y, w, h;
};

/* Where the peak label (w by h) goes near its point (px, py), inside box
 * and clear of the ΣRSS label rss: right of the point and above it, else
 * below it, left above, left below, under or over the ΣRSS label; the
 * first of these that overlaps nothing (clamped into box). */
struct plot_rect plot_place_peak(struct plot_rect box, struct plot_rect rss,
				 double px, double py, double w, double h,
				 double gap);

/* Whether two rectangles overlap. */
bool plot_rects_overlap(struct plot_rect a, struct plot_rect b);

/* The colours of the pictures plot_write() draws from now on: the roles
 * of theme t on its background (light, on white, until this is called). */
void plot_set_theme(enum palette_theme t);

/* The recording the next picture is drawn from (NULL: none): the picture
 * gets the mode the umask gives, no more readable than that file
 * (outpath_mode()). The string must live until the picture is written. */
void plot_set_source(const char *recording);
/* The same; with mappings, under each run's graph a bar chart of its top
 * mapping groups by ΣPSS (runs[].mappings of a recording made with
 * --mappings: the last snapshot of the hold, else the newest), on one
 * scale for all runs. */
int plot_write_mappings(const struct model *m, const char *path, int width,
			int height, bool mappings, char *err, size_t errlen);

#endif
