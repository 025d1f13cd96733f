/*
 * plot.c - the picture of a recording (see plot.h).
 *
 * One drawing function, draw(), paints on any cairo context in pixel
 * units; plot_write() gives it an SVG surface or an image surface for PNG.
 * Layout, top to bottom: title and subtitle, the legend, one panel a run
 * side by side (title, memory graph, time axis, phase bar, its figures),
 * and the comparison lines. Every panel shares the same memory scale and
 * the same time scale, so heights and widths compare across runs. Sizes
 * are given for 1600x900 and scaled with the picture.
 *
 * cairo's SVG surface draws text as glyph outlines, so the file would name
 * nothing a search or a screen reader could find: a <title> and a <desc>
 * naming the runs and the comparison are added after cairo's <svg> tag.
 */
#include "src/report/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include "src/core/chart.h"
#include "src/core/mapgroups.h"
#include "src/core/palette.h"
#include "src/report/decayrep.h"
#include "src/report/summary.h"
#include "src/util/exits.h"
#include "src/util/fmt.h"
#include "src/util/macros.h"
#include "src/util/outpath.h"
#include "src/util/text.h"

#define FONT "DejaVu Sans"
/* the longest part of the target's name a temporary name keeps: ".NAME."
 * and 6 characters of mkostemp stay within NAME_MAX (255) */
#define TEMP_BASE_MAX 240

struct rgb {
	double r, g, b;
};

/* colour roles: the theme's (src/core/palette.h), set by plot_set_theme() */
static struct rgb C_BG = { 1, 1, 1 };
static struct rgb C_TEXT, C_MUTED, C_GRID, C_AXIS, C_SHARED, C_PRIVATE, C_RSS,
		  C_BAD, C_GOOD;
static bool themed;
static enum palette_theme theme = PALETTE_LIGHT;

static struct rgb rgb_of(struct rgb8 c)
{
	return (struct rgb){ c.r / 255.0, c.g / 255.0, c.b / 255.0 };
}

static struct rgb role_rgb(enum palette_theme t, enum theme_role role)
{
	return rgb_of(palette_rgb(palette_pair(t, role).fg));
}

static const char *mode_source; /* plot_set_source() */

void plot_set_source(const char *recording)
{
	mode_source = recording;
}

void plot_set_theme(enum palette_theme t)
{
	C_BG = rgb_of(palette_rgb(palette_background(t)));
	C_TEXT = role_rgb(t, THEME_NORMAL);
	C_MUTED = role_rgb(t, THEME_DIM);
	C_AXIS = role_rgb(t, THEME_BORDER);
	/* the grid is no text: a tenth of the way from the background to
	 * the text */
	C_GRID = (struct rgb){ C_BG.r + (C_TEXT.r - C_BG.r) * 0.1,
			       C_BG.g + (C_TEXT.g - C_BG.g) * 0.1,
			       C_BG.b + (C_TEXT.b - C_BG.b) * 0.1 };
	C_SHARED = role_rgb(t, THEME_SHARED);     /* ΣPSS − ΣUSS */
	C_PRIVATE = role_rgb(t, THEME_PRIVATE);   /* ΣUSS */
	C_RSS = role_rgb(t, THEME_LINE);          /* ΣRSS line */
	C_BAD = role_rgb(t, THEME_FAIL);
	C_GOOD = role_rgb(t, THEME_OK);
	theme = t;
	themed = true;
}

/* a phase's colour and the colour of its name over it: its role's
 * (src/core/chart.c, chart_phase_role()) */
static struct rgb phase_colour(const char *name, bool text)
{
	struct palette_pair pp = palette_pair(theme, chart_phase_role(name));

	return rgb_of(palette_rgb(text ? pp.fg : pp.bg));
}

/* ---- drawing helpers ---- */

struct pen {
	cairo_t *cr;
	double s;  /* lines and gaps: 1 at 1600x900 */
	double f;  /* text: s, raised so that a small picture stays legible
	              when its layout allows (draw()) */
	const struct model *m;
	struct plot_layout *log;  /* what is drawn, for plot_layout(); NULL */
	enum plot_box_kind kind;  /* of the text drawn next */
};

static void colour(const struct pen *p, struct rgb c, double alpha)
{
	cairo_set_source_rgba(p->cr, c.r, c.g, c.b, alpha);
}

static void font(const struct pen *p, double size, bool bold)
{
	cairo_select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD :
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size * p->f);
}

static double text_width(const struct pen *p, const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(p->cr, s, &e);
	return e.x_advance;
}

static void log_box(const struct pen *p, struct plot_rect r, enum plot_box_kind kind)
{
	struct plot_layout *l = p->log;

	if (l && l->n < PLOT_BOXES_MAX) {
		l->box[l->n].r = r;
		l->box[l->n].kind = kind;
		l->n++;
	}
}

/* align: 0 left, 0.5 centre, 1 right of x; y is the baseline */
static void text(const struct pen *p, double x, double y, double align,
		 const char *s)
{
	double w = text_width(p, s);

	cairo_move_to(p->cr, x - align * w, y);
	cairo_show_text(p->cr, s);
	if (p->log && s[0]) {
		cairo_font_extents_t fe;

		cairo_font_extents(p->cr, &fe);
		log_box(p, (struct plot_rect){ x - align * w, y - fe.ascent, w,
					       fe.ascent + fe.descent }, p->kind);
		if (fe.ascent + fe.descent < p->log->min_text_px || !p->log->min_text_px)
			p->log->min_text_px = fe.ascent + fe.descent;
	}
}

/* Cuts s (UTF-8) with an ellipsis until it fits in width. */
static void fit(const struct pen *p, char *s, double width)
{
	size_t len = strlen(s);

	if (text_width(p, s) <= width)
		return;
	if (p->log)
		p->log->cut++;
	while (len > 0) {
		len--;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		if (len + 4 > strlen(s))
			continue;
		memcpy(s + len, "\xe2\x80\xa6", 4);
		if (text_width(p, s) <= width)
			return;
	}
}

/* The height of a line of the current font: lh, or more when the font's
 * own extents (hinted, larger at small sizes) need it */
static double line_h(const struct pen *p, double lh)
{
	cairo_font_extents_t fe;

	cairo_font_extents(p->cr, &fe);
	return fmax(lh, fe.ascent + fe.descent + 1);
}

/* Lines of text in width: the parts of s between seps, as many a line as
 * fit, a part too wide for a line of its own cut. Drawn from baseline y
 * (when draw), a line every lh; returns the number of lines. */
static int flow(const struct pen *p, const char *s, const char *sep, double x,
		double y, double width, double lh, bool draw)
{
	char line[1024], part[1024];
	const char *at = s;
	int lines = 0;
	size_t sl = strlen(sep);

	lh = line_h(p, lh);
	line[0] = '\0';
	while (*at) {
		const char *end = strstr(at, sep);
		size_t n = end ? (size_t)(end - at) : strlen(at);
		char joined[sizeof(line)];

		snprintf(part, sizeof(part), "%.*s", (int)n, at);
		at = end ? end + sl : at + n;
		memcpy(joined, line, sizeof(line));
		if (line[0])
			strncat(joined, sep, sizeof(joined) - strlen(joined) - 1);
		strncat(joined, part, sizeof(joined) - strlen(joined) - 1);
		if (!line[0] || text_width(p, joined) <= width) {
			memcpy(line, joined, sizeof(line));
			if (!line[0] || text_width(p, line) <= width || strcmp(sep, " ") == 0)
				continue;
			/* a part too wide for a line of its own: by its words */
			lines += flow(p, line, " ", x, y + lines * lh, width, lh, draw);
			line[0] = '\0';
			continue;
		}
		if (draw) {
			fit(p, line, width);
			text(p, x, y + lines * lh, 0, line);
		}
		lines++;
		snprintf(line, sizeof(line), "%s", part);
	}
	if (line[0]) {
		if (draw) {
			fit(p, line, width);
			text(p, x, y + lines * lh, 0, line);
		}
		lines++;
	}
	return lines;
}

