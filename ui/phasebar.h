/*
 * phasebar.h - a run's phases as a bar to the graph's time scale, each
 * phase a coloured segment named inside where it fits.
 */
#ifndef SHMVIZ_UI_PHASEBAR_H
#define SHMVIZ_UI_PHASEBAR_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include "ui/layout.h"
#include "ui/view.h"

/* Draws the phases of v into r (columns aligned with the graph's) with a
 * short label in the lw cells left of it. */
void phasebar_draw(const struct rect *r, int lw, const struct run_view *v,
		   double t_max);

#endif
