/*
 * replay.c - loading a recording (docs/recording.md, schema RECORD_SCHEMA)
 * back into a model that keeps every frame, for --replay and --plot.
 *
 * A recording may come from anywhere. Its text passes the gates of
 * jsonscan.c (the bytes, what cJSON may hold, a key twice); then the walk
 * below reads every object with the tables of schema.h (schema_get(): the
 * presence, type and range of every member) and checks what a table
 * cannot say (time never going backwards, a phase ending before it
 * starts, a name that is no role's), and builds the model through the
 * same functions the live session uses (model_add_run, run_phase_begin,
 * run_add_tick), so totals and peaks are computed the same way. A long
 * recording is read one sample at a time (stream.c).
 * The first problem ends the load with one line naming it and its JSON
 * path ("runs[1].samples[40].t: time goes backwards ..."). Fields this
 * loader does not know are ignored, so later writers of schema 2 may add
 * some; a higher schema is refused by its number.
 */
#include "src/recording/replay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "probes/smaps.h"
#include "src/core/mapgroups.h"
#include "src/recording/jsonscan.h"
#include "src/recording/record.h"
#include "src/recording/schema.h"
#include "src/recording/stream.h"
#include "src/util/exits.h"
#include "src/util/text.h"

/* ---- the document ---- */

/* o's object of row f (required or not, as the row says), pushed on the
 * path; NULL when absent or an error */
static const cJSON *enter(struct schema_ctx *c, const cJSON *o,
			  const struct schema_field *f, size_t *old)
{
	const cJSON *x = f->type == ST_ARRAY ? schema_get_array(c, o, f) :
			 schema_get_object(c, o, f);

	if (x)
		*old = schema_push_key(c, f->key);
	return x;
}

/* one object of the table obj at row f of o, into base */
static bool get_in(struct schema_ctx *c, const cJSON *o,
		   const struct schema_field *f, const struct schema_object *obj,
		   void *base)
{
	size_t old;
	const cJSON *x = enter(c, o, f, &old);

	if (x) {
		schema_get(c, x, obj, base);
		schema_pop(c, old);
	}
	return !c->failed;
}

static bool load_header(struct schema_ctx *c, const cJSON *root, struct model *m)
{
	const struct schema_field *fs = F(header, schema);
	const cJSON *sv;
	double d = 0;
	size_t old;

	if (!cJSON_GetObjectItemCaseSensitive(root, K(top, shmviz))) {
		snprintf(c->err, c->errlen, "not a shmviz recording: it has no \"%s\" object",
			 K(top, shmviz));
		return false;
	}
	sv = enter(c, root, F(top, shmviz), &old);
	if (!sv)
		return false;
	if (schema_get_number(c, sv, fs, &d) < 0)
		return false;
	schema_push_key(c, fs->key);
	if (d > RECORD_SCHEMA)
		schema_bad(c, "written by a newer shmviz (schema %.0f); this one reads schema %d",
			   d, RECORD_SCHEMA);
	else if (d < 1)
		schema_bad(c, "%.0f is not a schema number (1 or more)", d);
	schema_pop(c, old);
	return !c->failed && get_in(c, root, F(top, shmviz), &schema_header, m);
}

static bool load_host(struct schema_ctx *c, const cJSON *root, struct model *m)
{
	struct host_info *hi = &m->host;

	if (!get_in(c, root, F(top, host), &schema_host, hi))
		return false;
	if (hi->page_size & (hi->page_size - 1)) {
		schema_push_key(c, K(top, host));
		schema_push_key(c, K(host, page_size));
		schema_bad(c, "%ld is not a power of two", hi->page_size);
	}
	return !c->failed;
}

static bool load_sampler(struct schema_ctx *c, const cJSON *root, struct model *m)
{
	struct sampler_stats *s = &m->sampler;

	/* (its rows of config's figures are the writer's: blanked) */
	if (!get_in(c, root, F(top, sampler), &schema_sampler, m))
		return false;
	/* the session's means are written (the figures of a recording's
	 * end): they are both the mean and the last figure of a replay */
	s->pss_interval_ms = s->pss_interval_mean_ms;
	s->pss_read_ms = s->pss_read_mean_ms;
	return true;
}

