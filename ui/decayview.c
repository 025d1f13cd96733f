/*
 * decayview.c - the decay view (decayview.h): the run's window, its
 * tree's line and a line a member, each with a bar of its shared part (left)
 * against its private part now. The figures are decay.c's, the words
 * decayrep.c's; this file only lays them out.
 */
#include "ui/decayview.h"

#include <stdio.h>

#include "src/report/decayrep.h"
#include "src/util/fmt.h"
#include "ui/draw.h"
#include "ui/theme.h"

#define BAR_W 20
#define NAME_W 10

/* a bar of w cells: shared against private, both now */
static void bar(int y, int x, int w, const struct decay_fig *f)
{
	int64_t all = f->shared_last_kb + f->private_last_kb;
	int n = all > 0 && f->shared_last_kb > 0 ?
		(int)((f->shared_last_kb * w + all / 2) / all) : 0;
	const char *g = draw_glyph("\xe2\x96\x88", "#");

	for (int i = 0; i < w; i++)
		draw_text(y, x + i, 1, theme_attr(i < n ? THEME_SHARED : THEME_PRIVATE),
			  i < n ? g : draw_glyph("\xe2\x96\x92", "."));
}

/* one series' line: "shared 32M -> 89K  private 100K -> 96M  lost 32M at
 * 16.6 MiB/s  half-life 0.97 s"; in less room the private part goes and
 * the bar narrows (8 cells, else none): the loss, its rate and half-life
 * are what the view is for (80 columns cut them) */
static void fig_line(int y, const struct rect *r, const char *who,
		     const struct decay_fig *f)
{
	char s0[FMT_SIZE_MAX], s1[FMT_SIZE_MAX], p0[FMT_SIZE_MAX], p1[FMT_SIZE_MAX],
	     lost[FMT_SIZE_MAX], rate[FMT_SIZE_MAX], half[FMT_SIZE_MAX], line[512];

	int room = r->w - NAME_W, bw;

	fmt_kb(s0, sizeof(s0), f->shared0_kb);
	fmt_kb(s1, sizeof(s1), f->shared_last_kb);
	fmt_kb(p0, sizeof(p0), f->private0_kb);
	fmt_kb(p1, sizeof(p1), f->private_last_kb);
	fmt_kb(lost, sizeof(lost), decay_lost_kb(f));
	decayrep_rate(rate, sizeof(rate), f);
	decayrep_half_life(half, sizeof(half), f);
	snprintf(line, sizeof(line), " shared %s -> %s  private %s -> %s  lost %s at %s  half-life %s",
		 s0, s1, p0, p1, lost, rate, half);
	/* by the room alone, so that every line of the view has one layout */
	bw = BAR_W;
	if (room < BAR_W + 76) {
		snprintf(line, sizeof(line), " shared %s -> %s  lost %s at %s  half-life %s",
			 s0, s1, lost, rate, half);
		bw = room >= 8 + 60 ? 8 : 0;
	}
	draw_text(y, r->x, NAME_W, theme_attr(THEME_HEADING), who);
	bar(y, r->x + NAME_W, bw, f);
	draw_text(y, r->x + NAME_W + bw, room - bw, theme_attr(THEME_NORMAL), line);
}

/* the lines of run ru from line *ln (those before scroll and after the
 * rect are counted, not drawn) */
static void run_lines(const struct rect *r, const struct run *ru, int scroll, int *ln)
{
	const struct decay *d = &ru->decay;
	char head[MODEL_TEXT_MAX];
	int y;

#define LINE() (y = r->y + (*ln)++ - scroll, y >= r->y && y < r->y + r->h)
	if (LINE()) {
		if (d->tree.known)
			snprintf(head, sizeof(head), "%s: from %.2f s to %.2f s%s", ru->name,
				 d->tree.t0, d->tree.t_last,
				 d->closed ? " (a process left: closed)" : "");
		else
			snprintf(head, sizeof(head), "%s: %s", ru->name, d->too_many ?
				 "too many processes to follow" : "no sample of one moment yet");
		draw_text(y, r->x, r->w, theme_attr(THEME_TITLE), head);
	}
	if (!d->tree.known)
		return;
	if (LINE())
		fig_line(y, r, "tree", &d->tree);
	for (size_t i = 0; i < d->nprocs; i++) {
		char who[32];

		if (!LINE())
			continue;
		snprintf(who, sizeof(who), "%d %s", (int)d->procs[i].pid,
			 model_role_short((enum proc_role)d->procs[i].role));
		fig_line(y, r, who, &d->procs[i].fig);
	}
	(*ln)++;
#undef LINE
}

int decayview_draw(const struct rect *r, const struct run *ru, int scroll,
		   bool replay)
{
	struct rect inner = { r->y + 2, r->x + 2, r->h - 3, r->w - 4 };
	int ln = 0;

	for (int y = r->y; y < r->y + r->h; y++)
		draw_fill(y, r->x, r->w, A_NORMAL, " ");
	draw_box(r, theme_attr(THEME_BORDER));
	draw_text(r->y, r->x + 2, r->w - 4, theme_attr(THEME_TITLE), " sharing decay ");
	draw_text(r->y + r->h - 1, r->x + 2, r->w - 4, theme_attr(THEME_DIM),
		  " Esc back  up/down scroll ");
	if (r->w - 4 >= 120)
		draw_text(r->y + 1, r->x + 2, r->w - 4, theme_attr(THEME_DIM), replay ?
			  "shared part of \xce\xa3PSS (tree) or Shared_Clean+Shared_Dirty (process) against the private part: the whole recording" :
			  "shared part of \xce\xa3PSS (tree) or Shared_Clean+Shared_Dirty (process) against the private part, since the last process joined");
	else
		draw_text(r->y + 1, r->x + 2, r->w - 4, theme_attr(THEME_DIM), replay ?
			  "shared vs private (tree: \xce\xa3PSS; process: Shared_*): whole recording" :
			  "shared vs private (tree: \xce\xa3PSS; process: Shared_*): since the last join");
	run_lines(&inner, ru, scroll, &ln);
	return ln;
}
