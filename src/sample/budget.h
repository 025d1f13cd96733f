/*
 * budget.h - the sampler's CPU budget: a token bucket of CPU seconds, and
 * what a smaps_rollup read is expected to cost.
 *
 * shmviz earns rate x elapsed wall time and spends the CPU it really used
 * (its process CPU time, charged at each tick and, inside a tick, after
 * each sweep of reads), holding at most the budget of one second or of two
 * intervals, and never more than BUDGET_SLACK_S: so that over any window
 * of BUDGET_WINDOW_S the CPU spent stays within the budget plus one point
 * (the cap saved before the window and the debt left after it together
 * at most that point: budget_floor()). A read is estimated as a fixed cost plus a cost per kB of
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

/* the window over which the budget holds, and the CPU s by which it may
 * be passed in one window (one point of a core over BUDGET_WINDOW_S) */
#define BUDGET_WINDOW_S 10.0
#define BUDGET_SLACK_S 0.1

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

/* The most tokens the bucket holds at interval_ms. */
double budget_cap(const struct budget *b, int interval_ms);

/* The lowest the tokens may go for reads taken whatever the budget holds
 * (new members, a phase boundary, a tree at rest): budget_cap() less
 * BUDGET_SLACK_S, never above 0. What is not read above it is read at the
 * next ticks (a sweep spread over ticks). */
double budget_floor(const struct budget *b, int interval_ms);

/* Whether a read owed whatever the budget holds (a member new to the
 * tree, a phase boundary, a checkpoint, a tree at rest), expected to cost
 * cost, may be taken, avail being the tokens less what the tick took
 * already: above the floor; or, for a read that costs more than the cap
 * and the floor's debt together (a process of gigabytes: no bucket ever
 * holds it, and a tree of them would never be read at one moment), as a
 * debt below the floor, when the bucket is not in debt or the sweep that
 * ran it up goes on (sweeping: each member read once) and its debt is
 * within one window's budget more. The window that holds such a sweep
 * passes the budget by the sweep, at most that and a read; its debt is
 * repaid before the next one (docs/architecture.md, "The life of one
 * sample"). */
bool budget_may_owe(const struct budget *b, int interval_ms, double avail,
		    double cost, bool sweeping);

/* What a smaps_rollup read of a process of rss_kb is expected to cost. */
double budget_read_cost(const struct budget *b, double rss_kb);

/* Learns from a batch of n reads of kb kB in all that took cpu s: the
 * fixed part from batches of small processes, the part per kB from
 * batches of large ones. */
void budget_learn_read(struct budget *b, size_t n, double kb, double cpu);

#endif