static bool load_phase(struct schema_ctx *c, const cJSON *p, struct run *r,
		       double *prev)
{
	struct phase ph = { .end_s = -1 };

	if (!schema_is_object_item(c, p) || !schema_get(c, p, &schema_phase, &ph))
		return false;
	if (!ph.name[0]) {
		schema_push_key(c, K(phase, name));
		schema_bad(c, "the name is empty");
	} else if (ph.start_s < *prev) {
		schema_push_key(c, K(phase, start_s));
		schema_bad(c, "time goes backwards (%g s after %g s)", ph.start_s, *prev);
	} else if (ph.end_s >= 0 && ph.end_s < ph.start_s) {
		schema_push_key(c, K(phase, end_s));
		schema_bad(c, "the phase ends (%g s) before it starts (%g s)", ph.end_s,
			   ph.start_s);
	}
	if (c->failed)
		return false;
	*prev = ph.start_s;
	run_phase_begin(r, ph.name, ph.start_s);
	if (ph.end_s >= 0)
		run_phase_end(r, ph.end_s);
	if (r->nphases)
		r->phases[r->nphases - 1].kpeak_kb = ph.kpeak_kb;
	return true;
}

static bool load_phases(struct schema_ctx *c, const cJSON *o, struct run *r)
{
	size_t i = 0, old, old2;
	const cJSON *arr = enter(c, o, F(run, phases), &old), *p;
	double prev = 0;

	if (!arr)
		return false;
	if (cJSON_GetArraySize(arr) > MODEL_MAX_PHASES) {
		schema_bad(c, "%d phases, at most %d", cJSON_GetArraySize(arr),
			   MODEL_MAX_PHASES);
		return false;
	}
	cJSON_ArrayForEach(p, arr) {
		old2 = schema_push_index(c, i++);
		if (!load_phase(c, p, r, &prev))
			return false;
		schema_pop(c, old2);
	}
	schema_pop(c, old);
	return true;
}

static bool load_result(struct schema_ctx *c, const cJSON *o, struct run *r)
{
	struct result_view v = { .r = r->result };

	if (!get_in(c, o, F(run, result), &schema_result, &v) ||
	    !cJSON_GetObjectItemCaseSensitive(o, K(run, result)))
		return false;
	r->result = v.r;
	return true;
}

/* the sharing decay (optional: recordings before it have none); like the
 * peaks, it is folded again from the samples, and the recorded one is
 * kept only for a run recorded without samples (load_run) */
static bool load_decay(struct schema_ctx *c, const cJSON *o, struct decay *d)
{
	size_t old, old2, i = 0;
	const cJSON *dj = enter(c, o, F(run, decay), &old), *arr, *x;

	decay_init(d);
	if (!dj)
		return !c->failed;
	if (!schema_get(c, dj, &schema_decay, d) ||
	    !get_in(c, dj, F(decay, tree), &schema_decay_fig, &d->tree))
		return false;
	d->tree.known = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(dj, K(decay, tree)));
	arr = enter(c, dj, F(decay, members), &old2);
	if (!arr)
		return false;
	if (cJSON_GetArraySize(arr) > DECAY_PROCS_MAX) {
		schema_bad(c, "more than %d members", DECAY_PROCS_MAX);
		return false;
	}
	cJSON_ArrayForEach(x, arr) {
		struct decay_proc *p = &d->procs[i];
		size_t old3 = schema_push_index(c, i++);

		if (!schema_is_object_item(c, x) ||
		    !schema_get(c, x, &schema_decay_member, p))
			return false;
		p->fig.known = true;
		schema_pop(c, old3);
	}
	d->nprocs = i;
	schema_pop(c, old);
	return true;
}

/* --project's figures (optional: only with --project). They are the
 * consistent samples' (model.c), as they were live; only a run recorded
 * without samples takes the recorded ones. */
