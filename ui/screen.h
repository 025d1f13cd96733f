/*
 * screen.h - the whole screen from what was collected: the title line, a
 * pane a run (header, graph, legend, phase bar, table), the comparison or
 * what-is-happening strip, the caption and the status line; or, below the
 * minimum size, how big the terminal must be. Reads only; the caller
 * (ui/tui.c) refreshes.
 */
#ifndef SHMVIZ_UI_SCREEN_H
#define SHMVIZ_UI_SCREEN_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

#include "src/core/model.h"
#include "ui/layout.h"
#include "ui/mapview.h"
#include "ui/view.h"

struct screen_in {
	const struct model *m;
	struct run_view views[MODEL_MAX_RUNS];
	size_t nviews;
	enum chart_metric metric;
	bool ascii;
	bool paused;
	bool help;
	bool captions_on;
	const char *caption;      /* the caption now, "" for none */
	const char *note;         /* a passing message ("interval 50 ms") */
	bool recording;           /* --record in the TUI: no rerun key */
	bool lesson_wait;         /* --lesson: stopped at a phase boundary */
	bool halted;              /* the workload stopped by the user (p) */
	/* replay */
	bool replay;
	bool playing;
	double position;          /* s */
	double length;            /* s */
	double speed;
	/* a view of smaps mappings over the panes (kind MAPVIEW_NONE: none);
	 * its number of lines goes to *mv_lines */
	struct mapview_in mv;
	int *mv_lines;
};

void screen_draw(const struct screen_in *in);

#endif
