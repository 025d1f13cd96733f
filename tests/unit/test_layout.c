/* Unit tests of the views' pure arithmetic: one scale for two panes (the
 * scales themselves are tests/unit/test_chart.c's), resampling,
 * rasterising, phase-bar layout, table columns, screen geometry, caption
 * wrapping. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "src/core/model.h"
#include "src/util/fmt.h"
#include "src/util/macros.h"
#include "src/util/text.h"
#include "ui/layout.h"
#include "ui/view.h"

static struct point pt(double t, int64_t rss, int64_t pss, int64_t uss, int nprocs)
{
	return (struct point){ .t = t, .rss_kb = rss, .pss_kb = pss, .uss_kb = uss,
			       .nprocs = nprocs, .pss_fresh = true, .consistent = true };
}

static void test_resample(void)
{
	struct graph_col c[10];
	struct point p[4] = { 0 };

	/* no sample: no column has data */
	layout_resample(p, 0, 1.0, -1, CHART_PSS, c, 10);
	for (int i = 0; i < 10; i++)
		CHECK(!c[i].has);
	/* one sample at t=0: the first column only */
	p[0] = pt(0, 300, 200, 50, 2);
	layout_resample(p, 1, 1.0, -1, CHART_PSS, c, 10);
	CHECK(c[0].has);
	CHECK_INT(c[0].v.lower, 50);
	CHECK_INT(c[0].v.upper, 150);
	CHECK_INT(c[0].v.line, 300);
	CHECK(!c[1].has);
	/* a peak between columns survives; gaps hold the last value */
	p[1] = pt(0.05, 900, 800, 100, 3);
	p[2] = pt(0.45, 400, 300, 100, 3);
	p[3] = pt(0.8, 0, 0, 0, 0);   /* tree gone: not data */
	layout_resample(p, 4, 1.0, -1, CHART_PSS, c, 10);
	CHECK_INT(c[0].v.line, 900);
	CHECK(c[2].has);
	CHECK_INT(c[2].v.line, 900);
	CHECK_INT(c[4].v.line, 400);
	CHECK(!c[5].has);
	CHECK(!c[9].has);
	/* the view time cuts the graph */
	layout_resample(p, 4, 1.0, 0.2, CHART_PSS, c, 10);
	CHECK(c[2].has);
	CHECK(!c[3].has);
	/* metrics: RSS stacks to ΣRSS with ΣPSS as the line; USS alone */
	layout_resample(p, 1, 1.0, -1, CHART_RSS, c, 10);
	CHECK_INT(c[0].v.lower + c[0].v.upper, 300);
	CHECK_INT(c[0].v.line, 200);
	layout_resample(p, 1, 1.0, -1, CHART_USS, c, 10);
	CHECK_INT(c[0].v.upper, 0);
	CHECK_INT(c[0].v.line, 200);
	/* unknown (negative) figures never draw below zero */
	p[0] = pt(0, -1, -1, -1, 1);
	layout_resample(p, 1, 1.0, -1, CHART_PSS, c, 10);
	CHECK_INT(c[0].v.lower, 0);
	CHECK_INT(c[0].v.upper, 0);
	/* zero time scale: nothing, no division by zero */
	layout_resample(p, 1, 0, -1, CHART_PSS, c, 10);
	CHECK(!c[0].has);

	/* one column, two samples: a large private part in one, a large
	 * shared part in the other; the column is the sample whose stack is
	 * highest, never 900 private + 900 shared (no sample held 1800) */
	p[0] = pt(0.01, 1000, 1000, 900, 2);  /* 900 private + 100 shared */
	p[1] = pt(0.02, 1500, 1200, 300, 2);  /* 300 private + 900 shared */
	layout_resample(p, 2, 1.0, -1, CHART_PSS, c, 10);
	CHECK(c[0].has);
	CHECK_INT(c[0].v.lower, 300);
	CHECK_INT(c[0].v.upper, 900);
	CHECK_INT(c[0].v.lower + c[0].v.upper, 1200);
	CHECK_INT(c[0].v.line, 1500);
	CHECK(!c[0].v.approx);
	/* the state of the sample chosen goes with it: more than 1% from one
	 * moment (a bound too wide, or none) is drawn marked */
	p[1].consistent = false;
	p[1].pss_bound_kb = 100;
	layout_resample(p, 2, 1.0, -1, CHART_PSS, c, 10);
	CHECK(c[0].v.approx);
	p[1].pss_bound_kb = MODEL_KB_NONE;
	layout_resample(p, 2, 1.0, -1, CHART_PSS, c, 10);
	CHECK(c[0].v.approx);
	/* an estimate within one moment is drawn as the line */
	p[1].consistent = true;
	p[1].pss_bound_kb = 0;
	p[1].pss_estimated = true;
	layout_resample(p, 2, 1.0, -1, CHART_PSS, c, 10);
	CHECK(!c[0].v.approx);
	p[1].pss_estimated = false;
	/* the same in RSS mode: the stack is ΣRSS of one sample */
	layout_resample(p, 2, 1.0, -1, CHART_RSS, c, 10);
	CHECK_INT(c[0].v.lower + c[0].v.upper, 1500);
	CHECK_INT(c[0].v.lower, 300);
	CHECK_INT(c[0].v.line, 1200);
}

