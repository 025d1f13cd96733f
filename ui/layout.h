/*
 * layout.h - the pure arithmetic of the views, free of curses so the unit
 * tests drive it: resampling a run's points into graph columns (what a
 * sample stacks and the scales are the chart's, src/core/chart.h),
 * rasterising a graph into cells (glyph and colour roles), the phase
 * bar's segments, the table's columns and the places of the panes and
 * lines on the screen.
 *
 * Memory figures are kB, times are seconds since a run started, sizes are
 * terminal cells. Nothing here allocates: callers pass the arrays.
 */
#ifndef SHMVIZ_UI_LAYOUT_H
#define SHMVIZ_UI_LAYOUT_H

#if !defined(SHMVIZ_USES_UI_PURE) && !defined(SHMVIZ_USES_ALL)
#error "ui/ (its curses-free part) is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/chart.h"
#include "src/core/model.h"

/* The smallest screen the full view needs. */
#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24

/* One column (or sub-column) of a graph. */
struct graph_col {
	bool has;                /* the run has data here */
	struct chart_stack v;
};

/* Resamples points (t ascending) into ncols columns over [0, t_max): each
 * column holds the stacked parts of the one point in its span whose stack
 * is highest (so peaks survive, and no column stacks parts of two points)
 * and the highest line of its span, or the last value before it; columns after t_view (or before
 * the first point, or after the last point with a process) have no data. */
void layout_resample(const struct point *pts, size_t n, double t_max,
		     double t_view, enum chart_metric m, struct graph_col *out,
		     size_t ncols);

/* Colour roles of graph cells (ui/theme.h maps them to attributes). */
enum graph_role {
	GROLE_NONE,
	GROLE_PRIVATE,
	GROLE_SHARED,
	GROLE_LINE,
};

/* One cell of a rasterised graph. */
struct graph_cell {
	char glyph[5];            /* UTF-8 (or ASCII) of one cell, NUL-ended */
	unsigned char fg, bg;     /* enum graph_role */
	unsigned char dots;       /* braille dots of the line, 0: none */
};

enum graph_style {
	GSTYLE_COLOR,     /* eighth blocks and braille, two colours a cell */
	GSTYLE_MONO,      /* blocks and shades, braille line: no colour */
	GSTYLE_ASCII,     /* '#', '+', '-' */
};

/* Rasterises 2*w sub-columns into w*h cells (row 0 at the top) against
 * y_max kB: the area (private below, shared above) in eighths of a cell,
 * the line in braille dots (2 across, 4 down a cell). A column whose
 * sample was estimated or held between reads fills its whole cells with a
 * shade instead of a block (LAYOUT_APPROX_* below), in every style. */
void layout_graph_raster(const struct graph_col *sub, int w, int h,
			 int64_t y_max, enum graph_style style,
			 struct graph_cell *out);

/* the glyphs of an estimated or held column's whole cells: colour (both
 * parts, in their colours), no colour (private, shared), ASCII (the same) */
#define LAYOUT_APPROX_COLOR "\xe2\x96\x92"
#define LAYOUT_APPROX_MONO_PRIVATE "\xe2\x96\x93"
#define LAYOUT_APPROX_MONO_SHARED "\xe2\x96\x91"
#define LAYOUT_APPROX_ASCII_PRIVATE "="
#define LAYOUT_APPROX_ASCII_SHARED "~"

/* The hold phase of a run (a steady state kept to be seen, left out of
 * the wall time the comparison gives) on a graph of w columns over
 * [0, t_max), as it stood at t_view: columns [*x0, *x1), each whose middle
 * lies in the phase. False when the run had no hold by t_view or it
 * covers no column. The graph draws a break at *x0 and hatches the rest,
 * so the length before the break is the time compared. */
bool layout_hold_cols(const struct run *r, double t_view, double t_max,
		      int w, int *x0, int *x1);
/* the break and the hatch of the hold: Unicode, ASCII */
#define LAYOUT_HOLD_BREAK "\xe2\x94\x8a"
#define LAYOUT_HOLD_HATCH "\xe2\x95\xb1"
#define LAYOUT_HOLD_BREAK_ASCII "|"
#define LAYOUT_HOLD_HATCH_ASCII "/"

