/*
 * budget.h - the sampler's CPU budget: a token bucket of CPU seconds, and
 * what a smaps_rollup read is expected to cost.
 *
 * shmviz earns rate x elapsed wall time and spends the CPU it really used
 * (its process CPU time, charged at each tick and, inside a tick, after
 * each sweep of reads), holding at most the budget of one second or of two
 * intervals. A read is estimated as a fixed cost plus a cost per kB of
 * resident memory, the two learned apart (docs/architecture.md, "The life
 * of one sample" and "Measured costs"). The clocks are the caller's: the
 * functions take the times, so the arithmetic is unit-tested
 * (tests/unit/test_budget.c).
 */
#ifndef SHMVIZ_SAMPLE_BUDGET_H
#define SHMVIZ_SAMPLE_BUDGET_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

/* embedded in the sampler: budget_init(), no finish */
struct budget {
	double rate;          /* CPU s earned per s of wall time */
	double tokens;        /* CPU s that may still be spent */
	double cpu_mark;      /* process CPU s at the last settle or pay */
	double wall_mark;     /* monotonic s at the last settle */
	bool have_mark;       /* a settle happened since budget_begin() */
	double cost_fixed;    /* CPU s of a read, whatever its size */
	double cost_per_kb;   /* CPU s of a read per kB of RSS */
};

/* A budget of pct % of one core, with the costs measured on these
 * machines as priors. */
void budget_init(struct budget *b, double pct);

/* A run starts: what one interval earns is there at once. */
void budget_begin(struct budget *b, int interval_ms);

/* Earns for the wall time since the last settle and pays the CPU time
 * since the last settle or pay (wall and cpu: the clocks now). Returns the
 * CPU s paid; *elapsed_s is the wall time earned for (both 0 at the first
 * settle of a run). */
double budget_settle(struct budget *b, int interval_ms, double wall,
		     double cpu, double *elapsed_s);

/* Pays the CPU time since the last settle or pay at once (inside a tick,
 * so that a retry sees it). Returns the CPU s paid. */
double budget_pay(struct budget *b, double cpu);

/* What a smaps_rollup read of a process of rss_kb is expected to cost. */
double budget_read_cost(const struct budget *b, double rss_kb);

/* Learns from a batch of n reads of kb kB in all that took cpu s: the
 * fixed part from batches of small processes, the part per kB from
 * batches of large ones. */
void budget_learn_read(struct budget *b, size_t n, double kb, double cpu);

#endif