static bool load_projection(struct schema_ctx *c, const cJSON *o, struct run *r)
{
	struct projection_view v = { { 0, MODEL_KB_NONE, MODEL_KB_NONE, 0 }, false };

	if (!get_in(c, o, F(run, projection), &schema_projection, &v))
		return false;
	if (!cJSON_GetObjectItemCaseSensitive(o, K(run, projection)))
		return true;
	r->proj.workers = v.p.workers;
	if (!r->nticks)
		r->proj = v.p;
	return true;
}

static bool load_proc(struct schema_ctx *c, const cJSON *p, struct proc_row *w)
{
	const cJSON *sm;

	memset(w, 0, sizeof(*w));
	w->state = '?';
	if (!schema_is_object_item(c, p) || !schema_get(c, p, &schema_proc, w))
		return false;
	/* recordings before figure states: read when it has a PSS */
	sm = cJSON_GetObjectItemCaseSensitive(p, K(proc, smaps));
	if (!sm)
		w->smaps = w->mem.pss >= 0 ? SMAPS_STATE_READ : SMAPS_STATE_NONE;
	return true;
}

static bool load_total(struct schema_ctx *c, const cJSON *s, int64_t *bound)
{
	struct point t = { .consistent = true, .reaped_faults = -1, .thp_kb = -1 };

	if (!get_in(c, s, F(sample, total), &schema_total, &t) ||
	    !cJSON_GetObjectItemCaseSensitive(s, K(sample, total)))
		return false;
	/* schema 1 did not know: its samples count as consistent when every
	 * figure in them was read at the tick (the model checks that);
	 * recordings before bounds say consistent or not, and no bound */
	*bound = t.consistent ? REPLAY_BOUND_FROM_FLAG : MODEL_KB_NONE;
	if (t.pss_bound_kb >= 0)
		*bound = t.pss_bound_kb;
	c->members_partial = t.members_partial;
	c->reaped_faults = t.reaped_faults;
	c->thp_kb = t.thp_kb;
	return true;
}

bool replay_add_tick(struct schema_ctx *c, struct run *r, double t, size_t n,
		     int64_t bound)
{
	bool ok;

	run_tick_counters(r, c->reaped_faults, c->thp_kb);
	ok = bound == REPLAY_BOUND_FROM_FLAG ?
	     run_add_tick(r, t, c->rows, n, true) :
	     run_add_tick_bounded(r, t, c->rows, n, bound);

	/* one that may miss members marked so again, its reason read with
	 * the run */
	if (ok && c->members_partial)
		run_mark_missing(r, "");
	return ok;
}

/* schema 2: the pids that moved since the tick before (each row says the
 * same in its "moved"); checked for shape only */
static bool load_moved(struct schema_ctx *c, const cJSON *s)
{
	const struct schema_field *f = F(sample, moved);
	size_t i = 0, old;
	const cJSON *arr = enter(c, s, f, &old), *v;

	if (!arr)
		return !c->failed;
	cJSON_ArrayForEach(v, arr) {
		schema_push_index(c, i++);
		if (!cJSON_IsNumber(v) || v->valuedouble < f->lo ||
		    v->valuedouble > f->hi ||
		    v->valuedouble != (double)(int64_t)v->valuedouble) {
			schema_bad(c, "not a pid");
			return false;
		}
		schema_pop(c, old);
		schema_push_key(c, f->key);
	}
	schema_pop(c, old);
	return true;
}

static bool grow_rows(struct schema_ctx *c, size_t n)
{
	size_t cap = c->rows_cap ? c->rows_cap * 2 : 64;
	struct proc_row *nr;

	if (n < c->rows_cap)
		return true;
	nr = realloc(c->rows, cap * sizeof(*nr));
	if (!nr) {
		schema_bad(c, "out of memory");
		return false;
	}
	c->rows = nr;
	c->rows_cap = cap;
	return true;
}

