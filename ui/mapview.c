/*
 * mapview.c - the views of smaps mappings (see mapview.h).
 */
#include "ui/mapview.h"
#include "ui/decayview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/mapgroups.h"
#include "src/util/fmt.h"
#include "src/util/text.h"
#include "ui/draw.h"
#include "ui/theme.h"

/* the newest snapshot at or before t (t < 0: the newest) */
static const struct map_snap *snap_at(const struct run *r, double t)
{
	const struct map_snap *best = NULL;

	for (size_t i = 0; i < r->nmsnaps; i++)
		if (t < 0 || r->msnaps[i].t <= t + 1e-9)
			best = &r->msnaps[i];
	return best;
}

/* "  PSS   RSS  ShCl  ShDr  PvCl  PvDr  Swap" figures of g at x; returns
 * the columns used */
#define FIG_W 6
#define NFIGS 7
static int figures(int y, int x, attr_t a, const struct map_group *g)
{
	const struct smaps_kb *m = &g->mem;
	const int64_t v[NFIGS] = { m->pss, m->rss, m->shared_clean, m->shared_dirty,
				   m->private_clean, m->private_dirty, m->swap };
	char buf[FMT_SIZE_MAX];

	for (int i = 0; i < NFIGS; i++) {
		attr_t b = a;

		if (v[i] < 0)
			b = theme_attr(THEME_FAIL);
		else if (i == 3 && v[i] > 0)
			b |= theme_attr(THEME_SHARED) & ~A_BOLD;
		else if (i == 5 && v[i] > 0)
			b |= theme_attr(THEME_PRIVATE) & ~A_BOLD;
		draw_text_right(y, x + i * FIG_W, FIG_W, b, fmt_kb(buf, sizeof(buf), v[i]));
	}
	return NFIGS * FIG_W;
}

static void heading(int y, int x, int w, const char *last)
{
	static const char *const names[NFIGS] = { "PSS", "RSS", "ShCl", "ShDr", "PvCl", "PvDr", "Swap" };
	attr_t h = theme_attr(THEME_HEADING);

	for (int i = 0; i < NFIGS; i++)
		draw_text_right(y, x + i * FIG_W, FIG_W, h, names[i]);
	draw_text(y, x + NFIGS * FIG_W + 1, w - NFIGS * FIG_W - 1, h, last);
}

/* "kind   path": a path too wide for maxw columns loses its leading
 * directories ("…/numpy/core/x.so"), so that the file's name shows */
static void group_name(char *buf, size_t cap, const struct map_group *g, bool ascii,
		       int maxw)
{
	char path[MODEL_TEXT_MAX], label[MODEL_TEXT_MAX + 64];
	const char *tail;

	mapgroups_label(label, sizeof(label), g, true);
	text_sanitize(path, sizeof(path), label, strlen(label), ascii);
	tail = path;
	for (;;) {
		const char *next;

		snprintf(buf, cap, "%-6s %s%s%s", mapping_kind_name(g->kind),
			 tail == path ? "" : draw_glyph("\xe2\x80\xa6", "..."), tail,
			 g->deleted ? " (deleted)" : "");
		if (text_columns(buf) <= maxw || !(next = strchr(tail + 1, '/')))
			break;
		tail = next;
	}
}

/* the line under the title: when the figures were read, and whether they
 * are older than the panes' last sample */
static void when(int y, int x, int w, const struct map_snap *s, double sample_t,
		 const struct run *r)
{
	char line[256], age[FMT_SIZE_MAX], at[FMT_SIZE_MAX];
	const char *which = mapgroups_which(r, s);
	int used;

	snprintf(line, sizeof(line), "read at %s%s%s%s%s%s",
		 fmt_seconds(at, sizeof(at), s->t), s->phase[0] ? ", phase " : "",
		 s->phase, which[0] ? " (" : "", which, which[0] ? ")" : "");
	used = draw_text(y, x, w, theme_attr(THEME_DIM), line);
	if (sample_t - s->t > 0.001) {
		/* the age is the point: a short form where the long one is
		 * cut (80 columns cut it before the number) */
		fmt_seconds(age, sizeof(age), sample_t - s->t);
		snprintf(line, sizeof(line), " - older than the last sample by %s", age);
		if (text_columns(line) > w - used)
			snprintf(line, sizeof(line), " - %s old", age);
		draw_text(y, x + used, w - used, theme_attr(THEME_FAIL), line);
	}
}

