/*
 * screen.c - laying out and drawing the whole screen (see screen.h). The
 * geometry is layout_screen()'s and layout_pane()'s; every pane uses the
 * same scales (view_scales()) so heights and lengths compare honestly.
 */
#include "ui/screen.h"

#include <stdio.h>
#include <string.h>

#include "src/report/summary.h"
#include "src/util/fmt.h"
#include "src/util/macros.h"
#include "src/util/text.h"
#include "ui/draw.h"
#include "ui/graph.h"
#include "ui/help.h"
#include "ui/phasebar.h"
#include "ui/table.h"
#include "ui/theme.h"

static void clean(char *dst, size_t cap, const char *s, bool ascii)
{
	if (!s)
		s = "";
	text_sanitize(dst, cap, s, strlen(s), ascii);
}

static void too_small(int cols, int rows)
{
	char msg[128];
	size_t off[sizeof(msg)], len[sizeof(msg)];
	bool cut;
	int lines, y;

	snprintf(msg, sizeof(msg), "shmviz needs a terminal of at least %dx%d; this one is %dx%d.",
		 LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, cols, rows);
	/* wrapped at spaces to the width (a word wider than it is cut), as
	 * many lines as there are, the hint a line below them */
	lines = layout_wrap(msg, cols, rows < (int)ARRAY_SIZE(off) ? rows : (int)ARRAY_SIZE(off),
			    off, len, &cut);
	y = (rows - lines) / 2;
	if (y < 0)
		y = 0;
	for (int i = 0; i < lines && y + i < rows; i++) {
		char line[sizeof(msg)];

		snprintf(line, sizeof(line), "%.*s", (int)len[i], msg + off[i]);
		draw_text(y + i, (cols - (int)len[i]) / 2, cols, A_BOLD, line);
	}
	if (y + lines + 1 < rows && cols >= 29)
		draw_text(y + lines + 1, (cols - 29) / 2, cols, theme_attr(THEME_DIM),
			  "Make it larger, or q to quit.");
}

static attr_t state_attr(enum run_state s)
{
	switch (s) {
	case RUN_DONE:
		return theme_attr(THEME_OK);
	case RUN_FAILED:
		return theme_attr(THEME_FAIL);
	case RUN_RUNNING:
		return theme_attr(THEME_RUNNING);
	case RUN_STOPPED:   /* the user's doing: no failure's colour */
	case RUN_WAITING:
		break;
	}
	return theme_attr(THEME_WAITING);
}

/* A done run's words in its pane's header, longest first: "done in
 * 0.23 s", "done 0.23 s", "0.23 s". */
#define DONE_FORMS 3
static void done_words(char *buf, size_t size, const struct run *r, int form)
{
	char el[FMT_SIZE_MAX];

	fmt_seconds(el, sizeof(el), r->result.wall_s);
	snprintf(buf, size, form == 0 ? " done in %s " : form == 1 ? " done %s " : " %s ", el);
}

/* Whether a done pane's header fits in form: its name, the done words,
 * and with detail the first part of its detail ("pipe to each worker"). */
static bool done_fits(const struct rect *p, const struct run_view *v, int form,
		      bool detail, bool ascii)
{
	char name[MODEL_NAME_MAX * 2], right[64], d[MODEL_TEXT_MAX];
	char *comma;
	int room;

	clean(name, sizeof(name), v->run->name, ascii);
	clean(d, sizeof(d), v->run->detail, ascii);
	if ((comma = strchr(d, ',')))
		*comma = '\0';
	done_words(right, sizeof(right), v->run, form);
	/* "╭─ " name " " ["· " detail " "] right "─╮" */
	room = p->w - 7 - text_columns(name) - text_columns(right);
	if (detail && d[0])
		room -= 4 + text_columns(d);
	return room >= 0;
}

/* The form of the done headers for every pane alike (one pane never says
 * "done in" while another says only the time): the longest in which every
 * done pane shows its name and the first part of its detail, else the
 * longest in which every name fits. */
