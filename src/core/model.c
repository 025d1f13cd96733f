/*
 * model.c - the timelines of the runs (see model.h for the data model).
 *
 * The graph series is bounded: when MODEL_POINTS_MAX points are held,
 * neighbours merge in pairs and every later point stands for twice as many
 * ticks. Merging keeps the larger value of each total, so peaks survive.
 */
#include "src/core/model.h"

#include "src/core/mapgroups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/grow.h"
#include "src/util/macros.h"

void model_init(struct model *m, bool keep_frames)
{
	memset(m, 0, sizeof(*m));
	m->keep_frames = keep_frames;
}

static void run_free(struct run *r)
{
	upper_free(&r->upper);
	free(r->peak_rows);
	r->peak_rows = NULL;
	r->npeak_rows = r->peak_rows_cap = 0;
	free(r->points);
	free(r->frames);
	free(r->rows);
	for (size_t i = 0; i < r->nmsnaps; i++)
		map_snap_free(&r->msnaps[i]);
	free(r->msnaps);
	r->msnaps = NULL;
	r->nmsnaps = r->msnaps_cap = 0;
	r->points = NULL;
	r->frames = NULL;
	r->rows = NULL;
	r->npoints = r->points_cap = 0;
	r->nframes = r->frames_cap = 0;
	r->nrows = r->rows_cap = 0;
}

void model_finish(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nruns; i++)
		run_free(&m->runs[i]);
	m->nruns = 0;
}

static bool dup_array(void **dst, const void *src, size_t n, size_t size)
{
	*dst = NULL;
	if (!n)
		return true;
	*dst = malloc(n * size);
	if (!*dst)
		return false;
	memcpy(*dst, src, n * size);
	return true;
}

/* A deep copy of src's arrays into d (a byte copy of src whose arrays are
 * not yet its own); false when out of memory (d then holds none). */
/* d's array pointers, copied from another run, forgotten (not freed) */
static void disown_arrays(struct run *d)
{
	d->points = NULL;
	d->frames = NULL;
	d->rows = NULL;
	d->peak_rows = NULL;
	d->upper.prev = d->upper.next = NULL;
	d->upper.nprev = d->upper.cap = d->upper.nnext = d->upper.next_cap = 0;
	d->msnaps = NULL;
	d->nmsnaps = d->msnaps_cap = 0;
}

static bool copy_arrays(struct run *d, const struct run *r)
{
	disown_arrays(d);
	if (!dup_array((void **)&d->points, r->points, r->npoints, sizeof(*r->points)) ||
	    !dup_array((void **)&d->frames, r->frames, r->nframes, sizeof(*r->frames)) ||
	    !dup_array((void **)&d->rows, r->rows, r->nrows, sizeof(*r->rows)) ||
	    !dup_array((void **)&d->peak_rows, r->peak_rows, r->npeak_rows,
		       sizeof(*r->peak_rows)) ||
	    !upper_copy(&d->upper, &r->upper))
		goto fail;
	d->peak_rows_cap = r->npeak_rows;
	d->points_cap = r->npoints;
	d->frames_cap = r->nframes;
	d->rows_cap = r->nrows;
	if (r->nmsnaps) {
		d->msnaps = calloc(r->nmsnaps, sizeof(*d->msnaps));
		if (!d->msnaps)
			goto fail;
		d->msnaps_cap = r->nmsnaps;
		for (size_t k = 0; k < r->nmsnaps; k++) {
			if (!map_snap_copy(&d->msnaps[k], &r->msnaps[k]))
				goto fail;
			d->nmsnaps = k + 1;
		}
	}
	return true;
fail:
	run_free(d);
	return false;
}

bool run_copy(struct run *dst, const struct run *src)
{
	*dst = *src;
	return copy_arrays(dst, src);
}

void run_finish(struct run *r)
{
	if (r)
		run_free(r);
}