static int draw_proc(const struct rect *r, const struct mapview_in *in,
		     const struct map_snap *s)
{
	const struct map_proc *p = NULL;
	char buf[MODEL_TEXT_MAX + 64], comm[MODEL_COMM_MAX];
	int y = r->y, lines;

	for (size_t i = 0; s && i < s->nprocs; i++)
		if (s->procs[i].pid == in->pid)
			p = &s->procs[i];
	if (!p) {
		snprintf(buf, sizeof(buf), in->replay ? "pid %d: no mappings recorded for it at this moment" :
			 "pid %d: no mappings read yet; they are read at the next sample",
			 (int)in->pid);
		draw_text(y + 2, r->x, r->w, theme_attr(THEME_DIM), buf);
		return 0;
	}
	text_sanitize(comm, sizeof(comm), p->comm, strlen(p->comm), in->ascii);
	snprintf(buf, sizeof(buf), "pid %d %s (%s): %zu groups, by PSS", (int)p->pid,
		 model_role_name(p->role), comm, p->n);
	draw_text(y, r->x, r->w, theme_attr(THEME_TITLE), buf);
	when(y + 1, r->x, r->w, s, in->sample_t, in->run);
	if (p->smaps != SMAPS_STATE_READ) {
		draw_text(y + 3, r->x, r->w, theme_attr(THEME_FAIL),
			  p->smaps == SMAPS_STATE_UNREADABLE ? "smaps unreadable (EACCES)"
							     : "gone: no address space");
		return 0;
	}
	heading(y + 2, r->x, r->w, " N KIND   PATH");
	lines = (int)p->n;
	y += 3;
	for (int i = in->scroll; i < lines && y < r->y + r->h; i++, y++) {
		const struct map_group *g = &s->groups[p->first + (size_t)i];
		int x = r->x + figures(y, r->x, A_NORMAL, g);

		snprintf(buf, sizeof(buf), "%3d ", g->nmaps);
		x += draw_text(y, x, r->x + r->w - x, theme_attr(THEME_DIM), buf);
		group_name(buf, sizeof(buf), g, in->ascii, r->x + r->w - x);
		draw_text(y, x, r->x + r->w - x, A_NORMAL, buf);
	}
	return lines;
}

/* The run groups of one snapshot and, for each, its processes' groups in
 * the snapshot's order (child[start[k] .. start[k + 1]) are indices into
 * groups[]): made in linear time from mapgroups_sum_index(), and kept
 * while the same snapshot is drawn (a view redraws every tick). */
struct tree_cache {
	const struct map_snap *snap;
	double t, t_end;
	size_t ngroups, nprocs;
	struct map_group *sum;
	size_t nsum;
	size_t *start;            /* nsum + 1 */
	size_t *child;            /* ngroups: a group's index */
	size_t *owner;            /* ngroups: its process's index */
};

static struct tree_cache cache;

static void cache_drop(void)
{
	free(cache.sum);
	free(cache.start);
	free(cache.child);
	free(cache.owner);
	memset(&cache, 0, sizeof(cache));
}

static bool cache_fill(const struct map_snap *s)
{
	size_t *of = NULL;

	if (cache.snap == s && cache.t == s->t && cache.t_end == s->t_end &&
	    cache.ngroups == s->ngroups && cache.nprocs == s->nprocs && cache.start)
		return true;
	cache_drop();
	if (!mapgroups_sum_index(s, &cache.sum, &cache.nsum, &of))
		return false;
	cache.start = calloc(cache.nsum + 2, sizeof(*cache.start));
	cache.child = malloc((s->ngroups ? s->ngroups : 1) * sizeof(*cache.child));
	cache.owner = malloc((s->ngroups ? s->ngroups : 1) * sizeof(*cache.owner));
	if (!cache.start || !cache.child || !cache.owner) {
		free(of);
		cache_drop();
		return false;
	}
	/* a counting sort of the groups by run group, processes in order */
	for (size_t i = 0; i < s->ngroups; i++)
		cache.start[of[i] + 2]++;
	for (size_t k = 2; k < cache.nsum + 2; k++)
		cache.start[k] += cache.start[k - 1];
	for (size_t i = 0; i < s->nprocs; i++)
		for (size_t j = 0; j < s->procs[i].n; j++) {
			size_t g = s->procs[i].first + j, at = cache.start[of[g] + 1]++;

			cache.child[at] = g;
			cache.owner[at] = i;
		}
	free(of);
	cache.snap = s;
	cache.t = s->t;
	cache.t_end = s->t_end;
	cache.ngroups = s->ngroups;
	cache.nprocs = s->nprocs;
	return true;
}

