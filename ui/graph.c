/*
 * graph.c - drawing a run's memory graph (see graph.h). The arithmetic
 * (resampling, rasterising) is layout.c's; this file puts its cells on the
 * screen with the theme's colours, and writes the labels.
 */
#include "ui/graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util/fmt.h"
#include "src/util/text.h"
#include "ui/draw.h"
#include "ui/theme.h"

static void axis_draw(const struct pane_layout *l, const struct graph_scale *sc)
{
	const struct rect *a = &l->axis;
	int gx = l->graph.x, gw = l->graph.w, last_end = gx;
	attr_t dim = theme_attr(THEME_DIM);

	draw_text_right(a->y, a->x, l->label_w - 1, dim, "0");
	draw_text(a->y, gx - 1, 1, dim, draw_glyph("\xe2\x94\x94", "+"));
	draw_fill(a->y, gx, gw, dim, draw_glyph("\xe2\x94\x80", "-"));
	if (!(sc->t_step > 0) || !(sc->t_max > 0))
		return;
	for (int k = 1; k * sc->t_step <= sc->t_max + 1e-9; k++) {
		double t = k * sc->t_step;
		int x = gx + (int)lround(t / sc->t_max * gw) - 1;
		char lab[16];
		int n;

		chart_time_label(lab, sizeof(lab), t);
		n = text_columns(lab);
		if (x >= gx + gw)
			x = gx + gw - 1;
		/* the label ends just left of its tick; skip it if it would
		 * overlap the previous one */
		if (x - n < last_end + 1)
			continue;
		draw_text(a->y, x, 1, dim, draw_glyph("\xe2\x94\xb4", "+"));
		draw_text(a->y, x - n, n, dim, lab);
		last_end = x + 1;
	}
}

/* The hold apart (layout_hold_cols()): a break where it begins, the empty
 * cells after it hatched, so the graph's length before the break is the
 * wall time the comparison gives. */
static void hold_draw(const struct rect *g, const struct run_view *v,
		      const struct graph_scale *sc, const struct graph_cell *cells)
{
	attr_t dim = theme_attr(THEME_DIM);
	int x0, x1;

	if (!layout_hold_cols(v->run, v->t, sc->t_max, g->w, &x0, &x1))
		return;
	for (int r = 0; r < g->h; r++) {
		draw_text(g->y + r, g->x + x0, 1, dim,
			  draw_glyph(LAYOUT_HOLD_BREAK, LAYOUT_HOLD_BREAK_ASCII));
		for (int c = x0 + 1; c < x1; c++) {
			const struct graph_cell *cell = &cells[r * g->w + c];

			if (cell->glyph[0] == ' ' && cell->bg == GROLE_NONE)
				draw_text(g->y + r, g->x + c, 1, dim,
					  draw_glyph(LAYOUT_HOLD_HATCH, LAYOUT_HOLD_HATCH_ASCII));
		}
	}
}

void graph_draw(const struct pane_layout *l, const struct run_view *v,
		enum chart_metric metric, const struct graph_scale *sc,
		enum graph_style style)
{
	const struct rect *g = &l->graph;
	struct graph_col *sub;
	struct graph_cell *cells;
	attr_t dim = theme_attr(THEME_DIM);
	char lab[FMT_SIZE_MAX];