bool model_copy(struct model *dst, const struct model *src)
{
	*dst = *src;
	for (size_t i = 0; i < src->nruns; i++)
		disown_arrays(&dst->runs[i]);
	for (size_t i = 0; i < src->nruns; i++) {
		if (!copy_arrays(&dst->runs[i], &src->runs[i])) {
			model_finish(dst);
			return false;
		}
	}
	return true;
}

static int cmp_round(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] > y[1]) - (x[1] < y[1]);
}

int model_median_round(const struct model *m)
{
	double v[MODEL_ROUNDS_MAX][2]; /* {wall time of the round, round} */
	size_t n = 0, rounds = m->nruns ? MODEL_ROUNDS_MAX : 0;

	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].nrounds < rounds)
			rounds = m->runs[i].nrounds;
	for (size_t k = 0; k < rounds; k++) {
		double sum = 0;
		bool whole = true;

		for (size_t i = 0; i < m->nruns; i++) {
			const struct round_figs *f = &m->runs[i].rounds[k];

			whole = whole && f->ok && f->wall_s >= 0;
			sum += f->wall_s;
		}
		if (whole) {
			v[n][0] = sum;
			v[n++][1] = (double)k;
		}
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_round);
	return (int)v[(n - 1) / 2][1] + 1;
}

struct run *model_add_run(struct model *m, const char *name, const char *label,
			  const char *detail)
{
	struct run *r;

	if (m->nruns >= MODEL_MAX_RUNS)
		return NULL;
	r = &m->runs[m->nruns++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->label, sizeof(r->label), "%s", label ? label : "");
	snprintf(r->detail, sizeof(r->detail), "%s", detail ? detail : "");
	r->state = RUN_WAITING;
	r->point_stride = 1;
	r->kpeak.kb = MODEL_KB_NONE;
	r->proj.shared_kb = MODEL_KB_NONE;
	r->proj.private_kb = MODEL_KB_NONE;
	r->keep_frames = m->keep_frames;
	r->tick_reaped = r->tick_thp = -1;
	upper_init(&r->upper, m->host.page_size);
	return r;
}

void run_reset(struct run *r)
{
	run_free(r);
	r->state = RUN_WAITING;
	r->cause[0] = '\0';
	r->root = 0;
	r->started_mono = 0;
	r->t_now = 0;
	r->segment[0] = '\0';
	r->nphases = 0;
	r->proto_dropped = 0;
	memset(&r->result, 0, sizeof(r->result));
	memset(&r->kpeak, 0, sizeof(r->kpeak));
	r->kpeak.kb = MODEL_KB_NONE;
	r->proj.shared_kb = MODEL_KB_NONE;
	r->proj.private_kb = MODEL_KB_NONE;
	r->proj.private_pid = 0;
	memset(&r->peak, 0, sizeof(r->peak));
	r->nconsistent = 0;
	r->nbounded = 0;
	upper_init(&r->upper, (long)r->upper.page_kb * 1024);
	r->tick_reaped = r->tick_thp = -1;
	decay_init(&r->decay);
	r->peak.pss_bound_kb = MODEL_KB_NONE;
	r->point_stride = 1;
	r->stride_fill = 0;
	r->nticks = 0;
	r->nmissing = 0;
	r->members_missing[0] = '\0';
}

void run_phase_end(struct run *r, double t)
{
	if (r->nphases && r->phases[r->nphases - 1].end_s < 0)
		r->phases[r->nphases - 1].end_s = t;
}

