/*
 * mapsnap.h - a snapshot of the tree's smaps mappings, taken and paid by
 * the sampler (docs/architecture.md, "Mappings"): /proc/PID/smaps read
 * through probes/mappings.c and folded by src/core/mapgroups.c.
 */
#ifndef SHMVIZ_SRC_SAMPLE_MAPSNAP_H
#define SHMVIZ_SRC_SAMPLE_MAPSNAP_H

#if !defined(SHMVIZ_USES_SAMPLE) && !defined(SHMVIZ_USES_ALL)
#error "src/sample/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include "src/core/mapgroups.h"
#include "src/sample/sampler.h"

/* mapgroups_take() of frame rows, its CPU paid from s's budget at once
 * whatever the outcome, as a read is; a whole snapshot (0) is counted in
 * s's stats. Returns as mapgroups_take(). */
int mapsnap_take(struct sampler *s, struct map_snap *snap, double t,
		 const char *phase, const struct proc_row *rows, size_t n,
		 const struct mapgroups_stop *stop);

#endif
