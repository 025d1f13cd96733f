/* Unit tests of the decay fold (src/core/decay.c) on synthetic samples: a
 * parent of S KiB forks two workers that copy the same pages, step by
 * step; the shared and private parts, the window (joins restart it,
 * leaves close it), the rate and the interpolated half-life, each against
 * figures computed here from the sizes. */
#include <string.h>

#include "check.h"
#include "src/core/decay.h"
#include "src/core/model.h"

#define S 1000 /* KiB the parent shares with its workers */

static struct proc_row row(pid_t pid, enum proc_role role, int64_t shared,
			   int64_t private, int nmappers)
{
	struct proc_row w;

	memset(&w, 0, sizeof(w));
	w.pid = pid;
	w.start_ticks = (uint64_t)pid * 10;
	w.role = role;
	w.state = 'S';
	w.smaps = SMAPS_STATE_READ;
	w.mem = (struct smaps_kb){ .rss = shared + private,
				   .pss = shared / nmappers + private,
				   .shared_clean = 0, .shared_dirty = shared,
				   .private_clean = 0, .private_dirty = private,
				   .swap = 0, .pss_shmem = 0 };
	return w;
}

/* The tree after each worker copied d KiB (the same pages): the parent's
 * originals of them are its own again. */
static size_t tree(struct proc_row *rows, int64_t d)
{
	rows[0] = row(100, ROLE_PARENT, S - d, d, 3);
	rows[1] = row(101, ROLE_WORKER, S - d, d, 3);
	rows[2] = row(102, ROLE_WORKER, S - d, d, 3);
	return 3;
}

static void fold_steps(void)
{
	struct decay d;
	struct proc_row rows[3];
	const struct decay_proc *fast;

	decay_init(&d);
	/* the parent alone: a window of one, restarted by the fork */
	rows[0] = row(100, ROLE_PARENT, 0, S, 1);
	decay_tick(&d, 0.0, rows, 1, true);
	CHECK(d.tree.known);
	CHECK_INT(d.tree.shared0_kb, 0);
	decay_tick(&d, 1.0, rows, tree(rows, 0), true);
	CHECK_NEAR(d.tree.t0, 1.0, 1e-9);
	CHECK_INT(d.tree.shared0_kb, S - S % 3); /* three thirds of S */
	CHECK_INT(d.nprocs, 3);
	CHECK_INT(d.procs[1].fig.shared0_kb, S);
	/* 200 KiB copied a second: at 3.0 s 400, at 4.0 s 600 (half at
	 * 3.5 s), then nothing more */
	decay_tick(&d, 2.0, rows, tree(rows, 200), true);
	decay_tick(&d, 3.0, rows, tree(rows, 400), true);
	CHECK(!d.tree.halved);
	decay_tick(&d, 4.0, rows, tree(rows, 600), true);
	decay_tick(&d, 5.0, rows, tree(rows, 600), true);
	CHECK(d.tree.halved);
	/* shared0 999, at 3.0 s 399 + 0 (3 thirds of 600 = 600 - 0), ... */
	{
		int64_t s0 = S - S % 3, s3 = (S - 400) / 3 * 3, s4 = (S - 600) / 3 * 3;
		double half = 3.0 + ((double)s3 - s0 / 2.0) / (double)(s3 - s4);

		CHECK_NEAR(d.tree.half_life_s, half - 1.0, 1e-9);
		CHECK_INT(decay_lost_kb(&d.tree), s0 - s4);
		CHECK_NEAR(decay_rate_kb_s(&d.tree), (double)(s0 - s4) / 3.0, 1e-9);
		CHECK_NEAR(d.tree.t_min, 4.0, 1e-9);
	}
	CHECK_INT(d.tree.private_last_kb, 3 * 600);
	/* each worker: S shared at 1.0 s, half of it gone at 3.5 s */
	CHECK(d.procs[1].fig.halved);
	CHECK_NEAR(d.procs[1].fig.half_life_s, 2.5, 1e-9);
	CHECK_NEAR(decay_rate_kb_s(&d.procs[1].fig), 200.0, 1e-9);
	CHECK_INT(d.procs[2].fig.private_last_kb, 600);
	fast = decay_fastest(&d);
	CHECK(fast != NULL);
	/* a worker leaves: the window closes, nothing after counts */
	rows[2].state = 'x';
	decay_tick(&d, 6.0, rows, 3, true);
	CHECK(d.closed);
	rows[0] = row(100, ROLE_PARENT, 0, S, 1);
	decay_tick(&d, 7.0, rows, 1, true);
	CHECK_NEAR(d.tree.t_last, 5.0, 1e-9);
	CHECK_INT(decay_lost_kb(&d.tree), (S - S % 3) - (S - 600) / 3 * 3);
}

/* A sample with a figure unknown does not count; the window starts at the
 * first complete one after the join */
static void incomplete(void)
{
	struct decay d;
	struct proc_row rows[3];

	decay_init(&d);
	tree(rows, 0);
	rows[2].mem.pss = MODEL_KB_NONE;
	decay_tick(&d, 1.0, rows, 3, true);
	CHECK(!d.tree.known);
	CHECK(d.pending);
	decay_tick(&d, 2.0, rows, tree(rows, 100), true);
	CHECK(d.tree.known);
	CHECK_NEAR(d.tree.t0, 2.0, 1e-9);
	CHECK_INT(d.procs[2].fig.shared0_kb, S - 100);
	/* a sample of no one moment does not count */
	decay_tick(&d, 2.5, rows, tree(rows, 900), false);
	CHECK_INT(d.tree.shared_min_kb, (S - 100) / 3 * 3);
	/* nothing lost: no rate, no half-life */
	decay_tick(&d, 3.0, rows, tree(rows, 100), true);
	CHECK_INT(decay_lost_kb(&d.tree), 0);
	CHECK_NEAR(decay_rate_kb_s(&d.tree), 0, 0);
	CHECK(!d.tree.halved);
	CHECK(decay_fastest(&d) == NULL);
}