void run_phase_begin(struct run *r, const char *name, double t)
{
	struct phase *p;

	run_phase_end(r, t);
	if (r->nphases >= MODEL_MAX_PHASES)
		return;
	p = &r->phases[r->nphases++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->start_s = t;
	p->end_s = -1;
	p->kpeak_kb = MODEL_KB_NONE;
}

void run_phase_close(struct run *r, double end)
{
	struct phase *last;

	run_phase_end(r, end);
	if (!r->nphases)
		return;
	last = &r->phases[r->nphases - 1];
	if (!(last->end_s < end))
		return;
	if (strcmp(last->name, "exit") == 0 || r->nphases >= MODEL_MAX_PHASES) {
		last->end_s = end;
		return;
	}
	run_phase_begin(r, "exit", last->end_s);
	run_phase_end(r, end);
}

const struct phase *run_phase_current(const struct run *r)
{
	if (!r->nphases)
		return NULL;
	return &r->phases[r->nphases - 1];
}

const struct phase *run_phase_find(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->nphases; i++)
		if (strcmp(r->phases[i].name, name) == 0)
			return &r->phases[i];
	return NULL;
}

static int64_t add_kb(int64_t sum, int64_t v, bool *partial)
{
	if (v < 0) {
		*partial = true;
		return sum;
	}
	return sum + v;
}

/* A figure held from an earlier smaps_rollup read can be stale: a process
 * that unmapped its data since still shows it. No part of a process's
 * memory exceeds its RSS, which the counters give at every tick, so a held
 * figure counts at most that much. */
static int64_t held_cap(const struct proc_row *w, int64_t kb)
{
	if (w->smaps == SMAPS_STATE_HELD && w->rss_now_kb >= 0 &&
	    kb > w->rss_now_kb)
		return w->rss_now_kb;
	return kb;
}

struct point model_totals(double t, const struct proc_row *rows, size_t n)
{
	struct point p = { .t = t, .pss_fresh = true, .consistent = true,
			   .pss_bound_kb = 0, .reaped_faults = -1, .thp_kb = -1 };

	for (size_t i = 0; i < n; i++) {
		const struct proc_row *w = &rows[i];
		bool unused = false;

		if (w->state == 'x')
			continue;
		p.nprocs++;
		/* exited, not yet reaped: holds no memory, and its figures
		 * are unknown rather than zero */
		if (w->smaps == SMAPS_STATE_GONE)
			continue;
		/* ΣRSS from the counters keeps moving between PSS reads */
		p.rss_kb = add_kb(p.rss_kb, w->rss_now_kb >= 0 ? w->rss_now_kb :
				  w->mem.rss, &unused);
		p.pss_kb = add_kb(p.pss_kb, held_cap(w, w->mem.pss), &p.pss_partial);
		if (w->mem.private_clean >= 0 && w->mem.private_dirty >= 0)
			p.uss_kb += held_cap(w, w->mem.private_clean +
					     w->mem.private_dirty);
		p.shared_dirty_kb = add_kb(p.shared_dirty_kb,
					   held_cap(w, w->mem.shared_dirty), &unused);
		if (w->smaps != SMAPS_STATE_READ)
			p.pss_fresh = false;
		switch (w->smaps) {
		case SMAPS_STATE_READ:
		case SMAPS_STATE_EXACT:
		case SMAPS_STATE_UNREADABLE:
			break;
		case SMAPS_STATE_ESTIMATED:
			p.pss_estimated = true;
			p.consistent = false;
			break;
		case SMAPS_STATE_HELD:
			p.pss_held = true;
			p.consistent = false;
			break;
		default:
			p.consistent = false;
			break;
		}
	}
	return p;
}

/* the smaps totals of a point: one sample's, never mixed with another's */
static void take_smaps(struct point *into, const struct point *p)
{
	into->pss_kb = p->pss_kb;
	into->uss_kb = p->uss_kb;
	into->shared_dirty_kb = p->shared_dirty_kb;
	into->pss_fresh = p->pss_fresh;
	into->pss_partial = p->pss_partial;
	into->consistent = p->consistent;
	into->pss_bound_kb = p->pss_bound_kb;
	into->pss_estimated = p->pss_estimated;
	into->pss_held = p->pss_held;
}