static void rect(const struct pen *p, double x, double y, double w, double h)
{
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

static void segment(const struct pen *p, double x0, double y0, double x1,
		    double y1)
{
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
	cairo_stroke(p->cr);
}

/* A line width wide in c, dashed (dashes of on, gaps of off) when on > 0 */
static void dashed(const struct pen *p, double on, double off, double width,
		   struct rgb c, double alpha, double x0, double y0, double x1,
		   double y1)
{
	double dash[] = { on, off };

	cairo_save(p->cr);
	if (on > 0)
		cairo_set_dash(p->cr, dash, 2, 0);
	cairo_set_line_width(p->cr, width);
	colour(p, c, alpha);
	segment(p, x0, y0, x1, y1);
	cairo_restore(p->cr);
}

/* Diagonal strokes every step across the rectangle, in c */
static void hatch(const struct pen *p, double x, double y, double w, double h,
		  double step, struct rgb c, double alpha)
{
	cairo_save(p->cr);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_clip(p->cr);
	colour(p, c, alpha);
	cairo_set_line_width(p->cr, 1 * p->s);
	for (double d = -h; d < w; d += step) {
		cairo_move_to(p->cr, x + d, y + h);
		cairo_line_to(p->cr, x + d + h, y);
	}
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
}

/* ---- scales ---- */

/* the time and memory axes every graph shares (src/core/chart.h) */
struct scale {
	struct chart_axis t, y;
};

/* The scales of every graph: nt time ticks and ny memory ticks, about */
static struct scale scales(const struct model *m, int nt, int ny)
{
	double tmax = 0, ymax = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		for (size_t k = 0; k < r->nframes; k++) {
			struct chart_stack st = chart_stack(&r->frames[k].total, CHART_PSS);

			tmax = fmax(tmax, r->frames[k].t);
			ymax = fmax(ymax, (double)chart_stack_high(&st));
		}
		for (size_t k = 0; k < r->nphases; k++) {
			double end = r->phases[k].end_s >= 0 ? r->phases[k].end_s :
				     r->phases[k].start_s;

			tmax = fmax(tmax, end);
		}
	}
	return (struct scale){ chart_time_axis(tmax, nt), chart_kb_axis(ymax, ny) };
}

/* ---- parts ---- */

struct box {
	double x, y, w, h;
};

/* the veil over an estimated or held stretch of the areas */
#define APPROX_VEIL 0.5

static bool model_has_approx(const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		for (size_t k = 0; k < m->runs[i].nframes; k++)
			if (!m->runs[i].frames[k].total.consistent)
				return true;
	return false;
}

/* A swatch of the legends: an area, a line, a dashed line */
enum swatch { SW_AREA, SW_VEILED, SW_LINE, SW_DASH, SW_HATCH };

static void swatch(const struct pen *p, enum swatch kind, struct rgb c,
		   double x, double y, double w, double h)
{
	switch (kind) {
	case SW_AREA:
	case SW_VEILED:
		colour(p, c, 0.9);
		rect(p, x, y - h + 2 * p->f, w, h);
		if (kind == SW_VEILED) {
			colour(p, C_BG, APPROX_VEIL);
			rect(p, x, y - h + 2 * p->f, w, h);
		}
		break;
	case SW_HATCH:
		hatch(p, x, y - h + 2 * p->f, w, h, 5 * p->f, c, 0.6);
		break;
	case SW_LINE:
	case SW_DASH:
		dashed(p, kind == SW_DASH ? 6 * p->s : 0, 4 * p->s,
		       (kind == SW_LINE ? 2.5 : 1.5) * p->s, c, 1, x,
		       y - h / 2 + 2 * p->f, x + w, y - h / 2 + 2 * p->f);
		break;
	}
}

struct legend_item {
	enum swatch kind;
	struct rgb c;
	const char *text;
};

/* Items left to right from x to x_end, a new line (every lh) where the
 * next does not fit; drawn when draw. Returns the number of lines. */
static int legend_flow(const struct pen *p, const struct legend_item *it,
		       size_t n, double x, double x_end, double y, double lh,
		       double sw, double size, bool draw)
{
	const double gap = 8 * p->f, sep = 26 * p->f;
	double x0 = x;
	int lines = n ? 1 : 0;

	font(p, size, false);
	for (size_t i = 0; i < n; i++) {
		double w = sw + gap + text_width(p, it[i].text);

		if (x > x0 && x + w > x_end) {
			x = x0;
			y += lh;
			lines++;
		}
		if (draw) {
			char buf[256];

			swatch(p, it[i].kind, it[i].c, x, y, sw, 0.9 * size * p->f);
			colour(p, C_TEXT, 1);
			snprintf(buf, sizeof(buf), "%s", it[i].text);
			fit(p, buf, x_end - x - sw - gap);
			text(p, x + sw + gap, y, 0, buf);
		}
		x += w + sep;
	}
	return lines;
}

static bool model_has_kpeak(const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		if (m->runs[i].kpeak.kb >= 0 && m->runs[i].nframes)
			return true;
	return false;
}

static int draw_legend(const struct pen *p, double x, double x_end, double y,
		       double lh, bool draw)
{
	struct legend_item it[6] = {
		{ SW_AREA, C_PRIVATE, "private memory: \xce\xa3USS" },
		{ SW_AREA, C_SHARED, "shared part of \xce\xa3PSS (\xce\xa3PSS \xe2\x88\x92 \xce\xa3USS)" },
		{ SW_LINE, C_RSS, "\xce\xa3RSS: what top shows (shared pages counted in every process)" },
	};
	size_t n = 3;

	if (model_has_approx(p->m))
		it[n++] = (struct legend_item){ SW_VEILED, C_SHARED,
						"lighter: more than 1% from one moment" };
	if (model_has_kpeak(p->m))
		it[n++] = (struct legend_item){ SW_DASH, C_TEXT, "kernel peak (cgroup)" };
	for (size_t i = 0; i < p->m->nruns; i++)
		if (run_phase_find(&p->m->runs[i], "hold")) {
			it[n++] = (struct legend_item){ SW_HATCH, C_MUTED,
							"hatched: the hold, outside the wall time" };
			break;
		}
	return legend_flow(p, it, n, x, x_end, y, lh, 26 * p->f, 15, draw);
}

/* the phases met in the runs, in order of first appearance */
static int draw_phase_legend(const struct pen *p, const struct model *m,
			     double x, double x_end, double y, double lh,
			     bool draw)
{
	struct legend_item it[MODEL_MAX_RUNS * MODEL_MAX_PHASES + 1];
	size_t n = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		for (size_t k = 0; k < m->runs[i].nphases; k++) {
			const char *name = m->runs[i].phases[k].name;
			bool dup = false;

			for (size_t j = 0; j < n; j++)
				dup = dup || strcmp(it[j].text, name) == 0;
			if (!dup)
				it[n++] = (struct legend_item){ SW_AREA, phase_colour(name, false), name };
		}
	}
	if (!n)
		return 0;
	font(p, 13, false);
	if (draw) {
		colour(p, C_MUTED, 1);
		text(p, x, y, 0, "phases:");
	}
	x += text_width(p, "phases:") + 10 * p->f;
	return legend_flow(p, it, n, x, x_end, y, lh, 14 * p->f, 13, draw);
}

static double xpos(const struct box *b, const struct scale *sc, double t)
{
	return b->x + t / sc->t.max * b->w;
}

static double ypos(const struct box *b, const struct scale *sc, double kb)
{
	return b->y + b->h - kb / sc->y.max * b->h;
}

