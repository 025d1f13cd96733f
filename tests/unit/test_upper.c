/* Unit tests of the peak's upper end (src/core/upper.c; docs/recording.md,
 * "The peak's upper end"): a short peak between two samples, a sample read
 * while workers attached, joiners never read, what a later sample lowers,
 * the window, a sample that missed members, and what the summary says. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "src/core/model.h"
#include "src/report/summary.h"

#define PAGE 4096

/* one member: its RSS counter and faults, and a read of PSS = pss
 * (shares of nothing else: private pages only, or pss_file where given) */
static struct proc_row member(pid_t pid, int64_t rss, uint64_t faults, int64_t pss)
{
	struct proc_row w;

	memset(&w, 0, sizeof(w));
	w.pid = pid;
	w.role = ROLE_CHILD;
	w.start_ticks = 1000 + (uint64_t)pid;
	w.state = 'S';
	w.smaps = pss >= 0 ? SMAPS_STATE_READ : SMAPS_STATE_NONE;
	w.rss_now_kb = rss;
	w.minflt = faults;
	w.mem = (struct smaps_kb)SMAPS_KB_NONE;
	if (pss >= 0)
		w.mem = (struct smaps_kb){ .rss = rss, .pss = pss, .private_dirty = pss,
					   .private_clean = 0, .pss_file = 0, .pss_shmem = 0,
					   .pss_anon = pss, .shared_clean = 0, .shared_dirty = 0,
					   .swap = 0, .anonymous = pss };
	return w;
}

/* a model of one run (the first run of a model always exists) */
static struct run *fresh(struct model *m)
{
	struct run *r;

	model_init(m, false);
	m->host.page_size = PAGE;
	r = model_add_run(m, "r", "r", NULL);
	if (!r)
		abort();
	return r;
}

/* 10 MiB, then 20 MiB faulted and freed between two samples: the peak
 * read is 10 MiB, the upper end 30 MiB, and the summary says the range */
static void spike_between(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 10240, 100, 10240);
	struct proc_row b = member(10, 10240, 100 + 5120, 10240); /* 20 MiB of faults */
	char buf[SUMMARY_PEAK_MAX];

	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	CHECK(run_add_tick_bounded(r, 0.2, &b, 1, 0));
	CHECK_INT(r->peak.pss_kb, 10240);
	CHECK_INT(run_peak_high_kb(r), 30720);
	CHECK(run_peak_wide(r));
	CHECK_STR(summary_peak_text(buf, sizeof(buf), r, false), "\xe2\x89\xa5 10 MiB (\xe2\x89\xa4 30 MiB)");
	CHECK_STR(summary_peak_text(buf, sizeof(buf), r, true), "\xe2\x89\xa5" "10M");
	model_finish(&m);
}

/* nothing moved: the peak is one moment, a plain number */
static void at_rest(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 10240, 100, 10240);
	char buf[SUMMARY_PEAK_MAX];

	for (int i = 0; i < 5; i++)
		CHECK(run_add_tick_bounded(r, 0.1 * (i + 1), &a, 1, 0));
	CHECK_INT(run_peak_high_kb(r), 10240);
	CHECK(!run_peak_wide(r));
	CHECK_STR(summary_peak_text(buf, sizeof(buf), r, false), "10 MiB");
	model_finish(&m);
}

/* a worker attaches a 40 MiB segment the parent holds: the sample read
 * during the attach has a wide bound, the next is one moment with nothing
 * left between: the later sample lowers the wide one's upper end, and the
 * faults of the attach (pages already in the tree) to it too */
static void attach_lowered(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row s0[2], s1[2], s2[2];

	s0[0] = member(10, 40960, 10240, 40960);
	s0[1] = member(11, 1024, 10, 1024);
	/* mid-attach: the parent read before, the worker after: 40 + 20 */
	s1[0] = member(10, 40960, 10240, 40960);
	s1[1] = member(11, 41984, 10 + 10240, 20992);
	/* one moment: 20 MiB each */
	s2[0] = member(10, 40960, 10240, 20480);
	s2[1] = member(11, 41984, 10 + 10240, 21504);
	CHECK(run_add_tick_bounded(r, 0.1, s0, 2, 0));
	CHECK(run_add_tick_bounded(r, 0.2, s1, 2, 40960));
	/* before the next sample the wide one may have held its own upper
	 * end, ΣRSS */
	CHECK_INT(run_peak_high_kb(r), 41984 + 40960);
	CHECK(run_add_tick_bounded(r, 0.3, s2, 2, 0));
	CHECK_INT(r->peak.pss_kb, 41984);
	CHECK_INT(run_peak_high_kb(r), 41984);
	CHECK(!run_peak_wide(r));
	model_finish(&m);
}