static void draw_child(int y, const struct rect *r, const struct mapview_in *in,
		       const struct map_proc *p, const struct map_group *c, bool last)
{
	char buf[MODEL_TEXT_MAX + 64], comm[MODEL_COMM_MAX];
	int x = r->x + figures(y, r->x, theme_attr(THEME_DIM), c);

	text_sanitize(comm, sizeof(comm), p->comm, strlen(p->comm), in->ascii);
	snprintf(buf, sizeof(buf), "       %s %d %s %s",
		 last ? draw_glyph("\xe2\x94\x94\xe2\x94\x80", "`-")
		      : draw_glyph("\xe2\x94\x9c\xe2\x94\x80", "|-"),
		 (int)p->pid, model_role_short(p->role), comm);
	draw_text(y, x, r->x + r->w - x, theme_attr(THEME_DIM), buf);
}

/* Draws the lines from in->scroll that fit; returns the lines in all
 * (a run group and its processes' groups under it). Only the lines on
 * the screen are visited. */
static int draw_tree(const struct rect *r, const struct mapview_in *in,
		     const struct map_snap *s)
{
	char buf[MODEL_TEXT_MAX + 64];
	int y = r->y + 3, line = 0, total;

	snprintf(buf, sizeof(buf), "groups of run %s across its %zu process%s, by \xce\xa3PSS",
		 in->run->name, s->nprocs, s->nprocs == 1 ? "" : "es");
	draw_text(r->y, r->x, r->w, theme_attr(THEME_TITLE), buf);
	when(r->y + 1, r->x, r->w, s, in->sample_t, in->run);
	heading(r->y + 2, r->x, r->w, "procs KIND   PATH / PID ROLE NAME");
	if (!cache_fill(s))
		return 0;
	total = (int)(cache.nsum + s->ngroups);
	for (size_t k = 0; k < cache.nsum && y < r->y + r->h; k++) {
		const struct map_group *g = &cache.sum[k];
		size_t nchild = cache.start[k + 1] - cache.start[k];

		if (line + 1 + (int)nchild <= in->scroll) {
			line += 1 + (int)nchild;   /* above the screen */
			continue;
		}
		if (line >= in->scroll) {
			int x = r->x + figures(y, r->x, A_BOLD, g);

			snprintf(buf, sizeof(buf), "%6d ", g->nprocs);
			x += draw_text(y, x, r->x + r->w - x, theme_attr(THEME_DIM), buf);
			group_name(buf, sizeof(buf), g, in->ascii, r->x + r->w - x);
			draw_text(y, x, r->x + r->w - x, A_BOLD, buf);
			y++;
		}
		line++;
		for (size_t c = 0; c < nchild && y < r->y + r->h; c++, line++) {
			size_t at = cache.start[k] + c;

			if (line < in->scroll)
				continue;
			draw_child(y++, r, in, &s->procs[cache.owner[at]],
				   &s->groups[cache.child[at]], c + 1 == nchild);
		}
	}
	return total;
}

int mapview_draw(const struct rect *r, const struct mapview_in *in)
{
	struct rect inner = { r->y + 1, r->x + 2, r->h - 2, r->w - 4 };
	const struct map_snap *s;
	char title[MODEL_NAME_MAX + 64];
	int n;

	if (in->kind == MAPVIEW_DECAY)
		return decayview_draw(r, in->run, in->scroll, in->replay);
	for (int y = r->y; y < r->y + r->h; y++)
		draw_fill(y, r->x, r->w, A_NORMAL, " ");
	draw_box(r, theme_attr(THEME_BORDER));
	snprintf(title, sizeof(title), " %s %s ",
		 in->kind == MAPVIEW_TREE ? "mapping groups" : "mappings", in->run->name);
	draw_text(r->y, r->x + 2, r->w - 4, theme_attr(THEME_TITLE), title);
	draw_text(r->y + r->h - 1, r->x + 2, r->w - 4, theme_attr(THEME_DIM),
		  in->kind == MAPVIEW_TREE ? " Esc back  up/down scroll  Enter: a process " :
		  " Esc back  up/down scroll  t: groups of the run ");
	s = snap_at(in->run, in->t);
	if (!s) {
		draw_text(inner.y + 1, inner.x, inner.w, theme_attr(THEME_DIM),
			  in->replay ? (in->run->nmsnaps ? "no mappings recorded before this moment"
							 : "no mappings in this recording (shmviz --record FILE --mappings)")
				     : "no mappings read yet: they are read at phase boundaries and while this view is open, within the budget");
		return 0;
	}
	if (in->kind == MAPVIEW_TREE)
		n = draw_tree(&inner, in, s);
	else
		n = draw_proc(&inner, in, s);
	return n;
}
