/* Unit tests of the model: totals, unknown values, peaks, the bounded
 * series, frames, phases and comparisons. */
#include <string.h>

#include "check.h"
#include "src/core/model.h"

static struct proc_row row(pid_t pid, int64_t rss, int64_t pss, int64_t prv,
			   int64_t shd)
{
	struct proc_row w;

	memset(&w, 0, sizeof(w));
	w.pid = pid;
	w.state = 'S';
	w.smaps = SMAPS_STATE_READ;
	w.rss_now_kb = rss;
	w.mem = (struct smaps_kb){ .rss = rss, .pss = pss, .shared_dirty = shd,
				   .private_dirty = prv };
	return w;
}

/* Every name reads back as what it names; the spellings are the
 * recordings' and the views' */
static void names(void)
{
	enum proc_role role;
	enum run_state state;
	enum smaps_state sm;

	for (int i = ROLE_PARENT; i <= ROLE_CHILD; i++) {
		CHECK(model_role_parse(model_role_name((enum proc_role)i), &role));
		CHECK_INT(role, i);
	}
	for (int i = RUN_WAITING; i <= RUN_FAILED; i++) {
		CHECK(model_state_parse(model_state_name((enum run_state)i), &state));
		CHECK_INT(state, i);
	}
	for (int i = SMAPS_STATE_NONE; i <= SMAPS_STATE_GONE; i++) {
		CHECK(model_smaps_state_parse(model_smaps_state_name((enum smaps_state)i),
					      &sm));
		CHECK_INT(sm, i);
	}
	CHECK_STR(model_role_name(ROLE_WORKER), "worker");
	CHECK_STR(model_role_short(ROLE_PARENT), "par");
	CHECK_STR(model_role_short(ROLE_WORKER), "wkr");
	CHECK_STR(model_role_short(ROLE_HELPER), "hlp");
	CHECK_STR(model_role_short(ROLE_CHILD), "chd");
	CHECK_STR(model_state_name(RUN_DONE), "done");
	CHECK(model_smaps_state_parse("fresh", &sm));
	CHECK_INT(sm, SMAPS_STATE_READ);
	CHECK(!model_role_parse("chd", &role));
	/* a run the user stopped (q) has a state of its own */
	CHECK(model_state_parse("stopped", &state));
	CHECK_INT(state, RUN_STOPPED);
	CHECK_STR(model_state_name(RUN_STOPPED), "stopped");
	CHECK(run_state_ended(RUN_STOPPED) && run_state_ended(RUN_FAILED) &&
	      !run_state_ended(RUN_WAITING) && !run_state_ended(RUN_RUNNING));
	CHECK(!model_state_parse("halted", &state));
}

/* --project's figures: over consistent samples only, the largest ΣPSS
 * less the workers' USS, and the largest USS of one worker (a worker or a
 * child; the parent and helpers are part of the shared side) */
static void projection(void)
{
	struct model m;
	struct run *r;
	struct proc_row rows[4];

	model_init(&m, false);
	r = model_add_run(&m, "fork", "fork", NULL);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(run_projection_kb(r, 32), MODEL_KB_NONE);
	/* the parent's 100 MiB shared with two workers, a helper beside */
	rows[0] = row(10, 102400, 34200, 400, 102000);
	rows[1] = row(11, 102400, 34100, 300, 102000);
	rows[2] = row(12, 102400, 34100, 300, 102000);
	rows[3] = row(13, 3000, 3000, 3000, 0);
	rows[1].role = rows[2].role = ROLE_WORKER;
	rows[3].role = ROLE_HELPER;
	CHECK(run_add_tick(r, 0.1, rows, 4, true));
	CHECK_INT(r->proj.shared_kb, 105400 - 600);
	CHECK_INT(r->proj.private_kb, 300);
	/* worker 12 copies it all: private 102300; an inconsistent sample of
	 * more counts for nothing */
	rows[2].mem.private_dirty = 102300;
	rows[2].mem.pss = 102300 + 34000;
	CHECK(run_add_tick(r, 0.2, rows, 4, false));
	CHECK_INT(r->proj.private_kb, 300);
	CHECK(run_add_tick(r, 0.3, rows, 4, true));
	CHECK_INT(r->proj.private_kb, 102300);
	CHECK_INT(r->proj.private_pid, 12);
	/* a child counts as a worker */
	rows[2].role = ROLE_CHILD;
	rows[2].mem.private_dirty = 110000;
	CHECK(run_add_tick(r, 0.4, rows, 4, true));
	CHECK_INT(r->proj.private_kb, 110000);
	CHECK_INT(run_projection_kb(r, 32), r->proj.shared_kb + 32 * 110000);
	run_reset(r);
	CHECK_INT(run_projection_kb(r, 32), MODEL_KB_NONE);
	model_finish(&m);
}