/* Two neighbours become one point. The stacked ΣPSS parts come from one of
 * the two samples (a consistent one before one that is not, then the
 * higher ΣPSS), so no merged point holds a total that no sample had; the
 * ΣRSS line keeps its own larger sample. */
static void point_merge(struct point *into, const struct point *p)
{
	into->t = p->t;
	if (p->rss_kb > into->rss_kb)
		into->rss_kb = p->rss_kb;
	if (p->nprocs > into->nprocs)
		into->nprocs = p->nprocs;
	if (p->consistent != into->consistent) {
		if (p->consistent)
			take_smaps(into, p);
	} else if (p->pss_kb > into->pss_kb) {
		take_smaps(into, p);
	}
	/* a point of a sample that may miss members may too */
	into->members_partial = into->members_partial || p->members_partial;
}

static bool add_point(struct run *r, const struct point *p)
{
	if (r->npoints && r->stride_fill < r->point_stride) {
		point_merge(&r->points[r->npoints - 1], p);
		r->stride_fill++;
		return true;
	}
	if (r->npoints == MODEL_POINTS_MAX) {
		size_t j = 0;

		for (size_t i = 0; i + 1 < r->npoints; i += 2) {
			struct point a = r->points[i];

			point_merge(&a, &r->points[i + 1]);
			r->points[j++] = a;
		}
		r->npoints = j;
		r->point_stride *= 2;
	}
	if (r->npoints == r->points_cap) {
		size_t cap = r->points_cap ? r->points_cap * 2 : 256;
		struct point *np;

		if (cap > MODEL_POINTS_MAX)
			cap = MODEL_POINTS_MAX;
		np = realloc(r->points, cap * sizeof(*np));
		if (!np)
			return false;
		r->points = np;
		r->points_cap = cap;
	}
	r->points[r->npoints++] = *p;
	r->stride_fill = 1;
	return true;
}

bool run_has_peak(const struct run *r)
{
	return r->nbounded > 0;
}

int64_t run_peak_high_kb(const struct run *r)
{
	int64_t own, hi;

	/* a chain of samples broken (a sample that missed members): some
	 * moments have no upper end */
	if (!run_has_peak(r) || r->upper.st.broken)
		return MODEL_KB_NONE;
	own = r->peak.pss_kb + r->peak.pss_bound_kb;
	hi = upper_kb(&r->upper);
	/* a run shmviz started and reaped: the moments after its last
	 * sample, from the tree's faults (docs/recording.md, "The peak's
	 * upper end") */
	if (run_state_ended(r->state) && r->result.cpu_user_s >= 0) {
		int64_t end = upper_end_kb(&r->upper, r->result.minflt + r->result.majflt);

		if (end > hi)
			hi = end;
	}
	return hi > own ? hi : own;
}

bool run_peak_wide(const struct run *r)
{
	int64_t tight;

	if (!run_has_peak(r))
		return false;
	tight = model_bound_tight_kb(r->peak.pss_kb);
	return r->peak.pss_bound_kb > tight || r->upper.st.broken ||
	       run_peak_high_kb(r) > r->peak.pss_kb + tight;
}

int64_t model_bound_tight_kb(int64_t pss_kb)
{
	int64_t pct = pss_kb > 0 ? pss_kb * MODEL_BOUND_TIGHT_PCT / 100 : 0;

	return pct > MODEL_BOUND_TIGHT_KB ? pct : MODEL_BOUND_TIGHT_KB;
}

/* ΣRSS is a sum of counters read microseconds apart and counts at every
 * sample. A sum of smaps reads is one moment of the tree only within its
 * bound (a sum of reads taken while the tree moved can exceed anything the
 * machine held): the smaps peak is the sample whose ΣPSS has the highest
 * lower bound, and ΣUSS and ΣShared_Dirty are that sample's, never the
 * maxima of other moments (docs/recording.md, "Bounds"). */
/* the rows of the new smaps peak, kept: which process held it (false:
 * out of memory) */