static int done_form(const struct screen_layout *sl, const struct run_view *views,
		     size_t n, bool ascii)
{
	for (int detail = 1; detail >= 0; detail--) {
		for (int form = 0; form < DONE_FORMS; form++) {
			bool all = true;

			for (size_t i = 0; i < n && i < sl->npanes && all; i++)
				if (views[i].state == RUN_DONE)
					all = done_fits(&sl->pane[i], &views[i], form, detail, ascii);
			if (all)
				return form;
		}
	}
	return DONE_FORMS - 1;
}

/* the header in the pane's top border */
static void pane_header(const struct rect *p, const struct run_view *v, bool ascii,
			int form)
{
	const struct run *r = v->run;
	char name[MODEL_NAME_MAX * 2], detail[MODEL_TEXT_MAX], right[MODEL_TEXT_MAX + 64];
	char el[FMT_SIZE_MAX], phase[MODEL_NAME_MAX];
	const char *dot = ascii ? "-" : "\xc2\xb7";
	int x = p->x + 2, end = p->x + p->w - 2, rw;

	clean(name, sizeof(name), r->name, ascii);
	clean(detail, sizeof(detail), r->detail, ascii);
	switch (v->state) {
	case RUN_RUNNING:
		/* "attach 0.21 s": a phase shown means running; a replay after
		 * the last phase: "exited 1.48 s" */
		clean(phase, sizeof(phase), v->exited ? "exited" :
		      v->phase ? v->phase->name : "starting", ascii);
		snprintf(right, sizeof(right), " %s %s ", phase,
			 fmt_seconds(el, sizeof(el), v->elapsed));
		break;
	case RUN_DONE:
		done_words(right, sizeof(right), r, form);
		break;
	case RUN_FAILED: {
		char cause[MODEL_TEXT_MAX];

		clean(cause, sizeof(cause), r->cause[0] ? r->cause : "no cause given", ascii);
		snprintf(right, sizeof(right), " failed: %s ", cause);
		break;
	}
	case RUN_STOPPED:
		snprintf(right, sizeof(right), " stopped by the user ");
		break;
	case RUN_WAITING:
	default:
		snprintf(right, sizeof(right), v->not_started ? " not started yet " : " waiting ");
		break;
	}
	x += draw_text(p->y, x, end - x, A_NORMAL, " ");
	x += draw_text(p->y, x, end - x, theme_attr(THEME_TITLE), name);
	x += draw_text(p->y, x, end - x, A_NORMAL, " ");
	rw = text_columns(right);
	if (rw > end - x - 1)
		rw = end - x - 1;
	/* the detail takes what is left: whole ("pipe to each worker, 2
	 * workers"), else its first part (the title line names the workers),
	 * else nothing; a command (no parts) is cut with an ellipsis */
	{
		int room = end - rw - x - 3;
		int dw = text_columns(detail);
		char *comma = strchr(detail, ',');
		bool parts = comma != NULL;

		if (dw > room - 1 && comma) {
			*comma = '\0';
			dw = text_columns(detail);
		}
		if (parts && dw > room - 1)
			room = 0;
		if (room >= 6) {
			x += draw_text(p->y, x, 1, theme_attr(THEME_DIM), dot);
			x += draw_text(p->y, x, 1, A_NORMAL, " ");
			if (dw > room - 1) {
				x += draw_text(p->y, x, room - 2, theme_attr(THEME_DIM), detail);
				x += draw_text(p->y, x, 1, theme_attr(THEME_DIM),
					       ascii ? "." : "\xe2\x80\xa6");
			} else {
				x += draw_text(p->y, x, dw, theme_attr(THEME_DIM), detail);
			}
			draw_text(p->y, x, 1, A_NORMAL, " ");
		}
	}
	if (rw > 0)
		draw_text(p->y, end - rw, rw, state_attr(v->state), right);
}

