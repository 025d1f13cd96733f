/*
 * test_budget.c - the sampler's token bucket and read costs
 * (src/sample/budget.c), with the clocks given by the test.
 */
#include "check.h"
#include "src/sample/budget.h"

int main(void)
{
	struct budget b;
	double el, spent;

	/* 5% of a core; a run at 100 ms starts with one interval's worth */
	budget_init(&b, 5.0);
	CHECK_NEAR(b.rate, 0.05, 1e-12);
	budget_begin(&b, 100);
	CHECK_NEAR(b.tokens, 0.005, 1e-12);

	/* the first settle of a run earns and pays nothing: it sets the marks */
	spent = budget_settle(&b, 100, 10.0, 2.0, &el);
	CHECK_NEAR(spent, 0, 1e-12);
	CHECK_NEAR(el, 0, 1e-12);
	CHECK_NEAR(b.tokens, 0.005, 1e-12);

	/* 0.1 s later, 1 ms of CPU: earns 5 ms, pays 1 ms */
	spent = budget_settle(&b, 100, 10.1, 2.001, &el);
	CHECK_NEAR(spent, 0.001, 1e-9);
	CHECK_NEAR(el, 0.1, 1e-9);
	CHECK_NEAR(b.tokens, 0.009, 1e-9);

	/* a long quiet time: held at the budget of one second (more than two
	 * intervals of 100 ms) */
	budget_settle(&b, 100, 100.0, 2.001, &el);
	CHECK_NEAR(b.tokens, 0.05, 1e-9);
	/* at 1 s intervals, the cap is two intervals: 0.1 s of CPU */
	budget_settle(&b, 1000, 150.0, 2.001, &el);
	CHECK_NEAR(b.tokens, 0.1, 1e-9);
	/* at 2 s intervals, two intervals (0.2 s) would pass the 10 s window
	 * by more than one point: held at BUDGET_SLACK_S */
	budget_settle(&b, 2000, 200.0, 2.001, &el);
	CHECK_NEAR(b.tokens, 0.1, 1e-9);
	CHECK_NEAR(budget_cap(&b, 2000), 0.1, 1e-12);
	/* reads taken whatever the budget holds stop at the floor: the cap
	 * saved and the debt left add up to one point over the window */
	CHECK_NEAR(budget_floor(&b, 100), 0.05 - 0.1, 1e-12);
	CHECK_NEAR(budget_floor(&b, 2000), 0.0, 1e-12);
	{
		struct budget big;

		budget_init(&big, 50.0);
		CHECK_NEAR(budget_floor(&big, 100), 0.0, 1e-12);
	}
	/* reads owed whatever the budget holds: above the floor; one no
	 * bucket holds (more than the cap and the floor's debt: 0.1 s) as a
	 * debt, when the bucket is not in debt or its sweep goes on */
	{
		struct budget o;

		budget_init(&o, 5.0);
		budget_begin(&o, 100);
		CHECK(budget_may_owe(&o, 100, 0.05, 0.09, false));
		CHECK(budget_may_owe(&o, 100, 0.05, 0.11, false));
		CHECK(!budget_may_owe(&o, 100, -0.01, 0.09, false));
		CHECK(!budget_may_owe(&o, 100, -0.01, 0.09, true));
		CHECK(budget_may_owe(&o, 100, 0.0, 0.12, false));
		CHECK(!budget_may_owe(&o, 100, -0.07, 0.12, false));
		CHECK(budget_may_owe(&o, 100, -0.07, 0.12, true));
		/* the sweep in debt stops at one window's budget (0.5 s at
		 * 5%) below the floor (-0.05 s) */
		CHECK(budget_may_owe(&o, 100, -0.3, 0.12, true));
		CHECK(!budget_may_owe(&o, 100, -0.5, 0.12, true));
		budget_init(&o, 0.0);
		CHECK(!budget_may_owe(&o, 100, 0.0, 0.12, true));
	}
	b.tokens = 0.2;

	/* paying inside a tick: at once, and not again at the next settle */
	spent = budget_pay(&b, 2.101);
	CHECK_NEAR(spent, 0.1, 1e-9);
	CHECK_NEAR(b.tokens, 0.1, 1e-9);
	spent = budget_settle(&b, 2000, 200.0, 2.101, &el);
	CHECK_NEAR(spent, 0, 1e-12);
	CHECK_NEAR(b.tokens, 0.1, 1e-9);
	/* a debt: tokens go below zero, and come back with time */
	budget_pay(&b, 2.401);
	CHECK(b.tokens < 0);
	budget_settle(&b, 2000, 202.0, 2.401, &el);
	CHECK_NEAR(b.tokens, -0.2 + 0.1, 1e-9);

	/* a new run starts again from one interval's worth */
	budget_begin(&b, 100);
	CHECK_NEAR(b.tokens, 0.005, 1e-12);
	spent = budget_settle(&b, 100, 300.0, 9.0, &el);
	CHECK_NEAR(spent, 0, 1e-12);

	/* read costs: the priors, a fixed part and a part per kB */
	budget_init(&b, 5.0);
	CHECK_NEAR(budget_read_cost(&b, 0), 100e-6, 1e-12);
	CHECK_NEAR(budget_read_cost(&b, -5), 100e-6, 1e-12);
	CHECK_NEAR(budget_read_cost(&b, 234375), 100e-6 + 2.5e-3, 1e-9);

	/* small processes teach the fixed part only: 10 reads of 100 kB in
	 * 2 ms: 200 us a read, averaged with the prior */
	budget_learn_read(&b, 10, 1000, 0.002);
	CHECK_NEAR(b.cost_fixed, 100e-6 * 0.7 + 200e-6 * 0.3, 1e-12);
	CHECK_NEAR(b.cost_per_kb, 2.5e-3 / 234375.0, 1e-15);
	/* large ones teach the part per kB only: 2 reads of 100 MB in 10 ms,
	 * less the fixed part */
	{
		double fixed = b.cost_fixed, per_kb = b.cost_per_kb;
		double kb = 2 * 102400.0;

		budget_learn_read(&b, 2, kb, 0.010);
		CHECK_NEAR(b.cost_fixed, fixed, 1e-15);
		CHECK_NEAR(b.cost_per_kb,
			   per_kb * 0.7 + (0.010 - 2 * fixed) / kb * 0.3, 1e-15);
	}
	/* in between (16 MiB a read) teaches nothing */
	{
		struct budget before = b;

		budget_learn_read(&b, 4, 4 * 16384.0, 0.004);
		CHECK_NEAR(b.cost_fixed, before.cost_fixed, 1e-15);
		CHECK_NEAR(b.cost_per_kb, before.cost_per_kb, 1e-15);
	}
	return check_done();
}