bool replay_read_sample(struct schema_ctx *c, const cJSON *s, double *prev,
			double *t, size_t *n, int64_t *bound)
{
	size_t j = 0, old;
	const cJSON *procs, *p;

	*t = 0;
	*n = 0;
	*bound = MODEL_KB_NONE;
	if (!schema_is_object_item(c, s) ||
	    schema_get_number(c, s, F(sample, t), t) < 0)
		return false;
	if (*t < *prev) {
		schema_push_key(c, K(sample, t));
		schema_bad(c, "time goes backwards (%g s after %g s)", *t, *prev);
		return false;
	}
	*prev = *t;
	procs = enter(c, s, F(sample, procs), &old);
	if (!procs)
		return false;
	cJSON_ArrayForEach(p, procs) {
		size_t old2 = schema_push_index(c, j++);

		if (!grow_rows(c, *n) || !load_proc(c, p, &c->rows[(*n)++]))
			return false;
		schema_pop(c, old2);
	}
	schema_pop(c, old);
	return load_total(c, s, bound) && load_moved(c, s);
}

void replay_set_root(struct run *r, const struct proc_row *rows, size_t n)
{
	if (r->root == 0) {
		for (size_t k = 0; k < n; k++)
			if (rows[k].role == ROLE_PARENT)
				r->root = rows[k].pid;
	}
}

static bool load_samples(struct schema_ctx *c, const cJSON *o, struct run *r)
{
	size_t i = 0, old;
	const cJSON *arr = enter(c, o, F(run, samples), &old), *s;
	double prev = 0;

	if (!arr)
		return false;
	cJSON_ArrayForEach(s, arr) {
		double t;
		size_t n, old2 = schema_push_index(c, i++);
		int64_t bound;

		if (!replay_read_sample(c, s, &prev, &t, &n, &bound))
			return false;
		if (!replay_add_tick(c, r, t, n, bound)) {
			schema_bad(c, "out of memory");
			return false;
		}
		replay_set_root(r, c->rows, n);
		schema_pop(c, old2);
	}
	schema_pop(c, old);
	return true;
}

/* ---- mappings (docs/recording.md, "Mappings") ---- */

/* a group's kind and, of a large anonymous mapping, its range
 * "7f12a000-7f1ec000" (mapgroups.h) */
static bool load_group(struct schema_ctx *c, const cJSON *o, struct map_group *g)
{
	char kind[MODEL_NAME_MAX], addr[64], end;
	unsigned long long a, b;

	memset(g, 0, sizeof(*g));
	g->nprocs = 1;
	smaps_clear(&g->mem);
	if (!schema_is_object_item(c, o) ||
	    schema_get_string(c, o, F(group, kind), kind, sizeof(kind)) < 0)
		return false;
	if (!mapping_kind_parse(kind, &g->kind)) {
		schema_push_key(c, K(group, kind));
		schema_bad(c, "'%s' is not a kind of mapping", kind);
		return false;
	}
	if (!schema_get(c, o, &schema_group, g))
		return false;
	if (schema_get_string(c, o, F(group, addr), addr, sizeof(addr)) != 1)
		return !c->failed;
	if (sscanf(addr, "%llx-%llx%c", &a, &b, &end) != 2 || a >= b) {
		schema_push_key(c, K(group, addr));
		schema_bad(c, "'%s' is not an address range START-END (hexadecimal)", addr);
		return false;
	}
	g->start = a;
	g->end = b;
	return true;
}

static bool load_map_proc(struct schema_ctx *c, const cJSON *o, struct map_snap *s,
			  size_t *groups_cap)
{
	struct map_proc *p = &s->procs[s->nprocs];
	size_t i = 0, old;
	const cJSON *arr, *g;

	memset(p, 0, sizeof(*p));
	p->smaps = SMAPS_STATE_READ;
	if (!schema_is_object_item(c, o) || !schema_get(c, o, &schema_map_proc, p))
		return false;
	arr = enter(c, o, F(map_proc, groups), &old);
	if (!arr)
		return false;
	p->first = s->ngroups;
	cJSON_ArrayForEach(g, arr) {
		schema_push_index(c, i++);
		if (s->ngroups == *groups_cap) {
			size_t n = *groups_cap ? *groups_cap * 2 : 64;
			struct map_group *ng = realloc(s->groups, n * sizeof(*ng));

			if (!ng) {
				schema_bad(c, "out of memory");
				return false;
			}
			s->groups = ng;
			*groups_cap = n;
		}
		if (!load_group(c, g, &s->groups[s->ngroups]))
			return false;
		s->ngroups++;
		p->n = s->ngroups - p->first;
		schema_pop(c, old);
		schema_push_key(c, K(map_proc, groups));
	}
	schema_pop(c, old);
	s->nprocs++;
	return true;
}

