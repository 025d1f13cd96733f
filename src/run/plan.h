/*
 * plan.h - from the command line to the runs of a session: the runs the
 * model will hold and how each is started.
 */
#ifndef SHMVIZ_SRC_PLAN_H
#define SHMVIZ_SRC_PLAN_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>

#include "src/cli/cli.h"
#include "src/core/model.h"
#include "src/run/session.h"

/* Adds the runs of o to m (config included) and fills plans[] to match.
 * Checks first what a run would only find out later: the native
 * workloads' program (shmviz-workload, assets.h) and the Python
 * interpreter and numpy (exit 4), the --compare commands' words (2) and
 * programs (127 not found, 126 not executable). Returns 0, or that exit
 * status with one line in err; a refused plan leaves no run, no plan
 * string and no directory. */
int plan_build(const struct cli_options *o, struct model *m,
	       struct run_plan *plans, char *err, size_t errlen);

#endif
