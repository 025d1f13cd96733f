/*
 * budget.c - the sampler's token bucket and read costs (budget.h).
 */
#include "src/sample/budget.h"

#include <math.h>

/* the weight of a new measure in a cost's moving average */
#define EWMA 0.3
/* what a batch of reads teaches (see budget_learn_read()) */
#define SMALL_KB 4096.0
#define LARGE_KB 32768.0
/* before anything is measured: a read of a small process, and 2.5 ms for
 * 229 MiB mapped (a page-table walk: docs/architecture.md, "Measured costs") */
#define COST_FIXED_PRIOR 100e-6
#define COST_PER_KB_PRIOR (2.5e-3 / 234375.0)

static void ewma(double *avg, double v)
{
	*avg = *avg > 0 ? *avg * (1 - EWMA) + v * EWMA : v;
}

void budget_init(struct budget *b, double pct)
{
	*b = (struct budget){
		.rate = pct / 100.0,
		.cost_fixed = COST_FIXED_PRIOR,
		.cost_per_kb = COST_PER_KB_PRIOR,
	};
}

void budget_begin(struct budget *b, int interval_ms)
{
	b->have_mark = false;
	b->tokens = b->rate * interval_ms / 1000.0;
}

double budget_cap(const struct budget *b, int interval_ms)
{
	return fmin(b->rate * fmax(1.0, 2.0 * interval_ms / 1000.0), BUDGET_SLACK_S);
}

double budget_floor(const struct budget *b, int interval_ms)
{
	return fmin(0.0, budget_cap(b, interval_ms) - BUDGET_SLACK_S);
}

double budget_settle(struct budget *b, int interval_ms, double wall,
		     double cpu, double *elapsed_s)
{
	double cap = budget_cap(b, interval_ms);
	double spent = 0;

	*elapsed_s = 0;
	if (b->have_mark) {
		spent = cpu - b->cpu_mark;
		*elapsed_s = wall - b->wall_mark;
		b->tokens += b->rate * *elapsed_s - spent;
		if (b->tokens > cap)
			b->tokens = cap;
	}
	b->cpu_mark = cpu;
	b->wall_mark = wall;
	b->have_mark = true;
	return spent;
}

double budget_pay(struct budget *b, double cpu)
{
	double spent = cpu - b->cpu_mark;

	b->tokens -= spent;
	b->cpu_mark = cpu;
	return spent;
}

bool budget_may_owe(const struct budget *b, int interval_ms, double avail,
		    double cost, bool sweeping)
{
	double cap = budget_cap(b, interval_ms), low = budget_floor(b, interval_ms);

	if (avail - cost >= low)
		return true;
	/* one that fits a bucket waits until the bucket holds it */
	if (cost <= cap - low || b->rate <= 0)
		return false;
	/* a new debt once the last is repaid; a sweep in debt goes on
	 * while its debt stays within one window's budget more (a tree of
	 * many such members, or one that keeps forking them, cannot keep
	 * the sampler reading at full speed) */
	return avail >= 0 ||
	       (sweeping && avail - cost >= low - b->rate * BUDGET_WINDOW_S);
}

double budget_read_cost(const struct budget *b, double rss_kb)
{
	return b->cost_fixed + b->cost_per_kb * (rss_kb > 0 ? rss_kb : 0);
}

/* A batch of the first kind must not teach the second: 100 us for a 16 kB
 * process is not 6 us a kB. */
void budget_learn_read(struct budget *b, size_t n, double kb, double cpu)
{
	double mean_kb = kb / (double)n;

	if (mean_kb < SMALL_KB)
		ewma(&b->cost_fixed, cpu / (double)n);
	else if (mean_kb > LARGE_KB)
		ewma(&b->cost_per_kb, fmax(0, cpu - b->cost_fixed * (double)n) / kb);
}
