/*
 * mapgroups.c - smaps mappings folded into groups (see mapgroups.h).
 */
#include "src/core/mapgroups.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probes/smaps.h"
#include "src/util/clock.h"
#include "src/util/text.h"

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;
	void *q;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static void add(int64_t *sum, int64_t v)
{
	if (v == MODEL_KB_NONE)
		return;
	*sum = *sum == MODEL_KB_NONE ? v : *sum + v;
}

static void group_add(struct map_group *g, const struct map_group *x)
{
	for (size_t i = 0; i < SMAPS_NFIELDS; i++) {
		int64_t sum = smaps_get(&g->mem, i);

		add(&sum, smaps_get(&x->mem, i));
		smaps_set(&g->mem, i, sum);
	}
	g->nmaps += x->nmaps;
}

static void group_empty(struct map_group *g)
{
	smaps_clear(&g->mem);
	g->nmaps = 0;
	g->nprocs = 0;
}

static bool same(const struct map_group *a, const struct map_group *b)
{
	return a->kind == b->kind && a->deleted == b->deleted &&
	       strcmp(a->path, b->path) == 0;
}

/* the process being folded: groups appended to snap from index first */
struct fold {
	struct map_snap *snap;
	size_t *cap;
	size_t first;
	bool nomem;
};

static int fold_one(void *ctx, const struct mapping *m)
{
	struct fold *f = ctx;
	struct map_snap *s = f->snap;
	struct map_group x;

	memset(&x, 0, sizeof(x));
	x.kind = m->kind;
	x.deleted = m->deleted;
	if (m->kind == MAPPING_ANON && !m->path[0])
		snprintf(x.path, sizeof(x.path), "[anon]");
	else
		text_sanitize(x.path, sizeof(x.path), m->path, strlen(m->path), false);
	x.nmaps = 1;
	x.nprocs = 1;
	x.mem = m->mem;
	for (size_t i = f->first; i < s->ngroups; i++) {
		if (same(&s->groups[i], &x)) {
			group_add(&s->groups[i], &x);
			return 0;
		}
	}
	if (!grow((void **)&s->groups, f->cap, s->ngroups + 1, sizeof(*s->groups))) {
		f->nomem = true;
		return -ENOMEM;
	}
	s->groups[s->ngroups++] = x;
	return 0;
}

static int cmp_pss(const void *a, const void *b)
{
	const struct map_group *x = a, *y = b;

	if (x->mem.pss != y->mem.pss)
		return x->mem.pss < y->mem.pss ? 1 : -1;
	return strcmp(x->path, y->path);
}

void mapgroups_sort(struct map_group *g, size_t n)
{
	if (n > 1)
		qsort(g, n, sizeof(*g), cmp_pss);
}

/* the snapshot's capacities live beside it only while it is built: a
 * snapshot is built in one go and never grown afterwards */
struct build {
	size_t procs_cap, groups_cap;
};