/* processes join and are never read (unknown bounds): the upper end is
 * what they may have brought, their RSS, never the first sample's figure */
static void joiners_unread(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row rows[51];

	rows[0] = member(10, 1800, 50, 300);
	CHECK(run_add_tick_bounded(r, 0.01, rows, 1, 0));
	for (int i = 1; i <= 50; i++)
		rows[i] = member(10 + i, 1800, 40, -1);
	CHECK(run_add_tick_bounded(r, 0.1, rows, 51, MODEL_KB_NONE));
	CHECK_INT(r->peak.pss_kb, 300);
	/* v: 300 + 50 × 1800 (their RSS), below ΣRSS = 51 × 1800 */
	CHECK_INT(run_peak_high_kb(r), 300 + 50 * 1800);
	CHECK(run_peak_wide(r));
	model_finish(&m);
}

/* a joiner read as new brings its private pages and shares of files and
 * shared memory: a forked child's anonymous shares are its parent's */
static void joiner_read(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row rows[2];

	rows[0] = member(10, 51200, 100, 51200);
	CHECK(run_add_tick_bounded(r, 0.1, rows, 1, 0));
	rows[0] = member(10, 51200, 100, 25600);
	rows[1] = member(11, 51200, 5, 25600);
	/* the child's 50 MiB shared with the parent: 512 KiB private, 300
	 * KiB of file shares */
	rows[1].mem.private_dirty = 512;
	rows[1].mem.pss_file = 300;
	CHECK(run_add_tick_bounded(r, 0.2, rows, 2, 1024));
	/* min(51200 + 512 + 300, ΣPSS 51200 + its bound 1024, ΣRSS): what
	 * the joiner brought, not its 50 MiB of RSS */
	CHECK_INT(run_peak_high_kb(r), 51200 + 812);
	model_finish(&m);
}

/* the attach of attach_lowered(), then `gap` samples that say nothing
 * new (bounds unknown), then one moment: the upper end of the sample read
 * during the attach */
static int64_t lowered_after(int gap)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row s0[2], s1[2], s2[2];
	int64_t hi;

	s0[0] = member(10, 40960, 10240, 40960);
	s0[1] = member(11, 1024, 10, 1024);
	s1[0] = member(10, 40960, 10240, 40960);
	s1[1] = member(11, 41984, 10 + 10240, 20992);
	s2[0] = member(10, 40960, 10240, 20480);
	s2[1] = member(11, 41984, 10 + 10240, 21504);
	CHECK(run_add_tick_bounded(r, 0.1, s0, 2, 0));
	CHECK(run_add_tick_bounded(r, 0.2, s1, 2, 40960));
	for (int i = 0; i < gap; i++)
		CHECK(run_add_tick_bounded(r, 0.3 + 0.1 * i, s1, 2, MODEL_KB_NONE));
	CHECK(run_add_tick_bounded(r, 0.4 + 0.1 * gap, s2, 2, 0));
	hi = run_peak_high_kb(r);
	model_finish(&m);
	return hi;
}

/* the 32 samples after one lower its upper end and that of the moments
 * before it, the 33rd no longer (the samples between say the same:
 * ΣRSS) */
static void window(void)
{
	CHECK_INT(lowered_after(0), 41984);
	CHECK_INT(lowered_after(31), 41984);
	CHECK_INT(lowered_after(32), 41984 + 40960);
	CHECK_INT(lowered_after(40), 41984 + 40960);
}

/* a child that faults 200 MiB after its last sample and exits: its
 * parent's count of its reaped children's faults shows them; faults the
 * samples had seen already count once */
static int64_t reaped_child(uint64_t after_last)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row rows[2];
	int64_t hi;

	rows[0] = member(10, 1024, 100, 1024);
	rows[1] = member(11, 1024, 5000, 1024);
	rows[1].ppid = 10;
	CHECK(run_add_tick_bounded(r, 0.1, rows, 2, 0));
	CHECK(run_add_tick_bounded(r, 0.2, rows, 2, 0));
	/* the child gone, reaped by its parent */
	rows[0].child_faults = 5000 + after_last;
	CHECK(run_add_tick_bounded(r, 0.3, rows, 1, 0));
	hi = run_peak_high_kb(r);
	model_finish(&m);
	return hi;
}

