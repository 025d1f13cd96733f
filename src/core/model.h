/*
 * model.h - one timeline per run: its phases, its tree's samples, its
 * result. Filled by the sampler and the runner (or by the replay loader),
 * read by the sinks (TUI, recorder, summary, plot) through const pointers.
 *
 * Data model:
 *   model ── host, config, sampler statistics
 *     └─ runs[] ── name, state, phases[], result, peaks
 *          ├─ points[]  tree totals per tick (ΣRSS, ΣPSS, ΣUSS, …): bounded;
 *          │            when full, pairs of neighbours merge (keeping the
 *          │            larger values) so memory does not grow with time
 *          └─ frames[]  per-process rows per tick: only the newest frame
 *                       in a live run; every frame in a replayed one
 *
 * Memory figures are kB; MODEL_KB_NONE (-1) marks a value that could not be
 * read, which views show as unreadable and JSON writes as null, never as 0.
 * Times are seconds since the run started.
 */
#ifndef SHMVIZ_SRC_MODEL_H
#define SHMVIZ_SRC_MODEL_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/host.h"
#include "src/core/decay.h"
#include "src/core/upper.h"
#include "probes/smaps_fields.h"

/* the probes' "unknown": one value */
#define MODEL_KB_NONE SMAPS_NONE

struct map_snap;
#define MODEL_MAX_RUNS 4
#define MODEL_MAX_PHASES 24
#define MODEL_NAME_MAX 32
#define MODEL_COMM_MAX 64      /* sanitised UTF-8 of a 15-byte comm, escaped */
#define MODEL_TEXT_MAX 256
#define MODEL_PATH_MAX 512
#define MODEL_POINTS_MAX 4096  /* graph points kept a run (live) */
#define MODEL_ROUNDS_MAX 100   /* --repeat */

enum run_state {
	RUN_WAITING,
	RUN_RUNNING,
	RUN_DONE,
	RUN_FAILED,
	RUN_STOPPED,  /* ended by the user (q in the TUI): no failure of its
	                 own, and not done either (its figures stop there) */
};

/* Whether a run in state s has ended: done, failed or stopped. */
static inline bool run_state_ended(enum run_state s)
{
	return s == RUN_DONE || s == RUN_FAILED || s == RUN_STOPPED;
}

enum proc_role {
	ROLE_PARENT,  /* the run's root process */
	ROLE_WORKER,  /* announced as a worker by the workload */
	ROLE_HELPER,  /* announced helper (Python's resource tracker, …) */
	ROLE_CHILD,   /* any other descendant */
};

/* What one process's smaps figures are at a tick (docs/recording.md,
 * "Figure states"). Only read and exact figures make a consistent sample;
 * peaks, ratios and captions come from consistent samples alone. */
enum smaps_state {
	SMAPS_STATE_NONE,       /* not read yet */
	SMAPS_STATE_READ,       /* read at this tick ("read"; "fresh" in
	                           recordings before schema 2) */
	SMAPS_STATE_EXACT,      /* read at smaps_t in a consistent sweep, and
	                           nothing in the tree moved since: the figures
	                           are today's without a new read */
	SMAPS_STATE_ESTIMATED,  /* the last read moved forward by the change of
	                           the process's RSS counters since */
	SMAPS_STATE_HELD,       /* last read at an earlier tick and possibly
	                           stale: something moved that no estimate
	                           covers */
	SMAPS_STATE_UNREADABLE, /* smaps_rollup refused (EACCES) */
	SMAPS_STATE_GONE,       /* no address space (zombie): its figures
	                           are MODEL_KB_NONE, shown as exited, and
	                           count in no total */
};

/* One process of a run's tree at one tick. */
struct proc_row {
	pid_t pid;
	pid_t ppid;
	enum proc_role role;
	char comm[MODEL_COMM_MAX];   /* control characters already replaced */
	char state;                  /* stat state letter; 'x' once exited */
	uint64_t start_ticks;        /* identity: pid plus start time */
	enum smaps_state smaps;
	double smaps_t;              /* run time of the smaps read, s */
	struct smaps_kb mem;         /* smaps_rollup (latest read) */
	int64_t rss_now_kb;          /* status VmRSS at this tick (counter) */
	int64_t rss_anon_kb;         /* status RssAnon */
	int64_t rss_file_kb;         /* status RssFile */
	int64_t rss_shmem_kb;        /* status RssShmem */
	double utime_s;              /* user CPU, s */
	double stime_s;              /* system CPU, s */
	uint64_t minflt;
	uint64_t majflt;
	uint64_t child_faults;       /* cminflt + cmajflt: of the children
	                                it reaped */
	bool moved;                  /* its counters or state changed since
	                                the tick before */
	int64_t est_error_kb;        /* a read that followed an estimate: the
	                                read Pss minus the estimate for the
	                                same tick; MODEL_KB_NONE otherwise */
};