/* One phase of a phase bar: columns [x0, x1) of the bar. */
struct phase_seg {
	int x0, x1;
	size_t phase;     /* index into the run's phases */
	bool open;        /* the phase goes on at the view time */
};

/* Lays out the phases of a run that began by t_view on a bar of width
 * cells over [0, t_max): to scale, in order, every phase of non-zero
 * length at least one cell wide where room allows. Returns the number of
 * segments written (at most max). */
size_t layout_phasebar(const struct phase *ph, size_t n, double t_max,
		       double t_view, int width, struct phase_seg *out,
		       size_t max);

/* Columns of the process table. */
enum table_col {
	TCOL_PID,
	TCOL_ROLE,
	TCOL_RSS,
	TCOL_PSS,
	TCOL_SHR_CLEAN,
	TCOL_SHR_DIRTY,
	TCOL_PRV_DIRTY,
	TCOL_STATE,
	TCOL_COMM,
	TCOL_COUNT,
};

/* Width rules of a column besides the common one of a memory column
 * (8 cells, 5 short). */
#define TWIDTH_PID (-1)    /* the widest pid's digits */
#define TWIDTH_REST (-2)   /* what is left of the line, when it is worth it */

/* One column of the process table: everything every view knows of it. A
 * new memory column is one enum table_col value and one line of
 * table_columns[]. */
struct table_column {
	const char *heading;
	const char *short_heading;   /* when the table is narrow */
	const char *explain;         /* the help overlay's line */
	int drop;           /* the narrower the terminal, the sooner the
	                       highest goes; 0: never dropped */
	int width, short_width;   /* cells with separator, TWIDTH_*; 0 0:
	                             the common memory width */
	int figure;         /* SMAPS_I_* of a memory column, -1 */
	bool left;          /* text, left aligned (numbers go right) */
	enum graph_role role;     /* colour of a non-zero figure, GROLE_NONE */
};

extern const struct table_column table_columns[TCOL_COUNT];

struct table_layout {
	size_t n;
	enum table_col col[TCOL_COUNT];
	int width[TCOL_COUNT];   /* cells, separator included */
	bool short_names;        /* "par" for parent, "S~" for "S held" */
};

/* Chooses the columns that fit in width cells, most telling first (the
 * lowest drop of table_columns[]: pid, RSS, PSS, Private_Dirty,
 * Shared_Dirty, role, state, Shared_Clean, name); pid_digits is the
 * widest pid. */
void layout_table(int width, int pid_digits, struct table_layout *out);

/* A rectangle of cells. */
struct rect {
	int y, x, h, w;
};

/* Where the parts of the screen go. */
struct screen_layout {
	bool too_small;          /* below LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS */
	struct rect title;       /* top line */
	struct rect pane[MODEL_MAX_RUNS];
	size_t npanes;
	struct rect strip;       /* comparison or what is happening */
	struct rect caption;     /* h = 0 when captions are off */
	struct rect status;
};
/* caption_lines: 0 (captions off), 1 or 2 */
void layout_screen(int cols, int rows, size_t nruns, int caption_lines,
		   struct screen_layout *out);

/* Breaks text (UTF-8, one cell a character) into at most nlines lines of
 * at most width cells at spaces; writes the byte offset and length of each
 * line, returns the number of lines. A word longer than the width is cut;
 * text that does not fit in nlines leaves *cut true. */
int layout_wrap(const char *text, int width, int nlines, size_t *off,
		size_t *len, bool *cut);

/* The last line of a caption cut short: the bytes of line (len of them)
 * to keep so that they and an ellipsis fit in width cells, cut at a space
 * and never after part of a figure: a word with a digit that ends what is
 * kept is dropped too ("ΣPSS 541…" of "ΣPSS 541 MiB" would read as 541
 * of something else), so the line reads "... copy. ΣPSS…". */
size_t layout_cut_words(const char *line, size_t len, int width);

/* Inside one pane (its border excluded): rows of each part. */
struct pane_layout {
	struct rect graph;       /* the plot area, y labels left of it */
	int label_w;             /* width of the y labels and axis */
	struct rect axis;        /* time axis under the graph */
	struct rect legend;      /* two lines */
	struct rect table;       /* header line + rows */
	int table_rows;          /* process rows shown */
	struct rect phasebar;    /* aligned with the graph's columns */
};
void layout_pane(const struct rect *inner, int procs_wanted,
		 struct pane_layout *out);

#endif