/* Text at (x, y) with a white halo, readable over the areas. */
static void halo_text(const struct pen *p, double x, double y, const char *s)
{
	cairo_move_to(p->cr, x, y);
	cairo_text_path(p->cr, s);
	colour(p, C_BG, 0.9);
	cairo_set_line_width(p->cr, 4 * p->s);
	cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_stroke(p->cr);
	colour(p, C_TEXT, 1);
	((struct pen *)p)->kind = PLOT_BOX_LABEL;
	text(p, x, y, 0, s);
	((struct pen *)p)->kind = PLOT_BOX_TEXT;
}

/* the stack of ΣPSS (ΣUSS, then ΣPSS − ΣUSS) under the ΣRSS line */
static struct chart_stack stack_of(const struct frame *f)
{
	return chart_stack(&f->total, CHART_PSS);
}

static int64_t top_of(const struct frame *f)
{
	struct chart_stack st = stack_of(f);

	return chart_stack_top(&st);
}

static int64_t rss_of(const struct frame *f)
{
	return stack_of(f).line;
}

static int64_t uss_of(const struct frame *f)
{
	return stack_of(f).lower;
}

/* The frames drawn, one a pixel column (the rule of the TUI's columns,
 * ui/layout.c): of the frames falling in one column of device pixels, the
 * one whose value (the stack's top, or ΣRSS) is highest, the later on a
 * tie. A column never stacks one frame's private part under another's
 * shared part, and nothing drawn exceeds what some frame holds. Fills idx,
 * returns how many (at least one: nframes > 0). */
static size_t pixel_columns(const struct run *r, const struct scale *sc,
			    const struct box *b,
			    int64_t (*value)(const struct frame *), size_t *idx)
{
	size_t n = 0;
	double col = -1;

	for (size_t k = 0; k < r->nframes; k++) {
		double c = floor(xpos(b, sc, r->frames[k].t));

		if (n && c == col) {
			if (value(&r->frames[k]) >= value(&r->frames[idx[n - 1]]))
				idx[n - 1] = k;
			continue;
		}
		col = c;
		idx[n++] = k;
	}
	return n;
}

/* The kernel's own peak of the run's cgroup: a dashed line across the
 * graph at its height (the legend names it; docs/plot.md) */
static void draw_kpeak(const struct pen *p, const struct run *r,
		       const struct scale *sc, const struct box *b)
{
	double y;

	if (r->kpeak.kb < 0)
		return;
	y = ypos(b, sc, (double)r->kpeak.kb);
	if (y >= b->y && y <= b->y + b->h)
		dashed(p, 6 * p->s, 4 * p->s, 1.5 * p->s, C_TEXT, 0.8, b->x, y,
		       b->x + b->w, y);
}

/* Sharing that decays (src/core/decay.h), for a run that lost enough of
 * it to be said (decayrep_shown): a dashed line where the run's shared
 * part of ΣPSS fell to half of what it was at its window's start (the
 * summary's line is among the figures under the graph) */
static void draw_decay(const struct pen *p, const struct run *r,
		       const struct scale *sc, const struct box *b)
{
	double x;
	char buf[96], v[FMT_SIZE_MAX];

	if (!decayrep_shown(r) || !r->decay.tree.halved)
		return;
	x = xpos(b, sc, r->decay.tree.t0 + r->decay.tree.half_life_s);
	if (x < b->x || x > b->x + b->w)
		return;
	dashed(p, 3 * p->s, 3 * p->s, 1.5 * p->s, C_SHARED, 0.9, x, b->y, x,
	       b->y + b->h);
	font(p, 12, false);
	snprintf(buf, sizeof(buf), "half the sharing gone (%s)",
		 fmt_seconds(v, sizeof(v), r->decay.tree.half_life_s));
	halo_text(p, x + 4 * p->s, b->y + 28 * p->s, buf);
}

/* the labels of a graph's band: the peak of ΣPSS (peak_at: the highest
 * consistent frame; SIZE_MAX when there is none), and ΣRSS's highest */
static void label_texts(const struct run *r, size_t peak_at, char *pss,
			size_t psize, char *rss, size_t rsize, bool lng)
{
	char v[FMT_SIZE_MAX];
	int64_t rmax = 0;

	for (size_t k = 0; k < r->nframes; k++)
		if (r->frames[k].total.rss_kb > rmax)
			rmax = r->frames[k].total.rss_kb;
	/* the value drawn at the point (the recorded peak may be higher
	 * when a recording lost samples; the figures below the graph say it) */
	if (peak_at == SIZE_MAX)
		snprintf(pss, psize, lng ? "peak \xce\xa3PSS not sampled: no consistent sample" :
			 "peak \xce\xa3PSS n/c");
	else
		snprintf(pss, psize, "peak \xce\xa3PSS %s",
			 fmt_kb_long(v, sizeof(v), top_of(&r->frames[peak_at])));
	if (rmax > 0)
		snprintf(rss, rsize, lng ? "\xce\xa3RSS %s: what top shows" : "\xce\xa3RSS %s",
			 fmt_kb_long(v, sizeof(v), rmax));
	else
		rss[0] = '\0';
}

/* Lines of the band above a graph's data that its labels take at width
 * w: 1 when both fit side by side, else 2; the long forms where they fit */
static int band_lines(const struct pen *p, const struct run *r, size_t peak_at,
		      double w, bool *lng)
{
	char pss[128], rss[128];
	double mark = 14 * p->f, sep = 24 * p->f;

	font(p, 14, true);
	for (int form = 1; form >= 0; form--) {
		label_texts(r, peak_at, pss, sizeof(pss), rss, sizeof(rss), form);
		*lng = form;
		if (mark + text_width(p, pss) + sep + mark + text_width(p, rss) <= w)
			return 1;
	}
	return 2;
}

/* The peak of ΣPSS marked at its point and named in the band above the
 * data with the same mark, and ΣRSS's highest named beside a stroke of its
 * line: the labels never cover a line or an area of the graph. */
static void draw_labels(const struct pen *p, const struct run *r,
			const struct scale *sc, const struct box *b,
			const struct box *band, size_t peak_at)
{
	char pss[128], rss[128];
	double mark = 14 * p->f, lh = band->h / 2;
	bool lng;
	int lines = band_lines(p, r, peak_at, band->w, &lng);
	double y = band->y + (lines == 1 ? band->h / 2 + 5 * p->f : lh - 6 * p->f);
	double rx, ry;

	label_texts(r, peak_at, pss, sizeof(pss), rss, sizeof(rss), lng);
	if (peak_at != SIZE_MAX) {
		const struct frame *pk = &r->frames[peak_at];

		colour(p, C_TEXT, 1);
		cairo_arc(p->cr, xpos(b, sc, pk->t), ypos(b, sc, (double)top_of(pk)),
			  4.5 * p->s, 0, 2 * M_PI);
		cairo_fill(p->cr);
	}
	font(p, 14, true);
	colour(p, C_TEXT, 1);
	cairo_arc(p->cr, band->x + 5 * p->f, y - 5 * p->f, 4.5 * p->f, 0, 2 * M_PI);
	cairo_fill(p->cr);
	fit(p, pss, band->w - mark);
	halo_text(p, band->x + mark, y, pss);
	if (!rss[0])
		return;
	/* beside it, right-aligned, or on the second line */
	rx = lines == 1 ? band->x + band->w - text_width(p, rss) : band->x + mark;
	ry = lines == 1 ? y : y + lh;
	fit(p, rss, band->w - mark);
	if (lines != 1)
		rx = band->x + mark;
	swatch(p, SW_LINE, C_RSS, rx - mark, ry, mark - 4 * p->f, 10 * p->f);
	halo_text(p, rx, ry, rss);
}