/* a raster's two sub-columns of a cell follow the same rule: the cell's
 * area is one sub-column's stack, not the maxima of both */
static void test_raster_pick(void)
{
	struct graph_col sub[2] = {
		{ .has = true, .v = { .lower = 700, .upper = 100, .line = 950 } },
		{ .has = true, .v = { .lower = 100, .upper = 600, .line = 950 } },
	};
	struct graph_cell cells[10];
	int private = 0, shared = 0;

	/* 10 rows of 100 kB: the area must reach 800 (8 rows), not 1300 */
	layout_graph_raster(sub, 1, 10, 1000, GSTYLE_ASCII, cells);
	for (int r = 0; r < 10; r++) {
		if (cells[r].fg == GROLE_PRIVATE && cells[r].glyph[0] != ' ')
			private++;
		if (cells[r].fg == GROLE_SHARED && cells[r].glyph[0] != ' ')
			shared++;
	}
	CHECK_INT(private + shared, 8);
	CHECK_INT(private, 7);

	/* a column estimated or held between reads: its whole cells shaded,
	 * in every style; a read one: blocks */
	{
		static const struct {
			enum graph_style style;
			const char *priv, *shared, *priv_read;
		} st[] = {
			{ GSTYLE_COLOR, LAYOUT_APPROX_COLOR, LAYOUT_APPROX_COLOR, "\xe2\x96\x88" },
			{ GSTYLE_MONO, LAYOUT_APPROX_MONO_PRIVATE, LAYOUT_APPROX_MONO_SHARED, "\xe2\x96\x88" },
			{ GSTYLE_ASCII, LAYOUT_APPROX_ASCII_PRIVATE, LAYOUT_APPROX_ASCII_SHARED, "#" },
		};

		for (size_t k = 0; k < ARRAY_SIZE(st); k++) {
			struct graph_col one[2] = {
				{ .has = true, .v = { .lower = 400, .upper = 400, .line = 950, .approx = true } },
				{ .has = true, .v = { .lower = 400, .upper = 400, .line = 950, .approx = true } },
			};

			layout_graph_raster(one, 1, 10, 1000, st[k].style, cells);
			CHECK_STR(cells[9].glyph, st[k].priv);     /* bottom row: private */
			CHECK_STR(cells[3].glyph, st[k].shared);   /* 4th from top: shared */
			one[0].v.approx = one[1].v.approx = false;
			layout_graph_raster(one, 1, 10, 1000, st[k].style, cells);
			CHECK_STR(cells[9].glyph, st[k].priv_read);
		}
	}
}

static void test_raster(void)
{
	enum { W = 4, H = 3 };
	struct graph_col sub[2 * W] = { 0 };
	struct graph_cell cells[W * H];

	/* column 0 full private, column 2 1.5 rows of shared with the line
	 * at 0, columns 1 and 3 without data (so the line does not join) */
	sub[0].has = sub[1].has = true;
	sub[0].v = (struct chart_stack){ .lower = 300, .line = 300 };
	sub[1].v = sub[0].v;
	sub[4].has = sub[5].has = true;
	sub[4].v = (struct chart_stack){ .upper = 150, .line = 0 };
	sub[5].v = sub[4].v;
	layout_graph_raster(sub, W, H, 300, GSTYLE_ASCII, cells);
	CHECK_STR(cells[2 * W + 0].glyph, "#");
	CHECK_STR(cells[1 * W + 0].glyph, "#");
	CHECK_STR(cells[0 * W + 0].glyph, "-");   /* the line at the top */
	CHECK_STR(cells[2 * W + 2].glyph, "-");   /* line at 0 over shared */
	CHECK_STR(cells[1 * W + 2].glyph, ":");   /* 1.5 rows of shared */
	CHECK_STR(cells[0 * W + 2].glyph, " ");
	CHECK_STR(cells[1 * W + 1].glyph, " ");
	CHECK_STR(cells[2 * W + 3].glyph, " ");

	layout_graph_raster(sub, W, H, 300, GSTYLE_COLOR, cells);
	CHECK_INT(cells[2 * W + 0].fg, GROLE_PRIVATE);
	CHECK_STR(cells[1 * W + 2].glyph, "\xe2\x96\x84");    /* half block */
	CHECK_INT(cells[1 * W + 2].fg, GROLE_SHARED);
	CHECK_INT(cells[0 * W + 0].fg, GROLE_LINE);          /* braille line */
	CHECK_INT(cells[0 * W + 0].bg, GROLE_PRIVATE);       /* over the area */
	CHECK((unsigned char)cells[0 * W + 0].glyph[0] == 0xe2 &&
	      (unsigned char)cells[0 * W + 0].glyph[1] >= 0xa0);
	layout_graph_raster(sub, W, H, 300, GSTYLE_MONO, cells);
	CHECK_STR(cells[2 * W + 0].glyph, "\xe2\x96\x88");
	CHECK_STR(cells[1 * W + 2].glyph, "\xe2\x96\x92");    /* shade: shared */

	/* huge values and a tiny one: clamped, the tiny one still seen */
	sub[0].v = (struct chart_stack){ .lower = INT64_MAX / 2, .line = INT64_MAX / 2 };
	sub[1].v = sub[0].v;
	sub[4].v = (struct chart_stack){ .lower = 1, .line = 1 };
	sub[5].v = sub[4].v;
	layout_graph_raster(sub, W, H, 1024, GSTYLE_COLOR, cells);
	CHECK_INT(cells[2 * W + 0].fg, GROLE_PRIVATE);
	CHECK_INT(cells[0 * W + 0].fg, GROLE_LINE);
	CHECK_STR(cells[2 * W + 2].glyph, "\xe2\xa3\x80");    /* bottom dots */
	CHECK_INT(cells[2 * W + 2].bg, GROLE_PRIVATE);
	/* zero-sized: nothing written, no crash */
	layout_graph_raster(sub, 0, 0, 1024, GSTYLE_MONO, cells);
	layout_graph_raster(sub, W, H, 0, GSTYLE_MONO, cells);
}