/* One snapshot into s (its time not before *prev) */
static bool load_msnap(struct schema_ctx *c, const cJSON *e, struct map_snap *s,
		       double *prev)
{
	size_t k = 0, gcap = 0, old;
	const cJSON *procs, *p;

	if (!schema_is_object_item(c, e) ||
	    schema_get_number(c, e, F(msnap, t), &s->t) < 0)
		return false;
	if (s->t < *prev) {
		schema_push_key(c, K(msnap, t));
		schema_bad(c, "time goes backwards (%g s after %g s)", s->t, *prev);
		return false;
	}
	*prev = s->t_end = s->t;
	/* peak is read to be checked; mapgroups_add() marks it again */
	if (schema_get_number(c, e, F(msnap, t_end), &s->t_end) < 0 ||
	    !schema_get(c, e, &schema_msnap, s))
		return false;
	if (s->t_end < s->t) {
		schema_push_key(c, K(msnap, t_end));
		schema_bad(c, "%g is out of range (%g to %g)", s->t_end, s->t, TIME_MAX_);
		return false;
	}
	procs = enter(c, e, F(msnap, procs), &old);
	if (!procs)
		return false;
	if (cJSON_GetArraySize(procs) > 0) {
		s->procs = calloc((size_t)cJSON_GetArraySize(procs), sizeof(*s->procs));
		if (!s->procs) {
			schema_bad(c, "out of memory");
			return false;
		}
	}
	cJSON_ArrayForEach(p, procs) {
		size_t old2 = schema_push_index(c, k++);

		if (!load_map_proc(c, p, s, &gcap))
			return false;
		schema_pop(c, old2);
	}
	schema_pop(c, old);
	return true;
}

static bool load_mappings(struct schema_ctx *c, const cJSON *o, struct run *r)
{
	size_t i = 0, old;
	const cJSON *arr = enter(c, o, F(run, mappings), &old), *e;
	double prev = 0;

	if (!arr)
		return !c->failed;
	if (cJSON_GetArraySize(arr) > RUN_MSNAPS_MAX) {
		schema_bad(c, "%d snapshots, at most %d", cJSON_GetArraySize(arr),
			   RUN_MSNAPS_MAX);
		return false;
	}
	cJSON_ArrayForEach(e, arr) {
		struct map_snap s;
		size_t old2 = schema_push_index(c, i++);

		memset(&s, 0, sizeof(s));
		if (!load_msnap(c, e, &s, &prev)) {
			map_snap_free(&s);
			return false;
		}
		if (!mapgroups_add(r, &s)) {
			schema_bad(c, "out of memory");
			return false;
		}
		schema_pop(c, old2);
	}
	schema_pop(c, old);
	return true;
}

/* ---- a run ---- */

/* its name, label, state and ok: the run added to m */
static struct run *load_run_name(struct schema_ctx *c, const cJSON *o,
				 struct model *m)
{
	struct run *r, v = { .state = RUN_DONE };
	bool ok = false;

	if (!schema_is_object_item(c, o) ||
	    schema_get_string(c, o, F(run, name), v.name, sizeof(v.name)) < 0)
		return NULL;
	if (!v.name[0]) {
		schema_push_key(c, K(run, name));
		schema_bad(c, "the name is empty");
		return NULL;
	}
	if (schema_get_string(c, o, F(run, label), v.label, sizeof(v.label)) < 0 ||
	    schema_get_string(c, o, F(run, detail), v.detail, sizeof(v.detail)) < 0 ||
	    !schema_get_bool(c, o, F(run, ok), &ok))
		return NULL;
	if (!cJSON_GetObjectItemCaseSensitive(o, K(run, state)))
		v.state = ok ? RUN_DONE : RUN_FAILED;
	else if (schema_get_row(c, o, F(run, state), &v), c->failed)
		return NULL;
	if ((v.state == RUN_DONE) != ok) {
		schema_push_key(c, K(run, ok));
		schema_bad(c, "%s, but the state is %s", ok ? "true" : "false",
			   model_state_name(v.state));
		return NULL;
	}
	r = model_add_run(m, v.name, v.label[0] ? v.label : v.name, v.detail);
	if (!r) {
		schema_bad(c, "more than %d runs", MODEL_MAX_RUNS);
		return NULL;
	}
	r->state = v.state;
	return r;
}

