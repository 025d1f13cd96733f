/*
 * tree.h - discovery of a process tree's members by their parent pid.
 *
 * /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN and lists the
 * children of one thread, so descendants are found by reading the ppid of
 * processes in /proc (a run with a memory cgroup of its own needs neither:
 * src/sample/sampler.c reads its cgroup.procs). A full scan reads every
 * process's stat (tens of microseconds each); after it, the sampler only
 * looks at the pids handed out since (tree_last_pid()), and only when that
 * changed.
 */
#ifndef SHMVIZ_PROBES_TREE_H
#define SHMVIZ_PROBES_TREE_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Sets *out to a new array (the caller frees it) of the pids of every
 * live descendant of any of the nroots roots, roots excluded, and *nout
 * to their number. Returns 0, or -errno (*out NULL) when /proc cannot be
 * read. */
int tree_descendants(const pid_t *roots, size_t nroots, pid_t **out,
		     size_t *nout);

/* The processes created since the last pid was after (the last pid now
 * being upto, both from tree_last_pid()) whose parent is one of the
 * nmembers members or one of them: *out (the caller frees it; NULL when
 * none) and *nout. Much cheaper than tree_descendants(): only the new
 * pids' stat is read. Returns 0 or -errno. */
int tree_new_descendants(const pid_t *members, size_t nmembers, int64_t after,
			 int64_t upto, pid_t **out, size_t *nout);

/* The most recently allocated pid on the system (the last field of
 * /proc/loadavg), or -errno. Unchanged means: no process was created. */
int64_t tree_last_pid(void);

#endif
