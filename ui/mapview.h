/*
 * mapview.h - the views of smaps mappings (docs/recording.md, "Mappings"):
 * one process's mapping groups sorted by PSS, or the tree of the run's
 * groups (each group summed across the processes that map it, with those
 * processes under it). Drawn over the panes; Esc closes them.
 */
#ifndef SHMVIZ_UI_MAPVIEW_H
#define SHMVIZ_UI_MAPVIEW_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <sys/types.h>

#include "src/core/model.h"
#include "ui/layout.h"

enum mapview {
	MAPVIEW_NONE,
	MAPVIEW_PROC,   /* one process's groups */
	MAPVIEW_TREE,   /* the run's groups, their processes under them */
	MAPVIEW_DECAY,  /* the run's sharing decay (ui/decayview.h): no
	                   mappings needed */
};

struct mapview_in {
	enum mapview kind;
	const struct run *run;
	pid_t pid;          /* MAPVIEW_PROC */
	double t;           /* view time: the newest snapshot at or before it
	                       is shown (< 0: the newest) */
	double sample_t;    /* time of the last sample shown in the panes */
	int scroll;         /* first line shown */
	bool ascii;
	bool replay;        /* figures come from a recording */
};

/* Draws the view into r; returns the number of lines it has (for the
 * caller's scrolling). */
int mapview_draw(const struct rect *r, const struct mapview_in *in);

#endif