static void test_same_scale(void)
{
	struct model m;
	struct run *a, *b;
	struct proc_row row = { .pid = 1, .state = 'R', .smaps = SMAPS_STATE_READ };
	int64_t y;
	double tmax, step;

	model_init(&m, false);
	a = model_add_run(&m, "shared", "shared", "");
	b = model_add_run(&m, "copy", "copy", "");
	/* no sample at all */
	view_scales(&m, &y, &tmax, &step);
	CHECK_INT(y, 1024);
	CHECK_NEAR(tmax, 1, 1e-9);
	row.mem = (struct smaps_kb){ .rss = 50000, .pss = 20000, .private_dirty = 1000 };
	row.rss_now_kb = 50000;
	CHECK(run_add_tick(a, 0.3, &row, 1, true));
	row.mem = (struct smaps_kb){ .rss = 140000, .pss = 139000, .private_dirty = 138000 };
	row.rss_now_kb = 140000;
	CHECK(run_add_tick(b, 2.4, &row, 1, true));
	/* one y scale from the larger run, one time scale from the longer */
	view_scales(&m, &y, &tmax, &step);
	CHECK_INT(y, chart_kb_top(140000));
	CHECK_NEAR(tmax, 2.5, 1e-9);
	/* a shared segment: ΣRSS three times ΣPSS, the scale holds the
	 * ΣRSS line, not only the stack */
	row.mem = (struct smaps_kb){ .rss = 600000, .pss = 200000, .private_dirty = 1000 };
	row.rss_now_kb = 600000;
	CHECK(run_add_tick(a, 0.6, &row, 1, true));
	view_scales(&m, &y, &tmax, &step);
	CHECK_INT(y, chart_kb_top(600000));
	model_finish(&m);
}

