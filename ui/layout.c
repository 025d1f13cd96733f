/*
 * layout.c - resampling, graph rasterising, phase-bar and table layout,
 * screen geometry (see layout.h); the scales and the stacking are the
 * chart's (src/core/chart.c). No curses here: everything is arithmetic on
 * the model's plain structs, checked by tests/unit.
 */
#include "ui/layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "src/util/macros.h"
#include "src/util/text.h"

/* The rule of a column holding several samples: the stacked area is the
 * one sample whose stack (private + shared) is highest, the later on a
 * tie, never the largest private part of one and the largest shared part
 * of another (their sum may be a moment no sample holds); the line is the
 * highest line of the column, itself one sample's value. */
static void value_pick(struct chart_stack *into, const struct chart_stack *v)
{
	if (chart_stack_top(v) >= chart_stack_top(into)) {
		into->lower = v->lower;
		into->upper = v->upper;
		into->approx = v->approx;
	}
	if (v->line > into->line)
		into->line = v->line;
}

void layout_resample(const struct point *pts, size_t n, double t_max,
		     double t_view, enum chart_metric m, struct graph_col *out,
		     size_t ncols)
{
	size_t j = 0;
	double t_end;
	bool have_last = false;
	struct chart_stack last = { 0 };

	memset(out, 0, ncols * sizeof(*out));
	if (!n || !(t_max > 0) || !ncols)
		return;
	while (n && !pts[n - 1].nprocs)
		n--;
	if (!n)
		return;
	t_end = pts[n - 1].t;
	if (t_view >= 0 && t_view < t_end)
		t_end = t_view;
	for (size_t i = 0; i < ncols; i++) {
		double a = t_max * (double)i / (double)ncols;
		double b = t_max * (double)(i + 1) / (double)ncols;
		bool got = false;
		struct chart_stack v = { 0 };

		if (a > t_end)
			break;
		/* the last points of the run belong to the column they fall in,
		 * even the one at t_end == b of the column before */
		while (j < n && pts[j].t <= t_end && (pts[j].t < b || i + 1 == ncols)) {
			struct chart_stack pv = chart_stack(&pts[j], m);

			/* a tick with no process left is the end of the run's
			 * tree, not a value */
			if (!pts[j].nprocs) {
				j++;
				continue;
			}

			if (!got)
				v = pv;
			else
				value_pick(&v, &pv);
			got = true;
			j++;
		}
		if (got) {
			last = v;
			have_last = true;
		} else if (have_last) {
			v = last;
			got = true;
		}
		out[i].has = got;
		out[i].v = v;
	}
}

/* UTF-8 of U+2581..U+2588 (1..8 eighths of a cell from below) */
static void eighth(char *g, int k)
{
	if (k <= 0) {
		memcpy(g, " ", 2);
		return;
	}
	if (k > 8)
		k = 8;
	g[0] = (char)0xe2;
	g[1] = (char)0x96;
	g[2] = (char)(0x80 + k);
	g[3] = '\0';
}

static const char FULL[] = "\xe2\x96\x88";
static const char SHADE[] = "\xe2\x96\x92";

static void braille(char *g, unsigned bits)
{
	g[0] = (char)0xe2;
	g[1] = (char)(0xa0 + (bits >> 6));
	g[2] = (char)(0x80 + (bits & 0x3f));
	g[3] = '\0';
}

static void set_cell(struct graph_cell *c, const char *g, int fg, int bg)
{
	size_t n = strlen(g);

	if (n >= sizeof(c->glyph))
		n = sizeof(c->glyph) - 1;
	memcpy(c->glyph, g, n);
	c->glyph[n] = '\0';
	c->fg = (unsigned char)fg;
	c->bg = (unsigned char)bg;
}

/* kB to units of 1/den of the graph's height, rounded, a non-zero value
 * at least one unit */
static long to_units(int64_t v, int64_t y_max, long den)
{
	double u;
	long r;

	if (v <= 0 || y_max <= 0)
		return 0;
	u = (double)v / (double)y_max * (double)den;
	r = u >= (double)den ? den : lround(u);
	return r < 1 ? 1 : r;
}

static bool pick(const struct graph_col *sub, int c, struct chart_stack *v)
{
	const struct graph_col *a = &sub[2 * c], *b = &sub[2 * c + 1];

	if (a->has && b->has) {
		*v = a->v;
		value_pick(v, &b->v);
		return true;
	}
	if (a->has || b->has) {
		*v = a->has ? a->v : b->v;
		return true;
	}
	return false;
}