static bool proc_begin(struct map_snap *snap, pid_t pid, enum proc_role role,
		       const char *comm, size_t *procs_cap)
{
	struct map_proc *p;

	if (!grow((void **)&snap->procs, procs_cap, snap->nprocs + 1, sizeof(*snap->procs)))
		return false;
	p = &snap->procs[snap->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->role = role;
	snprintf(p->comm, sizeof(p->comm), "%s", comm ? comm : "");
	p->first = snap->ngroups;
	p->smaps = SMAPS_STATE_READ;
	return true;
}

static int fold(struct map_snap *snap, struct build *b, pid_t pid,
		enum proc_role role, const char *comm, const char *text,
		size_t len, bool live)
{
	struct fold f = { .snap = snap, .cap = &b->groups_cap };
	struct map_proc *p;
	size_t bytes = 0;
	int rc;

	if (!proc_begin(snap, pid, role, comm, &b->procs_cap))
		return -ENOMEM;
	p = &snap->procs[snap->nprocs - 1];
	f.first = p->first;
	rc = live ? mappings_read(pid, fold_one, &f, &bytes)
		  : mappings_parse(text, len, fold_one, &f);
	if (f.nomem || rc == -ENOMEM) {
		snap->ngroups = p->first;
		snap->nprocs--;
		return -ENOMEM;
	}
	snap->bytes += live ? bytes : len;
	if (rc < 0) {
		/* what was folded before an error is dropped: a process's
		 * groups are all of its mappings or none */
		snap->ngroups = p->first;
		p->smaps = rc == -EACCES || rc == -EPERM ? SMAPS_STATE_UNREADABLE
							: SMAPS_STATE_GONE;
	} else if (rc == 0 && live) {
		p->smaps = SMAPS_STATE_GONE;   /* a zombie maps nothing */
	}
	p->n = snap->ngroups - p->first;
	mapgroups_sort(snap->groups + p->first, p->n);
	return rc;
}

int mapgroups_fold_text(struct map_snap *snap, pid_t pid, enum proc_role role,
			const char *comm, const char *text, size_t len)
{
	struct build b = { snap->nprocs, snap->ngroups };

	return fold(snap, &b, pid, role, comm, text, len, false);
}

bool mapgroups_read_proc(struct map_snap *snap, pid_t pid, enum proc_role role,
			 const char *comm)
{
	struct build b = { snap->nprocs, snap->ngroups };

	return fold(snap, &b, pid, role, comm, NULL, 0, true) != -ENOMEM;
}

bool mapgroups_take(struct map_snap *snap, double t, const char *phase,
		    const struct proc_row *rows, size_t n)
{
	struct build b = { 0, 0 };
	double c0 = clock_cpu_process_s(), w0 = clock_mono_s();

	memset(snap, 0, sizeof(*snap));
	snap->t = t;
	snprintf(snap->phase, sizeof(snap->phase), "%s", phase ? phase : "");
	for (size_t i = 0; i < n; i++) {
		if (rows[i].smaps == SMAPS_STATE_GONE || rows[i].state == 'x')
			continue;
		if (fold(snap, &b, rows[i].pid, rows[i].role, rows[i].comm,
			 NULL, 0, true) == -ENOMEM) {
			map_snap_free(snap);
			return false;
		}
	}
	snap->cpu_s = clock_cpu_process_s() - c0;
	snap->t_end = t + (clock_mono_s() - w0);
	return true;
}

bool mapgroups_sum(const struct map_snap *snap, struct map_group **out,
		   size_t *nout)
{
	struct map_group *g = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < snap->ngroups; i++) {
		const struct map_group *x = &snap->groups[i];
		size_t k;

		for (k = 0; k < n; k++)
			if (same(&g[k], x))
				break;
		if (k == n) {
			if (!grow((void **)&g, &cap, n + 1, sizeof(*g))) {
				free(g);
				return false;
			}
			g[n] = *x;
			group_empty(&g[n]);
			n++;
		}
		group_add(&g[k], x);
		g[k].nprocs++;
	}
	mapgroups_sort(g, n);
	*out = g;
	*nout = n;
	return true;
}

void map_snap_free(struct map_snap *snap)
{
	free(snap->procs);
	free(snap->groups);
	snap->procs = NULL;
	snap->groups = NULL;
	snap->nprocs = snap->ngroups = 0;
}

bool map_snap_copy(struct map_snap *dst, const struct map_snap *src)
{
	*dst = *src;
	dst->procs = NULL;
	dst->groups = NULL;
	if (src->nprocs) {
		dst->procs = malloc(src->nprocs * sizeof(*src->procs));
		if (!dst->procs)
			goto fail;
		memcpy(dst->procs, src->procs, src->nprocs * sizeof(*src->procs));
	}
	if (src->ngroups) {
		dst->groups = malloc(src->ngroups * sizeof(*src->groups));
		if (!dst->groups)
			goto fail;
		memcpy(dst->groups, src->groups, src->ngroups * sizeof(*src->groups));
	}
	return true;
fail:
	map_snap_free(dst);
	return false;
}

bool run_add_msnap(struct run *r, struct map_snap *snap)
{
	const struct map_snap *last = r->nmsnaps ? &r->msnaps[r->nmsnaps - 1] : NULL;

	if (r->nmsnaps >= RUN_MSNAPS_MAX ||
	    (last && snap->between && last->between && strcmp(last->phase, snap->phase) == 0)) {
		map_snap_free(&r->msnaps[r->nmsnaps - 1]);
		r->msnaps[r->nmsnaps - 1] = *snap;
		return true;
	}
	if (!grow((void **)&r->msnaps, &r->msnaps_cap, r->nmsnaps + 1, sizeof(*r->msnaps))) {
		map_snap_free(snap);
		return false;
	}
	r->msnaps[r->nmsnaps++] = *snap;
	return true;
}