static void pane_draw(const struct screen_in *in, const struct rect *p,
		      const struct run_view *v, const struct graph_scale *sc,
		      int procs_wanted, int form, int legend_form)
{
	struct rect inner = { p->y + 1, p->x + 1, p->h - 2, p->w - 2 };
	struct pane_layout l;
	enum graph_style style = in->ascii ? GSTYLE_ASCII :
				 theme_color() ? GSTYLE_COLOR : GSTYLE_MONO;

	draw_box(p, theme_attr(THEME_BORDER));
	pane_header(p, v, in->ascii, form);
	layout_pane(&inner, procs_wanted, &l);
	if (l.graph.h <= 0)
		return;
	graph_draw(&l, v, in->metric, sc, style);
	phasebar_draw(&l.phasebar, l.label_w, v, sc->t_max);
	graph_legend_draw(&l, v, in->metric, legend_form);
	table_draw(&l.table, l.table_rows, v);
}

static void title_draw(const struct screen_in *in, const struct rect *r)
{
	const struct model *m = in->m;
	char buf[512], size[FMT_SIZE_MAX], what[2][256], right[64];
	const char *dot = in->ascii ? " - " : " \xc2\xb7 ";
	int x = r->x + 1, rw;

	x += draw_text(r->y, x, r->w - x, theme_attr(THEME_TITLE), "shmviz");
	snprintf(right, sizeof(right), "%sgraph: %s ", in->replay ? "replay, " : "",
		 chart_metric_name(in->metric));
	rw = text_columns(right);
	if (!strcmp(m->config.workload, "attach") && m->nruns) {
		snprintf(what[0], sizeof(what[0]), "%sa running tree, read-only%spid %d",
			 dot, dot, (int)m->runs[0].root);
		snprintf(what[1], sizeof(what[1]), "%sread-only", dot);
	} else if (!strcmp(m->config.workload, "command")) {
		snprintf(what[0], sizeof(what[0]), "%sone command", dot);
		snprintf(what[1], sizeof(what[1]), "%s", "");
	} else if (!strcmp(m->config.workload, "compare") || !m->config.rows) {
		snprintf(what[0], sizeof(what[0]), "%stwo commands compared", dot);
		snprintf(what[1], sizeof(what[1]), "%s", "");
	} else {
		/* the pre-fork lesson compares ways of sharing one load */
		const char *story = !strcmp(m->config.workload, "prefork")
					    ? "data loaded once, read by forked workers"
					    : "shared memory vs copying";

		fmt_kb_long(size, sizeof(size), (int64_t)(m->config.bytes / 1024));
		snprintf(what[0], sizeof(what[0]), "%s%s%s%d worker%s%s%llu %s (%s)",
			 dot, story, dot, m->config.workers, m->config.workers == 1 ? "" : "s", dot,
			 (unsigned long long)m->config.rows, summary_unit(m), size);
		snprintf(what[1], sizeof(what[1]), "%s%d worker%s%s%s of data", dot,
			 m->config.workers, m->config.workers == 1 ? "" : "s", dot, size);
	}
	/* the longer description where it fits beside the metric */
	clean(buf, sizeof(buf), what[0], in->ascii);
	if (text_columns(buf) + rw + 1 > r->w - x)
		clean(buf, sizeof(buf), what[1], in->ascii);
	x += draw_text(r->y, x, r->w - x, A_NORMAL, buf);
	if (r->w - x > rw)
		draw_text_right(r->y, r->x, r->w, theme_attr(THEME_DIM), right);
}

/* "shared 0.17 s, 59M | copy 0.57 s, 139M: 3.2x faster, 2.4x less memory" */
static void compact_line(char *buf, size_t size, const struct run *a,
			 const struct run *b, bool ascii)
{
	struct comparison c = model_compare(a, b);
	char ta[FMT_SIZE_MAX], tb[FMT_SIZE_MAX], pa[SUMMARY_PEAK_MAX];
	char pb[SUMMARY_PEAK_MAX], rs[SUMMARY_FACTOR_MAX], rm[SUMMARY_FACTOR_MAX];

	/* a's time and peak against b's, "as fast", "as much" where the
	 * factor reads 1.0, as the summary's table says it */
	summary_speed(rs, sizeof(rs), c.speedup > 0 ? 1 / c.speedup : 0, ascii);
	summary_factor(rm, sizeof(rm), c.pss_ratio > 0 ? 1 / c.pss_ratio : 0, ascii);
	/* a cut line is drawn cut: nothing to do about truncation */
	if (snprintf(buf, size, "%s %s, %s %s %s %s, %s: %s %s, %s memory",
		 a->name, fmt_seconds(ta, sizeof(ta), a->result.wall_s),
		 summary_peak_text(pa, sizeof(pa), a, true), ascii ? "|" : "\xe2\x94\x82",
		 b->name, fmt_seconds(tb, sizeof(tb), b->result.wall_s),
		 summary_peak_text(pb, sizeof(pb), b, true), a->name, rs, rm) >= (int)size)
		buf[size - 1] = '\0';
}