static void area_cell(struct graph_cell *cell, long hl, long ht, long lo,
		      enum graph_style style)
{
	long hi = lo + 8, p, top;

	if (ht <= lo)
		return;
	if (hl >= hi) {
		set_cell(cell, style == GSTYLE_ASCII ? "#" : FULL, GROLE_PRIVATE, GROLE_NONE);
		return;
	}
	p = hl > lo ? hl - lo : 0;
	top = (ht < hi ? ht : hi) - lo;
	if (style == GSTYLE_ASCII) {
		if (p >= 4)
			set_cell(cell, "#", GROLE_PRIVATE, GROLE_NONE);
		else if (top >= 4)
			set_cell(cell, ":", GROLE_SHARED, GROLE_NONE);
		else if (lo == 0)
			set_cell(cell, p ? "_" : ".", p ? GROLE_PRIVATE : GROLE_SHARED,
				 GROLE_NONE);
		return;
	}
	if (style == GSTYLE_MONO) {
		char g[5];

		if (top == p) {
			eighth(g, (int)p);
			set_cell(cell, g, GROLE_PRIVATE, GROLE_NONE);
		} else if (p >= 4) {
			set_cell(cell, FULL, GROLE_PRIVATE, GROLE_NONE);
		} else if (top >= 4 || lo == 0) {
			set_cell(cell, SHADE, GROLE_SHARED, GROLE_NONE);
		}
		return;
	}
	/* colour: one glyph, foreground below, background above */
	{
		char g[5];

		if (p == 0) {
			eighth(g, (int)top);
			set_cell(cell, g, GROLE_SHARED, GROLE_NONE);
		} else if (ht >= hi) {
			eighth(g, (int)p);
			set_cell(cell, g, GROLE_PRIVATE, GROLE_SHARED);
		} else {
			/* three layers in one cell: the larger part wins */
			eighth(g, (int)top);
			set_cell(cell, g, p * 2 >= top ? GROLE_PRIVATE : GROLE_SHARED,
				 GROLE_NONE);
		}
	}
}

bool layout_hold_cols(const struct run *r, double t_view, double t_max,
		      int w, int *x0, int *x1)
{
	double start, end;

	*x0 = *x1 = 0;
	if (!(t_max > 0) || w <= 0 || !chart_hold_span(r, t_view, &start, &end))
		return false;
	/* column c's middle, (c + 0.5) t_max / w, within [start, end) */
	*x0 = (int)ceil(start / t_max * w - 0.5);
	*x1 = (int)ceil(end / t_max * w - 0.5);
	if (*x0 < 0)
		*x0 = 0;
	if (*x1 > w)
		*x1 = w;
	return *x0 < *x1;
}

/* an estimated or held column: whole cells shaded (see layout.h) */
static void approx_cell(struct graph_cell *cell, enum graph_style style)
{
	bool priv = cell->fg == GROLE_PRIVATE;

	if (style == GSTYLE_ASCII) {
		if (strcmp(cell->glyph, "#") == 0 || strcmp(cell->glyph, ":") == 0)
			set_cell(cell, priv ? LAYOUT_APPROX_ASCII_PRIVATE : LAYOUT_APPROX_ASCII_SHARED,
				 cell->fg, cell->bg);
		return;
	}
	if (strcmp(cell->glyph, FULL) != 0 && strcmp(cell->glyph, SHADE) != 0)
		return;
	if (style == GSTYLE_MONO)
		set_cell(cell, priv ? LAYOUT_APPROX_MONO_PRIVATE : LAYOUT_APPROX_MONO_SHARED,
			 cell->fg, cell->bg);
	else
		set_cell(cell, LAYOUT_APPROX_COLOR, cell->fg, cell->bg);
}

void layout_graph_raster(const struct graph_col *sub, int w, int h,
			 int64_t y_max, enum graph_style style,
			 struct graph_cell *out)
{
	long dots = (long)h * 4, prev = -1;
	int prev_row = -1;

