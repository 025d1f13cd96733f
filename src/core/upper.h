/*
 * upper.h - the highest ΣPSS a run's tree may have held at any sample,
 * between two, or after the last: the upper end of its peak
 * (docs/recording.md, "The peak's upper end").
 *
 * A sample's bound says how far its sum of reads may be from one moment;
 * the peak is the sample with the highest lower bound. A sample whose
 * bound is wide or unknown (a member joined while the reads were taken, a
 * sweep the budget spread over seconds), and the moments between samples,
 * may hide more. What the counters show between two samples limits how
 * far the tree's ΣPSS can have moved, both ways:
 *
 *   it rises only where a page is mapped (a page new to the tree adds
 *   itself; one the tree already held adds nothing; one shared with
 *   processes outside, less than the member's share of it): "entered" is,
 *   for a member seen at both samples, the larger of what its RSS rose
 *   and its faults (a page each) since; for a member that joined, the
 *   larger of its private pages and shares of file and shared memory
 *   pages as read when new (Private_Clean + Private_Dirty + Pss_File +
 *   Pss_Shmem: the anonymous pages a child shares are its parent's,
 *   already in the tree; its RSS when not read) and its faults since it
 *   was forked; for a process that came and went unseen, the faults its
 *   parent's count of reaped children gained (child_faults; shmviz's own
 *   for the orphans and the root it reaps), less those of the members
 *   that left it since the sample before as last seen; and for a huge
 *   page a fault maps, what the machine's huge page faults since add;
 *
 *   it falls only where a page is unmapped or a member leaves: "left" is
 *   what entered and is not still held (entered less what RSS rose, the
 *   whole of what came and went), and a member that left its RSS as last
 *   seen.
 *
 * So at each sample i, with own_i = min(ΣPSS + bound (+ the RSS of members
 * with no figure), ΣRSS):
 *
 *   v_i = min(v_(i-1) + entered, own_i)        an upper end from before,
 *   u_i = min over later j of (v_j + left from i to j)   and from after;
 *
 * the tree's ΣPSS at the moment of sample i's counters is at most
 * min(v_i, u_i), and at any moment between samples i-1 and i at most
 * min(v_(i-1) + entered, u_i + left between them), and after the last
 * sample of a run shmviz started, v plus the faults of the tree the
 * kernel reported when it was reaped that no sample counted. Within the
 * limits of the counters (a fault that maps more pages than it counts
 * beyond huge pages; the RSS counters' per-CPU slack; children the kernel
 * reaps with no count, their parent ignoring SIGCHLD: what they did after
 * their last sample is not seen, and what they were counted for may hide
 * as much of another child's; shares with processes outside the tree
 * changing). The later samples j looked at are the next 32
 * (UPPER_WINDOW). A chain of samples broken (a sample that missed
 * members, a joiner with no figure at all, out of memory) leaves moments
 * with no upper end: the run's is then unknown. The run's upper end is
 * the highest of these; the peak is a plain number only when that is
 * within one moment (model_bound_tight_kb) of it.
 */
#ifndef SHMVIZ_CORE_UPPER_H
#define SHMVIZ_CORE_UPPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct point;
struct proc_row;

/* the later samples that can lower an upper end */
#define UPPER_WINDOW 32
/* upper ends they can still lower: a sample's and the moments before it */
#define UPPER_PENDING (2 * (UPPER_WINDOW + 1))

/* a member as a sample saw it */
struct upper_member {
	pid_t pid;
	pid_t ppid;
	uint64_t start_ticks;
	int64_t rss_kb;      /* -1: unknown */
	uint64_t faults;     /* minflt + majflt */
	uint64_t cfaults;    /* those of the children it reaped */
	uint64_t credit;     /* faults already counted of members that left
	                        it, not yet seen in its cfaults */
	size_t row;          /* its row in the sample being folded */
	bool dead;           /* exited, not yet reaped (a zombie: its
	                        counters are final) */
};

/* an upper end later samples may still lower */
struct upper_pending {
	int64_t up_kb;       /* its upper end so far */
	int64_t left_kb;     /* what had left the tree before it (cumulative) */
	uint64_t at;         /* the sample it was made at */
};

/* what a sample folded changes besides the members: upper_undo() puts it
 * back whole */
struct upper_state {
	int64_t settled_kb;  /* the highest upper end of the samples no
	                        longer pending; -1: none */
	bool broken;         /* a chain was broken after it began: some
	                        moments have no upper end */
	struct upper_pending pend[UPPER_PENDING]; /* oldest first */
	size_t npend;
	uint64_t shmviz_credit; /* faults already counted of members that
	                           left to shmviz (the parent of the root and
	                           of the orphans it reaps), not yet seen
	                           reaped */
	int64_t reaped;      /* the reaped faults at the newest sample (struct
	                        point reaped_faults); -1: unknown */
	int64_t thp_kb;      /* the machine's huge page faults, KiB, then;
	                        -1: unknown */
};

struct pss_upper {
	int64_t v_kb;        /* v at the newest sample; -1: none */
	int64_t left_kb;     /* what left the tree since the first sample */
	struct upper_state st;
	uint64_t nsamples;   /* samples folded in */
	struct upper_member *prev;  /* the newest sample's members, sorted */
	size_t nprev;
	size_t cap;
	struct upper_member *next;  /* room for the sample being folded */
	size_t nnext;
	size_t next_cap;
	pid_t reaper;        /* shmviz's pid: the root's parent (0: not
	                        known, --attach) */
	unsigned page_kb;    /* a fault's page, KiB */
	bool undo_ok;        /* the newest sample was folded: undo holds
	                        st as it was before */
	struct upper_state undo;
};

void upper_init(struct pss_upper *h, long page_size);
void upper_free(struct pss_upper *h);
/* A deep copy (false: out of memory, dst then holds no members). */
bool upper_copy(struct pss_upper *dst, const struct pss_upper *src);
/* Folds one sample in (p its totals with its bound, reaped_faults and
 * thp_kb; rows its processes); a sample of no live member is none.
 * false: out of memory (the chain is then broken). */
bool upper_tick(struct pss_upper *h, const struct point *p,
		const struct proc_row *rows, size_t n);
/* The newest sample may miss members: it is taken back, and the chain is
 * broken there. */
void upper_undo(struct pss_upper *h);
/* The run's upper end so far; -1: none (no sample, or a broken chain). */
int64_t upper_kb(const struct pss_upper *h);
/* The upper end of the moments after the newest sample until the tree
 * ended, from the faults of the whole tree the kernel gave shmviz when it
 * reaped it (getrusage RUSAGE_CHILDREN since the run began): those no
 * sample counted entered after it; -1: none. */
int64_t upper_end_kb(const struct pss_upper *h, uint64_t tree_faults);

#endif
