/*
 * mapgroups.c - smaps mappings folded into groups (see mapgroups.h).
 */
#include "src/core/mapgroups.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probes/smaps.h"
#include "src/util/clock.h"
#include "src/util/fmt.h"
#include "src/util/grow.h"
#include "src/util/text.h"

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
	g->deleted = g->deleted || x->deleted;
}

/* Whether " (deleted)" tells two groups of one path apart: not for a
 * POSIX segment, which its program unlinks once every worker has mapped
 * it (the shared run's): the processes of one snapshot, read before and
 * after, map one object, shown deleted if any read said so */
static bool deleted_apart(const struct map_group *g)
{
	return g->kind != MAPPING_SHM;
}

static void group_empty(struct map_group *g)
{
	smaps_clear(&g->mem);
	g->nmaps = 0;
	g->nprocs = 0;
}

/* key comparisons so far: what folding costs, counted for the tests
 * (tests/unit/test_mappings.c) and the benchmark */
static uint64_t compares;

uint64_t mapgroups_compares(void)
{
	return compares;
}

static bool same(const struct map_group *a, const struct map_group *b)
{
	compares++;
	return a->kind == b->kind &&
	       (!deleted_apart(a) || a->deleted == b->deleted) &&
	       a->start == b->start && a->end == b->end &&
	       strcmp(a->path, b->path) == 0;
}

/* An index of groups by kind and path (docs/architecture.md, "Mappings"):
 * open addressing over a power-of-two table of group indices + 1, so that
 * folding n mappings into groups is linear, not n x groups. */
struct gindex {
	size_t *slot;             /* 0: empty, else a group's index + 1 */
	size_t mask;
	size_t used;
};

static uint64_t group_hash(const struct map_group *g)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)g->path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ (uint64_t)g->kind) * 1099511628211ULL;
	h = (h ^ (uint64_t)(deleted_apart(g) && g->deleted)) * 1099511628211ULL;
	h = (h ^ g->start) * 1099511628211ULL;
	/* mixed, so that the low bits the table uses depend on every byte */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static void gindex_free(struct gindex *x)
{
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

/* Rebuilds x for the groups g[0..n) with room for at least need. */
static bool gindex_rebuild(struct gindex *x, const struct map_group *g,
			   size_t n, size_t need)
{
	size_t cap = 64;

	while (cap < 2 * need)
		cap *= 2;
	free(x->slot);
	x->slot = calloc(cap, sizeof(*x->slot));
	if (!x->slot)
		return false;
	x->mask = cap - 1;
	x->used = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)group_hash(&g[i]) & x->mask;

		while (x->slot[k])
			k = (k + 1) & x->mask;
		x->slot[k] = i + 1;
		x->used++;
	}
	return true;
}

/* The index of the group of g[0..n) like key, else -1 and *at the slot
 * where it goes. */
static long gindex_find(const struct gindex *x, const struct map_group *g,
			const struct map_group *key, size_t *at)
{
	size_t k = (size_t)group_hash(key) & x->mask;

	while (x->slot[k]) {
		if (same(&g[x->slot[k] - 1], key))
			return (long)(x->slot[k] - 1);
		k = (k + 1) & x->mask;
	}
	*at = k;
	return -1;
}

/* the process being folded: groups appended to snap from index first */
struct fold {
	struct map_snap *snap;
	size_t *cap;
	size_t first;
	struct gindex idx;        /* its groups by kind and path */
	const struct mapgroups_stop *stop;
	unsigned count;           /* mappings folded, for the stop checks */
	bool nomem;
};

/* how many mappings are folded between two looks at stop->fn */
#define STOP_EVERY 256