	if (w <= 0 || h <= 0)
		return;
	for (int i = 0; i < w * h; i++) {
		memcpy(out[i].glyph, " ", 2);
		out[i].fg = out[i].bg = GROLE_NONE;
		out[i].dots = 0;
	}
	/* the area */
	for (int c = 0; c < w; c++) {
		struct chart_stack v;
		long hl, ht;

		if (!pick(sub, c, &v))
			continue;
		hl = to_units(v.lower, y_max, (long)h * 8);
		ht = to_units(v.lower + v.upper, y_max, (long)h * 8);
		if (ht < hl)
			ht = hl;
		for (int rb = 0; rb < h; rb++) {
			area_cell(&out[(h - 1 - rb) * w + c], hl, ht, (long)rb * 8, style);
			if (v.approx)
				approx_cell(&out[(h - 1 - rb) * w + c], style);
		}
	}
	/* the line */
	if (style == GSTYLE_ASCII) {
		for (int c = 0; c < w; c++) {
			const struct graph_col *s = sub[2 * c + 1].has ? &sub[2 * c + 1] : &sub[2 * c];
			int row;

			if (!s->has) {
				prev_row = -1;
				continue;
			}
			row = (int)(to_units(s->v.line, y_max, h) - 1);
			if (row < 0)
				row = 0;
			if (prev_row >= 0) {
				int a = prev_row < row ? prev_row + 1 : row + 1;
				int b = prev_row < row ? row - 1 : prev_row;

				if (prev_row > row)
					b = prev_row - 1;
				for (int r = a; r <= b; r++)
					set_cell(&out[(h - 1 - r) * w + c], "|", GROLE_LINE, GROLE_NONE);
			}
			set_cell(&out[(h - 1 - row) * w + c], "-", GROLE_LINE, GROLE_NONE);
			prev_row = row;
		}
		return;
	}
	for (int s = 0; s < 2 * w; s++) {
		long d, a, b;

		if (!sub[s].has) {
			prev = -1;
			continue;
		}
		d = sub[s].v.line <= 0 ? 0 :
		    lround((double)sub[s].v.line / (double)y_max * (double)(dots - 1));
		if (d >= dots)
			d = dots - 1;
		if (d < 0)
			d = 0;
		a = b = d;
		if (prev >= 0 && prev < d)
			a = prev + 1;
		else if (prev > d)
			b = prev - 1;
		for (long k = a; k <= b; k++) {
			static const unsigned char bit[2][4] = {
				{ 0x01, 0x02, 0x04, 0x40 },
				{ 0x08, 0x10, 0x20, 0x80 },
			};
			int row = h - 1 - (int)(k / 4);

			/* every cell was set above, and 0 <= k < dots = 4h
			 * keeps row in 0..h-1 (the analyzer loses that) */
			out[row * w + s / 2].dots |= bit[s & 1][3 - k % 4]; /* NOLINT(clang-analyzer-core.uninitialized.Assign) */
		}
		prev = d;
	}
	for (int i = 0; i < w * h; i++) {
		int under;

		if (!out[i].dots)
			continue;
		under = out[i].bg != GROLE_NONE ? out[i].bg : out[i].fg;
		/* an eighth block only partly covers its cell: the line cell
		 * takes the colour of the layer the block is drawn in */
		braille(out[i].glyph, out[i].dots);
		out[i].fg = GROLE_LINE;
		out[i].bg = (unsigned char)(style == GSTYLE_COLOR ? under : GROLE_NONE);
	}
}

size_t layout_phasebar(const struct phase *ph, size_t n, double t_max,
		       double t_view, int width, struct phase_seg *out,
		       size_t max)
{
	size_t k = 0;
	int prev_x1 = 0;

	if (width <= 0 || !(t_max > 0))
		return 0;
	for (size_t i = 0; i < n && k < max; i++) {
		double s = ph[i].start_s, e = ph[i].end_s;
		bool open = e < 0 || (t_view >= 0 && e > t_view);
		int x0, x1;

		if (t_view >= 0 && s > t_view)
			break;
		if (open)
			e = t_view >= 0 ? t_view : s;
		if (e < s)
			e = s;
		x0 = (int)floor(s / t_max * width + 0.5);
		x1 = (int)floor(e / t_max * width + 0.5);
		if (x0 < prev_x1)
			x0 = prev_x1;
		if (x1 < x0)
			x1 = x0;
		if (e > s && x1 == x0)
			x1 = x0 + 1;
		if (x1 > width)
			x1 = width;
		if (x0 >= width)
			break;
		out[k].x0 = x0;
		out[k].x1 = x1;
		out[k].phase = i;
		out[k].open = open;
		k++;
		prev_x1 = x1;
	}
	return k;
}

