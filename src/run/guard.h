/*
 * guard.h - nothing of a run outlives shmviz, even a SIGKILL of shmviz.
 *
 * A run's root dies with shmviz (PR_SET_PDEATHSIG), but its descendants
 * would not: with shmviz gone they are orphans of init. So before any run
 * starts, shmviz starts a small guard process, outside its own tree (a
 * double fork before shmviz becomes a subreaper: the guard is no child of
 * shmviz, never sampled, never reaped by it) and in a session of its own
 * (a kill of shmviz's process group or a terminal hang-up does not reach
 * it). The guard holds the read end of a pipe whose only write end is
 * shmviz's; it sleeps in read(2) at no cost. shmviz tells it over the pipe
 * the session id of each run (every root runs in a session of its own,
 * setsid; told right after the fork, and the root waits for shmviz's word
 * that it was before its exec: runner.c) and "q" when it ends cleanly. The guard watches each run's
 * root with a pidfd and reports the moment it ends on a second pipe
 * ("x PID T"): a run's end time is its own, even when shmviz itself was
 * stopped (SIGTSTP) or starved when it came.
 *
 * End of file without "q" means shmviz died. The guard then ends every
 * process of the runs: those whose environment holds GUARD_ENV=<token> (a
 * random token of this shmviz, put in each root's environment and inherited
 * by every descendant: a pool's workers, a resource tracker, a daemon that
 * double-forked away) and those in a run's session (a program that cleared
 * its environment). SIGTERM first, so that a workload can unlink what it
 * made (segments, a Python pool's semaphores); SIGKILL after GUARD_GRACE_MS
 * to what is left, again and again until a scan of /proc finds none (a
 * process forking meanwhile is caught by the next scan). Last, the POSIX
 * semaphores of Python's multiprocessing (/dev/shm/sem.mp-*) that those
 * processes had mapped and nobody unlinked are removed. Segments of shmviz
 * left by a killed workload are removed at shmviz's next start (preflight).
 */
#ifndef SHMVIZ_SRC_GUARD_H
#define SHMVIZ_SRC_GUARD_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define GUARD_ENV "SHMVIZ_RUN_TOKEN"
#define GUARD_GRACE_MS 3000
#define GUARD_COMM "shmviz-guard"

/* Starts the guard. Call before shmviz becomes a subreaper and before any
 * run. Returns 0, or -errno with one line in err. */
int guard_start(char *err, size_t errlen);

/* The token runs carry in GUARD_ENV ("" when no guard was started). */
const char *guard_token(void);

/* Tells the guard that a run's root (a session leader) started or ended. */
void guard_watch(pid_t sid);
void guard_unwatch(pid_t sid);

/* Tells the guard that a run's memory cgroup (a directory shmviz made,
 * cgrun.h) exists (add) or was removed. After a death of shmviz the
 * guard ends every process in it and removes it. */
void guard_cgroup(const char *path, bool add);

/* When the guard saw the root pid of a run end (CLOCK_MONOTONIC, s):
 * true with *t, false when it has not reported it (no pidfd here, the
 * root had been reaped before the guard looked). shmviz may have been
 * stopped or starved when the root ended; the guard, in a session of its
 * own, was not. */
bool guard_exit_time(pid_t pid, double *t);

/* shmviz ends cleanly: the guard exits without touching anything. */
void guard_release(void);

/* The POSIX semaphores of Python's multiprocessing (/dev/shm/sem.mp-*)
 * that a run's processes have mapped. With the spawn start method they keep
 * their names until the pool's resource tracker unlinks them; a tracker
 * killed first (a grace that ran out) leaves them. Collected from
 * /proc/PID/maps before a tree is ended, unlinked after. */
#define GUARD_SEMS_MAX 512
struct guard_sems {
	char *path[GUARD_SEMS_MAX];
	size_t n;
};

/* Adds the semaphores pid has mapped (and not yet unlinked) to s. */
void guard_sems_collect(struct guard_sems *s, pid_t pid);

/* Unlinks those of s that still exist, and empties s. */
void guard_sems_unlink(struct guard_sems *s);

struct cgroup_dir;

/* What the guard does when shmviz died, usable on its own (tests): ends
 * every process carrying token in its environment, in one of the nsids
 * sessions or in one of the ncgs cgroups, other than the caller; SIGTERM
 * (and SIGCONT: a stopped process keeps a SIGTERM pending), then SIGKILL
 * after grace_ms; empties and removes the cgroups; removes the
 * multiprocessing semaphores they had mapped and the segments
 * /dev/shm/shmviz-PID-N of the processes it saw and of the roots (the
 * sessions' ids). Returns how many processes it found. */
int guard_sweep(const char *token, const pid_t *sids, size_t nsids,
		const struct cgroup_dir *cgs, size_t ncgs, int grace_ms);

#endif