bool plot_rects_overlap(struct plot_rect a, struct plot_rect b)
{
	return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 &&
	       a.x < b.x + b.w && b.x < a.x + a.w &&
	       a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The grid and the memory ticks of a graph. */
static void draw_grid(const struct pen *p, const struct scale *sc,
		      const struct box *b)
{
	cairo_t *cr = p->cr;
	char buf[CHART_LABEL_MAX];

	font(p, 13, false);
	cairo_set_line_width(cr, 1 * p->s);
	for (int i = 0; i < chart_ticks(&sc->y); i++) {
		double y = ypos(b, sc, i * sc->y.step);

		colour(p, C_GRID, 1);
		segment(p, b->x, y, b->x + b->w, y);
		chart_tick_label(buf, sizeof(buf), &sc->y, i);
		colour(p, C_MUTED, 1);
		text(p, b->x - 8 * p->f, y + 4.5 * p->f, 1, buf);
	}
}

/* The samples of a run that has some: stacked areas, the ΣRSS line, the
 * peak. False when out of memory (nothing drawn). */
/* The frame whose peak is marked: the highest consistent sample;
 * SIZE_MAX when there is none */
static size_t peak_frame(const struct run *r)
{
	size_t at = SIZE_MAX;

	for (size_t k = 0; k < r->nframes; k++) {
		const struct frame *f = &r->frames[k];

		if (!f->total.consistent || f->total.nprocs <= 0)
			continue;
		if (at == SIZE_MAX || top_of(f) >= top_of(&r->frames[at]))
			at = k;
	}
	return at;
}

/* The path on through the frames idx[0..n) at their value */
static void trace(const struct pen *p, const struct scale *sc,
		  const struct box *b, const struct frame *f, const size_t *idx,
		  size_t n, int64_t (*value)(const struct frame *))
{
	for (size_t k = 0; k < n; k++)
		cairo_line_to(p->cr, xpos(b, sc, f[idx[k]].t),
			      ypos(b, sc, (double)value(&f[idx[k]])));
}

static bool draw_series(const struct pen *p, const struct run *r,
			const struct scale *sc, const struct box *b,
			const struct box *band)
{
	cairo_t *cr = p->cr;
	const struct frame *f = r->frames;
	size_t *area = malloc(r->nframes * sizeof(*area));
	size_t *line = malloc(r->nframes * sizeof(*line));
	size_t na, nl;
	double x0, x1;

	if (!area || !line) {
		free(area);
		free(line);
		return false;
	}
	na = pixel_columns(r, sc, b, top_of, area);
	nl = pixel_columns(r, sc, b, rss_of, line);
	x0 = xpos(b, sc, f[area[0]].t);
	x1 = xpos(b, sc, f[area[na - 1]].t);
	/* shared part: from ΣUSS up to ΣPSS */
	cairo_move_to(cr, x0, ypos(b, sc, (double)uss_of(&f[area[0]])));
	trace(p, sc, b, f, area, na, top_of);
	for (size_t k = na; k-- > 0;)
		cairo_line_to(cr, xpos(b, sc, f[area[k]].t),
			      ypos(b, sc, (double)uss_of(&f[area[k]])));
	cairo_close_path(cr);
	colour(p, C_SHARED, 0.85);
	cairo_fill(cr);
	/* private part: from 0 up to ΣUSS */
	cairo_move_to(cr, x0, ypos(b, sc, 0));
	trace(p, sc, b, f, area, na, uss_of);
	cairo_line_to(cr, x1, ypos(b, sc, 0));
	cairo_close_path(cr);
	colour(p, C_PRIVATE, 0.9);
	cairo_fill(cr);
	/* stretches that are not one moment (a bound over 1% or unknown):
	 * the areas under a white veil, from the frame before to that frame */
	cairo_save(cr);
	cairo_move_to(cr, x0, ypos(b, sc, 0));
	trace(p, sc, b, f, area, na, top_of);
	cairo_line_to(cr, x1, ypos(b, sc, 0));
	cairo_close_path(cr);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, C_BG.r, C_BG.g, C_BG.b, APPROX_VEIL);
	for (size_t k = 1; k < na; k++) {
		double xa = xpos(b, sc, f[area[k - 1]].t), xb = xpos(b, sc, f[area[k]].t);

		if (stack_of(&f[area[k]]).approx)
			cairo_rectangle(cr, xa, b->y, xb - xa, b->h);
	}
	cairo_fill(cr);
	cairo_restore(cr);
	/* ΣRSS */
	cairo_set_line_width(cr, 2.5 * p->s);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	trace(p, sc, b, f, line, nl, rss_of);
	colour(p, C_RSS, 1);
	cairo_stroke(cr);
	draw_kpeak(p, r, sc, b);
	draw_decay(p, r, sc, b);
	draw_labels(p, r, sc, b, band, peak_frame(r));
	free(area);
	free(line);
	return true;
}

/* The hold apart: hatched from its start to its end over the data, with
 * a dashed line where it begins, so that the graph's length before the
 * line is the wall time the comparison gives (the hold is left out). */
static void draw_hold(const struct pen *p, const struct run *r,
		      const struct scale *sc, const struct box *b)
{
	double t0, t1, x0, x1;

	if (!chart_hold_span(r, r->t_now, &t0, &t1))
		return;
	x0 = xpos(b, sc, t0);
	x1 = xpos(b, sc, t1);
	if (x1 <= x0)
		return;
	hatch(p, x0, b->y, x1 - x0, b->h, 9 * p->s, C_MUTED, 0.45);
	dashed(p, 5 * p->s, 4 * p->s, 1.5 * p->s, C_TEXT, 0.7, x0, b->y, x0,
	       b->y + b->h);
}

/* The graph of one run in g: the band of its labels on top, then its data
 * (grid, stacked areas, the ΣRSS line, the peak, the hold apart). */
static void draw_graph(const struct pen *p, const struct run *r,
		       const struct scale *sc, const struct box *g, double band_h)
{
	cairo_t *cr = p->cr;
	struct box band = { g->x, g->y, g->w, band_h };
	struct box d = { g->x, g->y + band_h, g->w, g->h - band_h };

	log_box(p, (struct plot_rect){ d.x, d.y, d.w, d.h }, PLOT_BOX_DATA);
	/* grid and memory ticks */
	draw_grid(p, sc, &d);
	/* phase boundaries, faint */
	for (size_t k = 0; k < r->nphases; k++) {
		double x = xpos(&d, sc, r->phases[k].start_s);

		colour(p, C_GRID, 1);
		segment(p, x, d.y, x, d.y + d.h);
	}
	if (r->nframes) {
		if (!draw_series(p, r, sc, &d, &band))
			return;
	} else {
		font(p, 16, false);
		colour(p, C_MUTED, 1);
		text(p, band.x + band.w / 2, band.y + band.h - 6 * p->f, 0.5,
		     r->state == RUN_WAITING ? "not run" : "no samples");
	}
	draw_hold(p, r, sc, &d);
	/* axes */
	colour(p, C_AXIS, 1);
	cairo_set_line_width(cr, 1.2 * p->s);
	cairo_move_to(cr, d.x, d.y);
	cairo_line_to(cr, d.x, d.y + d.h);
	cairo_line_to(cr, d.x + d.w, d.y + d.h);
	cairo_stroke(cr);
}

static void draw_time_axis(const struct pen *p, const struct scale *sc,
			   const struct box *b, double y)
{
	char num[CHART_LABEL_MAX];

	font(p, 13, false);
	for (int i = 0; i < chart_ticks(&sc->t); i++) {
		double x = xpos(b, sc, i * sc->t.step);

		colour(p, C_AXIS, 1);
		cairo_set_line_width(p->cr, 1.2 * p->s);
		segment(p, x, y, x, y + 5 * p->s);
		chart_tick_label(num, sizeof(num), &sc->t, i);
		colour(p, C_MUTED, 1);
		/* the first starts at its tick: centred, it would meet the
		 * memory axis's 0 */
		text(p, x, y + 18 * p->f, i ? 0.5 : 0, num);
	}
}