const struct table_column table_columns[TCOL_COUNT] = {
	[TCOL_PID] = { "PID", "PID", "process id",
		0, TWIDTH_PID, TWIDTH_PID, -1, false, GROLE_NONE },
	[TCOL_ROLE] = { "ROLE", "ROLE",
		"par parent, wkr worker, hlp helper, chd other child",
		60, 7, 5, -1, true, GROLE_NONE },
	[TCOL_RSS] = { "RSS", "RSS",
		"resident memory: shared pages count in every process",
		10, 0, 0, SMAPS_I_rss, false, GROLE_NONE },
	[TCOL_PSS] = { "PSS", "PSS",
		"each shared page divided among its processes: the true share",
		20, 0, 0, SMAPS_I_pss, false, GROLE_NONE },
	[TCOL_SHR_CLEAN] = { "Shr_Cln", "ShCl",
		"Shared_Clean: shared unmodified pages (program, libraries)",
		70, 0, 0, SMAPS_I_shared_clean, false, GROLE_NONE },
	[TCOL_SHR_DIRTY] = { "Shr_Drt", "ShDr",
		"Shared_Dirty: shared written pages (a POSIX shm segment)",
		40, 0, 0, SMAPS_I_shared_dirty, false, GROLE_SHARED },
	[TCOL_PRV_DIRTY] = { "Prv_Drt", "PvDr",
		"Private_Dirty: written pages of this process alone (a copy)",
		30, 0, 0, SMAPS_I_private_dirty, false, GROLE_PRIVATE },
	[TCOL_STATE] = { "STATE", "St",
		"R run, S sleep, T stopped, Z zombie, x exited; ~ held: PSS of an earlier read",
		50, 12, 3, -1, true, GROLE_NONE },
	[TCOL_COMM] = { "NAME", "NAME", "the process's command name",
		0, TWIDTH_REST, TWIDTH_REST, -1, true, GROLE_NONE },
};

static int col_width(enum table_col c, bool shrt, int pid_digits)
{
	const struct table_column *k = &table_columns[c];
	int w = shrt ? k->short_width : k->width;

	if (w == TWIDTH_PID)
		return pid_digits;
	if (w == TWIDTH_REST)
		return 0;
	if (w)
		return w;
	return shrt ? 5 : 8;
}

/* Lays out the columns of mask but the one that takes the rest. */
static int fill(struct table_layout *t, unsigned mask, bool shrt, int pid_digits)
{
	int sum = 0;

	t->n = 0;
	t->short_names = shrt;
	for (int c = 0; c < TCOL_COUNT; c++) {
		if (!(mask & (1u << c)) || table_columns[c].width == TWIDTH_REST)
			continue;
		t->col[t->n] = (enum table_col)c;
		t->width[t->n] = col_width((enum table_col)c, shrt, pid_digits);
		sum += t->width[t->n++];
	}
	return sum;
}

/* mask without the columns of the highest drop in it; unchanged when only
 * columns never dropped are left */
static unsigned drop_next(unsigned mask)
{
	int top = 0;

	for (int c = 0; c < TCOL_COUNT; c++)
		if ((mask & (1u << c)) && table_columns[c].drop > top)
			top = table_columns[c].drop;
	for (int c = 0; c < TCOL_COUNT && top; c++)
		if (table_columns[c].drop == top)
			mask &= ~(1u << c);
	return mask;
}

void layout_table(int width, int pid_digits, struct table_layout *out)
{
	unsigned mask = (1u << TCOL_COUNT) - 1, less;
	int sum;

	if (pid_digits < 3)
		pid_digits = 3;
	sum = fill(out, mask, false, pid_digits);
	if (sum <= width) {
		/* the process name takes what is left, when it is worth it */
		for (int c = 0; c < TCOL_COUNT && width - sum >= 9; c++) {
			if (table_columns[c].width != TWIDTH_REST)
				continue;
			out->col[out->n] = (enum table_col)c;
			out->width[out->n++] = width - sum;
			break;
		}
		return;
	}
	for (;;) {
		sum = fill(out, mask, true, pid_digits);
		if (sum <= width)
			return;
		less = drop_next(mask);
		if (less == mask)
			break;
		mask = less;
	}
	out->n = 0;
}

void layout_screen(int cols, int rows, size_t nruns, int caption_lines,
		   struct screen_layout *out)
{
	int bottom, y, x;
	size_t n = nruns ? nruns : 1;

