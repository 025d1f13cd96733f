/*
 * test_highs.c - sweeps owed to the tree's highs and plateaus
 * (src/sample/highs.c), with the clocks given by the test.
 */
#include "check.h"
#include "src/sample/highs.h"

int main(void)
{
	struct highs h;

	/* one point of a core, whatever the budget: 10 ms held at most */
	highs_init(&h);
	CHECK_NEAR(h.rate, 0.01, 1e-12);
	CHECK_NEAR(h.allowance, 0.01, 1e-12);
	highs_earn(&h, 100.0);

	/* nothing stale: nothing owed, but the high is seen */
	CHECK(highs_due(&h, 10000, true, false, 0.001) == HIGH_NONE);
	CHECK(h.seen_rss_kb == 10000);
	/* at rest, stale, no peak yet: a plateau */
	CHECK(highs_due(&h, 10000, true, true, 0.001) == HIGH_PLATEAU);
	/* moving, not above the high seen by more than one moment (1%) */
	CHECK(highs_due(&h, 10050, false, true, 0.001) == HIGH_NONE);
	/* moving, a new high: owed while the allowance holds twice its cost */
	CHECK(highs_due(&h, 20000, false, true, 0.004) == HIGH_NEW);
	CHECK(highs_due(&h, 40000, false, true, 0.006) == HIGH_NONE);
	CHECK(h.seen_rss_kb == 40000);

	/* a sweep paid: the allowance falls, and earns one point again */
	highs_spend(&h, 0.008);
	CHECK_NEAR(h.allowance, 0.002, 1e-12);
	CHECK(highs_due(&h, 40000, true, true, 0.003) == HIGH_NONE);
	highs_earn(&h, 100.1);
	CHECK_NEAR(h.allowance, 0.003, 1e-9);
	CHECK(highs_due(&h, 40000, true, true, 0.0029) == HIGH_PLATEAU);
	/* never above what one second earns */
	highs_earn(&h, 200.0);
	CHECK_NEAR(h.allowance, 0.01, 1e-12);

	/* the peak so far: a tree whose ΣRSS is within one moment of its
	 * lower bound cannot hold a higher ΣPSS */
	highs_note_sample(&h, 40000, 1000);
	CHECK(h.peak_lo_kb == 39000);
	highs_note_sample(&h, 30000, -1);   /* unknown bound: not a peak */
	highs_note_sample(&h, 30000, 0);
	CHECK(h.peak_lo_kb == 39000);
	CHECK(highs_due(&h, 39300, true, true, 0.001) == HIGH_NONE);
	CHECK(highs_due(&h, 39500, true, true, 0.001) == HIGH_PLATEAU);

	/* a new run: nothing seen, the allowance full */
	highs_spend(&h, 0.009);
	highs_begin(&h);
	CHECK(h.seen_rss_kb == -1 && h.peak_lo_kb == -1);
	CHECK_NEAR(h.allowance, 0.01, 1e-12);
	/* an unknown ΣRSS owes nothing */
	CHECK(highs_due(&h, -1, true, true, 0.001) == HIGH_NONE);
	return check_done();
}