static int fold_one(void *ctx, const struct mapping *m)
{
	struct fold *f = ctx;
	struct map_snap *s = f->snap;
	struct map_group x;
	size_t n = s->ngroups - f->first, at = 0;
	long k;

	if (f->stop && ++f->count % STOP_EVERY == 0 && f->stop->fn(f->stop->ctx))
		return -EINTR;
	memset(&x, 0, sizeof(x));
	x.kind = m->kind;
	x.deleted = m->deleted;
	if (m->kind == MAPPING_ANON && !m->path[0]) {
		snprintf(x.path, sizeof(x.path), "[anon]");
		if (m->end - m->start >= MAPGROUPS_ANON_APART &&
		    strncmp(m->perms, "---", 3) != 0) {
			x.start = m->start;
			x.end = m->end;
		}
	} else
		text_sanitize(x.path, sizeof(x.path), m->path, strlen(m->path), false);
	x.nmaps = 1;
	x.nprocs = 1;
	x.mem = m->mem;
	if ((!f->idx.slot || 2 * (n + 1) > f->idx.mask + 1) &&
	    !gindex_rebuild(&f->idx, s->groups + f->first, n, n + 1)) {
		f->nomem = true;
		return -ENOMEM;
	}
	k = gindex_find(&f->idx, s->groups + f->first, &x, &at);
	if (k >= 0) {
		group_add(&s->groups[f->first + (size_t)k], &x);
		return 0;
	}
	if (!grow((void **)&s->groups, f->cap, s->ngroups + 1, sizeof(*s->groups))) {
		f->nomem = true;
		return -ENOMEM;
	}
	s->groups[s->ngroups++] = x;
	f->idx.slot[at] = n + 1;
	f->idx.used++;
	return 0;
}

static int cmp_pss(const void *a, const void *b)
{
	const struct map_group *x = a, *y = b;

	int c;

	if (x->mem.pss != y->mem.pss)
		return x->mem.pss < y->mem.pss ? 1 : -1;
	c = strcmp(x->path, y->path);
	if (c || x->start == y->start)
		return c;
	return x->start < y->start ? -1 : 1;
}

static int64_t known(int64_t a, int64_t b)
{
	return (a > 0 ? a : 0) + (b > 0 ? b : 0);
}

char *mapgroups_label(char *buf, size_t cap, const struct map_group *g, bool full)
{
	char size[FMT_SIZE_MAX];

	if (!g->end)
		snprintf(buf, cap, "%s", g->path);
	else if (!full)
		snprintf(buf, cap, "%s %" PRIx64 "-%" PRIx64, g->path, g->start, g->end);
	else
		snprintf(buf, cap, "%s %" PRIx64 "-%" PRIx64 ", %s, %s", g->path, g->start,
			 g->end, fmt_kb_long(size, sizeof(size), (int64_t)((g->end - g->start) >> 10)),
			 known(g->mem.shared_clean, g->mem.shared_dirty) >
			 known(g->mem.private_clean, g->mem.private_dirty) ? "shared" : "private");
	return buf;
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
		size_t len, mapgroups_read_fn *rd, const struct mapgroups_stop *stop)
{
	struct fold f = { .snap = snap, .cap = &b->groups_cap, .stop = stop };
	struct map_proc *p;
	size_t bytes = len;
	int rc;

	if (!proc_begin(snap, pid, role, comm, &b->procs_cap))
		return -ENOMEM;
	p = &snap->procs[snap->nprocs - 1];
	f.first = p->first;
	rc = rd ? rd(pid, fold_one, &f, &bytes) : mappings_parse(text, len, fold_one, &f);
	gindex_free(&f.idx);
	if (f.nomem || rc == -ENOMEM || rc == -EINTR) {
		snap->ngroups = p->first;
		snap->nprocs--;
		return rc == -EINTR ? -EINTR : -ENOMEM;
	}
	snap->bytes += bytes;
	if (rc < 0) {
		/* what was folded before an error is dropped: a process's
		 * groups are all of its mappings or none */
		snap->ngroups = p->first;
		p->smaps = rc == -EACCES || rc == -EPERM ? SMAPS_STATE_UNREADABLE
							: SMAPS_STATE_GONE;
	} else if (rc == 0 && rd) {
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

	return fold(snap, &b, pid, role, comm, text, len, NULL, NULL);
}

struct ranked {
	const struct map_group *g;
	size_t old;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_pss(((const struct ranked *)a)->g, ((const struct ranked *)b)->g);
}

/* Sorts the n groups of *g as mapgroups_sort() does, and renumbers the
 * nof indices of[] into them to follow. */
static bool sort_sum(struct map_group **g, size_t n, size_t *of, size_t nof)
{
	struct ranked *r = n ? malloc(n * sizeof(*r)) : NULL;
	size_t *pos = n ? malloc(n * sizeof(*pos)) : NULL;
	struct map_group *sorted = n ? malloc(n * sizeof(*sorted)) : NULL;

	if (n && (!r || !pos || !sorted)) {
		free(r);
		free(pos);
		free(sorted);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ &(*g)[i], i };
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < n; i++) {
		sorted[i] = *r[i].g;
		pos[r[i].old] = i;
	}
	for (size_t i = 0; i < nof; i++)
		of[i] = pos[of[i]];
	free(r);
	free(pos);
	free(*g);
	*g = sorted;
	return true;
}