	memset(out, 0, sizeof(*out));
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
		out->too_small = true;
		return;
	}
	if (n > MODEL_MAX_RUNS)
		n = MODEL_MAX_RUNS;
	out->title = (struct rect){ 0, 0, 1, cols };
	out->status = (struct rect){ rows - 1, 0, 1, cols };
	bottom = rows - 1;
	if (caption_lines > 2)
		caption_lines = 2;
	if (caption_lines > 0) {
		out->caption = (struct rect){ bottom - caption_lines, 0, caption_lines, cols };
		bottom -= caption_lines;
	}
	out->strip = (struct rect){ bottom - 1, 0, 1, cols };
	bottom--;
	y = 1;
	x = 0;
	out->npanes = n;
	/* every pane the same width, so their graphs and time axes are
	 * alike to the column; what the division leaves is a margin at the
	 * right */
	for (size_t i = 0; i < n; i++) {
		int w = cols / (int)n;

		out->pane[i] = (struct rect){ y, x, bottom - y, w };
		x += w;
	}
}

void layout_pane(const struct rect *in, int procs_wanted,
		 struct pane_layout *out)
{
	int avail = in->h - 5, gmin, trows, y = in->y;

	memset(out, 0, sizeof(*out));
	out->label_w = 6;
	if (avail < 2 || in->w < out->label_w + 4)
		return;
	gmin = avail * 55 / 100;
	if (gmin < 2)
		gmin = 2;
	trows = procs_wanted < 1 ? 1 : procs_wanted;
	if (trows > avail - gmin)
		trows = avail - gmin;
	if (trows < 1)
		trows = 1;
	out->table_rows = trows;
	out->graph = (struct rect){ y, in->x + out->label_w, avail - trows,
				    in->w - out->label_w };
	y += out->graph.h;
	out->axis = (struct rect){ y++, in->x, 1, in->w };
	out->phasebar = (struct rect){ y++, in->x + out->label_w, 1, out->graph.w };
	out->legend = (struct rect){ y, in->x, 2, in->w };
	y += 2;
	out->table = (struct rect){ y, in->x, 1 + trows, in->w };
}

int layout_wrap(const char *text, int width, int nlines, size_t *off,
		size_t *len, bool *cut)
{
	size_t at = 0;
	int n = 0;

	*cut = false;
	if (width <= 0 || nlines <= 0)
		return 0;
	while (text[at] == ' ')
		at++;
	while (text[at] && n < nlines) {
		size_t i = at, brk = 0;
		int cols = 0;

		/* take characters while they fit; remember the last space */
		while (text[i]) {
			size_t clen;
			int w = text_char_columns(text + i, strlen(text + i), &clen);

			if (cols + w > width)
				break;
			if (text[i] == ' ')
				brk = i;
			i += clen;
			cols += w;
		}
		if (text[i] && text[i] != ' ' && brk > at)
			i = brk;       /* break at the last space */
		off[n] = at;
		len[n] = i - at;
		while (len[n] && text[at + len[n] - 1] == ' ')
			len[n]--;
		n++;
		at = i;
		while (text[at] == ' ')
			at++;
	}
	*cut = text[at] != '\0';
	return n;
}

size_t layout_cut_words(const char *line, size_t len, int width)
{
	size_t keep = 0, cols = 0;

	/* the longest prefix of whole characters in width - 1 cells (one
	 * for the ellipsis) */
	while (keep < len) {
		size_t k = keep + 1;

		while (k < len && ((unsigned char)line[k] & 0xc0) == 0x80)
			k++;
		if ((int)cols + 1 > width - 1)
			break;
		cols++;
		keep = k;
	}
	/* cut inside a word: back to the space before it (what follows
	 * the line is cut in any case: its last word is checked below) */
	if (keep < len && line[keep] != ' ') {
		size_t b = keep;

		while (b > 0 && line[b - 1] != ' ')
			b--;
		if (b > 0)
			keep = b;
	}
	for (;;) {
		size_t b;
		bool digit = false;

		while (keep > 0 && line[keep - 1] == ' ')
			keep--;
		for (b = keep; b > 0 && line[b - 1] != ' '; b--)
			if (line[b - 1] >= '0' && line[b - 1] <= '9')
				digit = true;
		if (!digit || b == 0)
			return keep;
		keep = b;
	}
}
