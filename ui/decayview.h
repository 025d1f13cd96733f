/*
 * decayview.h - the view of sharing that decays (src/core/decay.h): for
 * one run, the shared part of ΣPSS against the private part, from the
 * start of its window to now, of the tree and of each member, with the
 * rate it is lost at and its half-life. Drawn over the panes (a kind of
 * the mappings views' overlay, MAPVIEW_DECAY, key d); Esc closes it.
 */
#ifndef SHMVIZ_UI_DECAYVIEW_H
#define SHMVIZ_UI_DECAYVIEW_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include "src/core/model.h"
#include "ui/layout.h"

/* Draws the decay of run ru into r from line scroll on; returns the
 * number of lines it has. replay: the figures are the whole
 * recording's. */
int decayview_draw(const struct rect *r, const struct run *ru, int scroll,
		   bool replay);

#endif