	if (g->w <= 0 || g->h <= 0)
		return;
	/* the y axis: labels at the top, the middle, and 0 on the time axis */
	for (int r = 0; r < g->h; r++) {
		/* the top, and the row whose span holds half of it */
		bool mark = r == 0 || (g->h >= 4 && r == g->h - 1 - (g->h - 1) / 2);

		draw_text(g->y + r, g->x - 1, 1, dim,
			  mark ? draw_glyph("\xe2\x94\xa4", "+") : draw_glyph("\xe2\x94\x82", "|"));
		if (mark)
			draw_text_right(g->y + r, g->x - l->label_w, l->label_w - 1, dim,
					fmt_kb(lab, sizeof(lab), r ? sc->y_max / 2 : sc->y_max));
	}
	axis_draw(l, sc);
	sub = calloc((size_t)g->w * 2, sizeof(*sub));
	cells = calloc((size_t)g->w * (size_t)g->h, sizeof(*cells));
	if (sub && cells && v->run) {
		layout_resample(v->run->points, v->run->npoints, sc->t_max,
				v->t, metric, sub, (size_t)g->w * 2);
		layout_graph_raster(sub, g->w, g->h, sc->y_max, style, cells);
		for (int r = 0; r < g->h; r++)
			for (int c = 0; c < g->w; c++) {
				const struct graph_cell *cell = &cells[r * g->w + c];

				if (cell->glyph[0] == ' ' && cell->bg == GROLE_NONE)
					continue;
				draw_text(g->y + r, g->x + c, 1,
					  theme_graph(cell->fg, cell->bg), cell->glyph);
			}
		hold_draw(g, v, sc, cells);
	}
	free(sub);
	free(cells);
}

/* "█ label" pieces, each in its colour; returns the next x */
static int swatch(int y, int x, int end, attr_t attr, const char *glyph,
		  const char *text)
{
	x += draw_text(y, x, end - x, attr, glyph);
	x += draw_text(y, x, end - x, A_NORMAL, text);
	return x;
}

/* room for "  ▒ inexact" after line 2 */
#define APPROX_W 11

/* whether the run shows a sample that is not one moment */
static bool any_approx(const struct run_view *v)
{
	if (!v->run)
		return false;
	for (size_t i = 0; i < v->run->npoints; i++)
		if (!v->run->points[i].consistent)
			return true;
	return false;
}

/* line 1 of the legend at y, from x to end: the area, long words where
 * they fit */
static void legend_area(int y, int x, int end, const struct run_view *v,
			enum chart_metric metric, const char *priv, const char *shared,
			const char *total)
{
	bool a = draw_ascii();
	const char *sig = a ? "" : "\xce\xa3";
	const char *what = metric == CHART_PSS ? "PSS" : "RSS";
	const char *peak = !v->at_peak ? "" : v->peak_hold ? "hold: " : "peak: ";
	bool uss = metric == CHART_USS;
	char f1[96], f2[96], f3[96];
	int need;

	for (int form = 0; form < 6; form++) {
		/* forms 0-2 with the "peak" tag, 3-5 without */
		const char *tag = form < 3 ? peak : "";
		int f = form % 3;

		if (uss) {
			snprintf(f1, sizeof(f1), f ? "%s%sUSS %s" : "%sprivate (%sUSS) %s",
				 tag, sig, priv);
			f2[0] = f3[0] = '\0';
		} else {
			snprintf(f1, sizeof(f1), "%s%s %s", tag, f < 2 ? "private" : "prv", priv);
			snprintf(f2, sizeof(f2), "%s %s", f < 2 ? "shared" : "shr", shared);
			snprintf(f3, sizeof(f3), f == 0 ? "  = %s%s %s" : " =%s%s %s", sig, what, total);
		}
		need = 2 + text_columns(f1) + (uss ? 0 : 4 + text_columns(f2) + text_columns(f3));
		if (need <= end - x || form == 5)
			break;
	}
	x = swatch(y, x, end, theme_graph(GROLE_PRIVATE, GROLE_NONE),
		   a ? "#" : "\xe2\x96\x88", " ");
	x += draw_text(y, x, end - x, A_NORMAL, f1);
	if (!uss) {
		x += draw_text(y, x, end - x, A_NORMAL, "  ");
		/* the glyph the graph draws shared pages with */
		x = swatch(y, x, end, theme_graph(GROLE_SHARED, GROLE_NONE),
			   a ? ":" : theme_color() ? "\xe2\x96\x88" : "\xe2\x96\x92", " ");
		x += draw_text(y, x, end - x, A_NORMAL, f2);
		if (end - x >= text_columns(f3))
			draw_text(y, x, end - x, A_BOLD, f3);
	}
}

/* The forms of the legend's line 2, longest first: the line and what top
 * would say; returns how many */
