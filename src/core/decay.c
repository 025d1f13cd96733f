/*
 * decay.c - sharing that decays: the fold of a run's samples into the
 * shared and private parts of the tree and of each member, the rate at
 * which the shared part is lost and its half-life (definitions in
 * decay.h). Pure: it reads rows and writes the fold, nothing else.
 */
#include "src/core/decay.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/model.h"

void decay_init(struct decay *d)
{
	memset(d, 0, sizeof(*d));
}

void decay_fig_start(struct decay_fig *f, double t, int64_t shared_kb,
		     int64_t private_kb)
{
	memset(f, 0, sizeof(*f));
	f->known = true;
	f->t0 = f->t_last = f->t_min = t;
	f->shared0_kb = f->shared_last_kb = f->shared_min_kb = shared_kb;
	f->private0_kb = f->private_last_kb = private_kb;
	f->lows[0].t = t;
	f->lows[0].kb = shared_kb;
	f->nlows = 1;
}

/* A new lowest shared figure at t: the candidates above the line of 1% of
 * lost over it go, it joins them, and the end of the fall is the oldest
 * left (decay.h) */
static void fig_new_low(struct decay_fig *f, double t, int64_t shared_kb)
{
	int64_t line = shared_kb + (f->shared0_kb - shared_kb) / 100;
	int keep = 0;

	for (int i = 0; i < f->nlows; i++)
		if (f->lows[i].kb <= line)
			f->lows[keep++] = f->lows[i];
	if (keep == DECAY_LOWS)
		keep--;
	f->lows[keep].t = t;
	f->lows[keep].kb = shared_kb;
	f->nlows = keep + 1;
	f->shared_min_kb = shared_kb;
	f->t_min = f->lows[0].t;
}

void decay_fig_add(struct decay_fig *f, double t, int64_t shared_kb,
		   int64_t private_kb)
{
	if (!f->known) {
		decay_fig_start(f, t, shared_kb, private_kb);
		return;
	}
	if (shared_kb < f->shared_min_kb)
		fig_new_low(f, t, shared_kb);
	if (!f->halved && f->shared0_kb > 0 && 2 * shared_kb <= f->shared0_kb) {
		double half = (double)f->shared0_kb / 2, at = t;

		/* between the sample before, above half, and this one */
		if (f->shared_last_kb > shared_kb && t > f->t_last)
			at = f->t_last + ((double)f->shared_last_kb - half) /
			     (double)(f->shared_last_kb - shared_kb) * (t - f->t_last);
		f->halved = true;
		f->half_life_s = at - f->t0;
	}
	f->t_last = t;
	f->shared_last_kb = shared_kb;
	f->private_last_kb = private_kb;
}

int64_t decay_lost_kb(const struct decay_fig *f)
{
	return f->known && f->shared0_kb > f->shared_min_kb ?
	       f->shared0_kb - f->shared_min_kb : 0;
}

double decay_rate_kb_s(const struct decay_fig *f)
{
	int64_t lost = decay_lost_kb(f);

	return lost > 0 && f->t_min > f->t0 ? (double)lost / (f->t_min - f->t0) : 0;
}

const struct decay_proc *decay_fastest(const struct decay *d)
{
	const struct decay_proc *best = NULL;

	for (size_t i = 0; i < d->nprocs; i++) {
		const struct decay_proc *p = &d->procs[i];

		if (!decay_lost_kb(&p->fig))
			continue;
		if (!best ||
		    (p->fig.halved && (!best->fig.halved ||
				       p->fig.half_life_s < best->fig.half_life_s)) ||
		    (!p->fig.halved && !best->fig.halved &&
		     decay_lost_kb(&p->fig) > decay_lost_kb(&best->fig)))
			best = p;
	}
	return best;
}

static bool member(const struct proc_row *w)
{
	return w->state != 'x' && w->smaps != SMAPS_STATE_GONE;
}

/* every figure the series need is known */
static bool known(const struct proc_row *w)
{
	return w->mem.pss >= 0 && w->mem.shared_clean >= 0 &&
	       w->mem.shared_dirty >= 0 && w->mem.private_clean >= 0 &&
	       w->mem.private_dirty >= 0;
}

