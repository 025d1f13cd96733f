/*
 * view.c - collecting a run's state at a view time (see view.h).
 */
#include "ui/view.h"

#include <stdlib.h>
#include <string.h>

#include "ui/layout.h"

double view_run_length(const struct run *r)
{
	double t = r->t_now;

	/* an ended run lasted until its tree exited, maybe after the last
	 * sample */
	if (run_state_ended(r->state) && r->result.total_s > t)
		t = r->result.total_s;
	return t;
}

void view_collect(const struct run *r, double t, struct run_view *out)
{
	const struct frame *f;
	bool live = t < 0;

	*out = (struct run_view){ .run = r, .t = live ? r->t_now : t };
	if (r->state == RUN_WAITING) {
		out->state = RUN_WAITING;
		return;
	}
	if (live || t >= view_run_length(r))
		out->state = r->state;
	else
		out->state = RUN_RUNNING;
	/* the phase open at the view time */
	for (size_t i = r->nphases; i-- > 0;) {
		const struct phase *p = &r->phases[i];

		if (p->start_s > out->t)
			continue;
		if (p->end_s < 0 || p->end_s > out->t || (live && i + 1 == r->nphases &&
							 r->state == RUN_RUNNING))
			out->phase = p;
		break;
	}
	if (out->state != RUN_RUNNING)
		out->phase = NULL;
	if (!live && out->state == RUN_RUNNING && !out->phase && r->nphases &&
	    r->phases[r->nphases - 1].end_s >= 0 &&
	    out->t >= r->phases[r->nphases - 1].end_s) {
		/* after the last phase (exit), before the run was done */
		out->phase = &r->phases[r->nphases - 1];
		out->exited = true;
	}
	/* the header's time is the phase's own length so far, as the phase
	 * bar gives each phase's (one clock: the axis is the run's); after
	 * the last phase, the time since it ended */
	out->elapsed = out->t;
	if (out->elapsed > r->t_now)
		out->elapsed = r->t_now;
	if (out->phase)
		out->elapsed -= out->exited ? out->phase->end_s : out->phase->start_s;
	if (out->elapsed < 0)
		out->elapsed = 0;
	f = run_frame_at(r, live ? -1 : t);
	if (!live && !f && out->state == RUN_RUNNING) {
		/* before the first sample: nothing to show yet */
		out->state = RUN_WAITING;
		out->phase = NULL;
		out->exited = false;
		out->not_started = true;
		return;
	}
	if (f) {
		out->rows = run_frame_rows(r, f);
		out->nrows = out->rows ? f->n : 0;
		out->total = f->total;
		out->have_total = true;
	}
}

/* copies frame f of r into s */
static void keep_frame(struct view_snapshot *s, const struct run *r,
		       const struct frame *f)
{
	const struct proc_row *rows = run_frame_rows(r, f);
	size_t n = rows && f ? f->n : 0;

	s->have = true;
	s->state = r->state;
	s->t = f ? f->t : r->t_now;
	s->have_total = f != NULL;
	if (f)
		s->total = f->total;
	s->n = 0;
	if (n > s->cap) {
		struct proc_row *nr = realloc(s->rows, n * sizeof(*nr));

		if (!nr)
			return;
		s->rows = nr;
		s->cap = n;
	}
	if (n)
		memcpy(s->rows, rows, n * sizeof(*rows));
	s->n = n;
}

void view_snapshot_take(struct view_snapshot *s, const struct run *r)
{
	keep_frame(s, r, run_frame_at(r, -1));
	s->t = r->t_now;
}

void view_snapshot_free(struct view_snapshot *s)
{
	free(s->rows);
	*s = (struct view_snapshot){ 0 };
}

/* Whether frame f of r is in the run's hold phase, with every process
 * there: the steady state the workloads hold so that it can be seen. */
static bool in_hold(const struct run *r, const struct frame *f)
{
	const struct phase *h = run_phase_find(r, "hold");

	return h && f->n && f->t >= h->start_s && (h->end_s < 0 || f->t <= h->end_s) &&
	       f->total.nprocs >= r->peak.nprocs;
}

/* Keeps the frame an ended run's pane shows (its last frame has no process
 * left): the last of the hold phase, else the one of the highest ΣPSS. */