static void reaped(void)
{
	/* the 5000 faults it had shown count nothing more */
	CHECK_INT(reaped_child(0), 2048);
	/* 51200 pages after its last sample: 200 MiB may have been held */
	CHECK_INT(reaped_child(51200), 2048 + 204800);
}

/* after the last sample: the tree's faults shmviz got when it reaped it,
 * less those the samples saw; none for a tree shmviz did not start */
static void end_of_run(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 1024, 100, 1024);

	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	r->state = RUN_DONE;
	r->result.minflt = 100 + 25600;
	r->result.cpu_user_s = 0.5;
	CHECK_INT(run_peak_high_kb(r), 1024 + 102400);
	r->result.minflt = 100;
	CHECK_INT(run_peak_high_kb(r), 1024);
	/* --attach: no rusage, no figure of the tree's faults */
	r->result.minflt = 100 + 25600;
	r->result.cpu_user_s = -1;
	CHECK_INT(run_peak_high_kb(r), 1024);
	/* still running: not yet */
	r->result.cpu_user_s = 0.5;
	r->state = RUN_RUNNING;
	CHECK_INT(run_peak_high_kb(r), 1024);
	model_finish(&m);
}

/* a child seen only once, read as new, had faulted 256 MiB since its
 * fork and let it go: its faults, not only what it holds */
static void joiner_faults(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row rows[2];

	rows[0] = member(10, 1024, 100, 1024);
	CHECK(run_add_tick_bounded(r, 0.1, rows, 1, 0));
	rows[1] = member(11, 1124, 65536, 100);
	rows[1].ppid = 10;
	CHECK(run_add_tick_bounded(r, 0.2, rows, 2, 0));
	CHECK(run_add_tick_bounded(r, 0.3, rows, 2, 0));
	CHECK_INT(r->peak.pss_kb, 1124);
	/* between the first two: 1024 + 262144 */
	CHECK_INT(run_peak_high_kb(r), 1024 + 262144);
	model_finish(&m);
}

/* shmviz reaps an orphan it never saw, 200 MiB of faults: counted where
 * the count rose; one it saw counts only what it did since */
static int64_t orphan(uint64_t seen_faults)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row rows[2];
	int64_t hi;

	rows[0] = member(10, 1024, 100, 1024);
	rows[0].role = ROLE_PARENT;
	rows[0].ppid = 1; /* shmviz, the run's root's parent */
	rows[1] = member(12, 1024, seen_faults, 1024);
	rows[1].ppid = 1; /* reparented to shmviz, the subreaper */
	run_tick_counters(r, 0, -1);
	CHECK(run_add_tick_bounded(r, 0.1, rows, seen_faults ? 2 : 1, 0));
	run_tick_counters(r, 51200, -1);
	CHECK(run_add_tick_bounded(r, 0.2, rows, 1, 0));
	run_tick_counters(r, 51200, -1);
	CHECK(run_add_tick_bounded(r, 0.3, rows, 1, 0));
	hi = run_peak_high_kb(r);
	model_finish(&m);
	return hi;
}

static void orphans(void)
{
	CHECK_INT(orphan(0), 1024 + 204800);
	/* it had shown all 51200 faults: nothing more, its RSS at most */
	CHECK_INT(orphan(51200), 2048);
}

/* a huge page fault counts once in minflt: the machine's huge page
 * faults count whole */
static void huge_pages(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 1024, 100, 1024);

	run_tick_counters(r, -1, 4096);
	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	a.minflt += 128; /* 128 faults of 2 MiB, gone by the next sample */
	run_tick_counters(r, -1, 4096 + 128 * 2048);
	CHECK(run_add_tick_bounded(r, 0.2, &a, 1, 0));
	CHECK_INT(run_peak_high_kb(r), 1024 + 128 * 4 + 128 * 2048);
	/* no count (an older recording): only the faults */
	model_finish(&m);
	r = fresh(&m);
	a.minflt = 100;
	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	a.minflt += 128;
	CHECK(run_add_tick_bounded(r, 0.2, &a, 1, 0));
	CHECK_INT(run_peak_high_kb(r), 1024 + 128 * 4);
	model_finish(&m);
}

/* a child that faults 200 MiB and exits between two samples, seen at the
 * second as a zombie (its parent reaps it later): its last faults count
 * in that interval, not when it is reaped */