static void draw_phase_bar(const struct pen *p, const struct run *r,
			   const struct scale *sc, const struct box *b,
			   double y, double h)
{
	font(p, 12, false);
	colour(p, C_GRID, 1);
	rect(p, b->x, y, b->w, h);
	for (size_t k = 0; k < r->nphases; k++) {
		const struct phase *ph = &r->phases[k];
		double end = ph->end_s >= 0 ? ph->end_s : r->t_now;
		double x0 = xpos(b, sc, ph->start_s), x1 = xpos(b, sc, end);
		struct rgb c = phase_colour(ph->name, false);

		if (x1 - x0 < 1.5 * p->s)
			x1 = x0 + 1.5 * p->s;  /* a phase too short to see */
		colour(p, c, 1);
		rect(p, x0, y, x1 - x0, h);
		if (x1 - x0 > text_width(p, ph->name) + 8 * p->s) {
			colour(p, phase_colour(ph->name, true), 1);
			text(p, (x0 + x1) / 2, y + h / 2 + 4.5 * p->s, 0.5, ph->name);
		}
	}
}

/* ---- the bar chart of mapping groups (--plot --mappings) ---- */

#define BARS_MAX 6

/* whether this picture has the bar charts: set by plot_write_mappings()
 * for the one drawing it makes */
static bool with_mappings;

/* the snapshot the chart shows: the run's peak (mapgroups_peak()) */
static const struct map_snap *chart_snap(const struct run *r)
{
	return mapgroups_peak(r);
}

/* the largest group ΣPSS of any run: every chart has the same scale */
static int64_t chart_max(const struct model *m)
{
	int64_t mx = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct map_snap *s = chart_snap(&m->runs[i]);
		struct map_group *g;
		size_t n;

		if (s && mapgroups_sum(s, &g, &n)) {
			if (n && g[0].mem.pss > mx)
				mx = g[0].mem.pss;
			free(g);
		}
	}
	return mx;
}

static void draw_bars(const struct pen *p, const struct run *r, int64_t mx,
		      const struct box *b)
{
	const struct map_snap *s = chart_snap(r);
	struct map_group *g = NULL;
	size_t n = 0;
	char buf[MODEL_TEXT_MAX + 96], v[FMT_SIZE_MAX], w[FMT_SIZE_MAX];
	char label[MODEL_TEXT_MAX + 64];
	double row = b->h / (BARS_MAX + 1);

	font(p, 14, true);
	colour(p, C_TEXT, 1);
	if (!s || !mapgroups_sum(s, &g, &n)) {
		text(p, b->x, b->y + 16 * p->f, 0, "no mapping groups in this run");
		return;
	}
	snprintf(buf, sizeof(buf), "top mapping groups by \xce\xa3PSS at %.2f s (%s, %s), %zu processes",
		 s->t, s->phase[0] ? s->phase : "start", mapgroups_which(r, s), s->nprocs);
	fit(p, buf, b->w);
	text(p, b->x, b->y + 16 * p->f, 0, buf);
	for (size_t i = 0; i < n && i < BARS_MAX; i++) {
		const char *slash = strrchr(g[i].path, '/');
		double y = b->y + (double)(i + 1) * row + 4 * p->s;
		double len = mx > 0 && g[i].mem.pss > 0 ? (b->w * 0.55) * (double)g[i].mem.pss / (double)mx : 0;
		struct rgb c = g[i].kind == MAPPING_SHM || g[i].kind == MAPPING_MEMFD ||
			       g[i].kind == MAPPING_SHARED_ANON ? C_SHARED :
			       g[i].kind == MAPPING_FILE || g[i].kind == MAPPING_SPECIAL ? C_AXIS : C_PRIVATE;

		colour(p, c, 0.85);
		rect(p, b->x, y, fmax(len, 1), row * 0.7);
		font(p, 12, false);
		colour(p, C_TEXT, 1);
		snprintf(buf, sizeof(buf), "%s \xc2\xb7 %d proc%s \xc2\xb7 \xce\xa3PSS %s \xc2\xb7 %s %s",
			 g[i].end ? mapgroups_label(label, sizeof(label), &g[i], true) :
			 slash && slash[1] ? slash + 1 : g[i].path, g[i].nprocs,
			 g[i].nprocs == 1 ? "" : "s", fmt_kb_long(v, sizeof(v), g[i].mem.pss),
			 g[i].mem.shared_dirty > g[i].mem.shared_clean ? "Shared_Dirty" : "Shared_Clean",
			 fmt_kb_long(w, sizeof(w), g[i].mem.shared_dirty > g[i].mem.shared_clean ?
				     g[i].mem.shared_dirty : g[i].mem.shared_clean));
		fit(p, buf, b->w - len - 8 * p->s);
		text(p, b->x + len + 6 * p->s, y + row * 0.55, 0, buf);
	}
	free(g);
}

/* "wall 0.42 s · compute 45 ms · CPU 0.45 s"; a run without a compute
 * phase has no compute time: "-", as in the summary */
static void times_text(const struct run *r, char *buf, size_t size)
{
	char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX], c[FMT_SIZE_MAX];

	if (run_phase_find(r, "compute"))
		fmt_seconds(b, sizeof(b), r->result.compute_s);
	else
		snprintf(b, sizeof(b), "-");
	snprintf(buf, size, "wall %s \xc2\xb7 compute %s \xc2\xb7 CPU %s",
		 fmt_seconds(a, sizeof(a), r->result.wall_s), b,
		 fmt_seconds(c, sizeof(c), r->result.cpu_user_s + r->result.cpu_sys_s));
}

/* The layout of a picture (draw()), in pixels */
struct geom {
	double margin, gap, vgap;
	double left;          /* the memory ticks' labels left of a graph */
	int cols, rows;
	double head_h;        /* above the panels */
	double foot_h;        /* below them: the comparisons, the rounds */
	double panel_w, panel_h;
	int detail_lines;     /* under a panel's name, the most of any run */
	double detail_lh, fig_lh; /* their line heights */
	int band_lines;       /* the labels' band over a graph, the most */
	int fig_lines;        /* the figures under a graph, the most */
	double graph_h;       /* a panel's graph, its band included */
	double bars_h;        /* --mappings: the bar chart */
};

#define LH_DETAIL 19      /* line heights at text scale 1 */
#define LH_BAND 22
#define LH_FIG 19
#define PANEL_TOP 30      /* the name's line */
#define PANEL_BELOW 87    /* under a graph: ticks, caption, phases, a
			     line of figures */
#define DATA_MIN 56       /* the least height of a graph's data */

/* A run's figures as paragraphs of parts between " · " (times, peaks,
 * the Python heap or the cause of a failure); returns how many. */
static int figures(const struct run *r, char out[3][512])
{
	char c[SUMMARY_PEAK_MAX], d[FMT_SIZE_MAX], e[FMT_SIZE_MAX];
	int n = 0;

	if (run_state_ended(r->state))
		times_text(r, out[n++], sizeof(out[0]));
	if (r->nframes) {
		int k = snprintf(out[n], sizeof(out[0]),
			 "peak \xce\xa3PSS %s \xc2\xb7 \xce\xa3USS %s \xc2\xb7 \xce\xa3RSS %s",
			 summary_peak_text(c, sizeof(c), r, false),
			 run_has_peak(r) ? fmt_kb_long(d, sizeof(d), r->peak.uss_kb) : "not sampled",
			 fmt_kb_long(e, sizeof(e), r->peak.rss_kb));

		if (r->kpeak.kb >= 0 && k > 0 && (size_t)k < sizeof(out[0]))
			snprintf(out[n] + k, sizeof(out[0]) - (size_t)k,
				 " \xc2\xb7 kernel peak (cgroup) %s",
				 fmt_kb_long(c, sizeof(c), r->kpeak.kb));
		n++;
	}
	if (r->state == RUN_FAILED && r->cause[0])
		snprintf(out[n++], sizeof(out[0]), "failed: %s", r->cause);
	else if (r->state == RUN_STOPPED)
		snprintf(out[n++], sizeof(out[0]), "stopped by the user");
	else if (r->result.have_tracemalloc && r->state != RUN_FAILED)
		/* the original write-up's measure, beside the tree's */
		snprintf(out[n++], sizeof(out[0]), "tracemalloc (the parent's Python heap) %s",
			 fmt_kb_long(c, sizeof(c), (int64_t)(r->result.tracemalloc_peak_kb + 0.5)));
	else if (decayrep_shown(r))
		/* sharing that decays, as the summary says it */
		decayrep_line(out[n++], sizeof(out[0]), r);
	return n;
}

