/*
 * cgrun.h - the memory cgroup a run's tree lives in, and the kernel's own
 * peak of it (docs/architecture.md, "The kernel's peak").
 *
 * Where shmviz can make a memory cgroup beneath its own (probes/cgroup.h:
 * cgroup v1's memory hierarchy, or v2 with the memory controller given to
 * children), each run gets one, shmviz-PID-N, made before the run's root
 * execs: the root moves itself in (runner.c), so every descendant is
 * charged there whatever it does (a new session, a cleared environment).
 * The peak file is read at each phase boundary and at the run's end (one
 * small read) and reset at each phase's start where the kernel allows it.
 * The guard is told the cgroup, so that after a death of shmviz it ends
 * every process in it and removes it; a run that ends removes it itself.
 * shmviz makes cgroups only beneath its own, and writes nowhere else.
 *
 * With --attach, the tree's own cgroup is used when it holds exactly the
 * tree (a service of its own), read only. Where no cgroup can be had the
 * run's kernel_peak says why and the run goes on without it.
 */
#ifndef SHMVIZ_SRC_CGRUN_H
#define SHMVIZ_SRC_CGRUN_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <sys/types.h>

#include "probes/cgroup.h"
#include "src/core/model.h"

struct cgrun {
	int base_rc;                /* 1: not looked for yet; 0: base is
	                               usable; -errno: none (why) */
	struct cgroup_dir base;     /* shmviz's own memory cgroup */
	char why[MODEL_TEXT_MAX];   /* why there is none */
	struct cgroup_dir dir;      /* the run's cgroup */
	bool made;                  /* dir is one of shmviz's, to remove */
	int peak_fd;                /* -1: none */
	int procs_fd;               /* dir's cgroup.procs for the root to
	                               write itself into; -1 */
	unsigned seq;               /* the N of shmviz-PID-N */
};

void cgrun_init(struct cgrun *c);

/* Before a run's root is started: its cgroup made, its peak reset;
 * r->kpeak says which, or why there is none. Returns the descriptor the
 * root writes "0" to (runner_spec.cgroup_fd), or -1. */
int cgrun_begin(struct cgrun *c, struct run *r);

/* After runner_start: the root's descriptor is no longer needed; err: the
 * errno of the root's failed move into the cgroup, 0 when it moved. */
void cgrun_started(struct cgrun *c, struct run *r, int err);

/* --attach PID: the tree's own cgroup when it holds exactly the tree */
void cgrun_attach(struct cgrun *c, struct run *r, pid_t root);

/* A phase boundary (a phase begins or ends): the phase open until now
 * gets the peak since its start, which is reset for the next. */
void cgrun_boundary(struct cgrun *c, struct run *r);

/* The run's tree has been ended: the last read, whatever is still in the
 * cgroup killed, the cgroup removed. */
void cgrun_end(struct cgrun *c, struct run *r);

/* The line said once when the runs have no kernel peak ("" when they
 * have one). */
const char *cgrun_why(const struct cgrun *c);

#endif