static int member_cmp(const void *a, const void *b)
{
	const struct decay_member *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start_ticks < y->start_ticks ? -1 :
	       x->start_ticks > y->start_ticks;
}

/* Compares the members of this sample with the previous one's: *joined
 * when one is new, *left when one is gone. False when too many. */
static bool membership(struct decay *d, const struct proc_row *rows, size_t n,
		       bool *joined, bool *left)
{
	struct decay_member cur[DECAY_MEMBERS_MAX];
	size_t nc = 0, i = 0, j = 0;

	for (size_t k = 0; k < n; k++) {
		if (!member(&rows[k]))
			continue;
		if (nc == DECAY_MEMBERS_MAX)
			return false;
		cur[nc].pid = rows[k].pid;
		cur[nc++].start_ticks = rows[k].start_ticks;
	}
	if (nc > 1)
		qsort(cur, nc, sizeof(*cur), member_cmp);
	*joined = *left = false;
	while (i < nc || j < d->nmembers) {
		int c = i == nc ? 1 : j == d->nmembers ? -1 :
			member_cmp(&cur[i], &d->members[j]);

		if (c < 0)
			*joined = true;
		else if (c > 0)
			*left = true;
		i += c <= 0;
		j += c >= 0;
	}
	memcpy(d->members, cur, nc * sizeof(*cur));
	d->nmembers = nc;
	return true;
}

static bool complete(const struct proc_row *rows, size_t n, int64_t *shared,
		     int64_t *private)
{
	int64_t pss = 0, uss = 0;
	size_t m = 0;

	for (size_t k = 0; k < n; k++) {
		if (!member(&rows[k]))
			continue;
		if (!known(&rows[k]))
			return false;
		pss += rows[k].mem.pss;
		uss += rows[k].mem.private_clean + rows[k].mem.private_dirty;
		m++;
	}
	*shared = pss - uss;
	*private = uss;
	return m > 0;
}

static const struct proc_row *find_row(const struct proc_row *rows, size_t n,
				       const struct decay_proc *p)
{
	for (size_t k = 0; k < n; k++)
		if (rows[k].pid == p->pid && rows[k].start_ticks == p->start_ticks &&
		    member(&rows[k]))
			return &rows[k];
	return NULL;
}

static void start_window(struct decay *d, double t, const struct proc_row *rows,
			 size_t n, int64_t shared, int64_t private)
{
	decay_fig_start(&d->tree, t, shared, private);
	d->windows++;
	d->nprocs = 0;
	for (size_t k = 0; k < n && d->nprocs < DECAY_PROCS_MAX; k++) {
		const struct proc_row *w = &rows[k];
		struct decay_proc *p;

		if (!member(w))
			continue;
		p = &d->procs[d->nprocs++];
		p->pid = w->pid;
		p->start_ticks = w->start_ticks;
		p->role = (int)w->role;
		decay_fig_start(&p->fig, t, w->mem.shared_clean + w->mem.shared_dirty,
				w->mem.private_clean + w->mem.private_dirty);
	}
}

bool decay_tick(struct decay *d, double t, const struct proc_row *rows,
		size_t n, bool moment)
{
	bool joined, left;
	int64_t shared, private;

	if (!membership(d, rows, n, &joined, &left)) {
		d->too_many = true;
		return false;
	}
	if (joined) {
		d->pending = true;
		d->closed = false;
	} else if (left && !d->pending) {
		d->closed = true;
	}
	if (!moment || d->closed || d->too_many ||
	    !complete(rows, n, &shared, &private))
		return false;
	if (d->pending) {
		d->pending = false;
		start_window(d, t, rows, n, shared, private);
		return true;
	}
	decay_fig_add(&d->tree, t, shared, private);
	for (size_t i = 0; i < d->nprocs; i++) {
		const struct proc_row *w = find_row(rows, n, &d->procs[i]);

		if (!w)
			continue;
		/* a role may be told after the process was first seen */
		d->procs[i].role = (int)w->role;
		decay_fig_add(&d->procs[i].fig, t,
			      w->mem.shared_clean + w->mem.shared_dirty,
			      w->mem.private_clean + w->mem.private_dirty);
	}
	return true;
}
