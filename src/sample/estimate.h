/*
 * estimate.h - a process's smaps figures between two smaps_rollup reads,
 * moved forward by the change of its cheap RSS counters (docs/recording.md,
 * "Figure states").
 *
 * The model, per part of PSS:
 *   anon   new anonymous pages are the process's own (a fresh anonymous
 *          page has one mapper), freed ones are taken off in proportion;
 *          a process whose last read showed more than a few pages of
 *          anonymous memory shared with another (after fork: copy-on-
 *          write) cannot be estimated, since a write in either process
 *          moves both shares: its figures are held instead;
 *   file   the share of the last read, applied to the new RssFile; a
 *          process that mapped many new file pages since (libraries
 *          loading) cannot be estimated: held;
 *   shmem  the tree's shared memory divided among its mappers in
 *          proportion to each one's RssShmem (estimate_shmem_share()).
 * Pure functions, no /proc: tests/unit/test_estimate.c drives them with
 * recorded sequences.
 */
#ifndef SHMVIZ_SRC_ESTIMATE_H
#define SHMVIZ_SRC_ESTIMATE_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/model.h"

/* Anonymous memory shared with another process beyond this (rounding of
 * the PSS fractions) means a move of another process may change this
 * one's figures. A write to such a page in either sharer moves this
 * process's PSS by up to the page (from a share to all of it), and no
 * counter of the tree shows it when the other sharer is outside the tree
 * (shmviz itself, whose fork a native workload's root is). So beyond
 * ESTIMATE_SHARED_ANON_KB and beyond ESTIMATE_SHARED_ANON_PCT of the
 * tree's ΣPSS (or of its own PSS, if larger), its figures cannot be
 * estimated (a table shared by copy-on-write; a fresh fork's pages in a
 * tree of a few MB) */
#define ESTIMATE_SHARED_ANON_KB 64
#define ESTIMATE_SHARED_ANON_PCT 2
/* RssFile grown by more than this since the read (and by more than this
 * share of it): libraries being loaded, whose share cannot be estimated */
#define ESTIMATE_FILE_GROWTH_KB 1024
#define ESTIMATE_FILE_GROWTH_PCT 10

/* The status counters of a process, kB; -1 when unknown. */
struct est_counters {
	int64_t rss_kb;
	int64_t anon_kb;
	int64_t file_kb;
	int64_t shmem_kb;
};

/* One member of the tree as estimate_shmem_share() sees it. */
struct est_member {
	const struct smaps_kb *read;    /* figures of its last read, or NULL */
	struct est_counters at_read;  /* its counters at that read */
	struct est_counters now;
};

/* PSS per kB of RssShmem across the tree: the shared memory the tree holds
 * (at least the largest RssShmem of any member, at least what the last
 * reads said once scaled to today's RssShmem) over the sum of the members'
 * RssShmem. -1 when no member maps shared memory. */
double estimate_shmem_share(const struct est_member *m, size_t n);

/* Whether a read's anonymous memory shared with other processes
 * (anonymous_kb - pss_anon_kb) is too much to estimate from, in a tree
 * whose ΣPSS is tree_pss_kb (-1: unknown, the process's own PSS is used).
 * False when a figure is unknown. */
bool estimate_anon_shared(int64_t anonymous_kb, int64_t pss_anon_kb,
			  int64_t pss_kb, int64_t tree_pss_kb);

/* Whether the pages of a read shared with other processes, anonymous
 * (estimate_anon_shared()) or file (Shared_Clean), are enough that a
 * change of who maps them (a sharer leaving) moves the tree's ΣPSS
 * (tree_pss_kb, -1 unknown) by more than ESTIMATE_SHARED_ANON_PCT. */
bool estimate_shares_move(const struct smaps_kb *read, int64_t tree_pss_kb);

/* The anonymous part of a sample's bound, kB: counters_kb, what the
 * members' counters say the anonymous pages may have moved since their
 * reads (copy-on-write included), or, when smaller, how far the sum of the
 * figures published, pub_anon_kb (ΣPss_Anon), is from cg_anon_kb, the
 * anonymous pages the run's cgroup maps, each counted once (one moment's
 * true ΣPss_Anon when the cgroup holds exactly the tree), plus lag_kb,
 * what that figure may lag behind the pages (the kernel's per-CPU
 * batches). A negative pub_anon_kb or cg_anon_kb: counters_kb. */
int64_t estimate_anon_bound(int64_t counters_kb, int64_t pub_anon_kb,
			    int64_t cg_anon_kb, int64_t lag_kb);

/* Whether a kernel of this release (uname(2)'s, "6.8.0-31-generic") bounds
 * the lag of a memory cgroup's statistics: Linux 6.8 and later, whose
 * reads of memory.stat always fold the per-CPU batches in beyond 64 pages
 * a CPU; before, the flush gives up on a trylock (5.15 to 6.4) or when
 * another one runs (6.5 to 6.7), and the figure may be arbitrarily stale.
 * false for a release that does not begin "MAJOR.MINOR". */
bool estimate_memcg_lag_bounded(const char *release);

/* Estimates now's figures of a process from its last read (read, taken
 * when its counters were at_read) and its counters now; shmem_share from
 * estimate_shmem_share(), tree_pss_kb the tree's ΣPSS as last read (-1
 * unknown). Returns false, out untouched, when the model cannot (a part of
 * the read or of the counters unknown, shared anonymous memory:
 * estimate_anon_shared()). */
bool estimate_mem(const struct smaps_kb *read, const struct est_counters *at_read,
		  const struct est_counters *now, double shmem_share,
		  int64_t tree_pss_kb, struct smaps_kb *out);

#endif
