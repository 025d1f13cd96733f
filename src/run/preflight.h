/*
 * preflight.h - checks before anything starts: is there memory and
 * /dev/shm space enough for the runs asked for, and are there segments
 * left by an earlier shmviz that died (SIGKILL) to clean up.
 */
#ifndef SHMVIZ_SRC_PREFLIGHT_H
#define SHMVIZ_SRC_PREFLIGHT_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "src/cli/cli.h"

#define PREFLIGHT_SHM_DIR "/dev/shm"

/* Bytes of memory the biggest of the runs needs at its peak: the copy run
 * holds W+1 copies, the shared run one segment, a cow run 1 + W*PCT/100
 * copies; the Python workload measured multiples of that (preflight.c).
 * Plus a margin for the processes themselves. */
uint64_t preflight_memory_needed(const struct cli_options *o, int workers,
				 uint64_t bytes);

/* Where the memory limits are read: the process's cgroup file and the
 * cgroup file systems' mount point (tests pass others). */
#define PREFLIGHT_PROC_CGROUP "/proc/self/cgroup"
#define PREFLIGHT_CGROUP_ROOT "/sys/fs/cgroup"

/* Memory the cgroups of this process still allow, in kB: the least, over
 * its cgroup and every ancestor, of the limit less the usage (cgroup v2:
 * memory.max and memory.current, also under ROOT/unified in a hybrid
 * set-up; v1: memory.limit_in_bytes and memory.usage_in_bytes under
 * ROOT/memory). -1 when no limit applies or none can be read; the file of
 * the tightest limit in which (may be NULL). */
int64_t preflight_cgroup_available_kb(const char *proc_cgroup, const char *root,
				      char *which, size_t whichlen);

/* Seconds a million rows take to pickle and unpickle for one worker in
 * the Python copy run (10M rows to 4 workers: 241 s on a quiet 2-core
 * machine; 1M to 2 workers: 51 s on one with a load of 35) */
#define PREFLIGHT_PY_COPY_S_PER_MROW 6.0
/* a run longer than this is worth a warning before it starts */
#define PREFLIGHT_PY_WARN_S 60.0

/* --workload python: the seconds its copy runs are expected to take
 * (rows x workers, PREFLIGHT_PY_COPY_S_PER_MROW each million), 0 when it
 * has none. */
double preflight_python_copy_s(const struct cli_options *o, int workers);

/* One line on out when preflight_python_copy_s() passes
 * PREFLIGHT_PY_WARN_S: the run takes minutes, and what takes seconds. */
void preflight_python_warn(const struct cli_options *o, int workers, FILE *out);

/* Refuses what cannot fit: returns true, or false with one line in err
 * naming the amount needed and the amount available. shm_dir is the tmpfs
 * to check (PREFLIGHT_SHM_DIR; tests pass another). */
bool preflight_check(const struct cli_options *o, int workers, uint64_t bytes,
		     const char *shm_dir, char *err, size_t errlen);

/* The same with the cgroup files read from elsewhere (tests). */
bool preflight_check_in(const struct cli_options *o, int workers, uint64_t bytes,
			const char *shm_dir, const char *proc_cgroup,
			const char *cgroup_root, char *err, size_t errlen);

/* Removes shm_dir/shmviz-PID-N segments whose creator PID is gone, saying
 * so on out. Returns how many were removed. */
int preflight_remove_stale(const char *shm_dir, FILE *out);

/* Whether name is a plain POSIX shm name ("/" then [A-Za-z0-9._-]+), safe
 * to pass to shm_unlink(). */
bool preflight_shm_name_ok(const char *name);

/* A segment a run announced (docs/protocol.md, "segment"), as the file
 * /dev/shm/NAME was then: claimed only when it is a plain file of the
 * run root's own user (root_uid: now, or as the run began), made since
 * the run began (started_real: the start, seconds since the epoch), that
 * a live process of the run's tree owned by that user holds open or
 * mapped: one of tree[ntree] (tree[0] the root), or else a descendant of
 * the root now. shmviz unlinks at the run's end only that file,
 * unchanged: a program it runs (maybe as root, with a descendant of fewer
 * rights) cannot have it remove a file no process of the tree could
 * remove itself. */
struct shm_claim {
	unsigned long long dev, ino;
};
bool preflight_shm_claim(const char *name, long long root_uid, const pid_t *tree, size_t ntree,
			 double started_real, struct shm_claim *out);
/* The user id of process pid (its /proc directory's owner), -1 if gone */
long long preflight_proc_uid(pid_t pid);
/* Whether name is still the file claimed. */
bool preflight_shm_is(const char *name, const struct shm_claim *c);
/* Unlinks name if it is still the file claimed; true if it was. */
bool preflight_shm_release(const char *name, const struct shm_claim *c);

#endif