/* Tree totals of one tick: what the memory graph draws. */
struct point {
	double t;                 /* s since the run started */
	int64_t rss_kb;           /* ΣRSS: what top and ps add up to */
	int64_t pss_kb;           /* ΣPSS: the true footprint */
	int64_t uss_kb;           /* ΣUSS: Private_Clean + Private_Dirty */
	int64_t shared_dirty_kb;  /* ΣShared_Dirty */
	int nprocs;
	bool pss_fresh;           /* every PSS figure read at this tick */
	bool pss_partial;         /* some process's PSS is unknown */
	bool consistent;          /* one moment: pss_bound_kb is known and
	                             within MODEL_BOUND_TIGHT of ΣPSS
	                             (docs/recording.md, "Bounds") */
	int64_t pss_bound_kb;     /* how far ΣPSS may be from one moment of
	                             the tree, KiB; MODEL_KB_NONE: unknown */
	bool pss_estimated;       /* some figure is an estimate */
	bool pss_held;            /* some figure is held (possibly stale) */
	bool members_partial;     /* some member could not be read at all
	                             (out of descriptors): processes may be
	                             missing from it (run.members_missing) */
	int64_t reaped_faults;    /* faults of the processes shmviz reaped
	                             since the run began (getrusage
	                             RUSAGE_CHILDREN); -1: unknown (--attach) */
	int64_t thp_kb;           /* huge pages faulted on the machine since
	                             boot, KiB (probes/thp.h); -1: unknown */
};

/* A frame: the rows of every process at one tick. */
struct frame {
	double t;
	size_t first;   /* index into run.rows */
	size_t n;
	struct point total;
};

struct phase {
	char name[MODEL_NAME_MAX];
	double start_s;
	double end_s;   /* < 0 while the phase is open */
	int64_t kpeak_kb; /* the kernel's peak of the run's cgroup during
	                     the phase (its charge reset when the phase
	                     began), KiB; MODEL_KB_NONE: none */
};

/* The kernel's own peak of a run (docs/architecture.md, "The kernel's
 * peak"): the high-water mark of the memory cgroup the run's tree lived
 * in, what the kernel charged it (anonymous memory, page cache, shared
 * memory first touched there, page tables, kernel memory), beside the
 * sampled peak ΣPSS. */
struct kernel_peak {
	int64_t kb;                   /* over the run, KiB; MODEL_KB_NONE:
	                                 none (why says why) */
	int version;                  /* cgroup 1 or 2; 0: none */
	bool per_phase;               /* reset at each phase's start:
	                                 phases[].kpeak_kb are each phase's;
	                                 false: the peak since the cgroup was
	                                 made (v2 before Linux 6.12) */
	bool attached;                /* --attach: the tree's own cgroup, not
	                                 one of shmviz's (never written) */
	char cgroup[MODEL_PATH_MAX];  /* the cgroup's directory */
	char why[MODEL_TEXT_MAX];     /* no peak: why (one line) */
};

struct run_result {
	bool have_sum;
	bool have_expected;
	double sum;           /* the workers' NaN-skipping sum */
	double expected;
	double wall_s;        /* run time without the hold phase */
	double total_s;       /* start to exit, hold included */
	double compute_s;     /* span of the compute phase */
	double compute_cpu_s; /* CPU time of the slowest worker's compute
	                         (protocol "result compute_cpu_s"), 0 when
	                         the workload does not say */
	double hold_s;
	bool have_tracemalloc;
	double tracemalloc_peak_kb; /* the Python workload's parent: the peak
	                               tracemalloc saw of its Python heap, KiB
	                               (protocol "result tracemalloc_peak_kb") */
	bool have_data;
	double data_kb;       /* the data the workload built, as it measured
	                         it (protocol "result data_kb": --workload
	                         prefork's parent, its resident growth) */
	double cpu_user_s;    /* whole tree: getrusage(RUSAGE_CHILDREN) of
	                         what was reaped during the run */
	double cpu_sys_s;
	uint64_t minflt;
	uint64_t majflt;
	int exit_status;      /* of the root: wait status as from waitpid */
	bool exited;
};

/* What a projection of ΣPSS to N workers (--project) takes from a run's
 * own consistent samples (docs/recording.md, "Projection"): the largest
 * part of a sample's ΣPSS that is no worker's own (ΣPSS less every
 * worker's USS: the pages the workers share, once, and the parent's and
 * helpers' memory), and the largest USS (Private_Clean + Private_Dirty)
 * of one worker, what each more worker would add. A worker is a process
 * of role worker or child. */
