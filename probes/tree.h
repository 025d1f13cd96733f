/*
 * tree.h - discovery of a process tree's members by their parent pid.
 *
 * /proc/PID/task/TID/children is absent on these kernels, so descendants are
 * found by reading the ppid of every process in /proc. That scan costs a few
 * microseconds a process, so the sampler runs it only when a new pid has been
 * handed out anywhere (tree_last_pid() changed) and not more often than it
 * must.
 */
#ifndef SHMVIZ_PROBES_TREE_H
#define SHMVIZ_PROBES_TREE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Appends to *out (grown with realloc; the caller frees it) the pids of
 * every live descendant of any of the nroots roots, roots excluded, and
 * sets *nout. Returns 0 or -errno when /proc cannot be read. */
int tree_descendants(const pid_t *roots, size_t nroots, pid_t **out,
		     size_t *nout);

/* The most recently allocated pid on the system (the last field of
 * /proc/loadavg), or -errno. Unchanged means: no process was created. */
int64_t tree_last_pid(void);

#endif
