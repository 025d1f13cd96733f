/*
 * decay.h - sharing that decays: how fast a forked tree's shared memory
 * turns into private copies (docs/architecture.md, "Sharing that decays").
 *
 * A parent that loads data and forks its workers shares every page with
 * them until one of them writes it; then the writer holds a private copy
 * (its Shared_Clean + Shared_Dirty turn into Private_Dirty) and, once every
 * worker has one, so does the parent. decay_tick() folds a run's samples,
 * one at a time, into:
 *
 *   the tree     shared = ΣPSS - ΣUSS (the shared part of ΣPSS: each page
 *                shared by two or more processes counted once), private =
 *                ΣUSS (Private_Clean + Private_Dirty);
 *   each member  shared = its Shared_Clean + Shared_Dirty (the pages it
 *                still shares with another process), private = its
 *                Private_Clean + Private_Dirty.
 *
 * The samples. Only a sample that is one moment of the tree counts (its
 * bound within model_bound_tight_kb(): "consistent", docs/recording.md,
 * "Bounds") and has every member's figures known: a sum of reads taken
 * while pages were being copied, or of figures held from an earlier
 * tick, mixes moments and would show a loss that never was. Every sample
 * counts for the membership.
 *
 * The window. The figures are measured from the first such sample after
 * the last member joined (a join restarts the window there) to the last
 * one before a member left (then it is closed until a member joins
 * again), so that a worker's start or exit is never taken for a decay.
 *
 * The figures of one series (struct decay_fig), from its samples (t,
 * shared):
 *   start   t0 and shared0: the window's first sample;
 *   min     the lowest shared in the window; t_min, the end of the fall:
 *           the first sample within 1% of lost above it (a drift of a few
 *           KiB seconds after the fall is not taken for its end);
 *   lost    shared0 - min;
 *   rate    lost / (t_min - t0), KiB/s: the mean pace at which it was lost
 *           until it stopped falling; 0 when nothing was lost;
 *   half-life  the time from t0 until shared first fell to shared0 / 2 or
 *           below, interpolated linearly between that sample and the one
 *           before it; unknown (halved false) when it never did, or when
 *           shared0 is 0.
 *
 * Everything is plain data (no pointers): a run embeds a struct decay and
 * a copy of the run copies it.
 */
#ifndef SHMVIZ_SRC_DECAY_H
#define SHMVIZ_SRC_DECAY_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DECAY_PROCS_MAX 32    /* members followed one by one */
#define DECAY_MEMBERS_MAX 512 /* a tree beyond has no decay figures */
#define DECAY_LOWS 16         /* candidates for the end of a fall */

/* One series of a window (see above). */
struct decay_fig {
	bool known;              /* the window has a sample */
	double t0;               /* its first sample, s since the run began */
	int64_t shared0_kb;
	int64_t private0_kb;
	double t_last;           /* its newest sample */
	int64_t shared_last_kb;
	int64_t private_last_kb;
	double t_min;            /* the end of the fall (see above) */
	int64_t shared_min_kb;
	/* the candidates for t_min: the samples lower than every one before,
	 * oldest first, those within 1% of lost above the lowest (the first
	 * sample at or below that line is always one of them; the line only
	 * falls, so one left out never comes back). Beyond DECAY_LOWS the
	 * newest takes the last place: a long creep within 1% may put t_min
	 * a little late, never early. */
	struct { double t; int64_t kb; } lows[DECAY_LOWS];
	int nlows;
	bool halved;             /* shared fell to shared0 / 2 */
	double half_life_s;      /* from t0, interpolated */
};

/* One member's series. */
struct decay_proc {
	pid_t pid;
	uint64_t start_ticks;
	int role;                /* enum proc_role */
	struct decay_fig fig;
};

struct decay_member {
	pid_t pid;
	uint64_t start_ticks;
};

struct decay {
	struct decay_fig tree;
	struct decay_proc procs[DECAY_PROCS_MAX]; /* the window's members,
	                                             in their order at its
	                                             start */
	size_t nprocs;
	unsigned windows;        /* windows started: the tree's figures are
	                            the newest's */
	bool pending;            /* a member joined: the window starts at the
	                            next complete sample */
	bool closed;             /* a member left: no sample counts until
	                            one joins */
	bool too_many;           /* more than DECAY_MEMBERS_MAX members */
	struct decay_member members[DECAY_MEMBERS_MAX]; /* at the previous
	                                             sample, by pid */
	size_t nmembers;
};

struct proc_row;

/* An empty fold (no window yet). */
void decay_init(struct decay *d);

/* Folds one sample: the rows of every process of the tree at time t;
 * moment: the sample is one moment of the tree (consistent). True when
 * the sample counted: it is in the window (its start included). */
bool decay_tick(struct decay *d, double t, const struct proc_row *rows,
		size_t n, bool moment);

/* A series' figures (see above): what was lost, KiB; the rate, KiB/s. */
int64_t decay_lost_kb(const struct decay_fig *f);
double decay_rate_kb_s(const struct decay_fig *f);

/* The folding of one series, for the loader and the tests: the window
 * starts at (t, shared, private), then takes each later sample. */
void decay_fig_start(struct decay_fig *f, double t, int64_t shared_kb,
		     int64_t private_kb);
void decay_fig_add(struct decay_fig *f, double t, int64_t shared_kb,
		   int64_t private_kb);

/* The member whose shared part fell to half first (the shortest
 * half-life), else the one that lost most; NULL when none lost any. */
const struct decay_proc *decay_fastest(const struct decay *d);

#endif