struct projection {
	int workers;         /* --project N, 0: none asked for */
	int64_t shared_kb;   /* MODEL_KB_NONE: no consistent sample */
	int64_t private_kb;  /* MODEL_KB_NONE: no worker in one */
	pid_t private_pid;   /* the worker at its worst */
};

struct run {
	char name[MODEL_NAME_MAX];      /* "shared", "copy", "cow", "A", "B" */
	char label[MODEL_TEXT_MAX];     /* what the user asked for / command */
	char detail[MODEL_TEXT_MAX];    /* "POSIX shm, 2 workers" */
	enum run_state state;
	char cause[MODEL_TEXT_MAX];     /* why it failed */
	int workers;
	pid_t root;
	double started_mono;            /* CLOCK_MONOTONIC of the start, s */
	double t_now;                   /* time of the newest sample */
	char segment[MODEL_NAME_MAX * 2]; /* shm name the workload announced,
	                                     claimed (preflight_shm_claim) */
	unsigned long long segment_dev, segment_ino; /* its file then */
	double started_real;            /* CLOCK_REALTIME of the start, s:
	                                   what a claimed segment is newer than
	                                   (no lesson pause moves it) */
	long long root_uid;             /* the root's user as it started */
	char log[MODEL_PATH_MAX];       /* file of the root's stdout and
	                                   stderr; empty: none (/dev/null) */

	struct phase phases[MODEL_MAX_PHASES];
	size_t nphases;
	uint64_t proto_dropped;          /* protocol messages (phase, end,
	                                    role) dropped: sent faster than
	                                    shmviz keeps them */

	/* --repeat: the figures of every round that ended, in round order
	 * (the samples, phases and result above are the newest round's) */
	struct round_figs {
		double wall_s;
		double cpu_s;
		int64_t pss_kb;          /* peak ΣPSS, MODEL_KB_NONE: unknown */
		int position;            /* 0: ran first in its round */
		double started_mono;     /* CLOCK_MONOTONIC of its start */
		bool ok;                 /* state done */
	} rounds[MODEL_ROUNDS_MAX];
	size_t nrounds;

	struct run_result result;
	struct projection proj;          /* --project's figures */
	struct kernel_peak kpeak;        /* the kernel's own peak */
	struct point peak;               /* ΣRSS: its maximum over every
	                                    sample; the smaps totals (ΣPSS,
	                                    ΣUSS, ΣShared_Dirty) and the bound:
	                                    those of the sample whose ΣPSS has
	                                    the highest lower bound (ΣPSS -
	                                    bound), among samples with a known
	                                    bound */
	int64_t tick_reaped, tick_thp;   /* run_tick_counters() for the
	                                    next sample */
	struct pss_upper upper;           /* the peak's upper end: the
	                                    highest ΣPSS the tree may have
	                                    held at any sample
	                                    (src/core/upper.h) */
	size_t nconsistent;              /* consistent samples seen */
	size_t nbounded;                 /* samples with a known bound; 0:
	                                    the smaps peaks are unknown */
	struct decay decay;              /* sharing that decays: every
	                                    sample folded (src/core/decay.h) */

	struct proc_row *peak_rows;      /* the rows of the sample of the
	                                    smaps peak (peak above): which
	                                    process held it */
	size_t npeak_rows;
	size_t peak_rows_cap;
	double peak_t;                   /* that sample's run time */

	struct point *points;            /* graph series */
	size_t npoints;
	size_t points_cap;
	unsigned point_stride;           /* ticks merged into one point */
	unsigned stride_fill;            /* ticks in the newest point */

	struct frame *frames;            /* one (live) or all (replay) */
	size_t nframes;
	size_t frames_cap;
	struct proc_row *rows;
	size_t nrows;
	size_t rows_cap;
	size_t nticks;                   /* ticks seen */
	size_t nmissing;                 /* samples that may miss members */
	char members_missing[MODEL_TEXT_MAX]; /* why ("" when none) */
	bool keep_frames;                /* copied from the model */

	struct map_snap *msnaps;         /* groups of smaps mappings
	                                    (src/core/mapgroups.h), oldest first */
	size_t nmsnaps;
	size_t msnaps_cap;
};

struct model_config {
	char mode[MODEL_NAME_MAX];     /* shared, copy, both, cow, all */
	char workload[MODEL_NAME_MAX]; /* native, python, compare */
	int workers;
	uint64_t rows;
	uint64_t bytes;                /* dataset size */
	int interval_ms;
	double hold_s;
	double budget_pct;
	int cow_write_pct;
	int repeat;                    /* --repeat: rounds (0, 1: one) */
};

