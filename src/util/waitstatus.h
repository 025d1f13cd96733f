/*
 * waitstatus.h - a wait(2) status in words, for the session and for the
 * workloads' own reports of their workers.
 */
#ifndef SHMVIZ_UTIL_WAITSTATUS_H
#define SHMVIZ_UTIL_WAITSTATUS_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>

/* One line describing a wait status: "exited with status 3", "was killed
 * by signal 9 (Killed)". */
void describe_wait_status(int status, char *buf, size_t size);

#endif