/* the recorded peaks: ΣRSS and the process count count with the samples';
 * the smaps peaks (the consistent samples', model.c, as they were live)
 * are used only for a run recorded without samples */
static void keep_peak(struct run *r, const struct point *peak)
{
	if (peak->rss_kb > r->peak.rss_kb)
		r->peak.rss_kb = peak->rss_kb;
	if (!r->nticks && peak->pss_kb >= 0) {
		r->peak.pss_kb = peak->pss_kb;
		r->peak.uss_kb = peak->uss_kb > 0 ? peak->uss_kb : 0;
		r->peak.shared_dirty_kb = peak->shared_dirty_kb > 0 ? peak->shared_dirty_kb : 0;
		r->peak.consistent = true;
		r->peak.pss_bound_kb = peak->pss_bound_kb > 0 ? peak->pss_bound_kb : 0;
		r->nconsistent = 1;
		r->nbounded = 1;
	}
	if (peak->nprocs > r->peak.nprocs)
		r->peak.nprocs = peak->nprocs;
}

static bool load_run(struct schema_ctx *c, const cJSON *o, struct model *m)
{
	struct point peak = { .pss_kb = MODEL_KB_NONE };
	struct decay *decay;
	struct run *r = load_run_name(c, o, m);

	if (!r || !schema_get(c, o, &schema_run, r))
		return false;
	decay = malloc(sizeof(*decay));
	if (!decay) {
		schema_bad(c, "out of memory");
		return false;
	}
	r->kpeak.kb = MODEL_KB_NONE;
	if (!load_phases(c, o, r) || !load_result(c, o, r) ||
	    !get_in(c, o, F(run, peak), &schema_peak, &peak) ||
	    !cJSON_GetObjectItemCaseSensitive(o, K(run, peak)) ||
	    !get_in(c, o, F(run, kernel_peak), &schema_kernel_peak, &r->kpeak) ||
	    !load_decay(c, o, decay) || !load_samples(c, o, r) ||
	    !load_projection(c, o, r) || !load_mappings(c, o, r)) {
		free(decay);
		return false;
	}
	if (!r->nticks)
		r->decay = *decay;
	free(decay);
	keep_peak(r, &peak);
	return true;
}

static bool load_runs(struct schema_ctx *c, const cJSON *root, struct model *m)
{
	size_t i = 0, old;
	const cJSON *arr = enter(c, root, F(top, runs), &old), *o;
	int n;

	if (!arr)
		return false;
	n = cJSON_GetArraySize(arr);
	if (n == 0)
		schema_bad(c, "no run in the recording");
	else if (n > MODEL_MAX_RUNS)
		schema_bad(c, "%d runs, at most %d", n, MODEL_MAX_RUNS);
	cJSON_ArrayForEach(o, arr) {
		size_t old2 = schema_push_index(c, i++);

		if (c->failed || !load_run(c, o, m))
			break;
		schema_pop(c, old2);
	}
	schema_pop(c, old);
	return !c->failed;
}

/* --repeat: the rounds of run r (of the same place and name) */
static bool load_rounds(struct schema_ctx *c, const cJSON *o, struct run *r)
{
	size_t k = 0, old;
	char name[MODEL_NAME_MAX];
	const cJSON *list, *x;

	if (schema_get_string(c, o, F(repeat_run, name), name, sizeof(name)) != 1 ||
	    strcmp(name, r->name) != 0)
		schema_bad(c, "the name is not the run's");
	list = c->failed ? NULL : enter(c, o, F(repeat_run, rounds), &old);
	if (!list)
		return false;
	if (cJSON_GetArraySize(list) > MODEL_ROUNDS_MAX) {
		schema_bad(c, "more than %d rounds", MODEL_ROUNDS_MAX);
		return false;
	}
	cJSON_ArrayForEach(x, list) {
		size_t old2 = schema_push_index(c, k);

		if (!schema_get(c, x, &schema_round, &r->rounds[k++]))
			return false;
		schema_pop(c, old2);
	}
	r->nrounds = k;
	schema_pop(c, old);
	return true;
}