/* "copy 2.8× slower, 3.0× more memory": run b against the first run a,
 * in words that read as factors above 1; terse: "mem" */
static void verdict(char *buf, size_t size, const struct run *a, const struct run *b,
		    bool terse, bool than, bool ascii)
{
	struct comparison c = model_compare(a, b);
	char rs[SUMMARY_FACTOR_MAX], rm[SUMMARY_FACTOR_MAX], mem[64];
	const char *word = terse ? "mem" : "memory";

	summary_speed(rs, sizeof(rs), c.speedup, ascii);
	if (c.pss_ratio <= 0)
		snprintf(mem, sizeof(mem), "%s not sampled", word);
	else
		snprintf(mem, sizeof(mem), "%s %s",
			 summary_factor(rm, sizeof(rm), c.pss_ratio, ascii), word);
	/* "as fast as shared", "2.1× slower than shared" */
	snprintf(buf, size, "%s %s%s%s, %s", b->name, rs,
		 than ? (strcmp(rs, "as fast") ? " than " : " as ") : "",
		 than ? a->name : "", mem);
}

/* two or more runs done: each later run's verdict against the first */
static void strip_verdicts(const struct screen_in *in, const struct rect *r,
			   const char *dot)
{
	const struct model *m = in->m;
	char buf[1024], part[512], a[FMT_SIZE_MAX], b[SUMMARY_PEAK_MAX];

	/* the longest form that fits: every run's verdict stays
	 * readable (forms 2 to 4 give each later run's verdict
	 * against the first, as many as there are; 3 and 4 terse,
	 * 4 without naming the first) */
	for (int form = 0; form < 5; form++) {
		buf[0] = '\0';
		if (form < 2) {
			if (form == 0)
				summary_line(part, sizeof(part), &m->runs[0], &m->runs[1], in->ascii);
			else
				compact_line(part, sizeof(part), &m->runs[0], &m->runs[1], in->ascii);
			snprintf(buf, sizeof(buf), "%s", part);
			for (size_t i = 2; i < in->nviews; i++) {
				if (in->views[i].state != RUN_DONE)
					continue;
				char v[256];

				/* "cow 0.14 s, peak 24 MiB: 2.0× faster than
				 * shared, as much memory" (the verdict less
				 * its run's name) */
				verdict(v, sizeof(v), &m->runs[0], &m->runs[i], false, true,
					in->ascii);
				snprintf(part, sizeof(part), "%s%s %s, peak %s: %s",
					 dot, m->runs[i].name,
					 fmt_seconds(a, sizeof(a), m->runs[i].result.wall_s),
					 summary_peak_text(b, sizeof(b), &m->runs[i], false),
					 v + strlen(m->runs[i].name) + 1);
				strncat(buf, part, sizeof(buf) - strlen(buf) - 1);
			}
		} else {
			if (form < 4)
				snprintf(buf, sizeof(buf), "vs %s: ", m->runs[0].name);
			for (size_t i = 1; i < in->nviews; i++) {
				if (in->views[i].state != RUN_DONE)
					continue;
				verdict(part, sizeof(part), &m->runs[0], &m->runs[i], form >= 3,
					false, in->ascii);
				if (i > 1)
					strncat(buf, dot, sizeof(buf) - strlen(buf) - 1);
				strncat(buf, part, sizeof(buf) - strlen(buf) - 1);
			}
		}
		clean(part, sizeof(part), buf, in->ascii);
		if (text_columns(part) <= r->w - 2)
			break;
	}
	draw_text(r->y, r->x + 1, r->w - 2, theme_attr(THEME_STRIP), part);
}