/* The figures from baseline y, w wide; returns the lines taken. */
static int draw_figures(const struct pen *p, const struct run *r, double x,
			double y, double w, bool draw)
{
	char par[3][512];
	int n = figures(r, par), lines = 0;

	font(p, 14, false);
	for (int i = 0; i < n; i++) {
		colour(p, i == n - 1 && r->state == RUN_FAILED ? C_BAD :
			  i == 2 ? C_MUTED : C_TEXT, 1);
		lines += flow(p, par[i], strstr(par[i], " \xc2\xb7 ") ? " \xc2\xb7 " : " ", x, y + lines * line_h(p, LH_FIG * p->f),
			      w, LH_FIG * p->f, draw);
	}
	return lines;
}

static const char *status_of(const struct run *r, struct rgb *c)
{
	switch (r->state) {
	case RUN_DONE:
		*c = C_GOOD;
		return "ok";
	case RUN_FAILED:
		*c = C_BAD;
		return "failed";
	default:
		*c = C_MUTED;
		return r->state == RUN_WAITING ? "not run" : model_state_name(r->state);
	}
}

/* Whether a run's name and status fit a panel's first line */
static bool name_fits(const struct pen *p, const struct run *r, double w)
{
	struct rgb c;
	double nw;

	font(p, 22, true);
	nw = text_width(p, r->name);
	font(p, 15, true);
	return nw + 12 * p->f + text_width(p, status_of(r, &c)) <= w;
}

static void draw_panel(const struct pen *p, const struct run *r,
		       const struct scale *sc, const struct geom *gm,
		       const struct box *panel)
{
	char buf[512];
	struct box g = { panel->x + gm->left, 0, panel->w - gm->left, gm->graph_h };
	double y = panel->y, below, sw;
	struct rgb sc_col;
	const char *status = status_of(r, &sc_col);

	/* the name, its state; the detail under them */
	font(p, 15, true);
	colour(p, sc_col, 1);
	text(p, panel->x + panel->w, y + 22 * p->f, 1, status);
	sw = text_width(p, status);
	font(p, 22, true);
	colour(p, C_TEXT, 1);
	snprintf(buf, sizeof(buf), "%s", r->name);
	fit(p, buf, g.w - sw - 12 * p->f);
	text(p, g.x, y + 22 * p->f, 0, buf);
	font(p, 15, false);
	colour(p, C_MUTED, 1);
	flow(p, r->detail, ", ", g.x, y + 25 * p->f + gm->detail_lh, g.w,
	     LH_DETAIL * p->f, true);
	g.y = y + PANEL_TOP * p->f + gm->detail_lines * gm->detail_lh;
	draw_graph(p, r, sc, &g, gm->band_lines * LH_BAND * p->f);
	below = g.y + g.h;
	draw_time_axis(p, sc, &g, below);
	font(p, 13, false);
	colour(p, C_MUTED, 1);
	snprintf(buf, sizeof(buf), "time since the run started (s)");
	if (text_width(p, buf) > g.w)
		snprintf(buf, sizeof(buf), "time (s)");
	fit(p, buf, g.w);
	text(p, g.x + g.w, below + 38 * p->f, 1, buf);
	draw_phase_bar(p, r, sc, &g, below + 44 * p->f, 20 * p->f);
	draw_figures(p, r, g.x, below + 81 * p->f, g.w, true);
	if (with_mappings) {
		/* the bar chart of the run's mapping groups under its figures */
		struct box bars = { g.x, panel->y + panel->h - gm->bars_h, g.w, gm->bars_h };

		draw_bars(p, r, chart_max(p->m), &bars);
	}
}

/* 10000000 as "10,000,000" */
static const char *grouped(char *buf, size_t size, unsigned long long v)
{
	char digits[32];
	size_t n = (size_t)snprintf(digits, sizeof(digits), "%llu", v), o = 0;

	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* The title: what ran, on how much data. */
static void title_text(const struct model *m, char *buf, size_t size)
{
	size_t n = 0;
	char v[FMT_SIZE_MAX], rows[40];

	for (size_t i = 0; i < m->nruns && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				      i ? " vs " : "", m->runs[i].name);
	if (n >= size)
		return;
	if (strcmp(m->config.workload, "compare") == 0 || !m->config.rows)
		snprintf(buf + n, size - n, ": memory over time");
	else
		snprintf(buf + n, size - n, ": %d worker%s, %s %s (%s)",
			 m->config.workers, m->config.workers == 1 ? "" : "s", grouped(rows, sizeof(rows), m->config.rows),
			 summary_unit(m),
			 fmt_kb_long(v, sizeof(v), (int64_t)(m->config.bytes / 1024)));
}

static void comparison_text(const struct model *m, size_t i, char *buf,
			    size_t size)
{
	summary_line(buf, size, &m->runs[0], &m->runs[i], false);
	if (!buf[0])
		snprintf(buf, size, "%s vs %s: no comparison, both runs must finish",
			 m->runs[0].name, m->runs[i].name);
}

/* The widest label of the memory ticks, of any tick count drawn */
static double ticks_width(const struct pen *p, const struct model *m)
{
	double w = 0;

	font(p, 13, false);
	for (int ny = 2; ny <= 5; ny++) {
		struct scale sc = scales(m, 6, ny);
		char buf[CHART_LABEL_MAX];

		for (int i = 0; i < chart_ticks(&sc.y); i++) {
			chart_tick_label(buf, sizeof(buf), &sc.y, i);
			w = fmax(w, text_width(p, buf));
		}
	}
	return w;
}

/* The text above the panels (title, subtitle, legends) from margin to
 * width - margin; drawn when draw. Returns the height taken. */
static double draw_head(const struct pen *p, int width, double margin, bool draw)
{
	const struct model *m = p->m;
	char buf[512], v[FMT_SIZE_MAX], pss_every[48] = "";
	double w = width - 2 * margin, y = margin + 26 * p->f;

	font(p, 28, true);
	colour(p, C_TEXT, 1);
	title_text(m, buf, sizeof(buf));
	y += (flow(p, buf, " ", margin, y, w, 34 * p->f, draw) - 1) * line_h(p, 34 * p->f);
	/* ΣPSS is read less often than the counters when the budget says so */
	if (m->sampler.pss_interval_ms > m->config.interval_ms + 0.5)
		snprintf(pss_every, sizeof(pss_every), " (\xce\xa3PSS every %.0f ms)",
			 m->sampler.pss_interval_ms);
	font(p, 15, false);
	colour(p, C_MUTED, 1);
	snprintf(buf, sizeof(buf),
		 "recorded by shmviz %s on Linux %s, %d CPUs, %s of memory \xc2\xb7 sampled every %d ms%s%s",
		 m->version[0] ? m->version : "?", m->host.kernel, m->host.cpus,
		 fmt_kb_long(v, sizeof(v), m->host.mem_total_kb),
		 m->config.interval_ms, pss_every,
		 m->interrupted ? " \xc2\xb7 interrupted: the recording ends there" : "");
	y += 28 * p->f;
	y += (flow(p, buf, " \xc2\xb7 ", margin, y, w, 20 * p->f, draw) - 1) * line_h(p, 20 * p->f);
	y += 34 * p->f;
	font(p, 15, false);
	y += (draw_legend(p, margin, width - margin, y, line_h(p, 22 * p->f), draw) - 1) *
	     line_h(p, 22 * p->f);
	y += 26 * p->f;
	font(p, 13, false);
	y += (draw_phase_legend(p, m, margin, width - margin, y, line_h(p, 20 * p->f), draw) - 1) *
	     line_h(p, 20 * p->f);
	return y + 20 * p->f;
}

/* The text under the panels from baseline y: each later run against the
 * first, the rounds. Returns the height taken. */
static double draw_foot(const struct pen *p, int width, double margin, double y,
			bool draw)
{
	const struct model *m = p->m;
	char buf[512];
	double y0 = y, w = width - 2 * margin;

	font(p, 19, true);
	colour(p, C_TEXT, 1);
	for (size_t i = 1; i < m->nruns; i++) {
		comparison_text(m, i, buf, sizeof(buf));
		y += flow(p, buf, " ", margin, y, w, 24 * p->f, draw) * line_h(p, 24 * p->f);
	}
	/* --repeat: the rounds' median [min, max], under the comparisons */
	summary_rounds_line(buf, sizeof(buf), m, false);
	if (buf[0]) {
		font(p, 15, false);
		y += flow(p, buf, " ", margin, y, w, 19 * p->f, draw) * line_h(p, 19 * p->f);
	}
	return y - y0 + margin;
}

/* Whether the picture fits in cols columns of panels at the pen's text
 * scale; fills g. */
static bool geom_fits(const struct pen *p, int width, int height, int cols,
		      struct geom *g)
{
	const struct model *m = p->m;
	size_t n = m->nruns ? m->nruns : 1;
	double f = p->f, gw;
	bool names = true;

	memset(g, 0, sizeof(*g));
	g->margin = fmax(28 * p->s, 6);
	g->gap = fmax(40 * p->s, 30 * f);
	g->vgap = 24 * f;
	g->left = ticks_width(p, m) + 14 * f;
	g->cols = cols;
	g->rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	g->head_h = draw_head(p, width, g->margin, false);
	g->foot_h = draw_foot(p, width, g->margin, 0, false) + 8 * f;
	g->panel_w = (width - 2 * g->margin - g->gap * (cols - 1)) / cols;
	g->panel_h = (height - g->head_h - g->foot_h - g->vgap * (g->rows - 1)) / g->rows;
	gw = g->panel_w - g->left;
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		bool lng;

		font(p, 15, false);
		g->detail_lines = fmax(g->detail_lines,
				       flow(p, r->detail, ", ", 0, 0, gw, 1, false));
		g->fig_lines = fmax(g->fig_lines, draw_figures(p, r, 0, 0, gw, false));
		g->band_lines = fmax(g->band_lines, band_lines(p, r, peak_frame(r), gw, &lng));
		names = names && name_fits(p, r, gw);
	}
	font(p, 15, false);
	g->detail_lh = line_h(p, LH_DETAIL * f);
	font(p, 14, false);
	g->fig_lh = line_h(p, LH_FIG * f);
	g->graph_h = g->panel_h - (PANEL_TOP + PANEL_BELOW) * f -
		     g->detail_lines * g->detail_lh - (g->fig_lines - 1) * g->fig_lh;
	if (with_mappings) {
		g->bars_h = g->graph_h * 0.4;
		g->graph_h -= g->bars_h;
	}
	return names && gw >= 120 * f &&
	       g->graph_h - g->band_lines * LH_BAND * f >= DATA_MIN * f;
}