int mapgroups_take(struct map_snap *snap, double t, const char *phase,
		   const struct proc_row *rows, size_t n, mapgroups_read_fn *rd,
		   const struct mapgroups_stop *stop)
{
	struct build b = { 0, 0 };
	double c0 = clock_cpu_process_s(), w0 = clock_mono_s();

	memset(snap, 0, sizeof(*snap));
	snap->t = t;
	snprintf(snap->phase, sizeof(snap->phase), "%s", phase ? phase : "");
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (rows[i].smaps == SMAPS_STATE_GONE || rows[i].state == 'x')
			continue;
		if (stop && stop->fn(stop->ctx))
			rc = -EINTR;
		else
			rc = fold(snap, &b, rows[i].pid, rows[i].role, rows[i].comm,
				  NULL, 0, rd, stop);
		if (rc == -ENOMEM || rc == -EINTR) {
			map_snap_free(snap);
			snap->cpu_s = clock_cpu_process_s() - c0;
			return rc;
		}
	}
	snap->cpu_s = clock_cpu_process_s() - c0;
	snap->t_end = t + (clock_mono_s() - w0);
	return 0;
}

bool mapgroups_sum_index(const struct map_snap *snap, struct map_group **out,
			 size_t *nout, size_t **index)
{
	struct map_group *g = NULL;
	struct gindex x = { 0 };
	size_t n = 0, cap = 0, *of = NULL;

	if (snap->ngroups && !(of = malloc(snap->ngroups * sizeof(*of))))
		goto fail;
	for (size_t i = 0; i < snap->ngroups; i++) {
		const struct map_group *y = &snap->groups[i];
		size_t at = 0;
		long k;

		if ((!x.slot || 2 * (n + 1) > x.mask + 1) && !gindex_rebuild(&x, g, n, n + 1))
			goto fail;
		k = gindex_find(&x, g, y, &at);
		if (k < 0) {
			if (!grow((void **)&g, &cap, n + 1, sizeof(*g)))
				goto fail;
			g[n] = *y;
			group_empty(&g[n]);
			x.slot[at] = n + 1;
			x.used++;
			k = (long)n++;
		}
		group_add(&g[k], y);
		g[k].nprocs++;
		of[i] = (size_t)k;
	}
	gindex_free(&x);
	if (!sort_sum(&g, n, of, snap->ngroups))
		goto fail;
	if (index)
		*index = of;
	else
		free(of);
	*out = g;
	*nout = n;
	return true;
fail:
	gindex_free(&x);
	free(g);
	free(of);
	return false;
}

bool mapgroups_sum(const struct map_snap *snap, struct map_group **out,
		   size_t *nout)
{
	return mapgroups_sum_index(snap, out, nout, NULL);
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

static int64_t snap_pss(const struct map_snap *s)
{
	int64_t sum = 0;

	for (size_t i = 0; i < s->ngroups; i++)
		if (s->groups[i].mem.pss > 0)
			sum += s->groups[i].mem.pss;
	return sum;
}

/* no group and no process that could not be read: the tree had gone */
static bool snap_empty(const struct map_snap *s)
{
	if (s->ngroups)
		return false;
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].smaps == SMAPS_STATE_UNREADABLE)
			return false;
	return true;
}

/* both taken between boundaries in the same phase */
static bool same_stretch(const struct map_snap *a, const struct map_snap *b)
{
	return a->between && b->between && strcmp(a->phase, b->phase) == 0;
}