/* --repeat: every round's figures (docs/recording.md, ".repeat"); the
 * statistics are computed again from them */
static bool load_repeat(struct schema_ctx *c, const cJSON *root, struct model *m)
{
	size_t i = 0, old, old2;
	const cJSON *rep = enter(c, root, F(top, repeat), &old), *runs, *o;
	double k;

	if (!rep)
		return !c->failed;
	/* (recordings before it held the first round) */
	m->shown_round = 1;
	if (schema_get_number(c, rep, F(repeat, shown_round), &k) == 1)
		m->shown_round = (int)k;
	runs = enter(c, rep, F(repeat, runs), &old2);
	if (runs && cJSON_GetArraySize(runs) != (int)m->nruns)
		schema_bad(c, "%d runs, the recording has %zu", cJSON_GetArraySize(runs),
			   m->nruns);
	if (!runs || c->failed)
		return false;
	cJSON_ArrayForEach(o, runs) {
		size_t old3 = schema_push_index(c, i);

		if (!load_rounds(c, o, &m->runs[i++]))
			return false;
		schema_pop(c, old3);
	}
	schema_pop(c, old);
	return true;
}

static bool load_doc(struct schema_ctx *c, const cJSON *root, struct model *m)
{
	if (!cJSON_IsObject(root)) {
		snprintf(c->err, c->errlen,
			 "not a shmviz recording: the document is %s, not an object",
			 schema_type_name(root));
		return false;
	}
	/* each object in the table's order, then what follows the runs */
	return load_header(c, root, m) && load_host(c, root, m) &&
	       get_in(c, root, F(top, config), &schema_config, &m->config) &&
	       load_runs(c, root, m) && load_repeat(c, root, m) &&
	       load_sampler(c, root, m) && schema_get(c, root, &schema_top, m);
}

/* ---- the text ---- */

int replay_load_text(char *text, size_t len, struct model *m, char *err,
		     size_t errlen)
{
	struct schema_ctx c = { .err = err, .errlen = errlen };
	cJSON *root = jsonscan_parse(text, len, &schema_top, true, err, errlen);

	free(text);
	if (!root)
		return EXIT_BAD_RECORDING;
	load_doc(&c, root, m);
	jsonscan_free(root);
	free(c.rows);
	if (c.failed || err[0]) {
		if (!err[0])
			snprintf(err, errlen, "invalid recording");
		model_finish(m);
		return EXIT_BAD_RECORDING;
	}
	return 0;
}

static int too_large(char *err, size_t errlen)
{
	snprintf(err, errlen, "larger than %d MiB: too large for a recording",
		 REPLAY_MAX_BYTES >> 20);
	return EXIT_BAD_RECORDING;
}

int replay_load_buffer(const char *data, size_t len, struct model *m,
		       char *err, size_t errlen)
{
	char *text;

	model_init(m, true);
	err[0] = '\0';
	if (len > REPLAY_MAX_BYTES)
		return too_large(err, errlen);
	text = malloc(len + 1);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return EXIT_BAD_RECORDING;
	}
	if (len)
		memcpy(text, data, len);
	text[len] = '\0';
	return replay_load_text(text, len, m, err, errlen);
}

/* "name: " + msg, with the name made safe to print on one line */
int replay_fail_file(const char *path, char *err, size_t errlen,
		     const char *msg)
{
	char name[256];
	int n;

	text_sanitize(name, sizeof(name), path, strlen(path), false);
	n = snprintf(err, errlen, "%s: ", name);
	if (n > 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, "%s", msg);
	return EXIT_BAD_RECORDING;
}

int replay_stream_samples(const char *path, bool recover, replay_sample_fn fn,
			  void *arg, char *err, size_t errlen)
{
	return stream_samples(path, recover, fn, arg, err, errlen);
}

int replay_load(const char *path, struct model *m, char *err, size_t errlen)
{
	return replay_load_signals(path, m, -1, err, errlen);
}