/* The text scale and the panels' columns: the largest text (a small
 * picture's raised up to 0.75 of 1600x900's where it fits), then the most
 * columns, that fit; else the picture's own scale, one row. */
static void choose_geom(struct pen *p, int width, int height, struct geom *g)
{
	int n = p->m->nruns ? (int)p->m->nruns : 1;

	for (double f = fmax(p->s, 0.75); f >= p->s * 0.999; f *= 0.92) {
		p->f = f;
		for (int cols = n; cols >= 1; cols--)
			if (geom_fits(p, width, height, cols, g))
				return;
		if (f * 0.92 < p->s * 0.999 && f > p->s)
			f = p->s / 0.92;
	}
	p->f = p->s;
	geom_fits(p, width, height, n, g);
}

static void draw(cairo_t *cr, const struct model *m, int width, int height,
		 struct plot_layout *log)
{
	struct pen p = { cr, fmin(width / 1600.0, height / 900.0),
			 fmin(width / 1600.0, height / 900.0), m, log, PLOT_BOX_TEXT };
	struct geom g;
	struct scale sc;
	int nt, ny;

	if (!themed)
		plot_set_theme(PALETTE_LIGHT);
	choose_geom(&p, width, height, &g);
	/* ticks as many as their labels leave room for */
	nt = (int)fmax(2, fmin(6, (g.panel_w - g.left) / (70 * p.f)));
	ny = (int)fmax(2, fmin(5, (g.graph_h - g.band_lines * LH_BAND * p.f) / (28 * p.f)));
	sc = scales(m, nt, ny);
	if (log) {
		log->font_scale = p.f;
		log->cols = g.cols;
		log->rows = g.rows;
	}
	cairo_set_source_rgb(cr, C_BG.r, C_BG.g, C_BG.b);
	cairo_paint(cr);
	draw_head(&p, width, g.margin, true);
	for (size_t i = 0; i < m->nruns; i++) {
		int c = (int)i % g.cols, rw = (int)i / g.cols;
		struct box panel = {
			g.margin + c * (g.panel_w + g.gap),
			g.head_h + rw * (g.panel_h + g.vgap), g.panel_w, g.panel_h,
		};

		draw_panel(&p, &m->runs[i], &sc, &g, &panel);
	}
	draw_foot(&p, width, g.margin, height - g.foot_h + 8 * p.f + 19 * p.f, true);
}

bool plot_layout(const struct model *m, int width, int height, bool mappings,
		 struct plot_layout *out)
{
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(s);
	bool ok;

	memset(out, 0, sizeof(*out));
	with_mappings = mappings;
	draw(cr, m, width, height, out);
	with_mappings = false;
	ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return ok;
}

/* ---- output ---- */

struct sink_buf {
	char *data;
	size_t len, cap;
	bool failed;
};

static cairo_status_t to_memory(void *closure, const unsigned char *data,
				unsigned int length)
{
	struct sink_buf *b = closure;

	if (b->len + length > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *nd;

		while (cap < b->len + length)
			cap *= 2;
		nd = realloc(b->data, cap);
		if (!nd) {
			b->failed = true;
			return CAIRO_STATUS_NO_MEMORY;
		}
		b->data = nd;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, length);
	b->len += length;
	return CAIRO_STATUS_SUCCESS;
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* XML text: & < > " escaped */
static void xml_escape(struct sink_buf *b, const char *s)
{
	for (; *s && !b->failed; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: break;
		}
		if (rep)
			to_memory(b, (const unsigned char *)rep, (unsigned)strlen(rep));
		else
			to_memory(b, (const unsigned char *)s, 1);
	}
}

static void put(struct sink_buf *b, const char *s)
{
	to_memory(b, (const unsigned char *)s, (unsigned)strlen(s));
}

