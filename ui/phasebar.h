/*
 * phasebar.h - a run's phases as a bar to the graph's time scale, each
 * phase a coloured segment named inside where it fits.
 */
#ifndef SHMVIZ_UI_PHASEBAR_H
#define SHMVIZ_UI_PHASEBAR_H

#include "ui/layout.h"
#include "ui/view.h"

/* Draws the phases of v into r (columns aligned with the graph's) with a
 * short label in the lw cells left of it. */
void phasebar_draw(const struct rect *r, int lw, const struct run_view *v,
		   double t_max);

#endif
