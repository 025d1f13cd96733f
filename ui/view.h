/*
 * view.h - what a pane shows of a run at its view time, collected from the
 * model before anything is drawn (btop's collect, then draw). Live, the
 * view time is the newest sample; paused, the moment of the pause; in a
 * replay, the replay position. No curses here.
 */
#ifndef SHMVIZ_UI_VIEW_H
#define SHMVIZ_UI_VIEW_H

#if !defined(SHMVIZ_USES_UI_PURE) && !defined(SHMVIZ_USES_ALL)
#error "ui/ (its curses-free part) is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"

struct run_view {
	const struct run *run;
	double t;                    /* view time, s since the run started */
	enum run_state state;        /* at t */
	const struct phase *phase;   /* open at t, or NULL */
	double elapsed;              /* s shown in the header */
	const struct proc_row *rows; /* the frame at t (not owned) */
	size_t nrows;
	struct point total;          /* totals at t */
	bool have_total;
	bool at_peak;                /* rows and total: a kept frame of an
	                                ended run (the last of its hold phase,
	                                else the one of peak ΣPSS) */
	bool peak_hold;              /* the kept frame is of the hold phase */
	double peak_t;               /* its time, s */
	bool not_started;            /* replay: t is before the run's first
	                                sample (state RUN_WAITING) */
	bool exited;                 /* replay: t is after the run's last
	                                phase ended, before it was done
	                                (phase: that last phase) */
	pid_t selected;              /* the table's selected process, 0:
	                                none */
};

/* Collects run r at time t (t < 0: its newest sample, as live). */
void view_collect(const struct run *r, double t, struct run_view *out);

/* The scales every pane shares: y_max (kB) from the largest peak of any
 * run, t_max (s) from the longest run, and the time ticks' step. */
void view_scales(const struct model *m, int64_t *y_max, double *t_max,
		 double *t_step);

/* The length of a run as far as it is known, s. */
double view_run_length(const struct run *r);

#endif