static void test_view(void)
{
	struct model m;
	struct run *r;
	struct run_view v;
	struct proc_row rows[2] = {
		{ .pid = 10, .state = 'S', .smaps = SMAPS_STATE_READ, .rss_now_kb = 10,
		  .mem = { .rss = 10, .pss = 5, .private_dirty = 1 } },
		{ .pid = 11, .state = 'S', .smaps = SMAPS_STATE_READ, .rss_now_kb = 10,
		  .mem = { .rss = 10, .pss = 5, .private_dirty = 1 } },
	};

	model_init(&m, true);
	r = model_add_run(&m, "shared", "shared", "");
	view_collect(r, -1, &v);
	CHECK_INT(v.state, RUN_WAITING);
	CHECK(!v.have_total);
	r->state = RUN_RUNNING;
	run_phase_begin(r, "fill", 0.0);
	CHECK(run_add_tick(r, 0.1, rows, 1, true));
	run_phase_begin(r, "attach", 0.15);
	CHECK(run_add_tick(r, 0.2, rows, 2, true));
	run_phase_begin(r, "exit", 0.25);
	run_phase_end(r, 0.28);
	r->state = RUN_DONE;
	r->result.total_s = 0.3;
	/* replay before the first sample: not started yet, no phase */
	view_collect(r, 0.05, &v);
	CHECK_INT(v.state, RUN_WAITING);
	CHECK(v.not_started);
	CHECK(!v.phase);
	CHECK(!v.have_total);
	/* replay at 0.12: running, in fill, one process */
	view_collect(r, 0.12, &v);
	CHECK_INT(v.state, RUN_RUNNING);
	CHECK(v.phase && !strcmp(v.phase->name, "fill"));
	CHECK_INT(v.nrows, 1);
	/* at 0.2: attach, two processes */
	view_collect(r, 0.2, &v);
	CHECK(v.phase && !strcmp(v.phase->name, "attach"));
	CHECK_INT(v.nrows, 2);
	/* the header's time is the phase's own, as the phase bar's */
	CHECK(fabs(v.elapsed - 0.05) < 1e-9);
	CHECK_INT(v.total.pss_kb, 10);
	CHECK(!v.not_started && !v.exited);
	/* in the exit phase: exit, not yet exited */
	view_collect(r, 0.26, &v);
	CHECK(v.phase && !strcmp(v.phase->name, "exit"));
	CHECK(!v.exited);
	/* after the exit phase, before the run's end: exited (the last phase
	 * kept), never a phase-less "starting" */
	view_collect(r, 0.29, &v);
	CHECK_INT(v.state, RUN_RUNNING);
	CHECK(v.exited);
	CHECK(v.elapsed >= 0 && v.elapsed <= 0.01 + 1e-9);
	CHECK(v.phase && !strcmp(v.phase->name, "exit"));
	/* past the end: done */
	view_collect(r, 5, &v);
	CHECK_INT(v.state, RUN_DONE);
	CHECK(!v.phase);
	CHECK(!v.exited && !v.not_started);
	/* live, a run that failed in a phase it never closed: no phase */
	r = model_add_run(&m, "copy", "copy", "");
	r->state = RUN_RUNNING;
	run_phase_begin(r, "transfer", 0.0);
	CHECK(run_add_tick(r, 0.1, rows, 1, true));
	view_collect(r, -1, &v);
	CHECK(v.phase && !strcmp(v.phase->name, "transfer"));
	r->state = RUN_FAILED;
	view_collect(r, -1, &v);
	CHECK_INT(v.state, RUN_FAILED);
	CHECK(!v.phase);
	model_finish(&m);
}

/* --replay --lesson: a stop at the end of a phase that ended before the
 * run's first sample (a loaded machine's first tick came late) is that
 * phase's, shown with the sample taken after it, never "not started yet" */
static void test_lesson_early(void)
{
	struct model m;
	struct run *r;
	struct run_view v;
	struct proc_row rows[1] = {
		{ .pid = 10, .state = 'S', .smaps = SMAPS_STATE_READ, .rss_now_kb = 10,
		  .mem = { .rss = 10, .pss = 7, .private_dirty = 1 } },
	};

	model_init(&m, true);
	r = model_add_run(&m, "shared", "shared", "");
	r->state = RUN_RUNNING;
	run_phase_begin(r, "start", 0.0);
	run_phase_begin(r, "spawn", 0.02);
	run_phase_begin(r, "fill", 0.05);
	CHECK(run_add_tick(r, 0.06, rows, 1, true));
	run_phase_end(r, 0.1);
	r->state = RUN_DONE;
	r->result.total_s = 0.1;
	/* the stop of spawn, just before its end: before any sample */
	view_collect(r, 0.05 - 1e-6, &v);
	CHECK(v.not_started);
	CHECK(view_lesson_frame(&v));
	CHECK(!v.not_started);
	CHECK_INT(v.state, RUN_RUNNING);
	CHECK(v.phase && !strcmp(v.phase->name, "spawn"));
	CHECK(v.have_total);
	CHECK_INT(v.total.pss_kb, 7);
	CHECK(fabs(v.t - 0.06) < 1e-9);
	/* the sample after it not one moment: the view as it was */
	r = model_add_run(&m, "copy", "copy", "");
	r->state = RUN_RUNNING;
	run_phase_begin(r, "start", 0.0);
	run_phase_begin(r, "spawn", 0.02);
	CHECK(run_add_tick(r, 0.06, rows, 1, false));
	run_phase_end(r, 0.1);
	r->state = RUN_DONE;
	r->result.total_s = 0.1;
	view_collect(r, 0.02 - 1e-6, &v);
	CHECK(v.not_started);
	CHECK(!view_lesson_frame(&v));
	CHECK(v.not_started && !v.phase);
	CHECK_INT(v.state, RUN_WAITING);
	model_finish(&m);
}

/* a row of pid with the given PSS */
static struct proc_row kept_row(pid_t pid, int64_t pss)
{
	return (struct proc_row){ .pid = pid, .state = 'S', .smaps = SMAPS_STATE_READ,
				  .rss_now_kb = 100,
				  .mem = { .rss = 100, .pss = pss, .private_dirty = 1 } };
}