/* --repeat: the median round, by the rounds' summed wall times; a round
 * with a failed run is none of them; an even count takes the lower middle */
static void median_round(void)
{
	static const double walls[][2] = {
		{ 0.9, 1.0 }, { 0.5, 0.6 }, { 0.7, 0.5 }, { 0.1, 0.2 }, { 2.0, 2.0 },
	};
	struct model m;
	struct run *a, *b;

	model_init(&m, false);
	a = model_add_run(&m, "shared", "", "");
	b = model_add_run(&m, "copy", "", "");
	CHECK_INT(model_median_round(&m), 0);
	for (size_t k = 0; k < 5; k++) {
		a->rounds[k] = (struct round_figs){ .wall_s = walls[k][0], .ok = true };
		b->rounds[k] = (struct round_figs){ .wall_s = walls[k][1], .ok = true };
	}
	a->nrounds = b->nrounds = 5;
	/* sums 1.9 1.1 1.2 0.3 4.0 */
	CHECK_INT(model_median_round(&m), 3);
	b->rounds[2].ok = false;
	/* 0.3 1.1(2) 1.9 4.0: the lower middle */
	CHECK_INT(model_median_round(&m), 2);
	b->nrounds = 1;
	CHECK_INT(model_median_round(&m), 1);
	model_finish(&m);
}

