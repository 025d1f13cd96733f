/*
 * view.c - collecting a run's state at a view time (see view.h).
 */
#include "ui/view.h"

#include "ui/layout.h"

double view_run_length(const struct run *r)
{
	double t = r->t_now;

	/* an ended run lasted until its tree exited, maybe after the last
	 * sample */
	if ((r->state == RUN_DONE || r->state == RUN_FAILED) && r->result.total_s > t)
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
	out->elapsed = out->t;
	if (out->elapsed > r->t_now)
		out->elapsed = r->t_now;
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
	*y_max = layout_nice_kb(peak);
	*t_max = layout_nice_time(len, t_step);
}