/* The frame an ended run's pane shows: without a hold phase the first one
 * of the highest ΣPSS, found in a replay and tracked live alike. */
static void test_peak_frame(void)
{
	struct model m;
	struct run *r;
	struct run_view v;
	struct view_snapshot found = { 0 }, tracked = { 0 };
	struct proc_row rows[2] = { kept_row(10, 5), kept_row(11, 5) };

	model_init(&m, true);
	r = model_add_run(&m, "shared", "shared", "");
	r->state = RUN_RUNNING;
	run_phase_begin(r, "fill", 0.0);
	CHECK(run_add_tick(r, 0.1, rows, 1, true));
	view_peak_track(&tracked, r);
	CHECK(run_add_tick(r, 0.2, rows, 2, true));       /* ΣPSS 10 */
	view_peak_track(&tracked, r);
	rows[1].mem.pss = 2;
	CHECK(run_add_tick(r, 0.3, rows, 2, true));       /* ΣPSS 7 */
	view_peak_track(&tracked, r);
	rows[1].mem.pss = 5;
	CHECK(run_add_tick(r, 0.32, rows, 2, true));      /* ΣPSS 10 again */
	view_peak_track(&tracked, r);
	run_phase_begin(r, "exit", 0.35);
	CHECK(run_add_tick(r, 0.4, rows, 0, true));       /* nothing left */
	view_peak_track(&tracked, r);
	run_phase_end(r, 0.4);
	/* running, the kept frame is not shown */
	view_collect_kept(r, -1, NULL, &tracked, &v);
	CHECK(!v.at_peak);
	CHECK_INT(v.nrows, 0);
	r->state = RUN_DONE;
	r->result.total_s = 0.45;
	view_peak_find(&found, r);
	CHECK(found.have && !found.hold);
	CHECK_NEAR(found.t, 0.2, 1e-9);
	CHECK_INT(found.n, 2);
	CHECK_INT(found.total.pss_kb, 10);
	CHECK(tracked.have && !tracked.hold);
	CHECK_NEAR(tracked.t, 0.2, 1e-9);
	CHECK_INT(tracked.total.pss_kb, 10);
	/* ended: the pane shows the kept frame, live and in a replay */
	view_collect_kept(r, -1, NULL, &found, &v);
	CHECK_INT(v.state, RUN_DONE);
	CHECK(v.at_peak && !v.peak_hold);
	CHECK_NEAR(v.peak_t, 0.2, 1e-9);
	CHECK_INT(v.nrows, 2);
	CHECK(v.have_total);
	CHECK_INT(v.total.pss_kb, 10);
	CHECK_INT(v.rows[1].pid, 11);
	view_collect_kept(r, 5, NULL, &found, &v);
	CHECK(v.at_peak);
	CHECK_INT(v.total.pss_kb, 10);
	/* a replay before the end shows the frame of its time */
	view_collect_kept(r, 0.31, NULL, &found, &v);
	CHECK_INT(v.state, RUN_RUNNING);
	CHECK(!v.at_peak);
	CHECK_INT(v.total.pss_kb, 7);
	/* a run begun again forgets its kept frame */
	view_peak_reset(&tracked);
	CHECK(!tracked.have && !tracked.hold);
	view_collect_kept(r, -1, NULL, &tracked, &v);
	CHECK(!v.at_peak);
	CHECK_INT(v.nrows, 0);
	view_snapshot_free(&found);
	view_snapshot_free(&tracked);
	CHECK(!found.rows && !found.have);
	model_finish(&m);
}

/* With a hold phase the kept frame is its last one with every process,
 * however much higher ΣPSS was before or after it. */
static void test_peak_hold(void)
{
	struct model m;
	struct run *r;
	struct run_view v;
	struct view_snapshot k = { 0 };
	struct proc_row rows[2] = { kept_row(20, 50), kept_row(21, 50) };

	model_init(&m, true);
	r = model_add_run(&m, "copy", "copy", "");
	r->state = RUN_RUNNING;
	run_phase_begin(r, "fill", 0.0);
	CHECK(run_add_tick(r, 0.1, rows, 2, true));       /* ΣPSS 100 */
	run_phase_begin(r, "hold", 0.2);
	rows[0].mem.pss = rows[1].mem.pss = 3;
	CHECK(run_add_tick(r, 0.3, rows, 2, true));       /* ΣPSS 6 */
	rows[0].mem.pss = rows[1].mem.pss = 2;
	CHECK(run_add_tick(r, 0.4, rows, 2, true));       /* ΣPSS 4 */
	rows[0].mem.pss = 60;
	CHECK(run_add_tick(r, 0.45, rows, 1, true));      /* one has left */
	run_phase_begin(r, "exit", 0.5);
	CHECK(run_add_tick(r, 0.6, rows, 0, true));
	run_phase_end(r, 0.6);
	r->state = RUN_FAILED;
	r->result.total_s = 0.6;
	view_peak_find(&k, r);
	CHECK(k.have && k.hold);
	CHECK_NEAR(k.t, 0.4, 1e-9);
	CHECK_INT(k.total.pss_kb, 4);
	view_collect_kept(r, -1, NULL, &k, &v);
	CHECK_INT(v.state, RUN_FAILED);
	CHECK(v.at_peak && v.peak_hold);
	CHECK_NEAR(v.peak_t, 0.4, 1e-9);
	CHECK_INT(v.nrows, 2);
	CHECK_INT(v.total.pss_kb, 4);
	view_snapshot_free(&k);
	model_finish(&m);
}