int main(void)
{
	struct model m;
	struct run *a, *b;
	struct proc_row rows[3];
	struct point p;
	const struct frame *f;

	names();
	projection();
	median_round();
	model_init(&m, false);
	a = model_add_run(&m, "shared", "shared", "POSIX shm, 2 workers");
	b = model_add_run(&m, "copy", "copy", "pipe");
	CHECK(a && b);
	if (!a || !b)
		return check_done();
	CHECK_INT(a->state, RUN_WAITING);

	/* a 240 MB segment mapped by 3 processes */
	rows[0] = row(1, 240000, 80000, 100, 239900);
	rows[1] = row(2, 240000, 80000, 100, 239900);
	rows[2] = row(3, 240000, 80000, 100, 239900);
	p = model_totals(0, rows, 3);
	CHECK_INT(p.rss_kb, 720000);
	CHECK_INT(p.pss_kb, 240000);
	CHECK_INT(p.uss_kb, 300);
	CHECK_INT(p.nprocs, 3);
	CHECK(p.pss_fresh);
	CHECK(!p.pss_partial);

	/* an unreadable process is not counted as 0: the total says partial */
	rows[2].smaps = SMAPS_STATE_UNREADABLE;
	rows[2].mem = (struct smaps_kb)SMAPS_KB_NONE;
	p = model_totals(0, rows, 3);
	CHECK(p.pss_partial);
	CHECK(!p.pss_fresh);
	CHECK_INT(p.pss_kb, 160000);
	CHECK_INT(p.rss_kb, 720000); /* the counters still count it */
	/* a held figure above the process's RSS now is stale: capped */
	rows[0].smaps = SMAPS_STATE_HELD;
	rows[0].rss_now_kb = 5000;
	p = model_totals(0, rows, 2);
	CHECK_INT(p.pss_kb, 5000 + 80000);
	CHECK_INT(p.rss_kb, 5000 + 240000);
	rows[0] = row(1, 240000, 80000, 100, 239900);
	/* an exited process counts for nothing */
	rows[2] = row(3, 240000, 80000, 100, 239900);
	rows[2].state = 'x';
	p = model_totals(0, rows, 3);
	CHECK_INT(p.nprocs, 2);

	/* ticks, peaks, newest frame */
	rows[2].state = 'S';
	CHECK(run_add_tick(a, 0.1, rows, 1, true));
	CHECK(run_add_tick(a, 0.2, rows, 3, true));
	CHECK(run_add_tick(a, 0.3, rows, 2, true));
	CHECK_INT(a->peak.rss_kb, 720000);
	CHECK_INT(a->peak.pss_kb, 240000);
	CHECK_INT(a->npoints, 3);
	CHECK_INT(a->nframes, 1); /* live: only the newest */
	f = run_frame_at(a, -1);
	CHECK(f && f->n == 2 && f->t == 0.3);
	CHECK_INT(run_frame_rows(a, f)[1].pid, 2);

	/* the series stays bounded and keeps its peak */
	for (int i = 0; i < 3 * MODEL_POINTS_MAX; i++) {
		rows[0].rss_now_kb = i == 5000 ? 999999 : 1000;
		rows[0].mem.pss = i == 7001 ? 888888 : 500;
		CHECK(run_add_tick(b, i * 0.01, rows, 1, true));
	}
	CHECK(b->npoints <= MODEL_POINTS_MAX);
	CHECK(b->npoints >= MODEL_POINTS_MAX / 2);
	{
		int64_t max = 0;

		for (size_t i = 0; i < b->npoints; i++)
			if (b->points[i].rss_kb > max)
				max = b->points[i].rss_kb;
		CHECK_INT(max, 999999);
		CHECK_INT(b->peak.rss_kb, 999999);
		/* merged neighbours keep the higher ΣPSS stack */
		max = 0;
		for (size_t i = 0; i < b->npoints; i++)
			if (b->points[i].pss_kb > max)
				max = b->points[i].pss_kb;
		CHECK_INT(max, 888888);
		/* time still runs forward */
		for (size_t i = 1; i < b->npoints; i++)
			CHECK(b->points[i].t > b->points[i - 1].t);
	}

	/* phases */
	run_phase_begin(a, "spawn", 0);
	run_phase_begin(a, "fill", 0.5);
	run_phase_begin(a, "compute", 1.5);
	run_phase_end(a, 2);
	CHECK_INT(a->nphases, 3);
	CHECK(a->phases[0].end_s == 0.5);
	CHECK(run_phase_find(a, "fill")->end_s == 1.5);
	CHECK(run_phase_current(a)->end_s == 2);
	CHECK(run_phase_find(a, "attach") == NULL);

	/* comparison only when both are done */
	CHECK(!model_compare(a, b).ready);
	a->state = b->state = RUN_DONE;
	a->result.wall_s = 0.1;
	b->result.wall_s = 4;
	a->peak.pss_kb = 100;
	b->peak.pss_kb = 500;
	CHECK(model_compare(a, b).ready);
	CHECK_NEAR(model_compare(a, b).speedup, 40, 1e-9);
	CHECK_NEAR(model_compare(a, b).pss_ratio, 5, 1e-9);

	/* reset for a rerun */
	run_reset(a);
	CHECK_INT(a->npoints, 0);
	CHECK_INT(a->nphases, 0);
	CHECK_INT(a->state, RUN_WAITING);
	CHECK_STR(a->name, "shared");
	model_finish(&m);

	/* replay keeps every frame, found by time */
	model_init(&m, true);
	a = model_add_run(&m, "A", NULL, NULL);
	for (int i = 0; i < 10; i++) {
		rows[0].pid = 100 + i;
		CHECK(run_add_tick(a, i * 0.5, rows, 1, true));
	}
	CHECK_INT(a->nframes, 10);
	CHECK(run_frame_at(a, 1.2)->t == 1.0);
	CHECK_INT(run_frame_rows(a, run_frame_at(a, 1.2))[0].pid, 102);
	CHECK(run_frame_at(a, -0.0) != NULL);
	CHECK(run_frame_at(a, 100)->t == 4.5);
	model_finish(&m);

	/* the smaps peaks come from consistent samples only; a held or an
	 * estimated figure makes a total no moment of the tree, and says which */
	model_init(&m, false);
	a = model_add_run(&m, "A", NULL, NULL);
	rows[0] = row(1, 1000, 500, 100, 0);
	CHECK(run_add_tick(a, 0.1, rows, 1, true));
	rows[0] = row(1, 1000, 900, 100, 0);
	CHECK(run_add_tick(a, 0.2, rows, 1, false));
	CHECK_INT(a->peak.pss_kb, 500);
	CHECK_INT(a->nconsistent, 1);
	rows[0].smaps = SMAPS_STATE_HELD;
	p = model_totals(0.3, rows, 1);
	CHECK(p.pss_held);
	CHECK(!p.pss_estimated);
	CHECK(!p.consistent);
	CHECK(run_add_tick(a, 0.3, rows, 1, true));
	CHECK_INT(a->peak.pss_kb, 500);
	rows[0].smaps = SMAPS_STATE_ESTIMATED;
	p = model_totals(0.4, rows, 1);
	CHECK(p.pss_estimated);
	CHECK(!p.pss_held);
	CHECK(!p.consistent);
	model_finish(&m);
	model_finish(NULL);
	return check_done();
}