struct sampler_stats {
	double cpu_s;                /* shmviz's own CPU time while sampling */
	double wall_s;               /* time sampled: cpu_s / wall_s is the
	                                share of a core shmviz used */
	uint64_t ticks;
	uint64_t pss_reads;          /* smaps_rollup reads */
	uint64_t counter_reads;      /* stat + status reads */
	uint64_t scans;              /* /proc scans for descendants */
	uint64_t rest_sweeps;        /* sweeps of a tree at rest, in debt */
	uint64_t high_sweeps;        /* sweeps at a new high or a plateau of
	                                the tree's RSS (src/sample/highs.h) */
	uint64_t obj_ticks;          /* samples whose ΣPss_Shmem came from the
	                                objects' sizes (src/sample/objmode.h) */
	double tick_max_ms;          /* the longest tick of the sampler */
	uint64_t exact_refreshes;    /* exact figures read again (at rest) */
	uint64_t exact_drifted;      /* of those, the ones that had changed */
	int64_t exact_drift_max_kb;  /* the largest change of PSS found */
	double pss_interval_ms;      /* between two reads of one process: now */
	double pss_interval_mean_ms; /* the same, mean over the session */
	double pss_read_ms;          /* CPU cost of one smaps read: now */
	double pss_read_mean_ms;     /* so far: pss_cpu_s / pss_reads */
	double counter_read_us;      /* measured CPU cost of one counters read */
	double scan_ms;              /* measured CPU cost of one /proc scan */
	double pss_cpu_s;            /* CPU of all smaps reads */
	double counter_cpu_s;        /* CPU of all counter reads */
	double scan_cpu_s;           /* CPU of all /proc scans */
	uint64_t map_snaps;          /* snapshots of smaps mappings taken */
	uint64_t map_reads;          /* /proc/PID/smaps reads (one a process) */
	double map_cpu_s;            /* CPU of those reads and their groups */
};

struct model {
	char version[32];
	struct host_info host;
	struct model_config config;
	struct run runs[MODEL_MAX_RUNS];
	size_t nruns;
	struct sampler_stats sampler;
	bool keep_frames;            /* replay: keep every frame */
	bool interrupted;
	int signal;                  /* the signal that interrupted, or 0 */
	int round;                   /* --repeat: the round in progress, from
	                                0 */
	int shown_round;             /* --repeat: the round whose samples,
	                                phases and results runs[] hold, from
	                                1 (model_median_round()); 0: the
	                                newest */
	bool lesson_wait;            /* --lesson: the run in progress is
	                                stopped at a phase boundary, waiting
	                                for SINK_CMD_LESSON_GO (not recorded) */
	bool halted;                 /* the run in progress is stopped by the
	                                user (SINK_CMD_HALT; not recorded) */
	double lesson_t;             /* lesson_wait: run time of the bounded
	                                sample of the phase that ended, the
	                                one the stop shows (not recorded) */
	double lesson_end_t;         /* lesson_wait: run time of the boundary
	                                (the held line's own time stamp): the
	                                end of the phase that ended, so that
	                                the stop gives its length as the phase
	                                row will once it is let go (not
	                                recorded) */
};

/* Initialises an empty model; keep_frames for replay. Free with
 * model_finish(). */
void model_init(struct model *m, bool keep_frames);
void model_finish(struct model *m);
/* A deep copy of src into dst (uninitialised), frozen: a paused display
 * draws it. False when out of memory (dst then holds nothing to free). */
bool model_copy(struct model *dst, const struct model *src);

/* A deep copy of one run into dst (uninitialised); false when out of
 * memory (dst then holds nothing to free). run_finish() frees what a
 * copy holds. */
bool run_copy(struct run *dst, const struct run *src);
void run_finish(struct run *r);

/* --repeat: the median round (docs/architecture.md, "Repeated rounds"):
 * of the rounds every run of which ended done, the one whose wall time
 * (the sum of its runs') is the median; of an even count, the lower of
 * the two middle ones (a round that ran, never an average). From 1; 0:
 * no round is whole. */
int model_median_round(const struct model *m);

/* Adds a run in state RUN_WAITING; NULL when MODEL_MAX_RUNS are there. */
struct run *model_add_run(struct model *m, const char *name, const char *label,
			  const char *detail);

/* Forgets the samples, phases and result of a run (for a rerun). */
void run_reset(struct run *r);

/* Starts and ends a phase at time t (seconds since the run started). A new
 * phase closes the open one. */
