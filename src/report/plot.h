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

/* Whether two rectangles overlap. */
bool plot_rects_overlap(struct plot_rect a, struct plot_rect b);

/* What a picture holds where (plot_layout()): every text drawn, the
 * labels in the graphs apart, and each graph's data area (where its areas
 * and lines may go). */
enum plot_box_kind { PLOT_BOX_TEXT, PLOT_BOX_LABEL, PLOT_BOX_DATA };
struct plot_box {
	struct plot_rect r;
	enum plot_box_kind kind;
};
#define PLOT_BOXES_MAX 1024
struct plot_layout {
	struct plot_box box[PLOT_BOXES_MAX];
	size_t n;
	size_t cut;           /* texts cut with an ellipsis to fit */
	double min_text_px;   /* the smallest text's height (ascent and
	                         descent), px */
	double font_scale;    /* of the text: 1 at 1600x900 */
	int cols, rows;       /* of the panels */
};

/* Lays m out as plot_write_mappings() draws it at width x height (drawing
 * it nowhere) and fills out. False when out of memory. */
bool plot_layout(const struct model *m, int width, int height, bool mappings,
		 struct plot_layout *out);

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