/* every run ended (not two done to compare): each one's result */
static void strip_results(const struct screen_in *in, const struct rect *r,
			  const char *dot)
{
	char buf[1024], part[512], a[FMT_SIZE_MAX], b[SUMMARY_PEAK_MAX], k[FMT_SIZE_MAX];

	buf[0] = '\0';
	for (size_t i = 0; i < in->nviews; i++) {
		const struct run *run = in->views[i].run;

		if (in->views[i].state == RUN_FAILED)
			snprintf(part, sizeof(part), "%s failed: %s%s", run->name,
				 run->cause[0] ? run->cause : "no cause given", dot);
		else if (in->views[i].state == RUN_STOPPED)
			snprintf(part, sizeof(part), "%s stopped by the user%s", run->name, dot);
		else if (run->kpeak.kb >= 0)
			/* the kernel's own peak of the run's cgroup beside it */
			snprintf(part, sizeof(part), "%s %s, peak %s (kernel %s)%s", run->name,
				 fmt_seconds(a, sizeof(a), run->result.wall_s),
				 summary_peak_text(b, sizeof(b), run, false),
				 fmt_kb_long(k, sizeof(k), run->kpeak.kb), dot);
		else
			snprintf(part, sizeof(part), "%s %s, peak %s%s", run->name,
				 fmt_seconds(a, sizeof(a), run->result.wall_s),
				 summary_peak_text(b, sizeof(b), run, false), dot);
		strncat(buf, part, sizeof(buf) - strlen(buf) - 1);
	}
	buf[strlen(buf) > 3 ? strlen(buf) - strlen(dot) : 0] = '\0';
	clean(part, sizeof(part), buf, in->ascii);
	draw_text(r->y, r->x + 1, r->w - 2, theme_attr(THEME_STRIP), part);
}

/* runs in progress: where each one is, then where the others are */
static void strip_progress(const struct screen_in *in, const struct rect *r,
			   const char *dot, const struct run_view *cur)
{
	char buf[1024], part[512], a[FMT_SIZE_MAX], b[SUMMARY_PEAK_MAX];

	buf[0] = '\0';
	if (cur) {
		size_t nrun = 0;

		for (size_t i = 0; i < in->nviews; i++)
			nrun += in->views[i].state == RUN_RUNNING;
		/* every run in progress (a replay plays them side by side),
		 * then where the others are */
		for (size_t i = 0; i < in->nviews; i++) {
			const struct run_view *v = &in->views[i];
			const struct point *p = &v->total;
			const char *ph = v->exited ? "exited" : v->phase ? v->phase->name : "starting";
			const char *sig = in->ascii ? "" : "\xce\xa3";
			/* a sample wider than one moment is marked, never
			 * shown as a plain figure */
			const char *about = p->consistent ? "" : in->ascii ? "~" : "\xe2\x89\x88";

			if (v->state != RUN_RUNNING)
				continue;
			if (!v->have_total)
				snprintf(part, sizeof(part), "%s%s: %s", buf[0] ? dot : "",
					 v->run->name, ph);
			else if (nrun > 1)
				snprintf(part, sizeof(part), "%s%s: %s, %sPSS %s%s", buf[0] ? dot : "",
					 v->run->name, ph, sig, about, fmt_kb(a, sizeof(a), p->pss_kb));
			else
				snprintf(part, sizeof(part), "%s%s: %s%s%d process%s%s%sPSS %s%s, %sRSS %s",
					 buf[0] ? dot : "", v->run->name, ph, dot, p->nprocs,
					 p->nprocs == 1 ? "" : "es", dot, sig, about,
					 fmt_kb(a, sizeof(a), p->pss_kb), sig,
					 fmt_kb(b, sizeof(b), p->rss_kb));
			if (!buf[0])
				strncat(buf, in->ascii ? "> " : "\xe2\x96\xb6 ",
					sizeof(buf) - strlen(buf) - 1);
			strncat(buf, part, sizeof(buf) - strlen(buf) - 1);
		}
		for (size_t i = 0; i < in->nviews; i++) {
			const struct run_view *v = &in->views[i];

			if (v->state == RUN_DONE)
				snprintf(part, sizeof(part), "%s%s done in %s", dot, v->run->name,
					 fmt_seconds(a, sizeof(a), v->run->result.wall_s));
			else if (v->state == RUN_FAILED)
				snprintf(part, sizeof(part), "%s%s failed", dot, v->run->name);
			else if (v->state == RUN_STOPPED)
				snprintf(part, sizeof(part), "%s%s stopped", dot, v->run->name);
			else if (v->state == RUN_WAITING && v->not_started)
				snprintf(part, sizeof(part), "%s%s not started yet", dot, v->run->name);
			else if (v->state == RUN_WAITING)
				snprintf(part, sizeof(part), "%s%s next", dot, v->run->name);
			else
				continue;
			strncat(buf, part, sizeof(buf) - strlen(buf) - 1);
		}
	} else {
		snprintf(buf, sizeof(buf), "starting...");
	}
	clean(part, sizeof(part), buf, in->ascii);
	draw_text(r->y, r->x + 1, r->w - 2, A_NORMAL, part);
}