void run_phase_begin(struct run *r, const char *name, double t);
void run_phase_end(struct run *r, double t);
/* Ends the phases at end, the run's end: the open one closes there, and
 * the moments after the last one closed (the tree's own exit after the
 * workload's last line) go to its "exit" phase, or to one so named, so
 * that every moment of the run belongs to a phase. */
void run_phase_close(struct run *r, double end);
const struct phase *run_phase_current(const struct run *r);
const struct phase *run_phase_find(const struct run *r, const char *name);

/* The widest bound of a figure that still counts as one moment: 1% of
 * it, or 256 KiB (the RSS counters' per-CPU slack) for a small one. */
#define MODEL_BOUND_TIGHT_PCT 1
#define MODEL_BOUND_TIGHT_KB 256
int64_t model_bound_tight_kb(int64_t pss_kb);

/* Appends a tick: rows (copied) and their totals computed here; bound_kb
 * is how far ΣPSS may be from one moment (the sampler's, from what the
 * counters show moved: docs/recording.md, "Bounds"), MODEL_KB_NONE when
 * unknown. The sample is consistent when the bound is within
 * model_bound_tight_kb(). Returns false when out of memory. */
bool run_add_tick_bounded(struct run *r, double t, const struct proc_row *rows,
			  size_t n, int64_t bound_kb);
/* The kernel's counts the next sample added carries (struct point
 * reaped_faults, thp_kb; -1: unknown): what the peak's upper end needs of
 * what no process row shows (src/core/upper.h). Taken by the next
 * run_add_tick_bounded(), unknown after. */
void run_tick_counters(struct run *r, int64_t reaped_faults, int64_t thp_kb);

/* Marks the newest sample (added without a bound) as one that may miss
 * members, and why: its sums are partial, never shown as whole. */
void run_mark_missing(struct run *r, const char *why);

/* The same as run_add_tick_bounded() for a sample that is one moment
 * (consistent, bound 0) or not known to be (bound unknown) when every
 * figure is read, exact or unreadable: recordings of before bounds,
 * tests. */
bool run_add_tick(struct run *r, double t, const struct proc_row *rows,
		  size_t n, bool consistent);

/* Whether the run has a smaps peak: a sample with a known bound. */
bool run_has_peak(const struct run *r);
/* Whether its peak ΣPSS is wider than one moment (model_bound_tight_kb):
 * its own bound, or a sample that may have held more than the peak
 * (run_peak_high_kb); then shown as its range, never as a plain number. */
bool run_peak_wide(const struct run *r);
/* The highest the peak ΣPSS may be: the peak's own upper end or a higher
 * one of any sample (src/core/upper.h); MODEL_KB_NONE without a peak. */
int64_t run_peak_high_kb(const struct run *r);

/* ΣPSS projected for n workers: proj.shared_kb + n × proj.private_kb;
 * MODEL_KB_NONE when the run has neither. */
int64_t run_projection_kb(const struct run *r, int n);

/* The totals of n rows. */
struct point model_totals(double t, const struct proc_row *rows, size_t n);

/* The newest frame at or before t (t < 0: the newest); NULL when none. */
const struct frame *run_frame_at(const struct run *r, double t);
const struct proc_row *run_frame_rows(const struct run *r,
				      const struct frame *f);

/* Comparison of two finished runs (b against a): ratios are 0 when a
 * figure is missing (the PSS and USS ratios also when either run had no
 * consistent sample). */
struct comparison {
	bool ready;           /* both runs done */
	double speedup;       /* b.wall / a.wall */
	double pss_ratio;     /* b.peak pss / a.peak pss */
	double pss_ratio_lo;  /* the ratio's range from the two peaks'
	                         bounds (b low / a high .. b high / a low);
	                         equal to pss_ratio when both are tight */
	double pss_ratio_hi;
	double rss_ratio;
	double uss_ratio;
};
struct comparison model_compare(const struct run *a, const struct run *b);

/* Names of a role and a run state (static strings), as recordings write
 * them; the parsers read them back. model_role_short() is the views'
 * three-letter form ("par", "wkr", "hlp", "chd"). */
const char *model_role_name(enum proc_role role);
const char *model_role_short(enum proc_role role);
const char *model_state_name(enum run_state state);
bool model_role_parse(const char *s, enum proc_role *out);
bool model_state_parse(const char *s, enum run_state *out);

/* Names of a figure state as recordings write them ("read", "exact", …);
 * the parser also takes schema 1's "fresh" for "read". */
const char *model_smaps_state_name(enum smaps_state state);
bool model_smaps_state_parse(const char *s, enum smaps_state *out);

#endif