/* A worker that joins later restarts the window (a pid reused counts as
 * a new member: pid and start time) */
static void rejoin(void)
{
	struct decay d;
	struct proc_row rows[3];

	decay_init(&d);
	decay_tick(&d, 1.0, rows, tree(rows, 0), true);
	decay_tick(&d, 2.0, rows, tree(rows, 500), true);
	CHECK(d.tree.halved);
	tree(rows, 500);
	rows[2].start_ticks++;
	CHECK_INT(d.windows, 1);
	decay_tick(&d, 3.0, rows, 3, true);
	CHECK_INT(d.windows, 2);
	CHECK_NEAR(d.tree.t0, 3.0, 1e-9);
	CHECK(!d.tree.halved);
	CHECK_INT(d.procs[2].start_ticks, rows[2].start_ticks);
}

/* The fold of one series: a sample that falls straight to half or below
 * (no sample between) is the half-life when the one before is not
 * higher */
static void one_series(void)
{
	struct decay_fig f;

	memset(&f, 0, sizeof(f));
	decay_fig_add(&f, 1.0, 800, 0);
	CHECK(f.known);
	decay_fig_add(&f, 2.0, 800, 0);
	decay_fig_add(&f, 4.0, 0, 800);
	CHECK_NEAR(f.half_life_s, 2.0, 1e-9); /* 800 at 2 s, 0 at 4 s: 400 at 3 s */
	CHECK_NEAR(decay_rate_kb_s(&f), 800.0 / 3.0, 1e-9);
	decay_fig_start(&f, 0.0, 0, 100);
	decay_fig_add(&f, 1.0, 0, 100);
	CHECK(!f.halved);
}

/* The end of a fall: the first sample within 1% of what was lost above
 * the lowest, so that a drift of a few KiB seconds later (a prefork
 * worker's last pages) is not taken for it; a creep beyond 1% is */
static void end_of_fall(void)
{
	struct decay_fig f;

	memset(&f, 0, sizeof(f));
	decay_fig_add(&f, 0.0, 150000, 0);
	decay_fig_add(&f, 0.2, 60000, 0);
	decay_fig_add(&f, 0.35, 11060, 0);  /* the fall ends here */
	decay_fig_add(&f, 1.0, 11062, 0);
	decay_fig_add(&f, 2.53, 11056, 0);  /* 4 KiB lower, 1% is 1389 */
	CHECK_INT(f.shared_min_kb, 11056);
	CHECK_NEAR(f.t_min, 0.35, 1e-9);
	CHECK_NEAR(decay_rate_kb_s(&f), (150000.0 - 11056) / 0.35, 1e-6);
	decay_fig_add(&f, 3.0, 9000, 0);    /* 2056 lower: beyond 1% (1410) */
	CHECK_NEAR(f.t_min, 3.0, 1e-9);
	/* a creep of more steps than the candidates kept, each within 1%:
	 * the oldest stays the end, the line never passes it */
	memset(&f, 0, sizeof(f));
	decay_fig_add(&f, 0.0, 100000, 0);
	decay_fig_add(&f, 1.0, 10000, 0);
	for (int i = 1; i <= 3 * DECAY_LOWS; i++)
		decay_fig_add(&f, 1.0 + i, 10000 - i, 0);
	CHECK_NEAR(f.t_min, 1.0, 1e-9);
	CHECK_INT(f.shared_min_kb, 10000 - 3 * DECAY_LOWS);
}

/* The member named first to lose half of its shared part (the summary's
 * "first to lose half"): the one whose half-life is the shortest, not the
 * first in the table nor the one that lost the most; before any member
 * halved, the one that lost the most. Worker 101 copies 100 KiB a second
 * (half its S at 6.0 s), worker 102 250 (at 3.0 s), the parent nothing. */
static void fastest(void)
{
	struct decay d;
	struct proc_row rows[3];
	const struct decay_proc *f;

	decay_init(&d);
	for (int k = 0; k <= 6; k++) {
		double t = 1.0 + k;

		rows[0] = row(100, ROLE_PARENT, S, 0, 3);
		rows[1] = row(101, ROLE_WORKER, S - 100 * k, 100 * k, 3);
		rows[2] = row(102, ROLE_WORKER, S - 250 * k > 0 ? S - 250 * k : 0,
			      S - 250 * k > 0 ? 250 * k : S, 3);
		decay_tick(&d, t, rows, 3, true);
		f = decay_fastest(&d);
		if (k == 0) {
			CHECK(f == NULL);
		} else if (k == 1) {
			/* nobody halved: the most lost */
			CHECK(f && f->pid == 102 && !f->fig.halved);
		} else {
			CHECK(f && f->pid == 102);
			CHECK(f && f->fig.halved);
			CHECK_NEAR(f ? f->fig.half_life_s : -1, 2.0, 1e-9);
		}
	}
	CHECK(d.procs[1].pid == 101 && d.procs[1].fig.halved);
	CHECK_NEAR(d.procs[1].fig.half_life_s, 5.0, 1e-9);
}

int main(void)
{
	fold_steps();
	incomplete();
	rejoin();
	one_series();
	end_of_fall();
	fastest();
	return check_done();
}