/* The metadata inserted after cairo's <svg ...> tag. */
static void svg_meta(struct sink_buf *b, const struct model *m)
{
	char buf[512];

	put(b, "\n<title>");
	title_text(m, buf, sizeof(buf));
	xml_escape(b, "shmviz: ");
	xml_escape(b, buf);
	put(b, "</title>\n<desc>");
	xml_escape(b, "Memory of the runs over time, one graph a run on the same scales: "
		   "stacked areas show \xce\xa3PSS split into its private part \xce\xa3USS and "
		   "its shared part \xce\xa3PSS \xe2\x88\x92 \xce\xa3USS; the line is \xce\xa3RSS, what top shows. Runs:");
	for (size_t i = 0; i < m->nruns; i++) {
		xml_escape(b, i ? ", " : " ");
		xml_escape(b, m->runs[i].name);
		xml_escape(b, " (");
		xml_escape(b, m->runs[i].detail[0] ? m->runs[i].detail :
			   model_state_name(m->runs[i].state));
		xml_escape(b, ")");
	}
	xml_escape(b, ".");
	if (model_has_approx(m))
		xml_escape(b, " Lighter stretches: \xce\xa3PSS more than 1% (or 256 KiB) "
			   "from one moment of the tree: read while it moved, estimated "
			   "or held (docs/recording.md, Bounds).");
	for (size_t i = 1; i < m->nruns; i++) {
		comparison_text(m, i, buf, sizeof(buf));
		xml_escape(b, " ");
		xml_escape(b, buf);
		xml_escape(b, ".");
	}
	for (size_t i = 0; with_mappings && i < m->nruns; i++) {
		const struct map_snap *s = chart_snap(&m->runs[i]);
		struct map_group *g;
		size_t n;

		if (!s || !mapgroups_sum(s, &g, &n))
			continue;
		snprintf(buf, sizeof(buf), " Top mapping groups of %s by \xce\xa3PSS:", m->runs[i].name);
		xml_escape(b, buf);
		for (size_t k = 0; k < n && k < BARS_MAX; k++) {
			char label[MODEL_TEXT_MAX + 64];

			snprintf(buf, sizeof(buf), "%s %s %s (%d processes, \xce\xa3PSS %lld KiB)",
				 k ? ";" : "", mapping_kind_name(g[k].kind),
				 mapgroups_label(label, sizeof(label), &g[k], false),
				 g[k].nprocs, (long long)g[k].mem.pss);
			xml_escape(b, buf);
		}
		xml_escape(b, ".");
		free(g);
	}
	summary_rounds_line(buf, sizeof(buf), m, false);
	if (buf[0]) {
		xml_escape(b, " ");
		xml_escape(b, buf);
		xml_escape(b, ".");
	}
	for (size_t i = 0; i < m->nruns; i++) {
		char t[256];

		/* the figures under each panel, as drawn */
		if (!run_state_ended(m->runs[i].state))
			continue;
		times_text(&m->runs[i], t, sizeof(t));
		xml_escape(b, " ");
		xml_escape(b, m->runs[i].name);
		/* one the user stopped says so, as its panel does */
		if (m->runs[i].state == RUN_STOPPED)
			xml_escape(b, " (stopped by the user)");
		xml_escape(b, ": ");
		xml_escape(b, t);
		xml_escape(b, ".");
	}
	for (size_t i = 0; i < m->nruns; i++) {
		char line[DECAYREP_LINE_MAX];

		/* sharing that decays, as the summary says it */
		if (!decayrep_shown(&m->runs[i]))
			continue;
		xml_escape(b, " Sharing decay of ");
		xml_escape(b, decayrep_line(line, sizeof(line), &m->runs[i]));
		xml_escape(b, ".");
	}
	for (size_t i = 0; i < m->nruns; i++) {
		char t[FMT_SIZE_MAX];

		if (!m->runs[i].result.have_tracemalloc)
			continue;
		snprintf(buf, sizeof(buf), " %s: tracemalloc saw %s of the parent's Python heap.",
			 m->runs[i].name,
			 fmt_kb_long(t, sizeof(t), (int64_t)(m->runs[i].result.tracemalloc_peak_kb + 0.5)));
		xml_escape(b, buf);
	}
	put(b, "</desc>");
}

/* Renders into fd; false with errno set (or *what naming cairo's error). */
static bool render(const struct model *m, bool svg, int width, int height,
		   int fd, const char **what)
{
	struct sink_buf out = { 0 }, meta = { 0 };
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;
	bool ok = false;

	if (svg) {
		s = cairo_svg_surface_create_for_stream(to_memory, &out, width, height);
		cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
	} else {
		s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	}
	cr = cairo_create(s);
	draw(cr, m, width, height, NULL);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && !svg)
		st = cairo_surface_write_to_png_stream(s, to_memory, &out);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS || out.failed) {
		*what = out.failed ? "out of memory" : cairo_status_to_string(st);
		goto out;
	}
	if (svg) {
		/* after the end of the <svg ...> start tag */
		char *tag = out.len ? memmem(out.data, out.len, "<svg", 4) : NULL;
		char *gt = tag ? memchr(tag, '>', out.len - (size_t)(tag - out.data)) : NULL;
		size_t at;

		if (!gt) {
			*what = "cairo wrote no <svg> element";
			goto out;
		}
		at = (size_t)(gt - out.data) + 1;
		svg_meta(&meta, m);
		if (meta.failed) {
			*what = "out of memory";
			goto out;
		}
		ok = write_all(fd, out.data, at) &&
		     write_all(fd, meta.data, meta.len) &&
		     write_all(fd, out.data + at, out.len - at);
	} else {
		ok = write_all(fd, out.data, out.len);
	}
out:
	free(out.data);
	free(meta.data);
	return ok;
}

int plot_write_mappings(const struct model *m, const char *path, int width,
			int height, bool mappings, char *err, size_t errlen)
{
	int rc;

	with_mappings = mappings;
	rc = plot_write(m, path, width, height, err, errlen);
	with_mappings = false;
	return rc;
}

int plot_write(const struct model *m, const char *path, int width, int height,
	       char *err, size_t errlen)
{
	const char *dot = strrchr(path, '.'), *what = NULL;
	char *dircopy = NULL, *basecopy = NULL, *tmp = NULL;
	struct stat st;
	bool svg, ok;
	int fd = -1;
	char name[256];  /* path, safe to print on one line */

	text_sanitize(name, sizeof(name), path, strlen(path), false);

	if (!dot || (strcasecmp(dot, ".svg") != 0 && strcasecmp(dot, ".png") != 0)) {
		snprintf(err, errlen, "cannot write %s: the name must end in .svg or .png",
			 name);
		return EXIT_USAGE;
	}
	svg = strcasecmp(dot, ".svg") == 0;
	/* a symlink was accepted (--force) or refused by the caller: it is
	 * replaced by the rename, never followed */
	if (outpath_check(path, true, "cannot write", NULL, err, errlen))
		return EXIT_USAGE;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write %s: it is a directory", name);
		return EXIT_USAGE;
	}
	dircopy = strdup(path);
	basecopy = strdup(path);
	if (!dircopy || !basecopy ||
	    asprintf(&tmp, "%s/.%.*s.XXXXXX", dirname(dircopy), TEMP_BASE_MAX,
		     basename(basecopy)) < 0) {
		tmp = NULL;
		snprintf(err, errlen, "cannot write %s: out of memory", name);
		goto fail;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", name, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	errno = 0;
	ok = render(m, svg, width, height, fd, &what);
	/* no cairo object is left: free the font caches of cairo and
	 * fontconfig, so leak checkers (the sanitizer build) see nothing */
	cairo_debug_reset_static_data();
	FcFini();
	if (!ok) {
		snprintf(err, errlen, "cannot write %s: %s", name,
			 what ? what : strerror(errno ? errno : EIO));
		goto fail;
	}
	/* the mode a plain creat(2) would give, as private as the recording */
	if (fchmod(fd, outpath_mode(mode_source)) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", name, strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		snprintf(err, errlen, "cannot write %s: %s", name, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		char kept[OUTPATH_SHOWN_MAX + 1];

		/* the picture is whole: it stays under its temporary name */
		text_shown(kept, sizeof(kept), tmp, OUTPATH_SHOWN_MAX);
		snprintf(err, errlen, "cannot write %s: %s (the picture is kept as %s)",
			 name, strerror(errno), kept);
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	free(tmp);
	free(dircopy);
	free(basecopy);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dircopy);
	free(basecopy);
	return EXIT_USAGE;
}