/* the comparison once every run is done; else what is happening */
static void strip_draw(const struct screen_in *in, const struct rect *r)
{
	const struct model *m = in->m;
	char buf[1024], part[512];
	bool all_done = in->nviews > 0;
	const char *dot = in->ascii ? " - " : " \xc2\xb7 ";
	const struct run_view *cur = NULL;

	for (size_t i = 0; i < in->nviews; i++) {
		if (!run_state_ended(in->views[i].state))
			all_done = false;
		if (in->views[i].state == RUN_RUNNING && !cur)
			cur = &in->views[i];
	}
	buf[0] = '\0';
	/* --repeat: the rounds so far, between two of them; once every
	 * round ended, the verdict of the round the model holds (the median
	 * one, as the summary, the recording and the plot), below */
	summary_rounds_line(part, sizeof(part), m, in->ascii);
	if (part[0] && !cur && !m->shown_round) {
		clean(buf, sizeof(buf), part, in->ascii);
		draw_text(r->y, r->x + 1, r->w - 2, theme_attr(THEME_STRIP), buf);
		return;
	}
	if (all_done && in->nviews >= 2 && in->views[0].state == RUN_DONE &&
	    in->views[1].state == RUN_DONE) {
		strip_verdicts(in, r, dot);
		return;
	}
	if (all_done) {
		strip_results(in, r, dot);
		return;
	}
	strip_progress(in, r, dot, cur);
}

struct key_item {
	const char *key;
	const char *label;
	int prio;            /* 0 first: items drop from the highest */
};

/* Draws the keys that fit in [x, end), dropping the least needed first,
 * in their given order; returns the next x. */
static int keys_draw(int y, int x, int end, const struct key_item *k, size_t n)
{
	bool on[16] = { false };
	int used = 0;

	for (int prio = 0; prio < 4; prio++)
		for (size_t i = 0; i < n && i < 16; i++) {
			int w = text_columns(k[i].key) + text_columns(k[i].label) + 1;

			if (k[i].prio == prio && x + used + w <= end) {
				on[i] = true;
				used += w;
			}
		}
	for (size_t i = 0; i < n && i < 16; i++) {
		if (!on[i])
			continue;
		x += draw_text(y, x, end - x, theme_attr(THEME_KEY), k[i].key);
		x += draw_text(y, x, end - x, A_NORMAL, k[i].label);
		x += draw_text(y, x, end - x, A_NORMAL, " ");
	}
	return x;
}