/* Paused, a live run's pane shows its frame at the pause (a copy: a live
 * run keeps only its newest frame), not the newer ones. */
static void test_pause(void)
{
	struct model m;
	struct run *r, *w;
	struct run_view v;
	struct view_snapshot s = { 0 }, sw = { 0 }, none = { 0 };
	struct proc_row rows[3] = { kept_row(30, 7), kept_row(31, 7), kept_row(32, 7) };

	model_init(&m, false);
	r = model_add_run(&m, "shared", "shared", "");
	w = model_add_run(&m, "copy", "copy", "");
	r->state = RUN_RUNNING;
	run_phase_begin(r, "fill", 0.0);
	CHECK(run_add_tick(r, 0.1, rows, 1, true));
	view_snapshot_take(&s, r);
	view_snapshot_take(&sw, w);
	CHECK(s.have);
	CHECK_INT(s.state, RUN_RUNNING);
	CHECK_INT(s.n, 1);
	CHECK_NEAR(s.t, 0.1, 1e-9);
	CHECK(run_add_tick(r, 0.2, rows, 3, true));
	run_phase_begin(r, "attach", 0.25);
	CHECK(run_add_tick(r, 0.3, rows + 1, 2, true));
	/* live: the newest frame */
	view_collect_kept(r, -1, NULL, &none, &v);
	CHECK_INT(v.nrows, 2);
	CHECK_INT(v.rows[0].pid, 31);
	/* paused: the frame at the pause */
	view_collect_kept(r, -1, &s, &none, &v);
	CHECK_INT(v.state, RUN_RUNNING);
	CHECK_NEAR(v.t, 0.1, 1e-9);
	CHECK_INT(v.nrows, 1);
	CHECK(v.rows == s.rows);
	CHECK_INT(v.rows[0].pid, 30);
	CHECK(v.have_total);
	CHECK_INT(v.total.pss_kb, 7);
	CHECK(!v.at_peak);
	/* a run that had not begun at the pause is waiting */
	w->state = RUN_RUNNING;
	CHECK(run_add_tick(w, 0.1, rows, 3, true));
	view_collect_kept(w, -1, &sw, &none, &v);
	CHECK_INT(v.state, RUN_WAITING);
	CHECK(v.run == w);
	CHECK_INT(v.nrows, 0);
	CHECK(!v.have_total);
	view_snapshot_free(&s);
	view_snapshot_free(&sw);
	model_finish(&m);
}

static void test_phasebar(void)
{
	struct phase ph[5] = {
		{ "spawn", 0.0, 0.01, -1 },
		{ "fill", 0.01, 0.5, -1 },
		{ "attach", 0.5, 0.52, -1 },
		{ "compute", 0.52, 1.0, -1 },
		{ "hold", 1.0, -1, -1 },
	};
	struct phase_seg s[8];
	size_t n;

	/* to scale, in order, short phases one cell wide */
	n = layout_phasebar(ph, 5, 2.0, 1.5, 40, s, 8);
	CHECK_INT(n, 5);
	CHECK_INT(s[0].x0, 0);
	CHECK_INT(s[0].x1, 1);          /* 0.2 cells, widened to one */
	CHECK_INT(s[1].x0, 1);
	CHECK_INT(s[1].x1, 10);
	CHECK_INT(s[2].x1 - s[2].x0, 1);
	CHECK_INT(s[3].x1, 20);
	CHECK_INT(s[4].x0, 20);
	CHECK_INT(s[4].x1, 30);         /* open: up to the view time */
	CHECK(s[4].open);
	for (size_t i = 1; i < n; i++)
		CHECK(s[i].x0 >= s[i - 1].x1);
	/* before attach began: two phases, the second open */
	n = layout_phasebar(ph, 5, 2.0, 0.3, 40, s, 8);
	CHECK_INT(n, 2);
	CHECK(s[1].open);
	CHECK_INT(s[1].x1, 6);
	/* never past the width, zero width or scale: nothing */
	n = layout_phasebar(ph, 5, 0.5, -1, 10, s, 8);
	for (size_t i = 0; i < n; i++)
		CHECK(s[i].x1 <= 10);
	CHECK_INT(layout_phasebar(ph, 5, 2.0, -1, 0, s, 8), 0);
	CHECK_INT(layout_phasebar(ph, 5, 0, -1, 40, s, 8), 0);
	CHECK_INT(layout_phasebar(ph, 5, 2.0, -1, 40, s, 2), 2);
}