static bool keep_peak_rows(struct run *r, double t, const struct proc_row *rows, size_t n)
{
	if (!grow((void **)&r->peak_rows, &r->peak_rows_cap, n + 1, sizeof(*rows)))
		return false;
	if (n)
		memcpy(r->peak_rows, rows, n * sizeof(*rows));
	r->npeak_rows = n;
	r->peak_t = t;
	return true;
}

static bool update_peak(struct run *r, const struct point *p, bool alive,
			const struct proc_row *rows, size_t n)
{
	int64_t lo;

	if (p->rss_kb > r->peak.rss_kb)
		r->peak.rss_kb = p->rss_kb;
	if (p->nprocs > r->peak.nprocs)
		r->peak.nprocs = p->nprocs;
	/* a sample of no process (before the first, after the last, or only
	 * zombies, whose figures are gone) is no moment of the tree: a run
	 * that only has those has no smaps peak, never a peak of 0 */
	if (p->pss_bound_kb < 0 || p->pss_kb < 0 || !p->nprocs || !alive)
		return true;
	if (p->consistent)
		r->nconsistent++;
	lo = p->pss_kb - p->pss_bound_kb;
	if (!r->nbounded++ || lo > r->peak.pss_kb - r->peak.pss_bound_kb) {
		r->peak.pss_kb = p->pss_kb;
		r->peak.pss_bound_kb = p->pss_bound_kb;
		r->peak.uss_kb = p->uss_kb;
		r->peak.shared_dirty_kb = p->shared_dirty_kb;
		r->peak.consistent = p->consistent;
		if (!keep_peak_rows(r, p->t, rows, n))
			return false;
		/* the peak moved: which snapshot is read nearest it may too */
		if (r->nmsnaps)
			mapgroups_mark_peak(r);
	}
	/* a process's PSS could not be read at some tick: the peaks of PSS
	 * and USS are lower bounds */
	r->peak.pss_partial = r->peak.pss_partial || p->pss_partial;
	return true;
}

/* --project's figures from one consistent sample (struct projection):
 * the worst is kept, each figure on its own */
static void update_projection(struct run *r, const struct point *p,
			      const struct proc_row *rows, size_t n)
{
	int64_t workers_uss = 0;

	if (!p->consistent || p->pss_kb < 0 || p->pss_partial)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct proc_row *w = &rows[i];
		int64_t uss;

		if (w->state == 'x' || w->smaps == SMAPS_STATE_GONE ||
		    (w->role != ROLE_WORKER && w->role != ROLE_CHILD) ||
		    w->mem.private_clean < 0 || w->mem.private_dirty < 0)
			continue;
		uss = w->mem.private_clean + w->mem.private_dirty;
		workers_uss += uss;
		if (uss > r->proj.private_kb) {
			r->proj.private_kb = uss;
			r->proj.private_pid = w->pid;
		}
	}
	if (p->pss_kb - workers_uss > r->proj.shared_kb)
		r->proj.shared_kb = p->pss_kb - workers_uss;
}

int64_t run_projection_kb(const struct run *r, int n)
{
	if (r->proj.shared_kb < 0 || r->proj.private_kb < 0)
		return MODEL_KB_NONE;
	return r->proj.shared_kb + (int64_t)n * r->proj.private_kb;
}

void run_tick_counters(struct run *r, int64_t reaped_faults, int64_t thp_kb)
{
	r->tick_reaped = reaped_faults >= 0 ? reaped_faults : -1;
	r->tick_thp = thp_kb >= 0 ? thp_kb : -1;
}

bool run_add_tick(struct run *r, double t, const struct proc_row *rows,
		  size_t n, bool consistent)
{
	struct point p = model_totals(t, rows, n);

	/* figures estimated or held are of no one moment: unknown bound */
	return run_add_tick_bounded(r, t, rows, n, consistent && p.consistent ?
				    0 : MODEL_KB_NONE);
}