static int line2_forms(const struct run_view *v, enum chart_metric metric,
		       char forms[4][128])
{
	const char *sig = draw_ascii() ? "" : "\xce\xa3";
	const struct point *p = &v->total;
	struct chart_stack gv = chart_stack(p, metric);
	char line[FMT_SIZE_MAX], over[FMT_SIZE_MAX];
	int64_t overcount = p->rss_kb - (p->pss_kb > 0 ? p->pss_kb : 0);

	fmt_kb(line, sizeof(line), gv.line);
	fmt_kb(over, sizeof(over), overcount < 0 ? 0 : overcount);
	if (metric == CHART_RSS || metric == CHART_USS) {
		snprintf(forms[0], 128, " %sPSS %s: the true footprint, shared pages split", sig, line);
		snprintf(forms[1], 128, " %sPSS %s: the true footprint", sig, line);
		snprintf(forms[2], 128, " %sPSS %s", sig, line);
		return 3;
	}
	snprintf(forms[0], 128, " %sRSS %s: what top says, %s too much", sig, line, over);
	snprintf(forms[1], 128, " %sRSS %s (top): %s overcount", sig, line, over);
	snprintf(forms[2], 128, " %sRSS %s, +%s", sig, line, over);
	snprintf(forms[3], 128, " %sRSS %s", sig, line);
	return 4;
}

/* the room of line 2's text in the legend of l */
static int line2_room(const struct pane_layout *l, const struct run_view *v)
{
	return l->legend.w - 2 - (any_approx(v) ? APPROX_W : 0);
}

int graph_legend_form(const struct pane_layout *l, const struct run_view *v,
		      enum chart_metric metric)
{
	char forms[4][128];
	int n, room;

	if (l->legend.h < 2 || l->legend.w < 10 || !v->have_total)
		return 0;
	n = line2_forms(v, metric, forms);
	room = line2_room(l, v);
	for (int i = 0; i < n; i++)
		if (text_columns(forms[i]) <= room)
			return i;
	return n - 1;
}

void graph_legend_draw(const struct pane_layout *l, const struct run_view *v,
		       enum chart_metric metric, int form)
{
	const struct rect *r = &l->legend;
	int x = r->x + 1, end = r->x + r->w, y = r->y;
	bool a = draw_ascii();
	char priv[FMT_SIZE_MAX], shared[FMT_SIZE_MAX], total[FMT_SIZE_MAX];
	char forms[4][128];
	const struct point *p = &v->total;
	struct chart_stack gv;
	int n, own;

	if (r->h < 2 || r->w < 10)
		return;
	if (!v->have_total) {
		draw_text(y, x, end - x, theme_attr(THEME_DIM),
			  v->state == RUN_WAITING ? "waiting to start" : "no sample yet");
		return;
	}
	gv = chart_stack(p, metric);
	fmt_kb(priv, sizeof(priv), gv.lower);
	fmt_kb(shared, sizeof(shared), gv.upper);
	fmt_kb(total, sizeof(total), gv.lower + gv.upper);
	if (p->pss_partial) {
		/* some PSS could not be read: the sums are lower bounds */
		strncat(total, "+", sizeof(total) - strlen(total) - 1);
	}
	/* line 1: the area, long words where they fit */
	legend_area(y, x, end, v, metric, priv, shared, total);
	/* line 2: the line and what top would say, in the form every pane
	 * takes (form: the longest all fit), or a shorter one this needs */
	y++;
	n = line2_forms(v, metric, forms);
	own = graph_legend_form(l, v, metric);
	if (form < own)
		form = own;
	if (form >= n)
		form = n - 1;
	x = swatch(y, x, end, theme_graph(GROLE_LINE, GROLE_NONE),
		   a ? "-" : "\xe2\xa0\x92", forms[form]);
	/* the shade of columns more than 1% from one moment */
	if (any_approx(v) && end - x >= APPROX_W)
		swatch(y, x + 2, end, theme_graph(GROLE_SHARED, GROLE_NONE),
		       a ? LAYOUT_APPROX_ASCII_SHARED :
		       theme_color() ? LAYOUT_APPROX_COLOR : LAYOUT_APPROX_MONO_SHARED,
		       " inexact");
}