/* Reads the recording fd (st: its status) into *bufp, *lenp bytes with
 * room for a NUL after them, up to REPLAY_WHOLE_MAX and one byte more (a
 * longer one is streamed on from there). Returns 0, or the exit status of
 * a failure (fd closed, nothing kept, err set). */
static int read_whole(const char *path, int fd, const struct stat *st,
		      int sigfd, char **bufp, size_t *lenp, char *err,
		      size_t errlen)
{
	char msg[384];
	char *buf = NULL;
	size_t len = 0, cap = 0;

	/* room for one byte over the cap (to see it exceeded) and the NUL */
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb;

			if (S_ISREG(st->st_mode) && cap == 0 && st->st_size > 0)
				ncap = (size_t)st->st_size + 2;
			if (ncap > (size_t)REPLAY_WHOLE_MAX + 2)
				ncap = (size_t)REPLAY_WHOLE_MAX + 2;
			if (len + 1 >= ncap)
				break;  /* a long recording: streamed below */
			nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				close(fd);
				return replay_fail_file(path, err, errlen, "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && sigfd >= 0) {
			/* a pipe with nothing yet: wait for data or a signal */
			int sig = 0;

			if (!stream_wait_data(fd, sigfd, &sig)) {
				free(buf);
				close(fd);
				replay_fail_file(path, err, errlen, "interrupted while reading it");
				return 128 + sig;
			}
			continue;
		}
		if (n < 0) {
			snprintf(msg, sizeof(msg), "cannot read the recording: %s",
				 strerror(errno));
			free(buf);
			close(fd);
			return replay_fail_file(path, err, errlen, msg);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int load_file(const char *path, struct model *m, int sigfd,
		     bool recover, char *note, size_t notelen, char *err,
		     size_t errlen)
{
	char msg[384];
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, status, flags;

	model_init(m, true);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "cannot open the recording: %s",
			 strerror(errno));
		return replay_fail_file(path, err, errlen, msg);
	}
	if (fstat(fd, &st) != 0) {
		snprintf(msg, sizeof(msg), "cannot read the recording: %s",
			 strerror(errno));
		close(fd);
		return replay_fail_file(path, err, errlen, msg);
	}
	if (S_ISDIR(st.st_mode) || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(fd);
		return replay_fail_file(path, err, errlen, S_ISDIR(st.st_mode) ?
				 "is a directory, not a recording" :
				 "not a regular file");
	}
	/* a pipe is read until its writer ends: with blocking reads, or,
	 * when signals are to be heard (sigfd), non-blocking ones and poll */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && sigfd < 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	status = read_whole(path, fd, &st, sigfd, &buf, &len, err, errlen);
	if (status)
		return status;
	msg[0] = '\0';
	if (len > REPLAY_WHOLE_MAX || recover) {
		/* more than a whole parse may take: one sample at a time (and
		 * a recording cut short is recovered only so) */
		status = stream_load(fd, sigfd, buf, len, m, recover, note, notelen,
				     msg, sizeof(msg));
		close(fd);
		if (status > 128) {
			replay_fail_file(path, err, errlen, msg);
			return status;
		}
		if (status) {
			model_finish(m);
			model_init(m, true);
			return replay_fail_file(path, err, errlen, msg);
		}
		return 0;
	}
	close(fd);
	if (!buf) {
		/* an empty pipe: nothing was allocated */
		buf = malloc(1);
		if (!buf)
			return replay_fail_file(path, err, errlen, "out of memory");
	}
	buf[len] = '\0';
	status = replay_load_text(buf, len, m, msg, sizeof(msg));
	if (status)
		return replay_fail_file(path, err, errlen, msg);
	return 0;
}

int replay_load_signals(const char *path, struct model *m, int sigfd,
			char *err, size_t errlen)
{
	return load_file(path, m, sigfd, false, NULL, 0, err, errlen);
}

int replay_load_recover(const char *path, struct model *m, int sigfd,
			char *note, size_t notelen, char *err, size_t errlen)
{
	note[0] = '\0';
	return load_file(path, m, sigfd, true, note, notelen, err, errlen);
}