bool run_add_tick_bounded(struct run *r, double t, const struct proc_row *rows,
			  size_t n, int64_t bound_kb)
{
	struct point p = model_totals(t, rows, n);
	struct frame *f;
	size_t first = r->keep_frames ? r->nrows : 0;

	p.pss_bound_kb = bound_kb >= 0 ? bound_kb : MODEL_KB_NONE;
	p.reaped_faults = r->tick_reaped;
	p.thp_kb = r->tick_thp;
	r->tick_reaped = r->tick_thp = -1;
	p.consistent = bound_kb >= 0 && p.pss_kb >= 0 &&
		       bound_kb <= model_bound_tight_kb(p.pss_kb);
	if (!add_point(r, &p))
		return false;
	if (!r->keep_frames)
		r->nframes = 0;
	if (!grow((void **)&r->rows, &r->rows_cap, first + n + 1,
		  sizeof(*r->rows)) ||
	    !grow((void **)&r->frames, &r->frames_cap, r->nframes + 1,
		  sizeof(*r->frames)))
		return false;
	if (n)
		memcpy(r->rows + first, rows, n * sizeof(*rows));
	r->nrows = first + n;
	f = &r->frames[r->nframes++];
	f->t = t;
	f->first = first;
	f->n = n;
	f->total = p;
	{
		bool alive = false;

		for (size_t i = 0; i < n && !alive; i++)
			alive = rows[i].smaps != SMAPS_STATE_GONE;
		if (alive && p.nprocs) {
			if (!upper_tick(&r->upper, &p, rows, n))
				return false;
		} else {
			/* nothing of this sample to take back */
			r->upper.undo_ok = false;
		}
		if (!update_peak(r, &p, alive, rows, n))
			return false;
		if (alive)
			update_projection(r, &p, rows, n);
	}
	decay_tick(&r->decay, t, rows, n, p.consistent);
	r->t_now = t;
	r->nticks++;
	return true;
}

void run_mark_missing(struct run *r, const char *why)
{
	if (r->nframes) {
		struct point *p = &r->frames[r->nframes - 1].total;

		p->members_partial = true;
		p->pss_partial = true;
		p->consistent = false;
	}
	if (r->npoints) {
		r->points[r->npoints - 1].members_partial = true;
		r->points[r->npoints - 1].pss_partial = true;
		r->points[r->npoints - 1].consistent = false;
	}
	if (r->nframes)
		upper_undo(&r->upper);
	r->nmissing++;
	if (!r->members_missing[0])
		snprintf(r->members_missing, sizeof(r->members_missing), "%s", why);
}

const struct frame *run_frame_at(const struct run *r, double t)
{
	size_t lo = 0, hi = r->nframes;

	if (!r->nframes)
		return NULL;
	if (t < 0)
		return &r->frames[r->nframes - 1];
	if (r->frames[0].t > t)
		return NULL;
	/* last frame with frame.t <= t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->frames[mid].t <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &r->frames[lo];
}

const struct proc_row *run_frame_rows(const struct run *r,
				      const struct frame *f)
{
	return f && f->n ? r->rows + f->first : NULL;
}

struct comparison model_compare(const struct run *a, const struct run *b)
{
	struct comparison c = { 0 };

	c.ready = a && b && a->state == RUN_DONE && b->state == RUN_DONE;
	if (!c.ready)
		return c;
	if (a->result.wall_s > 0)
		c.speedup = b->result.wall_s / a->result.wall_s;
	if (a->peak.rss_kb > 0)
		c.rss_ratio = (double)b->peak.rss_kb / (double)a->peak.rss_kb;
	/* the smaps peaks exist only where a run had a bounded sample */
	if (!a->nbounded || !b->nbounded)
		return c;
	if (a->peak.pss_kb > 0) {
		int64_t alo = a->peak.pss_kb - a->peak.pss_bound_kb;
		int64_t ahi = run_peak_high_kb(a);
		int64_t blo = b->peak.pss_kb - b->peak.pss_bound_kb;
		int64_t bhi = run_peak_high_kb(b);

		c.pss_ratio = (double)b->peak.pss_kb / (double)a->peak.pss_kb;
		/* an upper end unknown: the range is (0: unknown) */
		c.pss_ratio_lo = blo > 0 && ahi > 0 ? (double)blo / (double)ahi : 0;
		c.pss_ratio_hi = alo > 0 && bhi > 0 ? (double)bhi / (double)alo : 0;
	}
	if (a->peak.uss_kb > 0)
		c.uss_ratio = (double)b->peak.uss_kb / (double)a->peak.uss_kb;
	return c;
}

