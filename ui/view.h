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
	double elapsed;              /* s shown in the header: of the phase
	                                open at t (after the last: since it
	                                ended), else since the start */
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

/* One run's frame kept apart from the model: the moment the display was
 * paused (a live run keeps only its newest frame), or the frame an ended
 * run's pane shows. Zeroed is empty; view_snapshot_free() frees it. */
struct view_snapshot {
	bool have;
	enum run_state state;
	double t;
	struct proc_row *rows;
	size_t n, cap;
	struct point total;
	bool have_total;
	bool hold;             /* kept from the hold phase */
};

/* Collects run r at time t (t < 0: its newest sample, as live). */
void view_collect(const struct run *r, double t, struct run_view *out);

/* --replay --lesson, stopped at the end of v's phase: v's rows and totals
 * become those of the newest sample of one moment of that phase up to v->t
 * (as a live stop shows its bounded sample, not a tree half-way through
 * attaching, whose RSS the caption would contradict), else the sample
 * the phase's end took (the first after it) when it is of one moment, the
 * graph then drawn up to it; the header's time stays the phase's. False (v
 * unchanged) when there is neither. */
bool view_lesson_frame(struct run_view *v);

/* Collects run r as its pane shows it: at time t (t < 0: live) or, with
 * pause (a snapshot of the moment of a pause, else NULL), as it was then;
 * an ended run shows the rows and total of its kept frame peak. */
void view_collect_kept(const struct run *r, double t,
		       const struct view_snapshot *pause,
		       const struct view_snapshot *peak, struct run_view *out);

/* Keeps run r's newest frame in s, at the run's time (a pause). */
void view_snapshot_take(struct view_snapshot *s, const struct run *r);

/* Frees the rows of s and empties it. */
void view_snapshot_free(struct view_snapshot *s);

/* Forgets the frame kept for an ended run (a run begins again). */
void view_peak_reset(struct view_snapshot *k);

/* Weighs run r's newest frame for the frame kept in k (live, each tick). */
void view_peak_track(struct view_snapshot *k, const struct run *r);

/* Finds the frame kept for run r among all its frames (a replay). */
void view_peak_find(struct view_snapshot *k, const struct run *r);

/* The scales every pane shares: y_max (kB) from the largest peak of any
 * run, t_max (s) from the longest run, and the time ticks' step. */
void view_scales(const struct model *m, int64_t *y_max, double *t_max,
		 double *t_step);

/* The length of a run as far as it is known, s. */
double view_run_length(const struct run *r);

#endif