static void zombie(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row rows[2];

	rows[0] = member(10, 1024, 100, 1024);
	rows[1] = member(11, 1024, 100, 1024);
	rows[1].ppid = 10;
	CHECK(run_add_tick_bounded(r, 0.1, rows, 2, 0));
	rows[1].minflt += 51200;
	rows[1].state = 'Z';
	rows[1].smaps = SMAPS_STATE_GONE;
	rows[1].rss_now_kb = 0;
	CHECK(run_add_tick_bounded(r, 0.2, rows, 2, 0));
	/* reaped: its parent's count holds its faults, owed already */
	rows[0].child_faults = 51300;
	CHECK(run_add_tick_bounded(r, 0.3, rows, 1, 0));
	CHECK(run_add_tick_bounded(r, 0.4, rows, 1, 0));
	CHECK_INT(run_peak_high_kb(r), 2048 + 204800);
	model_finish(&m);
}

/* a sample that missed members breaks the chain: the moments around it
 * have no upper end, and the peak says so */
static void broken_chain(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 10240, 100, 10240);
	char buf[SUMMARY_PEAK_MAX];

	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	CHECK(run_add_tick_bounded(r, 0.2, &a, 1, 0));
	run_mark_missing(r, "test");
	CHECK(run_add_tick_bounded(r, 0.3, &a, 1, 0));
	CHECK_INT(run_peak_high_kb(r), MODEL_KB_NONE);
	CHECK(run_peak_wide(r));
	CHECK_STR(summary_peak_text(buf, sizeof(buf), r, false), "\xe2\x89\xa5 10 MiB (\xe2\x89\xa4 ?)");
	model_finish(&m);
}

/* a sample that broke the chain itself (a joiner with no figure at all,
 * so no upper end of its own) and then turns out to have missed members:
 * taken back, the chain stays broken (the moments before it have no
 * upper end) */
static void broken_then_undone(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 10240, 100, 10240);
	struct proc_row two[2] = { member(10, 10240, 100, 10240), member(11, -1, 0, -1) };

	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	CHECK(run_add_tick_bounded(r, 0.2, two, 2, 0));
	run_mark_missing(r, "test");
	CHECK(run_add_tick_bounded(r, 0.3, &a, 1, 0));
	CHECK(r->upper.st.broken);
	CHECK_INT(run_peak_high_kb(r), MODEL_KB_NONE);
	model_finish(&m);
}

/* a sample that missed members but held no live one was never folded:
 * taking it back leaves the sample before as it was */
static void nothing_to_undo(void)
{
	struct model m;
	struct run *r = fresh(&m);
	struct proc_row a = member(10, 10240, 100, 10240);
	struct proc_row gone = member(10, 0, 100, -1);

	gone.state = 'x';
	gone.smaps = SMAPS_STATE_GONE;
	CHECK(run_add_tick_bounded(r, 0.1, &a, 1, 0));
	CHECK(run_add_tick_bounded(r, 0.2, &gone, 1, MODEL_KB_NONE));
	run_mark_missing(r, "test");
	CHECK_INT(run_peak_high_kb(r), 10240);
	CHECK(!r->upper.st.broken);
	model_finish(&m);
}

/* the comparison's range takes the upper ends */
static void compare_range(void)
{
	struct model m;
	struct run *a, *b;
	struct proc_row x = member(10, 10240, 100, 10240);
	struct proc_row y = member(20, 30720, 100, 30720);
	struct proc_row y2 = member(20, 30720, 100 + 2560, 30720); /* 10 MiB churn */
	struct comparison c;

	model_init(&m, false);
	m.host.page_size = PAGE;
	a = model_add_run(&m, "a", "a", NULL);
	b = model_add_run(&m, "b", "b", NULL);
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(run_add_tick_bounded(a, 0.1, &x, 1, 0));
	CHECK(run_add_tick_bounded(b, 0.1, &y, 1, 0));
	CHECK(run_add_tick_bounded(b, 0.2, &y2, 1, 0));
	a->state = b->state = RUN_DONE;
	c = model_compare(a, b);
	CHECK_NEAR(c.pss_ratio, 3.0, 1e-9);
	CHECK_NEAR(c.pss_ratio_lo, 3.0, 1e-9);
	CHECK_NEAR(c.pss_ratio_hi, 4.0, 1e-9);
	model_finish(&m);
}

int main(void)
{
	spike_between();
	at_rest();
	attach_lowered();
	joiners_unread();
	joiner_read();
	window();
	joiner_faults();
	orphans();
	huge_pages();
	zombie();
	broken_chain();
	broken_then_undone();
	nothing_to_undo();
	reaped();
	end_of_run();
	compare_range();
	return check_done();
}