static void status_draw(const struct screen_in *in, const struct rect *r)
{
	int x = r->x, end = r->x + r->w, y = r->y;
	char buf[256], metric[16], interval[32];
	const struct model *m = in->m;
	bool a = in->ascii;

	snprintf(metric, sizeof(metric), " %s", chart_metric_name(in->metric));
	if (in->replay) {
		const struct key_item k[] = {
			{ "q", " quit", 0 },
			{ "space", in->playing ? " pause" : " play", 0 },
			{ a ? "<-/->" : "\xe2\x86\x90/\xe2\x86\x92", " step", 0 },
			{ a ? "S-<-/->" : "\xe2\x87\xa7\xe2\x86\x90/\xe2\x86\x92", " 5%", 2 },
			{ "</>", " speed", 1 },
			{ "Home/End", "", 3 },
			{ "m", metric, 1 },
			{ "l", in->captions_on ? " captions" : " captions off", 1 },
			{ "?", " help", 0 },
		};

		snprintf(buf, sizeof(buf), " %s %.3f s / %.3f s  %gx ",
			 in->playing ? (a ? ">" : "\xe2\x96\xb6") : (a ? "||" : "\xe2\x8f\xb8"),
			 in->position, in->length, in->speed);
		x += draw_text(y, x, end - x, theme_attr(in->playing ? THEME_KEY : THEME_PAUSED), buf);
		if (in->lesson_wait)
			x += 1 + draw_text(y, x + 1, end - x - 1, theme_attr(THEME_PAUSED),
					   " LESSON: space goes on ");
		keys_draw(y, x + 1, end, k, ARRAY_SIZE(k));
		return;
	}
	/* "+/- interval 100 ms": what the keys change, and its value */
	if (m->config.interval_ms >= 1000)
		snprintf(interval, sizeof(interval), " interval %g s", m->config.interval_ms / 1000.0);
	else
		snprintf(interval, sizeof(interval), " interval %d ms", m->config.interval_ms);
	{
		const struct key_item k[] = {
			{ "q", " quit", 0 },
			{ "space", in->paused ? " resume" : " pause", 0 },
			{ "p", in->halted ? " run on" : " stop run", 1 },
			/* priority 9 is never drawn: no rerun while recording */
			{ "r", in->recording ? "" : " rerun", in->recording ? 9 : 1 },
			{ "m", metric, 0 },
			{ "l", in->captions_on ? " captions" : " captions off", 1 },
			{ "?", " help", 0 },
			{ "+/-", interval, 0 },
		};

		if (in->lesson_wait)
			x += draw_text(y, x, end - x, theme_attr(THEME_PAUSED),
				       " LESSON: space goes on ") + 1;
		else if (in->halted)
			x += draw_text(y, x, end - x, theme_attr(THEME_PAUSED),
				       " RUN STOPPED: p goes on ") + 1;
		if (in->recording)
			x += draw_text(y, x, end - x, theme_attr(THEME_PAUSED),
				       in->ascii ? " REC " : " \xe2\x97\x8f REC ") + 1;
		if (in->paused)
			x += draw_text(y, x, end - x, theme_attr(THEME_PAUSED), " PAUSED ") + 1;
		x = keys_draw(y, x, end, k, ARRAY_SIZE(k));
	}
	if (m->sampler.pss_interval_ms > 0) {
		char f[3][96];

		double cpu = m->sampler.wall_s > 0 ?
			     100 * m->sampler.cpu_s / m->sampler.wall_s : 0;

		/* what the budget did: how often PSS, and what it cost */
		snprintf(f[0], sizeof(f[0]), "PSS every %.0f ms, CPU %.1f%% (budget %g%%)",
			 m->sampler.pss_interval_ms, cpu, m->config.budget_pct);
		snprintf(f[1], sizeof(f[1]), "PSS every %.0f ms", m->sampler.pss_interval_ms);
		snprintf(f[2], sizeof(f[2]), "%s", "");
		for (int i = 0; i < 3; i++)
			if (text_columns(f[i]) <= end - x || i == 2) {
				x += draw_text(y, x, end - x, theme_attr(THEME_DIM), f[i]);
				break;
			}
	}
	if (in->note && in->note[0] && end - x > text_columns(in->note) + 3)
		draw_text_right(y, r->x, r->w - 1, theme_attr(THEME_RUNNING), in->note);
}

/* Every pane: the header of done runs in one form, the legend's second
 * line in one form */
