/*
 * plan.h - from the command line to the runs of a session: the runs the
 * model will hold and how each is started.
 */
#ifndef SHMVIZ_SRC_PLAN_H
#define SHMVIZ_SRC_PLAN_H

#include <stddef.h>

#include "src/cli.h"
#include "src/model.h"
#include "src/session.h"

/* Adds the runs of o to m (config included) and fills plans[] to match.
 * self_exe is shmviz's own binary (the native workloads run it). Returns
 * 0, or an exit status with one line in err. */
int plan_build(const struct cli_options *o, const char *self_exe,
	       struct model *m, struct run_plan *plans, char *err,
	       size_t errlen);

#endif