/* The index of s in names[n] (NULL entries skipped), or -1 */
static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (names[i] && strcmp(s, names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* names[i], or other when i is past the table */
static const char *name_at(const char *const *names, size_t n, unsigned i,
			   const char *other)
{
	return i < n && names[i] ? names[i] : other;
}

#define NAME_AT(names, i, other) \
	name_at(names, ARRAY_SIZE(names), (unsigned)(i), other)
#define NAME_INDEX(names, s) name_index(names, ARRAY_SIZE(names), s)

/* The names recordings write (record.c) and replay.c reads back, and
 * the views' short forms: every spelling of these enums is here. */
static const char *const role_names[] = {
	[ROLE_PARENT] = "parent",
	[ROLE_WORKER] = "worker",
	[ROLE_HELPER] = "helper",
	[ROLE_CHILD] = "child",
};

/* the table's and the map view's three-letter forms */
static const char *const role_short_names[] = {
	[ROLE_PARENT] = "par",
	[ROLE_WORKER] = "wkr",
	[ROLE_HELPER] = "hlp",
	[ROLE_CHILD] = "chd",
};

static const char *const smaps_state_names[] = {
	[SMAPS_STATE_NONE] = "none",
	[SMAPS_STATE_READ] = "read",
	[SMAPS_STATE_EXACT] = "exact",
	[SMAPS_STATE_ESTIMATED] = "estimated",
	[SMAPS_STATE_HELD] = "held",
	[SMAPS_STATE_UNREADABLE] = "unreadable",
	[SMAPS_STATE_GONE] = "gone",
};

static const char *const run_state_names[] = {
	[RUN_WAITING] = "waiting",
	[RUN_RUNNING] = "running",
	[RUN_DONE] = "done",
	[RUN_FAILED] = "failed",
	[RUN_STOPPED] = "stopped",
};

const char *model_role_name(enum proc_role role)
{
	return NAME_AT(role_names, role, "child");
}

const char *model_role_short(enum proc_role role)
{
	return NAME_AT(role_short_names, role, "chd");
}

bool model_role_parse(const char *s, enum proc_role *out)
{
	int i = NAME_INDEX(role_names, s);

	if (i >= 0)
		*out = (enum proc_role)i;
	return i >= 0;
}

const char *model_smaps_state_name(enum smaps_state state)
{
	return NAME_AT(smaps_state_names, state, "none");
}

bool model_smaps_state_parse(const char *s, enum smaps_state *out)
{
	int i;

	/* schema 1 called a read at this tick "fresh" */
	if (strcmp(s, "fresh") == 0) {
		*out = SMAPS_STATE_READ;
		return true;
	}
	i = NAME_INDEX(smaps_state_names, s);
	if (i >= 0)
		*out = (enum smaps_state)i;
	return i >= 0;
}

const char *model_state_name(enum run_state state)
{
	return NAME_AT(run_state_names, state, "?");
}

bool model_state_parse(const char *s, enum run_state *out)
{
	int i = NAME_INDEX(run_state_names, s);

	if (i >= 0)
		*out = (enum run_state)i;
	return i >= 0;
}
