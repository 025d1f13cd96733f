/*
 * graph.h - a pane's memory graph: y labels, the stacked area (private
 * below, shared above) with the line over it, the time axis, and the two
 * legend lines with the current values and top's overcount.
 */
#ifndef SHMVIZ_UI_GRAPH_H
#define SHMVIZ_UI_GRAPH_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdint.h>

#include "ui/layout.h"
#include "ui/view.h"

struct graph_scale {
	int64_t y_max;     /* kB at the top of the graph */
	double t_max;      /* s at the right end */
	double t_step;     /* s between time ticks */
};

/* Draws the graph of v into l->graph (labels left of it) and the time
 * axis into l->axis. */
void graph_draw(const struct pane_layout *l, const struct run_view *v,
		enum chart_metric metric, const struct graph_scale *sc,
		enum graph_style style);

/* The form of the legend's second line that fits l (0: the longest). */
int graph_legend_form(const struct pane_layout *l, const struct run_view *v,
		      enum chart_metric metric);
/* Draws the legend of v into l->legend, its second line in form or a
 * shorter one (every pane takes the longest form all of them fit: one
 * pane never names the overcount while another does not). */
void graph_legend_draw(const struct pane_layout *l, const struct run_view *v,
		       enum chart_metric metric, int form);

#endif