static void panes_draw(const struct screen_in *in, const struct screen_layout *sl,
		       const struct graph_scale *sc, int procs)
{
	int form = done_form(sl, in->views, in->nviews, in->ascii);
	int lform = 0;

	/* the legend's second line in one form in every pane */
	for (size_t i = 0; i < in->nviews && i < sl->npanes; i++) {
		const struct rect *p = &sl->pane[i];
		struct rect inner = { p->y + 1, p->x + 1, p->h - 2, p->w - 2 };
		struct pane_layout l;
		int f;

		layout_pane(&inner, procs, &l);
		f = graph_legend_form(&l, &in->views[i], in->metric);
		if (f > lform)
			lform = f;
	}
	for (size_t i = 0; i < in->nviews && i < sl->npanes; i++)
		pane_draw(in, &sl->pane[i], &in->views[i], sc, procs, form, lform);
}

void screen_draw(const struct screen_in *in)
{
	int rows, cols;
	struct screen_layout sl;
	struct graph_scale sc;
	int procs = 1;
	char rounds[512];

	getmaxyx(stdscr, rows, cols);
	erase();
	draw_set_ascii(in->ascii);
	{
		int lines = 0;

		if (in->captions_on && in->caption && in->caption[0])
			lines = text_columns(in->caption) > cols - 4 ? 2 : 1;
		/* --repeat, every round ended: the rounds' line over the
		 * caption (the strip gives the median round's verdict) */
		summary_rounds_line(rounds, sizeof(rounds), in->m, in->ascii);
		if (!in->m->shown_round)
			rounds[0] = '\0';
		layout_screen(cols, rows, in->nviews, lines + (rounds[0] != '\0'), &sl);
	}
	if (sl.too_small) {
		too_small(cols, rows);
		return;
	}
	view_scales(in->m, &sc.y_max, &sc.t_max, &sc.t_step);
	/* every pane gets as many table rows, so graphs line up */
	for (size_t i = 0; i < in->nviews; i++) {
		const struct run *r = in->views[i].run;
		int want = r->workers + 1;

		if (r->peak.nprocs > want)
			want = r->peak.nprocs;
		if ((int)in->views[i].nrows > want)
			want = (int)in->views[i].nrows;
		if (want > procs)
			procs = want;
	}
	title_draw(in, &sl.title);
	panes_draw(in, &sl, &sc, procs);
	strip_draw(in, &sl.strip);
	if (rounds[0] && sl.caption.h > 0) {
		char buf[1024];

		clean(buf, sizeof(buf), rounds, in->ascii);
		draw_text(sl.caption.y, sl.caption.x + 1, sl.caption.w - 2,
			  theme_attr(THEME_STRIP), buf);
		sl.caption.y++;
		sl.caption.h--;
	}
	if (sl.caption.h > 0) {
		char buf[1024], line[1024];
		size_t off[2], len[2];
		bool cut;
		int n;

		clean(buf, sizeof(buf), in->caption, in->ascii);
		n = layout_wrap(buf, sl.caption.w - 4, sl.caption.h, off, len, &cut);
		draw_text(sl.caption.y, sl.caption.x + 1, 2, theme_attr(THEME_CAPTION),
			  in->ascii ? "> " : "\xe2\x80\xba ");
		for (int i = 0; i < n; i++) {
			memcpy(line, buf + off[i], len[i]);
			line[len[i]] = '\0';
			if (cut && i == n - 1) {
				/* room for the ellipsis, at a word's end and
				 * never after part of a figure */
				len[i] = layout_cut_words(line, len[i], sl.caption.w - 4);
				line[len[i]] = '\0';
				strncat(line, in->ascii ? "." : "\xe2\x80\xa6",
					sizeof(line) - strlen(line) - 1);
			}
			draw_text(sl.caption.y + i, sl.caption.x + 3, sl.caption.w - 4,
				  theme_attr(THEME_CAPTION), line);
		}
	}
	status_draw(in, &sl.status);
	if (in->mv.kind != MAPVIEW_NONE && in->mv.run) {
		struct rect mr = { 1, 0, rows - 2, cols };
		int n = mapview_draw(&mr, &in->mv);

		if (in->mv_lines)
			*in->mv_lines = n;
	}
	if (in->help)
		help_draw(cols, rows, in->replay, in->m);
}