static int sum_width(const struct table_layout *t)
{
	int s = 0;

	for (size_t i = 0; i < t->n; i++)
		s += t->width[i];
	return s;
}

static bool has_col(const struct table_layout *t, enum table_col c)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->col[i] == c)
			return true;
	return false;
}

/* The hold's columns: those whose middle is in the phase, as it stood at
 * the view time; none without a hold */
static void test_hold_cols(void)
{
	struct model m;
	struct run *r;
	int x0, x1;

	model_init(&m, true);
	r = model_add_run(&m, "shared", "shared", "");
	run_phase_begin(r, "fill", 0.0);
	run_phase_begin(r, "compute", 0.5);
	CHECK(!layout_hold_cols(r, 1.0, 2.0, 40, &x0, &x1));
	run_phase_begin(r, "hold", 0.98);
	/* 40 columns of 0.05 s: middles 0.025, 0.075, ...; column 19's
	 * middle 0.975 is before 0.98, column 20's 1.025 in it */
	CHECK(!layout_hold_cols(r, 0.9, 2.0, 40, &x0, &x1));
	CHECK(layout_hold_cols(r, 1.5, 2.0, 40, &x0, &x1));
	CHECK_INT(x0, 20);
	CHECK_INT(x1, 30);
	run_phase_begin(r, "exit", 1.98);
	CHECK(layout_hold_cols(r, 2.0, 2.0, 40, &x0, &x1));
	CHECK_INT(x0, 20);
	CHECK_INT(x1, 40);
	/* a hold that has not reached a column's middle yet covers none */
	CHECK(!layout_hold_cols(r, 0.99, 2.0, 40, &x0, &x1));
	model_finish(&m);
}

static void test_table(void)
{
	struct table_layout t;

	/* wide: every column, long names, the process name too */
	layout_table(98, 5, &t);
	CHECK(!t.short_names);
	CHECK(has_col(&t, TCOL_COMM));
	CHECK(has_col(&t, TCOL_SHR_CLEAN));
	CHECK_INT(sum_width(&t), 98);
	/* an 80-column screen's pane: every column kept at least as long as
	 * Shared_Clean (but the name), short */
	layout_table(38, 5, &t);
	CHECK(t.short_names);
	for (int c = 0; c < TCOL_COUNT; c++)
		if (c != TCOL_COMM &&
		    table_columns[c].drop <= table_columns[TCOL_SHR_CLEAN].drop)
			CHECK(has_col(&t, (enum table_col)c));
	CHECK(sum_width(&t) <= 38);
	/* narrower: the less telling columns go first */
	layout_table(30, 5, &t);
	CHECK(sum_width(&t) <= 30);
	CHECK(has_col(&t, TCOL_PRV_DIRTY));
	CHECK(!has_col(&t, TCOL_SHR_CLEAN));
	/* far too narrow: nothing rather than an overflow */
	layout_table(3, 7, &t);
	CHECK_INT(t.n, 0);
	layout_table(-5, 7, &t);
	CHECK_INT(t.n, 0);
}

/* The letters of abbr come in order in the letters of word, case aside
 * ("ShDr" in "Shared_Dirty", not in "Shared_Clean"). */
static bool abbreviates(const char *abbr, const char *word)
{
	for (; *abbr; abbr++) {
		if (*abbr == '_')
			continue;
		while (*word && tolower((unsigned char)*word) !=
				tolower((unsigned char)*abbr))
			word++;
		if (!*word++)
			return false;
	}
	return true;
}

/* A memory column's headings and help say the figure it shows: the
 * headings abbreviate the kernel's key, the help begins with it or the
 * heading is it. */
static void test_table_columns(void)
{
	for (int c = 0; c < TCOL_COUNT; c++) {
		const struct table_column *k = &table_columns[c];
		const char *key;
		size_t n;

		if (k->figure < 0 || k->figure >= SMAPS_NFIELDS) {
			CHECK_INT(k->figure, -1);
			continue;
		}
		key = smaps_fields[k->figure].key;
		n = strlen(key);
		CHECK(abbreviates(k->heading, key));
		CHECK(abbreviates(k->short_heading, key));
		CHECK(strcasecmp(k->heading, key) == 0 ||
		      (strncmp(k->explain, key, n) == 0 && k->explain[n] == ':'));
	}
}

