/*
 * highs.h - never miss a high: when the cheap counters show the tree at a
 * new high of its RSS or at a plateau of it, a sweep of every figure not
 * exact is owed there, whatever the token bucket holds, within an
 * allowance of its own (docs/architecture.md, "Highs and plateaus").
 *
 * The allowance earns one point of a core (HIGH_PCT), whatever the
 * budget, and holds at most what it earns in HIGH_BURST_S: over any window
 * shmviz spends at most its budget and one point. A sweep it pays for is
 * paid from the token bucket too (budget.h), whose debt the following
 * ticks pay back by reading less. A sweep is owed when a member's figure
 * is not exact and
 *   - the tree is at a plateau (nothing moved since the tick before) and
 *     its ΣRSS is above the run's peak so far (the highest lower bound of
 *     ΣPSS, by more than one moment's width): the plateau may hold a new
 *     peak ΣPSS, and a sweep of a tree that stands still is one moment;
 *   - or its ΣRSS is a new high of the run (above every earlier tick's by
 *     more than one moment's width) while it moves: then only when the
 *     allowance holds twice the sweep's cost, keeping one for the
 *     plateau that may follow (a sweep of a tree that moves is wide).
 * The arithmetic is here, the clocks the caller's (tests/unit/test_highs.c).
 */
#ifndef SHMVIZ_SAMPLE_HIGHS_H
#define SHMVIZ_SAMPLE_HIGHS_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stdint.h>

/* what the allowance earns, % of one core */
#define HIGH_PCT 1.0
/* the most it holds: what it earns in this many seconds */
#define HIGH_BURST_S 1.0

enum high_kind {
	HIGH_NONE,
	HIGH_NEW,       /* a new high of ΣRSS, the tree moving */
	HIGH_PLATEAU,   /* the tree at rest above the peak so far */
};

/* embedded in the sampler: highs_init(), no finish */
struct highs {
	double rate;          /* CPU s the allowance earns per s */
	double allowance;     /* CPU s sweeps of highs may still take */
	double wall_mark;     /* monotonic s at the last highs_earn() */
	bool have_mark;
	int64_t seen_rss_kb;  /* the highest ΣRSS a tick's counters showed
	                         this run; -1: none yet */
	int64_t peak_lo_kb;   /* the highest lower bound of ΣPSS published
	                         this run; -1: none yet */
};

void highs_init(struct highs *h);

/* A run starts: the allowance is full, nothing seen. */
void highs_begin(struct highs *h);

/* Earns for the wall time since the last call (the first of a run sets
 * the mark). */
void highs_earn(struct highs *h, double wall);

/* Whether a sweep is owed at this tick: rss_kb is the tree's ΣRSS from
 * its counters now, at_rest whether nothing moved since the tick before,
 * stale whether some figure is not exact, cost what the sweep of those
 * figures is expected to cost (CPU s). Notes rss_kb as seen. */
enum high_kind highs_due(struct highs *h, int64_t rss_kb, bool at_rest,
			 bool stale, double cost);

/* A sweep it owed took cpu CPU s. */
void highs_spend(struct highs *h, double cpu);

/* The sample the tick published: its ΣPSS and bound (negative: unknown). */
void highs_note_sample(struct highs *h, int64_t pss_kb, int64_t bound_kb);

#endif