static void consider(struct view_snapshot *k, const struct run *r,
		     const struct frame *f)
{
	bool hold;

	if (!f || !f->n)
		return;
	hold = in_hold(r, f);
	if (hold || (!k->hold && (!k->have || f->total.pss_kb > k->total.pss_kb))) {
		keep_frame(k, r, f);
		k->hold = hold;
	}
}

void view_peak_reset(struct view_snapshot *k)
{
	k->have = k->hold = false;
}

void view_peak_track(struct view_snapshot *k, const struct run *r)
{
	consider(k, r, run_frame_at(r, -1));
}

void view_peak_find(struct view_snapshot *k, const struct run *r)
{
	view_peak_reset(k);
	for (size_t i = 0; i < r->nframes; i++)
		consider(k, r, &r->frames[i]);
}

static void use_peak(const struct view_snapshot *p, struct run_view *v)
{
	if (!p->have || !run_state_ended(v->state))
		return;
	v->rows = p->rows;
	v->nrows = p->n;
	v->total = p->total;
	v->have_total = p->have_total;
	v->at_peak = true;
	v->peak_hold = p->hold;
	v->peak_t = p->t;
}

void view_collect_kept(const struct run *r, double t,
		       const struct view_snapshot *pause,
		       const struct view_snapshot *peak, struct run_view *v)
{
	if (!pause) {
		view_collect(r, t, v);
		use_peak(peak, v);
		return;
	}
	if (pause->state == RUN_WAITING) {
		*v = (struct run_view){ .run = r, .state = RUN_WAITING };
		return;
	}
	view_collect(r, pause->t, v);
	v->state = pause->state;
	if (v->state != RUN_RUNNING)
		v->phase = NULL;
	v->rows = pause->rows;
	v->nrows = pause->n;
	v->total = pause->total;
	v->have_total = pause->have_total;
	use_peak(peak, v);
}

void view_scales(const struct model *m, int64_t *y_max, double *t_max,
		 double *t_step)
{
	int64_t peak = 0;
	double len = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		double l = view_run_length(r);

		if (r->peak.rss_kb > peak)
			peak = r->peak.rss_kb;
		if (r->peak.pss_kb > peak)
			peak = r->peak.pss_kb;
		if (r->peak.uss_kb > peak)
			peak = r->peak.uss_kb;
		if (l > len)
			len = l;
	}
	*y_max = chart_kb_top(peak);
	*t_max = chart_time_top(len, t_step);
}

/* v's rows and totals: those of r's frame of the sample at t */
static bool frame_of(struct run_view *v, double t)
{
	const struct frame *f = run_frame_at(v->run, t);

	if (!f || f->t != t)
		return false;
	v->rows = run_frame_rows(v->run, f);
	v->nrows = v->rows ? f->n : 0;
	v->total = f->total;
	v->have_total = true;
	return true;
}

bool view_lesson_frame(struct run_view *v)
{
	const struct run *r = v->run;
	size_t after = SIZE_MAX;

	if (r && v->not_started) {
		/* a phase that ended before the run's first sample (a loaded
		 * machine's first tick came late): the stop is still that
		 * phase's, shown with the sample taken after it, if that one
		 * is one moment (else v is left as it was) */
		for (size_t k = 0; k < r->nphases; k++) {
			const struct phase *p = &r->phases[k];
			struct run_view w = *v;

			if (p->start_s > v->t || p->end_s <= v->t)
				continue;
			w.phase = p;
			w.state = RUN_RUNNING;
			w.not_started = false;
			w.elapsed = v->t - p->start_s;
			if (!view_lesson_frame(&w))
				return false;
			*v = w;
			return true;
		}
	}
	if (!r || !v->phase || v->exited || v->state != RUN_RUNNING)
		return false;
	for (size_t i = r->npoints; i-- > 0;) {
		const struct point *p = &r->points[i];

		if (p->t > v->t) {
			after = i;
			continue;
		}
		if (p->t < v->phase->start_s)
			break;
		if (p->consistent)
			return frame_of(v, p->t);
	}
	/* none inside the phase (an attach of a few hundred ms, every sweep
	 * of it while pages were mapped): the sample its end took at once
	 * (every phase change samples the tree), the first after it */
	if (after != SIZE_MAX && r->points[after].consistent &&
	    frame_of(v, r->points[after].t)) {
		/* the graph runs to it too: its line ends at the legend's */
		v->t = r->points[after].t;
		return true;
	}
	return false;
}