static void test_screen(void)
{
	struct screen_layout s;
	struct pane_layout p;

	layout_screen(79, 24, 2, 1, &s);
	CHECK(s.too_small);
	layout_screen(1, 1, 2, 1, &s);
	CHECK(s.too_small);
	layout_screen(80, 24, 2, 1, &s);
	CHECK(!s.too_small);
	CHECK_INT(s.npanes, 2);
	CHECK_INT(s.pane[0].w + s.pane[1].w, 80);
	CHECK_INT(s.pane[1].x, 40);
	CHECK_INT(s.status.y, 23);
	CHECK_INT(s.caption.y, 22);
	CHECK_INT(s.strip.y, 21);
	CHECK_INT(s.pane[0].y + s.pane[0].h, 21);
	/* three runs share the width; two caption lines */
	layout_screen(200, 50, 3, 2, &s);
	/* (each the same width, the rest a margin: 3 x 66 of 200) */
	CHECK_INT(s.pane[0].w, 66);
	CHECK_INT(s.pane[1].w, 66);
	CHECK_INT(s.pane[2].w, 66);
	CHECK_INT(s.pane[2].x, 132);
	CHECK_INT(s.caption.h, 2);
	CHECK_INT(s.strip.y, 46);

	/* inside an 80x24 pane: the graph gets most rows, 3 processes fit */
	layout_pane(&(struct rect){ 2, 1, 18, 38 }, 3, &p);
	CHECK_INT(p.table_rows, 3);
	CHECK_INT(p.graph.h, 10);
	CHECK_INT(p.axis.y, p.graph.y + p.graph.h);
	CHECK_INT(p.phasebar.w, p.graph.w);
	CHECK_INT(p.table.y + p.table.h, 2 + 18);
	/* many processes: the graph keeps at least about half */
	layout_pane(&(struct rect){ 2, 1, 18, 38 }, 64, &p);
	CHECK(p.graph.h >= 7);
	CHECK_INT(p.table.y + p.table.h, 2 + 18);
	/* too small a pane: nothing laid out */
	layout_pane(&(struct rect){ 0, 0, 3, 5 }, 3, &p);
	CHECK_INT(p.graph.h, 0);
}

static void test_wrap(void)
{
	size_t off[2], len[2];
	bool cut;
	const char *t = "Each worker maps the same 240 MB";
	int n;

	n = layout_wrap(t, 40, 2, off, len, &cut);
	CHECK_INT(n, 1);
	CHECK(!cut);
	CHECK_INT(len[0], strlen(t));
	n = layout_wrap(t, 12, 2, off, len, &cut);
	CHECK_INT(n, 2);
	CHECK(cut);
	CHECK_INT(len[0], 11);        /* "Each worker" */
	CHECK(!strncmp(t + off[1], "maps the", len[1]));
	/* UTF-8 counts characters: "ΣPSS" is four cells */
	n = layout_wrap("\xce\xa3PSS \xce\xa3RSS", 4, 2, off, len, &cut);
	CHECK_INT(n, 2);
	CHECK_INT(len[0], 5);
	CHECK(!cut);
	CHECK_INT(layout_wrap(t, 0, 2, off, len, &cut), 0);
}

/* The last line of a caption cut short keeps whole words, and never a
 * figure without its unit: the Python copy run's transfer caption at 100
 * columns was cut to "... its own copy. ΣPSS 541…" */
static void test_cut_words(void)
{
	const char *t = "The parent pickles the whole table for each worker in turn and holds "
			"the bytes until that worker has read them: the parent grows, the workers "
			"wait, then each unpickles its own copy. \xce\xa3PSS 541 MiB now, for a 23 MiB table.";
	size_t off[2], len[2], k;
	char line[256];
	bool cut;
	int n = layout_wrap(t, 96, 2, off, len, &cut);

	CHECK_INT(n, 2);
	CHECK(cut);
	k = layout_cut_words(t + off[1], len[1], 96);
	snprintf(line, sizeof(line), "%.*s", (int)k, t + off[1]);
	CHECK_STR(line, "has read them: the parent grows, the workers wait, then each unpickles its own copy. \xce\xa3PSS");
	/* a cut inside a word goes back to its start */
	CHECK_INT(layout_cut_words("abc defgh", 9, 8), 3);
	/* what fits is kept whole, but a last figure whose unit follows is not */
	CHECK_INT(layout_cut_words("abc 12", 6, 20), 3);
	CHECK_INT(layout_cut_words("abc def", 7, 20), 7);
	/* never more cells than width less the ellipsis's */
	for (int w = 2; w < 30; w++) {
		char b[256];

		k = layout_cut_words(t, 60, w);
		snprintf(b, sizeof(b), "%.*s", (int)k, t);
		CHECK(text_columns(b) <= w - 1);
	}
}

int main(void)
{
	test_hold_cols();
	test_resample();
	test_raster_pick();
	test_raster();
	test_same_scale();
	test_view();
	test_lesson_early();
	test_peak_frame();
	test_peak_hold();
	test_pause();
	test_phasebar();
	test_table();
	test_table_columns();
	test_screen();
	test_wrap();
	test_cut_words();
	return check_done();
}
