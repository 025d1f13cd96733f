/*
 * mapgroups.h - the mappings of /proc/PID/smaps folded into groups: one row
 * for all the mappings of one thing (libc's four mappings, every anonymous
 * mapping, the POSIX segment), per process and summed across a run.
 *
 * A snapshot holds, for every process of a run at one moment (a phase
 * boundary, the hold), its groups. Group keys are
 * the kind and the path as shown (sanitised: control characters '?', as
 * process names are).
 */
#ifndef SHMVIZ_SRC_MAPGROUPS_H
#define SHMVIZ_SRC_MAPGROUPS_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/mappings.h"
#include "src/core/model.h"

/* One group: kB figures, MODEL_KB_NONE when no mapping of it had one. */
struct map_group {
	enum mapping_kind kind;
	bool deleted;                 /* its file was removed (" (deleted)") */
	char path[MODEL_TEXT_MAX];    /* sanitised; "[anon]" for anonymous
	                                 mappings without a name */
	uint64_t start, end;          /* a large anonymous mapping, kept
	                                 apart: its address range (part of
	                                 the key); 0, 0 for any other group */
	int nmaps;                    /* mappings folded (one process) */
	int nprocs;                   /* processes mapping it (run sums) */
	struct smaps_kb mem;          /* sums of its mappings' figures (those
	                                 marked SMAPS_MAP; the others are
	                                 MODEL_KB_NONE) */
};

/* An anonymous mapping without a name of at least this size that is not
 * PROT_NONE (a reservation holds nothing) is a group of its own, keyed by
 * its address range: a numpy array or a large malloc is one row, and a
 * mapping a forked child inherits keeps its address, so that parent and
 * children share the row. Smaller ones (malloc's arenas, thread stacks of
 * 8 MiB) fold into "[anon]". */
#define MAPGROUPS_ANON_APART (16ULL << 20)

/* The groups of one process in a snapshot. */
struct map_proc {
	pid_t pid;
	enum proc_role role;
	char comm[MODEL_COMM_MAX];
	enum smaps_state smaps;   /* READ, UNREADABLE or GONE */
	size_t first, n;          /* its groups in the snapshot's groups[] */
};

struct map_snap {
	double t;                     /* run time of the first read */
	double t_end;                 /* run time when the last read ended:
	                                 a snapshot is one moment only when
	                                 nothing moved in between */
	char phase[MODEL_NAME_MAX];   /* the phase then ("" before any) */
	struct map_proc *procs;
	size_t nprocs;
	struct map_group *groups;     /* every process's, sorted by PSS
	                                 within each process */
	size_t ngroups;
	bool between;                 /* taken between phase boundaries (in
	                                 the hold, for an open view) */
	double cpu_s;                 /* CPU the reads took */
	size_t bytes;                 /* smaps text read */
	int64_t pss_kb;               /* ΣPSS of its groups (known figures),
	                                 set by mapgroups_add() */
	bool peak;                    /* the run's snapshot of the highest
	                                 pss_kb (set by mapgroups_add()) */
};

/* Folds smaps text (a fixture) into groups appended to snap (its procs[]
 * entry is appended too), as mapgroups_take() folds what rd reads:
 * returns the number of mappings, or a negative errno. */
int mapgroups_fold_text(struct map_snap *snap, pid_t pid, enum proc_role role,
			const char *comm, const char *text, size_t len);

/* What reads a process's mappings for mapgroups_take(): the sample layer
 * passes probes/mappings.h's mappings_read() (src/sample/mapsnap.c), so
 * that core folds and never reads /proc itself. */
typedef int mapgroups_read_fn(pid_t pid, mapping_fn fn, void *ctx, size_t *bytes);

/* Asked every few hundred mappings while a snapshot is taken: true stops
 * it (a signal or a key is waiting: a snapshot never delays them). */
struct mapgroups_stop {
	bool (*fn)(void *ctx);
	void *ctx;
};

/* Takes a snapshot of the processes of frame rows (those not gone), each
 * read by rd, and measures its CPU (cpu_s). Returns 0; -ENOMEM, or -EINTR when stop (may be NULL) said so: then snap
 * holds nothing but cpu_s, the CPU spent on it. Folding is linear in the
 * mappings (groups found by a hash of kind and path). */
int mapgroups_take(struct map_snap *snap, double t, const char *phase,
		   const struct proc_row *rows, size_t n, mapgroups_read_fn *rd,
		   const struct mapgroups_stop *stop);

/* The groups of a snapshot summed across its processes: nprocs counts the
 * processes that map each group. *out (free()) sorted by PSS, largest
 * first; false when out of memory. */
bool mapgroups_sum(const struct map_snap *snap, struct map_group **out,
		   size_t *nout);

/* As mapgroups_sum(), and *index (free(); may be NULL) gets, for each of
 * snap's groups, the index in *out of the run group it was added to.
 * Linear in the groups, plus the sort. */
bool mapgroups_sum_index(const struct map_snap *snap, struct map_group **out,
			 size_t *nout, size_t **index);

/* A group's name as shown: its path; for a large anonymous mapping kept
 * apart, "[anon] 7f0000000000-7f0002000000" and, with full, ", 32 MiB,
 * shared" (shared: more of its pages Shared_* than Private_*). */
char *mapgroups_label(char *buf, size_t cap, const struct map_group *g, bool full);

/* Sorts groups by PSS, largest first (unknown last), then path. */
void mapgroups_sort(struct map_group *g, size_t n);

/* How many times two groups' keys were compared so far (folding and
 * summing), so that a test sees the cost grow linearly with the mappings. */
uint64_t mapgroups_compares(void);

void map_snap_free(struct map_snap *snap);
bool map_snap_copy(struct map_snap *dst, const struct map_snap *src);

/* Appends snap to run r (taking its memory) and returns true. An empty
 * snapshot (no group, no unreadable process: the tree had gone) is
 * dropped, so that the run's newest is its last non-empty one. Of the
 * snapshots taken between boundaries in one stretch of the same phase,
 * two are kept: the one of the highest ΣPSS and the newest (a view open
 * for minutes keeps two, and the peak of a command's run is not lost to
 * its end). At most RUN_MSNAPS_MAX are kept, the newer replacing the one
 * before it beyond. The snapshot read nearest the run's peak ΣPSS sample
 * is marked peak (mapgroups_mark_peak()). Returns false when out of memory (snap freed). */
#define RUN_MSNAPS_MAX 64
bool mapgroups_add(struct run *r, struct map_snap *snap);

/* Marks the run's peak snapshot: the one read nearest the sample of its
 * peak ΣPSS (of two as near, the higher); without a bounded sample yet,
 * the highest sum. Called as a snapshot is added and as the peak moves
 * (a later peak sample may lie nearer another snapshot). */
void mapgroups_mark_peak(struct run *r);

/* The run's peak snapshot (marked peak), or NULL. */
const struct map_snap *mapgroups_peak(const struct run *r);

/* Which snapshot s is, in words for a title: "the run's peak" (the
 * snapshot read nearest the run's peak ΣPSS), "the last before the end" (the newest of
 * an ended run), both, or "" */
const char *mapgroups_which(const struct run *r, const struct map_snap *s);

#endif