/* how far run time t lies from the time a snapshot was read over */
static double snap_dist(const struct map_snap *s, double t)
{
	if (t < s->t)
		return s->t - t;
	return t > s->t_end ? t - s->t_end : 0;
}

/* The run's peak snapshot: the one read nearest the sample of the run's
 * peak ΣPSS, a bounded moment (of two as near, the higher). Not the
 * snapshot of the highest sum: a snapshot is read process by process, and
 * one read while processes left (their shares falling to the others) sums
 * a segment more than once, as no moment held it. Without a bounded
 * sample yet, the highest sum. */
void mapgroups_mark_peak(struct run *r)
{
	size_t best = 0;

	for (size_t i = 0; i < r->nmsnaps; i++) {
		const struct map_snap *s = &r->msnaps[i], *b = &r->msnaps[best];
		double d = r->nbounded ? snap_dist(s, r->peak_t) : 0;
		double db = r->nbounded ? snap_dist(b, r->peak_t) : 0;

		r->msnaps[i].peak = false;
		if (d < db || (d == db && s->pss_kb > b->pss_kb))
			best = i;
	}
	if (r->nmsnaps)
		r->msnaps[best].peak = true;
}

/* snap into the stretch that ends with the run's newest snapshot: the
 * stretch keeps its highest and its newest (docs/architecture.md,
 * "Mappings") */
static void join_stretch(struct run *r, struct map_snap *snap)
{
	struct map_snap *last = &r->msnaps[r->nmsnaps - 1];
	struct map_snap *prev = r->nmsnaps > 1 ? last - 1 : NULL;

	if (prev && same_stretch(prev, last)) {
		/* the highest of the two is kept beside snap */
		struct map_snap *low = prev->pss_kb >= last->pss_kb ? last : prev;

		map_snap_free(low);
		if (low == prev)
			*prev = *last;
		if (snap->pss_kb >= prev->pss_kb) {
			map_snap_free(prev);
			*prev = *snap;
			r->nmsnaps--;
		} else {
			*last = *snap;
		}
	} else if (snap->pss_kb >= last->pss_kb) {
		map_snap_free(last);
		*last = *snap;
	} else {
		/* last stays, the stretch's highest: room was made */
		r->msnaps[r->nmsnaps++] = *snap;
	}
}

bool mapgroups_add(struct run *r, struct map_snap *snap)
{
	const struct map_snap *last;

	if (snap_empty(snap)) {
		map_snap_free(snap);
		return true;
	}
	snap->pss_kb = snap_pss(snap);
	/* room for one more, whatever join_stretch() does */
	if (r->nmsnaps < RUN_MSNAPS_MAX &&
	    !grow((void **)&r->msnaps, &r->msnaps_cap, r->nmsnaps + 1, sizeof(*r->msnaps))) {
		map_snap_free(snap);
		return false;
	}
	/* taken after grow(), which may move the array */
	last = r->nmsnaps ? &r->msnaps[r->nmsnaps - 1] : NULL;
	if (last && same_stretch(last, snap) && r->nmsnaps < RUN_MSNAPS_MAX) {
		join_stretch(r, snap);
	} else if (r->nmsnaps >= RUN_MSNAPS_MAX) {
		map_snap_free(&r->msnaps[r->nmsnaps - 1]);
		r->msnaps[r->nmsnaps - 1] = *snap;
	} else {
		r->msnaps[r->nmsnaps++] = *snap;
	}
	mapgroups_mark_peak(r);
	return true;
}

const struct map_snap *mapgroups_peak(const struct run *r)
{
	for (size_t i = 0; i < r->nmsnaps; i++)
		if (r->msnaps[i].peak)
			return &r->msnaps[i];
	return NULL;
}

const char *mapgroups_which(const struct run *r, const struct map_snap *s)
{
	bool last = r->nmsnaps && s == &r->msnaps[r->nmsnaps - 1] &&
		    run_state_ended(r->state);

	if (s->peak && last)
		return "the run's peak and the last before its end";
	if (s->peak)
		return "the run's peak";
	return last ? "the last before the run's end" : "";
}
