/*
 * phasebar.c - the phase timing bar (see phasebar.h); its layout is
 * layout_phasebar()'s.
 */
#include "ui/phasebar.h"

#include <stdio.h>
#include <string.h>

#include "src/util/fmt.h"
#include "src/util/text.h"
#include "ui/draw.h"
#include "ui/theme.h"

void phasebar_draw(const struct rect *r, int lw, const struct run_view *v,
		   double t_max)
{
	struct phase_seg seg[MODEL_MAX_PHASES];
	double t_bar = v->t;
	size_t n;

	if (r->w <= 0 || !v->run)
		return;
	draw_text_right(r->y, r->x - lw, lw - 1, theme_attr(THEME_DIM), "phase");
	/* the bar runs as far as the header's time of the phase in
	 * progress (at a lesson stop, its end, though the graph may show
	 * the sample that end took, just after it) */
	if (v->phase && !v->exited && v->phase->start_s + v->elapsed < t_bar)
		t_bar = v->phase->start_s + v->elapsed;
	n = layout_phasebar(v->run->phases, v->run->nphases, t_max, t_bar, r->w,
			    seg, MODEL_MAX_PHASES);
	for (size_t i = 0; i < n; i++) {
		const struct phase *p = &v->run->phases[seg[i].phase];
		int w = seg[i].x1 - seg[i].x0;
		attr_t a = theme_phase(p->name, (int)i);
		char name[MODEL_NAME_MAX], label[MODEL_NAME_MAX + FMT_SIZE_MAX + 2];
		char d[FMT_SIZE_MAX];
		/* the phase in progress: as long as the header says */
		double end = !seg[i].open ? p->end_s : t_bar;

		if (w <= 0)
			continue;
		if (!theme_color())
			/* no colour: alternate reverse video and a shade, so
			 * neighbours stay apart */
			draw_fill(r->y, r->x + seg[i].x0, w, a,
				  i % 2 ? draw_glyph("\xe2\x96\x91", ".") : " ");
		else
			draw_fill(r->y, r->x + seg[i].x0, w, a, " ");
		text_sanitize(name, sizeof(name), p->name, strlen(p->name), draw_ascii());
		snprintf(label, sizeof(label), "%s %s", name,
			 fmt_seconds(d, sizeof(d), end - p->start_s));
		if (text_columns(label) >= w)
			snprintf(label, sizeof(label), "%s", name);
		/* a name that does not fit (with a cell to part it from the
		 * next) shows its start ("comp", "c") where two cells allow;
		 * the colours part the phases, and the header names the
		 * current one */
		if (text_columns(label) < w || i + 1 == n)
			draw_text(r->y, r->x + seg[i].x0, w, a, label);
		else if (w > 1)
			draw_text(r->y, r->x + seg[i].x0, w - 1, a, label);
	}
}
