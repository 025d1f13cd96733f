/*
 * roles.h - the role of a process the workload did not announce, from
 * what the process tree and the command line show (docs/architecture.md,
 * "Roles"): a multiprocessing or gunicorn worker is a worker, not a child.
 *
 * The rule, first match:
 * 1. announced (the protocol's "role" line, shmviz's own workloads): kept;
 * 2. a command line of Python's multiprocessing: "from
 *    multiprocessing.spawn import" or "--multiprocessing-fork" (a spawn
 *    worker): worker; "from multiprocessing.resource_tracker import":
 *    helper; "from multiprocessing.forkserver import": the fork server is
 *    a helper, and the processes it forks (same command line, its
 *    children) are workers;
 * 3. two or more children of one parent running the same executable
 *    (comm): workers (a pool forked by its parent: multiprocessing's
 *    fork, gunicorn's pre-forked workers);
 * 4. else child.
 */
#ifndef SHMVIZ_SRC_SAMPLE_ROLES_H
#define SHMVIZ_SRC_SAMPLE_ROLES_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>

#include "src/core/model.h"

/* What a command line says (rule 2). */
enum roles_kind {
	ROLES_OTHER,
	ROLES_MP_WORKER,
	ROLES_MP_HELPER,
	ROLES_FORKSERVER,
};

enum roles_kind roles_classify(const char *cmdline);

/* Rules 2-4 on rows[0..n) given each row's kind: sets the role of the
 * rows of ROLE_CHILD. Returns false when out of memory (rows unchanged). */
bool roles_apply(struct proc_row *rows, size_t n, const enum roles_kind *kinds);

/* The command lines read so far, by pid, start time and comm (a process
 * is read again after an exec). roles_create() returns NULL when out of
 * memory; roles_destroy() accepts NULL. */
struct roles;
struct roles *roles_create(void);
void roles_destroy(struct roles *rl);

/* roles_apply() with each ROLE_CHILD row's command line read once. */
bool roles_refine(struct roles *rl, struct proc_row *rows, size_t n);

#endif
